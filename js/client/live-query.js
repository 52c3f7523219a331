// A query that re-runs when the tables it read change. The function gets a
// recording view of the store (same methods); the ops it calls tell which
// tables it depends on (read-tables.js), unless the caller names them.
//
// Re-runs are coalesced: at most one run in flight and one queued, however
// many commits arrive meanwhile; scheduled as a microtask after the change,
// and held back while the caller has a raw transaction open (sql.exec BEGIN)
// so a re-run never sees uncommitted rows. It runs only while someone is
// subscribed (React's useSyncExternalStore subscribes and unsubscribes
// freely); the last snapshot is kept across pauses.
import { buildApi } from './api.js';
import { deepEqual } from './equal.js';
import { tablesForOp, tablesForSql } from './read-tables.js';

/**
 * @template T
 * @typedef {{status: 'loading'|'success'|'error', data: T|undefined, error: Error|undefined}} Snapshot
 */

const LOADING = Object.freeze({ status: 'loading', data: undefined, error: undefined });

/** @template T */
export class LiveQuery {
  #store;
  #fn;
  #explicit;              // tables the caller named, or null
  #tables = null;         // Set of tables read by the last run; null = any
  #snapshot = LOADING;
  #listeners = new Set();
  #unsubscribe = null;
  #running = false;
  #dirty = false;
  #scheduled = false;
  #closed = false;
  #sqlTables = new Map(); // sql text -> Promise<string[]|null>, per live query

  /**
   * @param {import('./store.js').CampaignStore} store
   * @param {(store: any) => Promise<T>} fn
   * @param {{tables?: string[]}} [options]
   */
  constructor(store, fn, { tables } = {}) {
    if (typeof fn !== 'function') throw new TypeError('liveQuery(fn): fn must be a function');
    this.#store = store;
    this.#fn = fn;
    this.#explicit = tables ? new Set([].concat(tables)) : null;
  }

  /** The current state; the same object until something changes. */
  getSnapshot = () => this.#snapshot;

  /** Starts with the first listener, pauses after the last. @returns {() => void} */
  subscribe = (listener) => {
    this.#listeners.add(listener);
    if (this.#listeners.size === 1 && !this.#closed) this.#start();
    return () => {
      if (!this.#listeners.delete(listener)) return;
      if (this.#listeners.size === 0) this.#pause();
    };
  };

  /** The tables the query depends on (null: any). */
  get tables() {
    const t = this.#explicit ?? this.#tables;
    return t ? [...t] : null;
  }

  /** Runs again now (coalesced with any run already scheduled). */
  refresh() {
    this.#schedule();
  }

  close() {
    this.#closed = true;
    this.#pause();
    this.#listeners.clear();
  }

  #start() {
    this.#unsubscribe = this.#store.subscribe('*', (event) => {
      const deps = this.#explicit ?? this.#tables;
      if (!deps || event.tables.some((t) => deps.has(t))) this.#schedule();
    });
    this.#schedule();
  }

  #pause() {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  #schedule() {
    if (this.#scheduled || this.#closed) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#run();
    });
  }

  async #run() {
    if (!this.#unsubscribe) return;  // paused: the next subscribe runs it
    if (this.#running) {
      this.#dirty = true;
      return;
    }
    if (this.#store.inTransaction) {
      this.#store.afterTransaction(() => this.#schedule());
      return;
    }
    this.#running = true;
    const calls = [];
    const view = buildApi((op, args, options) => {
      calls.push({ op, args });
      return this.#store.call(op, args, options);
    });
    let next;
    try {
      const data = await this.#fn(view);
      next = { status: 'success', data, error: undefined };
    } catch (error) {
      next = { status: 'error', data: this.#snapshot.data, error };
    }
    if (!this.#explicit) this.#tables = await this.#tablesOf(calls);
    this.#running = false;
    this.#publish(next);
    if (this.#dirty) {
      this.#dirty = false;
      this.#schedule();
    }
  }

  async #tablesOf(calls) {
    const out = new Set();
    for (const { op, args } of calls) {
      let t;
      if (op === 'sql.query') {
        if (!this.#sqlTables.has(args.sql)) {
          this.#sqlTables.set(args.sql, tablesForSql((o, a) => this.#store.call(o, a), args.sql, args.params));
        }
        t = await this.#sqlTables.get(args.sql);
      } else {
        t = tablesForOp(op, args);
      }
      if (t === null) return null;
      t.forEach((x) => out.add(x));
    }
    return out;
  }

  #publish(next) {
    const prev = this.#snapshot;
    if (prev.status === next.status && next.status === 'success' && deepEqual(prev.data, next.data)) return;
    if (prev.status === 'error' && next.status === 'error' && prev.error?.message === next.error?.message
      && prev.error?.code === next.error?.code) return;
    this.#snapshot = Object.freeze(next);
    for (const listener of [...this.#listeners]) listener(this.#snapshot);
  }
}
