// The worker's side of the protocol (see ../protocol/wire.js), independent of
// how messages arrive: the browser worker, the worker_threads worker and the
// in-thread transport all feed receive() and hand over a post function.
//
// Requests are handled strictly in arrival order. The first must be
// worker.init, which loads the wasm and opens the storage; every other op
// goes to engine.call, through the multi-tab coordinator when the storage is
// shared between tabs (OPFS in a browser), directly otherwise.
import { CampaignStoreError } from '../errors.js';
import { Engine } from '../engine/engine.js';
import { callWithBytes } from '../engine/bytes.js';
import { forgetWasmModule, loadWasmModule } from '../engine/load.js';
import { errorToWire, WORKER_OPS } from '../protocol/wire.js';
import { prepareAnswer } from '../protocol/transfer.js';
import { TabCoordinator } from './coordinator.js';
import { Executor } from './executor.js';
import { Serial } from './serial.js';
import { openDatabase } from './storage.js';

export class StoreServer {
  #post;
  #messages = new Serial();  // arrival order of requests
  #engineQueue = new Serial();  // one engine call at a time, local or forwarded
  #engine = null;
  #executor = null;
  #db = null;              // the open storage (single-owner mode)
  #coordinator = null;     // multi-tab mode
  #init = null;
  #syncSettings = null;    // the last sync.configure, for the engine after it
  #suspended = false;
  #closed = false;

  #tabs;

  /**
   * @param {{
   *   post: (message: any, transfer?: Transferable[]) => void,
   *   tabs?: {locks: {request: Function}, createChannel: (name: string) => any},
   * }} options  `tabs`: what multi-tab mode elects and talks with (default:
   *   navigator.locks and BroadcastChannel; tests give stand-ins)
   */
  constructor({ post, tabs }) {
    this.#post = post;
    this.#tabs = tabs;
  }

  /** Every message from the client, in order. */
  receive(message) {
    const { id, op, args } = message ?? {};
    if (typeof id !== 'number' || typeof op !== 'string') {
      this.#log('warn', 'ignored a message that is not a request', { type: typeof message });
      return;
    }
    this.#messages.run(() => this.#handle(id, op, args ?? {}))
      .catch((err) => this.#reply(id, { ok: false, error: errorToWire(err), changes: [] }));
  }

  /** Releases the engine without answering anything (the port is gone). */
  dispose() {
    this.#closed = true;
    this.#engine?.dispose();
    this.#engine = null;
  }

  async #handle(id, op, args) {
    if (this.#closed) throw new CampaignStoreError('CLOSED', 'the store is closed', { op });
    if (op === WORKER_OPS.init) return this.#reply(id, { ok: true, result: await this.#start(args), changes: [] });
    if (!this.#init) throw new CampaignStoreError('INVALID_ARGUMENT', `${WORKER_OPS.init} must come first`, { op });
    switch (op) {
      case WORKER_OPS.suspend: return this.#reply(id, { ok: true, result: await this.#suspend(), changes: [] });
      case WORKER_OPS.resume: return this.#reply(id, { ok: true, result: await this.#resume(), changes: [] });
      case WORKER_OPS.close: return this.#reply(id, { ok: true, result: await this.#close(), changes: [] });
      case WORKER_OPS.crash:
        if (!this.#init.testHooks) throw new CampaignStoreError('NOT_FOUND', `unknown op '${op}'`, { op });
        // Thrown from a microtask, past every catch, before the next request.
        queueMicrotask(() => { throw new Error('deliberate crash (test hook)'); });
        return undefined;  // never answered: the crash must settle it
      default:
        break;
    }
    if (this.#coordinator) {
      this.#coordinator.submit(id, op, args);
      return undefined;
    }
    // Single owner. Not awaited: the engine queue keeps the order, and a
    // request may be answered while the next one is already queued. The
    // answer travels as the envelope's text (Executor.runText).
    this.#exec((ex) => ex.runText(op, args), op, args).then((body) => this.#reply(id, body));
    return undefined;
  }

  async #start({ wasmModule, ...options }) {
    if (this.#init) throw new CampaignStoreError('CONFLICT', 'the store is already initialized');
    const module = await loadWasmModule({ ...moduleOptions(options), wasmModule });
    this.#useEngine(new Engine(module));
    const version = this.#engine.call('version');
    // The store's public ops, from the table the engine already read: the
    // client learns them here rather than asking for the whole table.
    const ops = [...this.#engine.ops.values()].filter((o) => o.access === 'public').map((o) => o.op);
    this.#init = options;
    if (options.multiTab) return { ...await this.#startCoordinated(options), version, ops };
    this.#db = await this.#open();
    return { tabId: options.tabId, role: 'leader', leader: options.tabId, open: this.#db.info, version, ops };
  }

  async #startCoordinated(options) {
    this.#coordinator = new TabCoordinator({
      name: options.name,
      tabId: options.tabId,
      locks: this.#tabs?.locks ?? globalThis.navigator.locks,
      createChannel: this.#tabs?.createChannel ?? ((name) => new BroadcastChannel(name)),
      exec: {
        run: (op, args) => this.#exec((ex) => ex.run(op, args), op, args),
        runText: (op, args) => this.#exec((ex) => ex.runText(op, args), op, args),
        runOnce: (key, op, args) => this.#exec((ex) => ex.runOnce(key, op, args), op, args),
        prune: () => this.#exec((ex) => ex.pruneLog()),
        idle: () => this.#engineQueue.idle(),
      },
      openDb: async () => {
        this.#db = await this.#open();
        // Whatever is open then: loading the full module reopens it.
        return { close: () => { const db = this.#db; this.#db = null; return db?.close(); } };
      },
      reply: (id, body) => this.#reply(id, body),
      emitChanges: (changes) => this.#post({ event: 'changes', changes }),
      onRole: (role, leader) => this.#post({ event: 'role', role, leader }),
      log: (level, message, details) => this.#log(level, message, details),
    });
    const role = await this.#coordinator.start();
    return { tabId: options.tabId, role, leader: this.#coordinator.leader };
  }

  // One engine call at a time; OPFS may first need to open more pool files,
  // and an op the lean module lacks, the full module.
  #exec(job, op, args) {
    return this.#engineQueue.run(async () => {
      try {
        if (!this.#coordinator && !this.#db && this.#suspended) await this.#resume();
        if (lacks(this.#engine, op, args)) await this.#loadFullModule();
        await this.#db?.maintain();
        const body = job(this.#executor);
        if (op === 'sync.configure' && body.ok) this.#syncSettings = args;
        return body;
      } catch (err) {
        return { ok: false, error: errorToWire(err), changes: [] };
      }
    });
  }

  #useEngine(engine) {
    this.#engine = engine;
    // A running legacy import's progress goes to the page (js/engine/bytes.js).
    engine.onLegacyProgress = (progress) => this.#post({ event: 'progress', progress });
    this.#executor = new Executor(engine);
  }

  /**
   * Moves the open database from the lean module to the full one. Persistent
   * storage is closed by the old engine and opened by the new one (as
   * suspend and resume do: the files are exclusive); an in-memory database
   * moves as its bytes (storage.export, storage.import) and the old one stays
   * until the new one holds them. The new engine gets the sync settings the
   * old one was given. What lived only in the old engine's memory is a sync
   * cycle in flight, which fails as after a worker restart; the sync loop
   * starts the next. A transaction the app left open (BEGIN) is refused
   * rather than rolled back. On any failure the old engine keeps serving.
   */
  async #loadFullModule() {
    const old = this.#engine;
    const module = await loadWasmModule(moduleOptions({ ...this.#init, lean: false }));
    const oldDb = this.#db;
    if (oldDb && inTransaction(old)) {
      throw new CampaignStoreError('CONFLICT',
        'a transaction is open: commit or roll it back before the migration\'s ops run', { module: 'lean' });
    }
    const engine = new Engine(module);
    let db = null;
    try {
      if (oldDb && this.#init.storage === 'memory') {
        const { bytes } = callWithBytes(old, 'storage.export', {});
        db = await this.#open(engine);
        callWithBytes(engine, 'storage.import', { bytes });
        this.#db = null;
        await oldDb.close();
      } else if (oldDb) {
        this.#db = null;
        await oldDb.close();
        try {
          db = await this.#open(engine);
        } catch (err) {
          this.#db = await this.#open(old);
          throw err;
        }
      }
    } catch (err) {
      await db?.close();
      engine.dispose();
      throw err;
    }
    this.#db = db;
    this.#useEngine(engine);
    old.dispose();
    forgetWasmModule(moduleOptions(this.#init));
    this.#init = { ...this.#init, lean: false };
    if (this.#syncSettings) {
      try {
        engine.call('sync.configure', this.#syncSettings);
      } catch (err) {
        this.#log('warn', `the full module did not take the sync settings again: ${err?.message ?? err}`,
          { code: err?.code });
      }
    }
    this.#log('info', 'loaded the full module for the legacy migration\'s ops', {});
  }

  async #suspend() {
    if (this.#coordinator) return this.#coordinator.suspend();
    if (this.#init.storage === 'memory' || this.#suspended) return undefined;  // nothing to release
    // Single owner of persistent storage: release the handles; the next
    // request (or resume) opens them again.
    this.#suspended = true;
    await this.#engineQueue.idle();
    const db = this.#db;
    this.#db = null;
    await db?.close();
    return undefined;
  }

  async #resume() {
    if (this.#coordinator) return this.#coordinator.resume();
    if (!this.#suspended) return undefined;
    this.#suspended = false;
    this.#db = await this.#open();
    return undefined;
  }

  async #close() {
    if (this.#coordinator) await this.#coordinator.close();
    await this.#engineQueue.idle();
    const db = this.#db;
    this.#db = null;
    this.#closed = true;
    try { await db?.close(); } finally {
      this.#engine?.dispose();
      this.#engine = null;
    }
    return { closed: true };
  }

  // Opens the storage and says so: the client clears a lock file its worker
  // could not release if the worker dies while holding it (node-lock.js).
  async #open(engine = this.#engine) {
    const db = await openDatabase(engine, this.#init);
    const persistent = this.#init.storage !== 'memory';
    if (persistent) this.#post({ event: 'storage', held: true });
    return {
      ...db,
      close: async () => {
        await db.close();
        if (persistent) this.#post({ event: 'storage', held: false });
      },
    };
  }

  #reply(id, body) {
    const { value, transfer } = prepareAnswer(body);
    this.#post({ id, ...value }, transfer);
  }

  #log(level, message, details) {
    this.#post({ event: 'log', level, message, details: details ?? {} });
  }
}

// Which module the init options name.
function moduleOptions({ wasmUrl, moduleUrl, lean }) {
  return { wasmUrl, moduleUrl, lean: lean === true };
}

// True when the engine's module lacks the op's code (the op table's
// `absent`), or that of an op inside a batch.
function lacks(engine, op, args) {
  if (!engine || typeof op !== 'string') return false;
  if (engine.ops.get(op)?.absent) return true;
  return op === 'batch' && Array.isArray(args?.ops) && args.ops.some((o) => engine.ops.get(o?.op)?.absent);
}

// Whether the connection is inside a transaction the app began: BEGIN fails there.
function inTransaction(engine) {
  try {
    engine.call('sql.exec', { sql: 'BEGIN' });
  } catch {
    return true;
  }
  engine.call('sql.exec', { sql: 'COMMIT' });
  return false;
}
