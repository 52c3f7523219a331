// Change notifications: which tables a committed transaction touched. The worker reports them with
// every answer and, for writes made by other tabs, as events; the hub fans
// them out to subscribers whose tables intersect.

/**
 * @typedef {{tables: string[]}} ChangeEvent
 */

/**
 * The wire lists the table names a commit batch touched; one event per batch.
 * @returns {ChangeEvent|null} null when nothing changed
 */
export function normalizeChanges(changes) {
  if (!Array.isArray(changes)) return null;
  const tables = new Set(changes.filter((c) => typeof c === 'string'));
  return tables.size === 0 ? null : { tables: [...tables] };
}

export class ChangeHub {
  /** @type {Set<{tables: Set<string>|null, cb: (e: ChangeEvent) => void}>} */
  #subs = new Set();
  #onError;

  /** @param {(err: unknown) => void} [onError] a subscriber threw */
  constructor(onError) {
    this.#onError = onError ?? ((err) => queueMicrotask(() => { throw err; }));
  }

  /**
   * @param {string|string[]|'*'|null} tables which tables to hear about ('*' or null: all)
   * @param {(e: ChangeEvent) => void} cb
   * @returns {() => void} unsubscribe
   */
  subscribe(tables, cb) {
    if (typeof cb !== 'function') throw new TypeError('subscribe(tables, cb): cb must be a function');
    const list = tables === '*' || tables == null ? null : new Set([].concat(tables));
    const sub = { tables: list, cb };
    this.#subs.add(sub);
    return () => { this.#subs.delete(sub); };
  }

  /** @param {unknown} changes the wire form */
  emit(changes) {
    const event = normalizeChanges(changes);
    if (!event) return;
    for (const sub of [...this.#subs]) {
      if (sub.tables && !event.tables.some((t) => sub.tables.has(t))) continue;
      try {
        sub.cb(event);
      } catch (err) {
        this.#onError(err);  // one bad subscriber must not starve the others
      }
    }
  }

  get size() { return this.#subs.size; }
}
