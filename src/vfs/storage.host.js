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

  cs_host_files__deps: ['$csStorageHost', '$csStorageFail'],
  cs_host_files: function (id, out, max) {
    var host = csStorageHost(id);
    if (!host) return 0;
    try {
      var ids = host.files();
      for (var i = 0; i < ids.length && i < max; i++) HEAP32[(out >> 2) + i] = ids[i];
      return ids.length;
    } catch (e) {
      csStorageFail(id, 'files', e);
      return 0;
    }
  },

  cs_host_grow__deps: ['$csStorageHost', '$csStorageFail'],
  cs_host_grow: function (id, n) {
    var host = csStorageHost(id);
    if (!host) return 0;
    try {
      return host.grow(n) | 0;
    } catch (e) {
      csStorageFail(id, 'grow', e);
      return 0;
    }
  },

  cs_host_read__deps: ['$csStorageHost', '$csStorageFail'],
  cs_host_read: function (id, file, ptr, n, offset) {
    var host = csStorageHost(id);
    if (!host) return -4;
    try {
      ptr >>>= 0;
      return host.read(file, HEAPU8.subarray(ptr, ptr + n), offset) | 0;
    } catch (e) {
      return csStorageFail(id, 'read', e);
    }
  },

  cs_host_write__deps: ['$csStorageHost', '$csStorageFail'],
  cs_host_write: function (id, file, ptr, n, offset) {
    var host = csStorageHost(id);
    if (!host) return -4;
    try {
      ptr >>>= 0;
      return host.write(file, HEAPU8.subarray(ptr, ptr + n), offset) | 0;
    } catch (e) {
      return csStorageFail(id, 'write', e);
    }
  },

  cs_host_truncate__deps: ['$csStorageHost', '$csStorageFail'],
  cs_host_truncate: function (id, file, size) {
    var host = csStorageHost(id);
    if (!host) return -4;
    try {
      host.truncate(file, size);
      return 0;
    } catch (e) {
      return csStorageFail(id, 'truncate', e);
    }
  },

  cs_host_flush__deps: ['$csStorageHost', '$csStorageFail'],
  cs_host_flush: function (id, file) {
    var host = csStorageHost(id);
    if (!host) return -4;
    try {
      host.flush(file);
      return 0;
    } catch (e) {
      return csStorageFail(id, 'flush', e);
    }
  },

  cs_host_size__deps: ['$csStorageHost', '$csStorageFail'],
  cs_host_size: function (id, file) {
    var host = csStorageHost(id);
    if (!host) return -4;
    try {
      return host.getSize(file);
    } catch (e) {
      return csStorageFail(id, 'getSize', e);
    }
  },

  cs_host_close__deps: ['$csStorageHost', '$csStorageFail'],
  cs_host_close: function (id, file) {
    var host = csStorageHost(id);
    if (!host) return;
    try {
      host.close(file);
    } catch (e) {
      csStorageFail(id, 'close', e);
    }
  },

  cs_host_last_error: function (id, buf, n) {
    var errors = Module['csStorageErrors'];
    var text = errors && errors.get(id);
    if (!text) return 0;
    stringToUTF8(text, buf, n);
    return lengthBytesUTF8(text);
  },
});
