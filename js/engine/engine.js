// A synchronous handle on one Engine instance inside the wasm module: the one
// door, call(op, args) -> result, throwing CampaignStoreError on failure.
// Used directly by the worker (js/worker/) and by tests of the bare bindings.
import { CampaignStoreError } from '../errors.js';
import { openStorage } from '../hosts/index.js';
import { checkArgs, decodeAnswer, encodeArgs, int64Option } from '../protocol/values.js';
import { callWithBytes } from './bytes.js';
import { loadWasmModule } from './load.js';

// Error codes a storage host can be behind.
const STORAGE_CODES = new Set(['IO', 'STORAGE_FULL', 'CORRUPT', 'BUSY']);
// Requests and answers above this are not kept in the heap between calls.
const KEEP_BYTES = 1 << 20;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The door's C side (include/campaign_store/c_api.h): the op and its JSON
 * arguments are encoded straight into a buffer in the wasm heap, and the
 * answer is decoded from a view of it. A request's blobs follow its
 * arguments in that buffer (a list of their paths and lengths, then their
 * bytes); an answer's blobs are copied out of the heap, one buffer each.
 */
class NativeDoor {
  constructor(module) {
    this.module = module;
    this.handle = module._cs_engine_new();
    if (!this.handle) throw new CampaignStoreError('STORAGE_FULL', 'out of memory creating the engine');
  }

  /**
   * @param {string} op
   * @param {string} argsText
   * @param {{path: (string|number)[], bytes: Uint8Array}[] | null} [blobs]
   * @returns {{ok: boolean, text: string, blobs: Uint8Array[] | null, changes: string[]}}
   */
  call(op, argsText, blobs = null) {
    const m = this.module;
    const list = blobs ? JSON.stringify(blobs.map((b) => [b.path, b.bytes.byteLength])) : '';
    const byteCount = blobs ? blobs.reduce((n, b) => n + b.bytes.byteLength, 0) : 0;
    // Most text is ASCII (one byte per unit); grow to the worst case (three
    // bytes per UTF-16 unit) only when the first encoding did not fit.
    let capacity = op.length + argsText.length + list.length + byteCount + 64;
    for (;;) {
      const ptr = m._cs_engine_request(this.handle, capacity);
      if (!ptr) throw new CampaignStoreError('STORAGE_FULL', `out of memory for a ${capacity}-byte request`);
      const buffer = m.HEAPU8.subarray(ptr, ptr + capacity);
      const o = encoder.encodeInto(op, buffer);
      const a = encoder.encodeInto(argsText, buffer.subarray(o.written));
      const l = encoder.encodeInto(list, buffer.subarray(o.written + a.written));
      const fits = o.read === op.length && a.read === argsText.length && l.read === list.length
        && o.written + a.written + l.written + byteCount <= capacity;
      if (fits) {
        let at = o.written + a.written + l.written;
        if (blobs) for (const b of blobs) { buffer.set(b.bytes, at); at += b.bytes.byteLength; }
        const length = m._cs_engine_call(this.handle, o.written, a.written, l.written, byteCount);
        if (length === 0) throw new CampaignStoreError('STORAGE_FULL', 'out of memory for the answer');
        const answer = m._cs_engine_response(this.handle);
        const text = decoder.decode(m.HEAPU8.subarray(answer, answer + length));
        const ok = m._cs_engine_ok(this.handle) === 1;
        const changes = this.#answerChanges();
        const out = this.#answerBlobs();
        if (length > KEEP_BYTES || capacity > KEEP_BYTES || out?.large) m._cs_engine_trim(this.handle, KEEP_BYTES);
        return { ok, text, blobs: out?.blobs ?? null, changes };
      }
      capacity = (op.length + argsText.length + list.length) * 3 + byteCount + 64;
    }
  }

  // The tables the last answer's transactions changed, out of band: nobody
  // has to parse an answer to learn them.
  #answerChanges() {
    const m = this.module;
    const size = m._cs_engine_changes_size(this.handle);
    if (size === 0) return [];
    const at = m._cs_engine_changes(this.handle);
    return decoder.decode(m.HEAPU8.subarray(at, at + size)).split('\n');
  }

  // The last answer's blobs, each copied into a buffer of its own (the heap
  // may grow under a view, and the caller owns what it gets).
  #answerBlobs() {
    const m = this.module;
    const count = m._cs_engine_blob_count(this.handle);
    if (count === 0) return null;
    const spans = new Uint32Array(m.HEAPU8.buffer, m._cs_engine_blob_spans(this.handle), count * 2);
    const base = m._cs_engine_blob_bytes(this.handle);
    const blobs = [];
    let total = 0;
    for (let k = 0; k < count; k++) {
      const from = base + spans[2 * k];
      blobs.push(m.HEAPU8.slice(from, from + spans[2 * k + 1]));
      total += spans[2 * k + 1];
    }
    return { blobs, large: total > KEEP_BYTES };
  }

  // The engine's staged bytes (the op table's bytesIn/bytesOut; one import
  // and one export slot per engine, in the wasm heap), as views the module's
  // embind functions hand out (src/bindings/staged_bytes_bindings.cpp).

  /** A view of n bytes to fill before an op that reads staged bytes, or null when the heap cannot hold them. */
  importBuffer(n) {
    return this.module.stagedImportBuffer(this.handle, n);
  }

  /** A copy of what the last op staged for export, or null when it staged none. */
  exported() {
    const view = this.module.stagedExportView(this.handle);
    return view ? view.slice() : null;
  }

  releaseExported() {
    this.module.stagedExportRelease(this.handle);
  }

  delete() {
    this.module._cs_engine_delete(this.handle);
    this.handle = 0;
  }
}

export class Engine {
  /**
   * @param {any} module the instantiated wasm module
   * @param {{int64?: 'bigint'|'string'|'number'}} [options]
   */
  constructor(module, options = undefined) {
    this.module = module;
    /** How call() answers integers beyond 2^53 - 1 unless told otherwise. */
    this.int64 = int64Option(options?.int64) ?? 'bigint';
    this.native = new NativeDoor(module);
    /** Tables touched by the last call's committed transactions. */
    this.lastChanges = [];
    /** The persistent storage behind the open database (openStorage), or null. */
    this.storage = null;
    /**
     * The core's op table (`ops`): op -> {op, args, access, replay,
     * releasesStorage?}, the one description of what each op is.
     * @type {Map<string, {op: string, args: string, access: 'public'|'internal', replay: 'once'|'rerun', releasesStorage?: true}>}
     */
    this.ops = new Map(this.call('ops').map((o) => [o.op, o]));
  }

  /**
   * @param {string} op
   * @param {unknown} [args]
   * @param {{int64?: 'bigint'|'string'|'number'}} [options] how integers
   *   beyond 2^53 - 1 come back (default: the engine's int64, 'bigint')
   * @returns {unknown} the op's result
   */
  call(op, args = {}, options = undefined) {
    const { text, blobs, changes } = this.callEnvelope(op, args);
    const envelope = decodeAnswer(text, blobs, int64Option(options?.int64) ?? this.int64);
    this.lastChanges = changes;
    return envelope.result;
  }

  /**
   * call(), answering the successful envelope as the text C++ wrote,
   * `{"changes":[…],"ok":true,"result":…,"values":[…]}` (changes and values
   * only when there are some), unparsed, with the answer's blobs and changed
   * tables beside it: the worker hands the text and blobs to the client,
   * which costs a copy where an object graph costs a structured clone each
   * way. Failures throw as from call(). lastChanges is left empty.
   * @returns {{text: string, blobs: Uint8Array[] | null, changes: string[]}}
   */
  callEnvelope(op, args = {}) {
    this.#assertLive();
    this.lastChanges = [];
    const request = encodeArgs(args);
    const answer = this.native.call(op, request.text, request.blobs);
    if (!answer.ok) {
      const error = CampaignStoreError.fromWire(JSON.parse(answer.text).error);
      // Text JSON.stringify wrote can be invalid only by a lone surrogate:
      // the encoder names the value that holds it.
      if (error.details?.reason === 'invalid_json') checkArgs(args);
      throw this.#withStorageReason(error);
    }
    // After these C++ has closed the pool's files: the host is spent.
    if (this.storage && this.ops.get(op)?.releasesStorage) this.#releaseStorage();
    if (this.storage?.syncWithinMs > 0 && !this.#syncTimer && op !== 'storage.sync') this.#scheduleSync();
    return answer;
  }

  /**
   * Flushes every commit so far to disk (storage.sync). Batched durability
   * does this by itself within syncWithinMs; call it to be sure now, e.g.
   * when the page is being hidden.
   */
  sync() {
    if (!this.storage) return { flushed: 0 };
    clearTimeout(this.#syncTimer);
    this.#syncTimer = null;
    return this.call('storage.sync');
  }

  #syncTimer = null;

  // Runs between calls (a timer cannot interrupt one). Between two statements
  // of a caller's open transaction it is harmless too: a flush only makes
  // bytes already written durable sooner; it commits nothing.
  #scheduleSync() {
    this.#syncTimer = setTimeout(() => {
      this.#syncTimer = null;
      if (!this.native || !this.storage) return;
      try {
        this.call('storage.sync');
        this.lastSyncError = null;
      } catch (e) {
        this.lastSyncError = e;  // the next write will meet the same failure
      }
    }, this.storage.syncWithinMs);
    this.#syncTimer.unref?.();  // Node: a pending flush does not keep the process alive
  }

  // SQLite reports host failures as "disk I/O error" or "unable to open
  // database file"; the pool knows why (quota, pool exhausted, the host's
  // own message). Attach that to the error.
  #withStorageReason(error) {
    if (!this.storage || !STORAGE_CODES.has(error.code)) return error;
    const answer = JSON.parse(this.native.call('storage.lastError', '{}').text);
    const reason = answer.ok ? answer.result.message : '';
    if (reason) {
      error.message = `${error.message} (${reason})`;
      error.details = { ...error.details, storage: reason };
    }
    return error;
  }

  /**
   * Opens a persistent database: opens the storage pool (async), installs
   * its host, then runs the `open` op on it. Returns the op's result.
   * @param {import('../hosts/index.js').StorageOptions} options
   */
  async openStorage(options) {
    if (this.storage) throw new CampaignStoreError('CONFLICT', 'a database is already open in this engine; close it first');
    const storage = await openStorage(this.module, options);
    try {
      const result = this.call('open', storage.openArgs);
      this.storage = storage;
      return result;
    } catch (e) {
      storage.release();
      throw e;
    }
  }

  /**
   * storage.info plus the browser's view of the origin's storage:
   * {kind, journalMode, synchronous, pool: {files, free, used, bytes, ...},
   *  estimate: {usage, quota, persisted}} (estimate fields null outside a browser).
   */
  async storageMetrics() {
    const info = this.call('storage.info');
    const estimate = this.storage ? await this.storage.estimate() : { usage: null, quota: null, persisted: null };
    return { ...info, estimate, persistGranted: this.storage?.persistGranted ?? null };
  }

  /** Grows the pool if the last call asked for it (OPFS); cheap otherwise. */
  async maintainStorage() {
    if (this.storage?.needsMaintenance) await this.storage.maintain();
  }

  /** The open database as a standard SQLite file ("download my data"). */
  exportDatabase() {
    return callWithBytes(this, 'storage.export', {}).bytes;
  }

  /**
   * The bytes the last op staged in this engine's export slot (a database
   * export, a blob, an upload's body), as a copy the caller owns: the heap
   * may grow under a view. Frees the slot. Null when the op staged none.
   * @returns {Uint8Array | null}
   */
  takeExported() {
    this.#assertLive();
    try {
      return this.native.exported();
    } finally {
      this.native.releaseExported();
    }
  }

  /**
   * A view of `n` bytes in this engine's import slot, for the next op that
   * reads staged bytes (storage.import, blobs.put, legacy.import): fill it,
   * then call.
   * @returns {Uint8Array}
   */
  importSlot(n) {
    this.#assertLive();
    const view = this.native.importBuffer(n);
    if (!view) throw new CampaignStoreError('STORAGE_FULL', `cannot stage ${n} bytes in memory`);
    return view;
  }

  #assertLive() {
    if (!this.native) throw new CampaignStoreError('CLOSED', 'engine is disposed');
  }

  /**
   * Replaces the open database with a SQLite file (restore). The bytes are
   * checked (header, integrity, schema version) before anything changes.
   * @param {Uint8Array} bytes
   */
  importDatabase(bytes) {
    if (!(bytes instanceof Uint8Array)) {
      throw new CampaignStoreError('INVALID_ARGUMENT', 'importDatabase expects a Uint8Array', { field: 'bytes' });
    }
    return callWithBytes(this, 'storage.import', { bytes });
  }

  /**
   * Deletes a persistent database that is not open (the open one: call
   * `storage.delete` with no arguments). `all: true` wipes the whole pool.
   * @param {import('../hosts/index.js').StorageOptions & {all?: boolean}} options
   */
  async deleteStorage(options) {
    const storage = await openStorage(this.module, options);
    try {
      const args = { host: storage.hostId, all: Boolean(options.all) };
      if (options.database) args.name = options.database;
      return this.call('storage.delete', args);
    } finally {
      storage.release();
    }
  }

  dispose() {
    if (!this.native) return;
    try { this.native.call('close', '{}'); } finally {
      this.#releaseStorage();
      this.native.delete();
      this.native = null;
    }
  }

  #releaseStorage() {
    clearTimeout(this.#syncTimer);
    this.#syncTimer = null;
    const storage = this.storage;
    this.storage = null;
    storage?.release();
  }
}

/**
 * Loads the module (once) and returns a fresh Engine. With `storage`, the
 * engine also opens that persistent database (see Engine.openStorage), e.g.
 * createEngine({storage: {kind: 'node', dir}}); `int64` sets how call()
 * answers integers beyond 2^53 - 1 ('bigint', the default, 'string' or 'number').
 */
export async function createEngine(options) {
  const engine = new Engine(await loadWasmModule(options), options);
  if (options?.storage) {
    try {
      await engine.openStorage(options.storage);
    } catch (e) {
      engine.dispose();
      throw e;
    }
  }
  return engine;
}
