// The JS half of the host bridge (--js-library). Each import finds the host
// installed under its id (Module.csStorageHosts, see js/hosts/index.js) and
// calls one verb. Reads and writes get a view of the wasm heap at the
// pointer, taken fresh on every call because memory growth replaces the
// buffer. A host may throw (OPFS throws DOMExceptions, Node throws errno
// errors): the exception is caught here and becomes a negative status, and
// its message is kept for the C++ side; nothing is thrown into wasm.
//   -1 IO   -2 FULL (quota/disk)   -3 BUSY   -4 no such host/file
mergeInto(LibraryManager.library, {
  $csStorageHost: function (id) {
    var hosts = Module['csStorageHosts'];
    return hosts ? hosts.get(id) : undefined;
  },
  $csStorageFail__deps: ['$csStorageHost'],
  $csStorageFail: function (id, verb, e) {
    var name = (e && e.name) || '';
    var code = (e && e.code) || '';
    var text = verb + ' failed: ' + (name && name !== 'Error' ? name + ': ' : '') +
      ((e && e.message) || String(e));
    var errors = Module['csStorageErrors'] || (Module['csStorageErrors'] = new Map());
    errors.set(id, text);
    if (name === 'QuotaExceededError' || code === 'ENOSPC' || code === 'EDQUOT') return -2;
    if (name === 'NoModificationAllowedError' || code === 'EBUSY' || code === 'BUSY') return -3;
    if (code === 'EBADF') return -4;
    return -1;
  },

  cs_host_installed__deps: ['$csStorageHost'],
  cs_host_installed: function (id) {
    return csStorageHost(id) ? 1 : 0;
  },

  // Calls host.<verb>(a, b, c) on the host installed under id and returns
  // its answer (undefined from the verbs that answer nothing); `missing` when
  // no host has that id; a negative status when the verb throws.
  $csStorageCall__deps: ['$csStorageHost', '$csStorageFail'],
  $csStorageCall: function (id, missing, verb, a, b, c) {
    var host = csStorageHost(id);
    if (!host) return missing;
    try {
      return host[verb](a, b, c);
    } catch (e) {
      return csStorageFail(id, verb, e);
    }
  },

  // The pool queries answer counts: no host, or a failure, is 0.
  cs_host_files__deps: ['$csStorageCall'],
  cs_host_files: function (id, out, max) {
    var ids = csStorageCall(id, 0, 'files');
    if (typeof ids === 'number') return 0;
    for (var i = 0; i < ids.length && i < max; i++) HEAP32[(out >> 2) + i] = ids[i];
    return ids.length;
  },

  cs_host_grow__deps: ['$csStorageCall'],
  cs_host_grow: function (id, n) {
    var added = csStorageCall(id, 0, 'grow', n) | 0;
    return added > 0 ? added : 0;
  },

  cs_host_read__deps: ['$csStorageCall'],
  cs_host_read: function (id, file, ptr, n, offset) {
    ptr >>>= 0;
    return csStorageCall(id, -4, 'read', file, HEAPU8.subarray(ptr, ptr + n), offset) | 0;
  },

  cs_host_write__deps: ['$csStorageCall'],
  cs_host_write: function (id, file, ptr, n, offset) {
    ptr >>>= 0;
    return csStorageCall(id, -4, 'write', file, HEAPU8.subarray(ptr, ptr + n), offset) | 0;
  },

  // truncate and flush answer nothing on success: 0.
  cs_host_truncate__deps: ['$csStorageCall'],
  cs_host_truncate: function (id, file, size) {
    return csStorageCall(id, -4, 'truncate', file, size) | 0;
  },

  cs_host_flush__deps: ['$csStorageCall'],
  cs_host_flush: function (id, file) {
    return csStorageCall(id, -4, 'flush', file) | 0;
  },

  cs_host_size__deps: ['$csStorageCall'],
  cs_host_size: function (id, file) {
    return csStorageCall(id, -4, 'getSize', file);
  },

  cs_host_close__deps: ['$csStorageCall'],
  cs_host_close: function (id, file) {
    csStorageCall(id, 0, 'close', file);
  },

  cs_host_last_error: function (id, buf, n) {
    var errors = Module['csStorageErrors'];
    var text = errors && errors.get(id);
    if (!text) return 0;
    stringToUTF8(text, buf, n);
    return lengthBytesUTF8(text);
  },
});
