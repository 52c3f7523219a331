// The three benchmark workloads, written once for campaign-store's engine
// (Node host or OPFS) and once for @sqlite.org/sqlite-wasm's oo1 API (the
// opfs-sahpool comparison). Each returns wall-clock figures; the caller
// chooses the storage and durability settings.
//   (a) autosave: 1,000 transactions, each committing one ~3 KB draft row
//       (an upsert over 50 campaigns, like the builder's autosave). Between
//       commits both engines yield to the event loop, as a worker does
//       between messages, so timers (batched durability's flush) do run.
//   (b) bulk: 25,000 inserts in one transaction (a catalog import)
//   (c) reads: 10,000 indexed point lookups by SKU
export const AUTOSAVE_TXNS = 1000;
export const BULK_ROWS = 25000;
export const READS = 10000;

const UPSERT = `INSERT INTO drafts(campaign_id, step_data, updated_at) VALUES (?1, ?2, ?3)
  ON CONFLICT(campaign_id) DO UPDATE SET step_data = excluded.step_data, updated_at = excluded.updated_at`;
const INSERT_ITEM = 'INSERT INTO items(id, sku, name, category, price) VALUES (?1, ?2, ?3, ?4, ?5)';
const READ_ITEM = 'SELECT id, name, price FROM items WHERE sku = ?1';
export const SCHEMA = [
  'CREATE TABLE drafts(campaign_id INTEGER PRIMARY KEY, step_data TEXT NOT NULL, updated_at INTEGER NOT NULL)',
  'CREATE TABLE items(id INTEGER PRIMARY KEY, sku TEXT NOT NULL UNIQUE, name TEXT, category TEXT, price REAL)',
];

/** Yields one macrotask (a worker between two messages). */
export function yieldToEventLoop() {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => { port1.close(); resolve(); };
    port2.postMessage(0);
  });
}

export function draft(i) {
  const steps = [];
  for (let s = 0; s < 12; s++) {
    steps.push({ step: s, title: `Step ${s} of campaign ${i % 50}`, copy: 'Lorem ipsum dolor sit amet, '.repeat(7), rev: i });
  }
  return JSON.stringify({ campaignId: i % 50, savedAt: 1700000000000 + i, steps });
}
const item = (i) => [i, `SKU-${String(i).padStart(8, '0')}`, `Product ${i}`, `cat-${i % 37}`, (i % 1000) / 10];

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}
function latencies(ms) {
  const sorted = [...ms].sort((x, y) => x - y);
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99) };
}
// Deterministic "random" SKUs so both engines read the same rows.
function* skus(n) {
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    yield `SKU-${String(1 + (x % BULK_ROWS)).padStart(8, '0')}`;
  }
}

/** campaign-store: one engine.call per statement (what the worker client does). */
export const campaignStore = {
  setup(engine) {
    for (const sql of SCHEMA) engine.call('sql.exec', { sql });
  },
  async autosave(engine, now) {
    const each = [];
    const t0 = now();
    for (let i = 0; i < AUTOSAVE_TXNS; i++) {
      const s = now();
      engine.call('sql.exec', { sql: UPSERT, params: [i % 50, draft(i), i] });
      each.push(now() - s);
      await yieldToEventLoop();
    }
    const ms = now() - t0;
    engine.sync();  // whatever the durability, end with everything on disk
    return { ms, msToDisk: now() - t0, ...latencies(each) };
  },
  // Per-call: BEGIN, 25k sql.exec calls, COMMIT. Batch: one `batch` op.
  bulk(engine, now, { batch = false } = {}) {
    const t0 = now();
    if (batch) {
      const ops = [];
      for (let i = 1; i <= BULK_ROWS; i++) ops.push({ op: 'sql.exec', args: { sql: INSERT_ITEM, params: item(i) } });
      engine.call('batch', { ops });
    } else {
      engine.call('sql.exec', { sql: 'BEGIN IMMEDIATE' });
      for (let i = 1; i <= BULK_ROWS; i++) engine.call('sql.exec', { sql: INSERT_ITEM, params: item(i) });
      engine.call('sql.exec', { sql: 'COMMIT' });
    }
    return { ms: now() - t0 };
  },
  reads(engine, now, { batch = false } = {}) {
    const t0 = now();
    let found = 0;
    if (batch) {
      const ops = [...skus(READS)].map((sku) => ({ op: 'sql.query', args: { sql: READ_ITEM, params: [sku] } }));
      for (const r of engine.call('batch', { ops })) found += r.rows.length;
    } else {
      for (const sku of skus(READS)) found += engine.call('sql.query', { sql: READ_ITEM, params: [sku] }).rows.length;
    }
    if (found !== READS) throw new Error(`read ${found} of ${READS} rows`);
    return { ms: now() - t0 };
  },
};

/** @sqlite.org/sqlite-wasm oo1: prepared statements, bind/step/reset per row (its fastest path). */
export const sqliteWasm = {
  setup(db) {
    for (const sql of SCHEMA) db.exec(sql);
  },
  async autosave(db, now) {
    const stmt = db.prepare(UPSERT);
    const each = [];
    const t0 = now();
    for (let i = 0; i < AUTOSAVE_TXNS; i++) {
      const s = now();
      stmt.bind([i % 50, draft(i), i]).stepReset();
      each.push(now() - s);
      await yieldToEventLoop();
    }
    const ms = now() - t0;
    stmt.finalize();
    return { ms, msToDisk: ms, ...latencies(each) };
  },
  bulk(db, now) {
    const stmt = db.prepare(INSERT_ITEM);
    const t0 = now();
    db.exec('BEGIN IMMEDIATE');
    for (let i = 1; i <= BULK_ROWS; i++) stmt.bind(item(i)).stepReset();
    db.exec('COMMIT');
    const ms = now() - t0;
    stmt.finalize();
    return { ms };
  },
  reads(db, now) {
    const stmt = db.prepare(READ_ITEM);
    const t0 = now();
    let found = 0;
    for (const sku of skus(READS)) {
      stmt.bind([sku]);
      if (stmt.step()) {
        const row = stmt.get({});
        if (row.id) found++;
      }
      stmt.reset();
    }
    const ms = now() - t0;
    stmt.finalize();
    if (found !== READS) throw new Error(`read ${found} of ${READS} rows`);
    return { ms };
  },
};

/** Wraps a JS host's verbs with counters (flushes and writes per commit). */
export function countVerbs(host) {
  const counts = { flush: 0, write: 0, truncate: 0 };
  for (const verb of Object.keys(counts)) {
    const original = host[verb].bind(host);
    host[verb] = (...args) => {
      counts[verb]++;
      return original(...args);
    };
  }
  return counts;
}

/** The durability settings compared (WAL needs the exclusive lock: no shared memory). */
export const DURABILITY_MATRIX = [
  { durability: 'batched' },
  ...[['delete', 'full'], ['delete', 'normal'], ['truncate', 'full'], ['truncate', 'normal'],
    ['persist', 'full'], ['persist', 'normal'], ['wal', 'full'], ['wal', 'normal']]
    // syncWithinMs 0: the raw setting, without batched durability's timed flush.
    .map(([journalMode, synchronous]) => ({ journalMode, synchronous, syncWithinMs: 0 }))
];
