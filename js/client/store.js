// The object openCampaignStore() resolves to: the typed methods (api.js)
// over one request/response channel (rpc.js), change subscriptions,
// live queries and close. It knows nothing about which thread serves it.
import { CampaignStoreError } from '../errors.js';
import { WORKER_OPS } from '../protocol/wire.js';
import { buildApi } from './api.js';
import { ChangeHub } from './changes.js';
import { LiveQuery } from './live-query.js';
import { RpcClient } from './rpc.js';
import { attachMigrationApi } from '../legacy/client.js';

const CLOSE_TIMEOUT_MS = 10000;

// Raw transaction statements, to hold live-query re-runs while one is open.
const TX_BEGIN = /^\s*BEGIN\b/i;
const TX_END = /^\s*(COMMIT|END)\b|^\s*ROLLBACK\s*(TRANSACTION\s*)?;?\s*$/i;

export class CampaignStore {
  #rpc;
  #transport = null;
  #hub;
  #log;
  #inTransaction = false;
  #afterTransaction = [];
  #closing = null;
  #listeners = [];
  #gone = null;            // resolves once the worker is gone and cleaned up after
  #afterExit = async () => {};
  #storageListener = () => {};
  #progressListener = null;
  /** What worker.init answered: {tabId, role, leader, version, open, ops}. */
  info = null;

  /**
   * @param {{log?: (entry: object) => void}} options
   */
  constructor({ log } = {}) {
    this.#log = log ?? (() => {});
    this.#hub = new ChangeHub((err) => this.#emitLog('error', `a change subscriber threw: ${err?.message ?? err}`));
    this.#rpc = new RpcClient({
      post: (message, transfer) => {
        if (!this.#transport) throw new CampaignStoreError('CLOSED', 'the store has no worker');
        this.#transport.post(message, transfer);
      },
      onEvent: (event) => this.#onEvent(event),
      onBusyChange: (busy) => this.#transport?.setBusy(busy),
    });
    // The generated methods, minus `call` (the class's own, below).
    const { call: _, ...api } = buildApi((op, args) => this.call(op, args));
    Object.assign(this, api);
    // ---- legacy migration and blobs (issue 6): store.migration, store.blobs, store.legacy
    attachMigrationApi(this);
  }

  /**
   * Connects a started transport; used by openCampaignStore. afterExit runs
   * once the worker is gone (e.g. to clear a lock it could not release).
   * @internal
   */
  attach(transport, { afterExit } = {}) {
    this.#transport = transport;
    if (afterExit) this.#afterExit = afterExit;
  }

  // Stops the worker (once) and resolves when it and its leftovers are gone.
  #stopWorker() {
    this.#gone ??= Promise.resolve(this.#transport?.terminate())
      .then(() => this.#afterExit())
      .catch((err) => this.#emitLog('warn', `cleaning up after the worker failed: ${err?.message ?? err}`));
    return this.#gone;
  }

  /** Messages from the transport. @internal */
  receive(message) {
    this.#rpc.receive(message);
  }

  /** The worker is gone: settle everything pending. @internal */
  fail(code, message, details) {
    if (!this.#rpc.failed) this.#emitLog('error', message, details);
    this.#rpc.fail(code, message, details);
    this.#stopWorker();
  }

  /** Adds the methods of ops the core lists beyond entities.js. @internal */
  learnOps(ops) {
    const { call: _, ...api } = buildApi((op, args) => this.call(op, args), ops);
    for (const [key, value] of Object.entries(api)) {
      if (!(key in this)) this[key] = value;
      else if (typeof value === 'object' && typeof this[key] === 'object') {
        for (const [name, fn] of Object.entries(value)) this[key][name] ??= fn;
      }
    }
  }

  /**
   * The one door: any op with its args object.
   * @returns {Promise<any>} the op's result
   */
  async call(op, args = {}) {
    if (this.#closing && !op.startsWith('worker.')) {
      throw new CampaignStoreError('CLOSED', 'the store is closed', { op });
    }
    const { result, changes } = await this.#rpc.request(op, args);
    if (op === 'sql.exec') this.#trackTransaction(args?.sql);
    this.#hub.emit(changes);
    return result;
  }

  /**
   * Hears about committed changes to the given tables (or all, with '*').
   * @returns {() => void} unsubscribe
   */
  subscribe(tables, cb) {
    return this.#hub.subscribe(tables, cb);
  }

  /** A query that re-runs when the tables it reads change. */
  liveQuery(fn, options) {
    return new LiveQuery(this, fn, options);
  }

  /** True while a raw transaction (sql.exec BEGIN ...) is open. */
  get inTransaction() { return this.#inTransaction; }

  /** Runs cb once no raw transaction is open (now, if none is). */
  afterTransaction(cb) {
    if (!this.#inTransaction) queueMicrotask(cb);
    else this.#afterTransaction.push(cb);
  }

  /** True once close() or a crash ended the store. */
  get closed() { return this.#closing !== null || this.#rpc.failed; }

  /**
   * Closes the database and stops the worker. Requests sent before close()
   * are served first (in order); later ones reject with CLOSED.
   */
  close() {
    this.#closing ??= (async () => {
      for (const off of this.#listeners.splice(0)) off();
      if (!this.#rpc.failed) {
        let timer;
        const timeout = new Promise((resolve) => { timer = setTimeout(resolve, CLOSE_TIMEOUT_MS); });
        try {
          await Promise.race([this.#rpc.request(WORKER_OPS.close, {}), timeout]);
        } catch (err) {
          if (err?.code !== 'CLOSED') this.#emitLog('warn', `closing the database failed: ${err?.message}`);
        } finally {
          clearTimeout(timer);
        }
      }
      this.#rpc.fail('CLOSED', 'the store was closed');
      await this.#stopWorker();
    })();
    return this.#closing;
  }

  /**
   * Stops the worker at once, without closing the database cleanly (as a
   * crash would). Pending calls reject with CLOSED; resolves once the worker
   * is gone.
   */
  terminate() {
    this.#rpc.fail('CLOSED', 'the store was terminated');
    this.#closing ??= this.#stopWorker();
    return this.#stopWorker();
  }

  /** Hears the worker open (true) and release (false) persistent storage. @internal */
  onStorageState(cb) {
    this.#storageListener = cb;
  }

  /** Hears a running legacy import's progress (js/legacy/binary.js); returns the unsubscribe. @internal */
  onProgressEvent(cb) {
    this.#progressListener = cb;
    return () => { if (this.#progressListener === cb) this.#progressListener = null; };
  }

  /** Remembers a cleanup to run on close (page lifecycle listeners). @internal */
  onClose(off) {
    this.#listeners.push(off);
  }

  #trackTransaction(sql) {
    if (typeof sql !== 'string') return;
    if (TX_BEGIN.test(sql)) this.#inTransaction = true;
    else if (TX_END.test(sql) && this.#inTransaction) {
      this.#inTransaction = false;
      for (const cb of this.#afterTransaction.splice(0)) queueMicrotask(cb);
    }
  }

  #onEvent(event) {
    switch (event?.event) {
      case 'changes':
        this.#hub.emit(event.changes);
        break;
      case 'log':
        this.#log({ source: 'worker', level: event.level, message: event.message, details: event.details });
        break;
      case 'storage':
        this.#storageListener(event.held === true);
        break;
      case 'progress':
        this.#progressListener?.(event.progress);
        break;
      case 'role':
        if (this.info) Object.assign(this.info, { role: event.role, leader: event.leader });
        this.#log({ source: 'worker', level: 'debug', message: `role: ${event.role}`, details: { leader: event.leader } });
        break;
      default:
        break;
    }
  }

  #emitLog(level, message, details = {}) {
    try {
      this.#log({ source: 'client', level, message, details });
    } catch { /* a logging hook must not break the store */ }
  }
}
