// A synchronous handle on one Engine instance inside the wasm module: the one
// door, call(op, args) -> result, throwing CampaignStoreError on failure.
// Used directly by the worker (js/worker/) and by tests of the bare bindings.
import { CampaignStoreError } from '../errors.js';
import { openStorage } from '../hosts/index.js';
import { loadWasmModule } from './load.js';

// Ops after which C++ has closed the pool's files: the host is spent.
const RELEASES_STORAGE = new Set(['close', 'storage.delete']);
// Error codes a storage host can be behind.
const STORAGE_CODES = new Set(['IO', 'STORAGE_FULL', 'CORRUPT', 'BUSY']);
// Requests and answers above this are not kept in the heap between calls.
const KEEP_BYTES = 1 << 20;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The door's C side (src/bindings/engine_bindings.cpp): the op and its JSON
 * arguments are encoded straight into a buffer in the wasm heap, and the
 * answer is decoded from a view of it.
 */
class NativeDoor {
  constructor(module) {
    this.module = module;
    this.handle = module._cs_engine_new();
    if (!this.handle) throw new CampaignStoreError('STORAGE_FULL', 'out of memory creating the engine');
  }

  call(op, argsText) {
    const m = this.module;
    // Most text is ASCII (one byte per unit); grow to the worst case (three
    // bytes per UTF-16 unit) only when the first encoding did not fit.
    let capacity = op.length + argsText.length + 64;
    for (;;) {
      const ptr = m._cs_engine_request(this.handle, capacity);
      if (!ptr) throw new CampaignStoreError('STORAGE_FULL', `out of memory for a ${capacity}-byte request`);
      const buffer = m.HEAPU8.subarray(ptr, ptr + capacity);
      const o = encoder.encodeInto(op, buffer);
      const a = encoder.encodeInto(argsText, buffer.subarray(o.written));
      if (o.read === op.length && a.read === argsText.length) {
        const length = m._cs_engine_call(this.handle, o.written, a.written);
        if (length === 0) throw new CampaignStoreError('STORAGE_FULL', 'out of memory for the answer');
        const at = m._cs_engine_response(this.handle);
        const text = decoder.decode(m.HEAPU8.subarray(at, at + length));
        if (length > KEEP_BYTES || capacity > KEEP_BYTES) m._cs_engine_trim(this.handle, KEEP_BYTES);
        return text;
      }
      capacity = (op.length + argsText.length) * 3 + 64;
    }
  }

  delete() {
    this.module._cs_engine_delete(this.handle);
    this.handle = 0;
  }
}

export class Engine {
  /** @param {any} module the instantiated wasm module */
  constructor(module) {
    this.module = module;
    this.native = new NativeDoor(module);
    /** Tables touched by the last call's committed transactions. */
    this.lastChanges = [];
    /** The persistent storage behind the open database (openStorage), or null. */
    this.storage = null;
  }

  /**
   * @param {string} op
   * @param {unknown} [args]
   * @returns {unknown} the op's result
   */
  call(op, args = {}) {
    const envelope = JSON.parse(this.callText(op, args));
    this.lastChanges = envelope.changes ?? [];
    return envelope.result;
  }

  /**
   * call(), answering the successful envelope as the text C++ wrote,
   * `{"changes":[…],"ok":true,"result":…}` (changes only when there are
   * some), unparsed: the worker hands it to the client as one string, which
   * costs a copy where an object graph costs a structured clone each way.
   * Failures throw as from call(). lastChanges is left empty: the changes are
   * in the text.
   * @returns {string}
   */
  callText(op, args = {}) {
    if (!this.native) throw new CampaignStoreError('CLOSED', 'engine is disposed');
    this.lastChanges = [];
    const text = this.native.call(op, JSON.stringify(args ?? {}));
    // Only an error envelope begins so (its members are in name order:
    // Dispatcher::call in include/campaign_store/dispatcher.hpp).
    if (text.startsWith('{"error":')) {
      throw this.#withStorageReason(CampaignStoreError.fromWire(JSON.parse(text).error));
    }
    if (this.storage && RELEASES_STORAGE.has(op)) this.#releaseStorage();
    if (this.storage?.syncWithinMs > 0 && !this.#syncTimer && op !== 'storage.sync') this.#scheduleSync();
    return text;
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
    const answer = JSON.parse(this.native.call('storage.lastError', '{}'));
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
    this.call('storage.export');
    return this.takeExported();
  }

  /**
   * The bytes the last op staged in the export slot (a database export, a
   * blob, an upload's body), as a copy the caller owns: the heap may grow
   * under a view. Frees the slot.
   * @returns {Uint8Array}
   */
  takeExported() {
    const view = this.module.storageExportView();
    try {
      return view ? view.slice() : new Uint8Array(0);
    } finally {
      this.module.storageExportRelease();
    }
  }

  /**
   * A view of `n` bytes in the import slot, for the next op that reads staged
   * bytes (storage.import, blobs.put, legacy.import): fill it, then call.
   * @returns {Uint8Array}
   */
  importSlot(n) {
    const view = this.module.storageImportBuffer(n);
    if (!view) throw new CampaignStoreError('STORAGE_FULL', `cannot stage ${n} bytes in memory`);
    return view;
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
    this.importSlot(bytes.length).set(bytes);
    return this.call('storage.import');
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
 * createEngine({storage: {kind: 'node', dir}}).
 */
export async function createEngine(options) {
  const engine = new Engine(await loadWasmModule(options));
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
