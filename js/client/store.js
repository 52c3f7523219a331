// The object openCampaignStore() resolves to: the typed methods (api.js)
// over one request/response channel (rpc.js), change subscriptions,
// live queries and close. It knows nothing about which thread serves it.
//
// The store stays the same object when its database changes (store.account
// switches to another user's database, account.js): the old connection is
// closed after serving what was sent to it, a fresh channel is attached, and
// calls made meanwhile wait for the new database.
import { CampaignStoreError } from '../errors.js';
import { int64Option } from '../protocol/values.js';
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
  #connection = null;      // {transport}: messages and failures of older ones are ignored
  #transport = null;
  #hub;
  #log;
  #int64;                  // how answers carry integers beyond 2^53 (bigint, string or number)
  #inTransaction = false;
  #afterTransaction = [];
  #closing = null;
  #listeners = [];
  #gone = null;            // resolves once the worker is gone and cleaned up after
  #afterExit = async () => {};
  #storageListener = () => {};
  #roleListeners = new Set();  // hear this tab's worker become leader or follower
  #connectionCleanups = [];  // undone when this connection ends (a switch or close)
  #switching = null;       // a connection being replaced: calls wait for the new one
  #progressListener = null;
  /** What worker.init answered: {tabId, role, leader, version, open, ops}. */
  info = null;

  /**
   * @param {{log?: (entry: object) => void, int64?: 'bigint'|'string'|'number'}} options
   */
  constructor({ log, int64 } = {}) {
    this.#log = log ?? (() => {});
    this.#hub = new ChangeHub((err) => this.#emitLog('error', `a change subscriber threw: ${err?.message ?? err}`));
    this.#int64 = int64Option(int64) ?? 'bigint';
    this.#rpc = this.#newRpc();
    // The generated methods, minus `call` (the class's own, below).
    const { call: _, ...api } = buildApi((op, args, options) => this.call(op, args, options));
    Object.assign(this, api);
    // The legacy migration and blobs: store.migration, store.blobs, store.legacy
    attachMigrationApi(this);
  }

  #newRpc() {
    const rpc = new RpcClient({
      post: (message, transfer) => {
        if (!this.#transport || this.#rpc !== rpc) throw new CampaignStoreError('CLOSED', 'the store has no worker');
        this.#transport.post(message, transfer);
      },
      onEvent: (event) => this.#onEvent(event),
      onBusyChange: (busy) => { if (this.#rpc === rpc) this.#transport?.setBusy(busy); },
    });
    rpc.int64 = this.#int64;
    return rpc;
  }

  /**
   * Connects a started transport; used by openCampaignStore. afterExit runs
   * once the worker is gone (e.g. to clear a lock it could not release).
   * @internal
   */
  attach(transport, { afterExit } = {}) {
    this.#transport = transport;
    this.#afterExit = afterExit ?? (async () => {});
    this.#connection = { transport };
    return this.#connection;
  }

  /** A request on the connection being set up, past the switch gate. @internal */
  request(op, args = {}) {
    return this.#rpc.request(op, args).then(({ result }) => result);
  }

  /** Undone when this connection ends (a switch of database, or close). @internal */
  onDisconnect(off) {
    this.#connectionCleanups.push(off);
  }

  /**
   * Replaces the connection. First a quiet moment: what the app does on
   * hearing of the switch (React unmounting the old user's screens, which
   * flush their autosaves) still reaches this database. Then it closes
   * after serving everything sent to it, and `connect()` attaches and
   * initializes a new one (through request()); calls made from here on wait
   * and go to the new database. Resolves once connect() has. One at a time
   * (account.js queues them). @internal
   */
  async reconnect(connect) {
    if (this.closed) throw new CampaignStoreError('CLOSED', 'the store is closed');
    for (let i = 0; i < 2; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    let open;
    const gate = new Promise((resolve) => { open = resolve; });
    this.#switching = gate;
    try {
      await this.#disconnect();
      this.#reset();
      await connect(() => open());
    } finally {
      open();
      if (this.#switching === gate) this.#switching = null;
    }
  }

  /** Drops a connection that failed to start; the store stays open for another. @internal */
  async abandon() {
    this.#rpc.fail('CLOSED', 'the connection failed to start');
    for (const off of this.#connectionCleanups.splice(0)) off();
    await this.#stopWorker();
    this.#reset();
  }

  #reset() {
    this.#rpc = this.#newRpc();
    this.#transport = null;
    this.#connection = null;
    this.#gone = null;
    this.info = null;
  }

  // Ends the current connection: its cleanups, then the worker (after it has
  // answered what was sent before).
  async #disconnect() {
    for (const off of this.#connectionCleanups.splice(0)) {
      try { off(); } catch (err) { this.#emitLog('warn', `a cleanup failed: ${err?.message ?? err}`); }
    }
    await this.#closeWorker();
  }

  // Stops the worker (once) and resolves when it and its leftovers are gone.
  #stopWorker() {
    this.#gone ??= Promise.resolve(this.#transport?.terminate())
      .then(() => this.#afterExit())
      .catch((err) => this.#emitLog('warn', `cleaning up after the worker failed: ${err?.message ?? err}`));
    return this.#gone;
  }

  /** Messages from the transport of `connection` (attach's answer). @internal */
  receive(message, connection = this.#connection) {
    if (connection === this.#connection) this.#rpc.receive(message);
  }

  /** The worker of `connection` is gone: settle everything pending. @internal */
  fail(code, message, details, connection = this.#connection) {
    if (connection !== this.#connection) return;  // an earlier database's worker
    if (!this.#rpc.failed) this.#emitLog('error', message, details);
    this.#rpc.fail(code, message, details);
    this.#stopWorker();
  }

  /**
   * The one door: any op with its args object. options.int64: how integers
   * beyond 2^53 - 1 come back ('bigint', 'string', 'number'; default: the store's).
   * @returns {Promise<any>} the op's result
   */
  async call(op, args = {}, options = undefined) {
    if (this.#closing && !op.startsWith('worker.')) {
      throw new CampaignStoreError('CLOSED', 'the store is closed', { op });
    }
    const int64 = int64Option(options?.int64, 'options.int64');
    if (this.#switching) await this.#switching;
    const { result, changes } = await this.#rpc.request(op, args, { int64 });
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
      await this.#switching?.catch(() => {});
      for (const off of this.#listeners.splice(0)) off();
      await this.#disconnect();
    })();
    return this.#closing;
  }

  // Closes the database (bounded wait), fails what is left, stops the worker.
  async #closeWorker() {
    const rpc = this.#rpc;
    if (!rpc.failed) {
      let timer;
      const timeout = new Promise((resolve) => { timer = setTimeout(resolve, CLOSE_TIMEOUT_MS); });
      try {
        await Promise.race([rpc.request(WORKER_OPS.close, {}), timeout]);
      } catch (err) {
        if (err?.code !== 'CLOSED') this.#emitLog('warn', `closing the database failed: ${err?.message}`);
      } finally {
        clearTimeout(timer);
      }
    }
    rpc.fail('CLOSED', 'the store was closed');
    await this.#stopWorker();
  }

  /**
   * Stops the worker at once, without closing the database cleanly (as a
   * crash would). Pending calls reject with CLOSED; resolves once the worker
   * is gone.
   */
  terminate() {
    this.#rpc.fail('CLOSED', 'the store was terminated');
    for (const off of this.#connectionCleanups.splice(0)) off();
    this.#closing ??= this.#stopWorker();
    return this.#stopWorker();
  }

  /**
   * Tells every subscriber that every table changed: a switch of database
   * replaced all the data live queries showed. @internal
   */
  async announceAllTables() {
    try {
      const { rows } = await this.sql.query("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
      this.#hub.emit(rows.map((r) => r.name));
    } catch (err) {
      this.#emitLog('warn', `could not list the tables after a switch: ${err?.message ?? err}`);
    }
  }

  /** Hears the worker open (true) and release (false) persistent storage. @internal */
  onStorageState(cb) {
    this.#storageListener = cb;
  }

  /** Hears a running legacy import's progress (js/engine/bytes.js); returns the unsubscribe. @internal */
  onProgressEvent(cb) {
    this.#progressListener = cb;
    return () => { if (this.#progressListener === cb) this.#progressListener = null; };
  }

  /**
   * Hears this tab's role change ('leader' holds the database, 'follower'
   * forwards to another tab's); returns the unsubscribe. @internal
   */
  onRole(cb) {
    this.#roleListeners.add(cb);
    return () => this.#roleListeners.delete(cb);
  }

  /** Logs as the client ({source: 'client', level, message, details}). @internal */
  clientLog(level, message, details) {
    this.#emitLog(level, message, details);
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
        for (const cb of [...this.#roleListeners]) cb(event.role);
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
