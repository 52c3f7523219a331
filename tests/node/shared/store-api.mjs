// The store's API test bodies, written once and run against every way of
// serving it: in the calling thread (client-in-thread.test.mjs) and in a
// worker_threads worker (client-worker.test.mjs). Each body gets a fresh
// in-memory store from `open(options)` and closes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CampaignStoreError, transfer } from '../../../js/index.js';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/** Resolves with the first snapshot of `live` that satisfies pred. */
function until(live, pred, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`live query never matched; last: ${JSON.stringify(live.getSnapshot())}`)); }, timeoutMs);
    const check = (s) => {
      if (!pred(s)) return;
      clearTimeout(timer);
      queueMicrotask(() => off());
      resolve(s);
    };
    const off = live.subscribe(check);
    check(live.getSnapshot());
  });
}

/**
 * @param {string} label
 * @param {(options?: object) => Promise<import('../../../js/index.js').CampaignStore>} open
 */
export function defineStoreApiTests(label, open) {
  // options.storage 'persistent': a fresh directory with the Node file host.
  const withStore = (name, body, options) => test(`${label}: ${name}`, async () => {
    const dir = options?.storage === 'persistent' ? mkdtempSync(join(tmpdir(), 'cs-store-')) : null;
    const store = await open(dir ? { ...options, storage: { node: dir } } : options);
    try {
      await body(store);
    } finally {
      await store.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  });

  withStore('ping, version and ops answer through the protocol', async (store) => {
    assert.deepEqual(await store.ping('hi'), { pong: true, echo: 'hi' });
    assert.equal((await store.version()).sqlite, '3.53.2');
    const ops = await store.ops();
    for (const op of ['sql.query', 'sql.exec', 'batch']) assert.ok(ops.some((o) => o.op === op), op);
    // info.ops: the public ones, each a method of the store.
    assert.deepEqual(store.info.ops, ops.filter((o) => o.access === 'public').map((o) => o.op));
    assert.ok(ops.some((o) => o.op === 'sync.next' && o.access === 'internal'));
    assert.equal(store.info.role, 'leader');
  });

  withStore('sql.query returns columns and rows as plain objects; sql.exec reports changes', async (store) => {
    await store.sql.exec('CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, price REAL, blob BLOB)');
    const ins = await store.sql.exec('INSERT INTO t(name, price) VALUES (?, ?), (?, ?)', ['a', 1.5, 'b', null]);
    assert.deepEqual(ins, { changes: 2, lastInsertRowid: 2 });
    const r = await store.sql.query('SELECT id, name, price FROM t WHERE id >= :min ORDER BY id', { min: 1 });
    assert.deepEqual(r, { columns: ['id', 'name', 'price'], rows: [{ id: 1, name: 'a', price: 1.5 }, { id: 2, name: 'b', price: null }] });
    assert.equal(Object.getPrototypeOf(r.rows[0]), Object.prototype);
    assert.deepEqual(await store.sql.query('SELECT 1 AS one'), { columns: ['one'], rows: [{ one: 1 }] });
  });

  withStore('errors arrive as CampaignStoreError with code, message and details', async (store) => {
    await assert.rejects(store.call('no.such.op', {}), (e) => e instanceof CampaignStoreError
      && e.code === 'NOT_FOUND' && /no\.such\.op/.test(e.message) && e.details.op === 'no.such.op');
    await assert.rejects(store.sql.query('SELECT ?', []), (e) => e.code === 'INVALID_ARGUMENT' && e.details.expected === 1);
    await assert.rejects(store.sql.query('SELECT * FROM missing'), (e) => e.code === 'INVALID_ARGUMENT' && e.name === 'CampaignStoreError');
    await assert.rejects(store.sql.query('DELETE FROM x'), (e) => e.code === 'INVALID_ARGUMENT');
    // Arguments that cannot be cloned fail at the call, with nothing sent.
    await assert.rejects(store.call('ping', { echo: () => 1 }), (e) => e.code === 'INVALID_ARGUMENT');
    assert.deepEqual(await store.ping('still here'), { pong: true, echo: 'still here' });
  });

  withStore('batch is atomic and says which step failed', async (store) => {
    await store.sql.exec('CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    const ok = await store.batch([
      { op: 'sql.exec', args: { sql: 'INSERT INTO t(v) VALUES (?)', params: ['a'] } },
      { op: 'sql.query', args: { sql: 'SELECT count(*) AS n FROM t' } },
    ]);
    assert.equal(ok.length, 2);
    assert.deepEqual(ok[1].rows, [{ n: 1 }]);
    await assert.rejects(store.batch([
      { op: 'sql.exec', args: { sql: 'INSERT INTO t(v) VALUES (?)', params: ['b'] } },
      { op: 'sql.exec', args: { sql: 'INSERT INTO t(v) VALUES (NULL)' } },
    ]), (e) => e.code === 'CONSTRAINT' && e.details.index === 1);
    assert.deepEqual((await store.sql.query('SELECT v FROM t ORDER BY id')).rows, [{ v: 'a' }]);
  });

  withStore('requests are served in the order they were sent', async (store) => {
    await store.sql.exec('CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)');
    const writes = [];
    for (let i = 0; i < 200; i++) writes.push(store.sql.exec('INSERT INTO t(v) VALUES (?)', [i]));
    const read = store.sql.query('SELECT count(*) AS n, max(v) AS last FROM t');
    const results = await Promise.all(writes);
    results.forEach((r, i) => assert.equal(r.lastInsertRowid, i + 1));
    assert.deepEqual((await read).rows, [{ n: 200, last: 199 }]);
  });

  withStore('change events name the tables a committed transaction touched', async (store) => {
    await store.sql.exec('CREATE TABLE a(id INTEGER PRIMARY KEY)');
    await store.sql.exec('CREATE TABLE b(id INTEGER PRIMARY KEY)');
    const seenA = [];
    const seenAll = [];
    const offA = store.subscribe(['a'], (e) => seenA.push(e.tables));
    const offAll = store.subscribe('*', (e) => seenAll.push(e.tables));
    await store.sql.exec('INSERT INTO a DEFAULT VALUES');
    await store.sql.exec('INSERT INTO b DEFAULT VALUES');
    await store.batch([
      { op: 'sql.exec', args: { sql: 'INSERT INTO a DEFAULT VALUES' } },
      { op: 'sql.exec', args: { sql: 'INSERT INTO b DEFAULT VALUES' } },
    ]);
    await assert.rejects(store.batch([
      { op: 'sql.exec', args: { sql: 'INSERT INTO a DEFAULT VALUES' } },
      { op: 'sql.exec', args: { sql: 'INSERT INTO nope DEFAULT VALUES' } },
    ]));
    await store.sql.query('SELECT * FROM a');  // reads change nothing
    assert.deepEqual(seenA, [['a'], ['a', 'b']]);
    assert.deepEqual(seenAll, [['a'], ['b'], ['a', 'b']]);
    offA();
    await store.sql.exec('INSERT INTO a DEFAULT VALUES');
    assert.equal(seenA.length, 2, 'unsubscribed');
    assert.equal(seenAll.length, 4);
    offAll();
  });

  withStore('a subscriber that throws does not stop the others', async (store) => {
    await store.sql.exec('CREATE TABLE a(id INTEGER PRIMARY KEY)');
    let calls = 0;
    store.subscribe(['a'], () => { throw new Error('bad subscriber'); });
    store.subscribe(['a'], () => { calls++; });
    await store.sql.exec('INSERT INTO a DEFAULT VALUES');
    assert.equal(calls, 1);
  }, { log: () => {} });

  withStore('a live query goes loading -> data -> new data on change', async (store) => {
    await store.sql.exec('CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT)');
    await store.sql.exec('CREATE TABLE other(id INTEGER PRIMARY KEY)');
    let runs = 0;
    const live = store.liveQuery(async (s) => {
      runs++;
      return (await s.sql.query('SELECT name FROM items ORDER BY id')).rows.map((r) => r.name);
    });
    assert.equal(live.getSnapshot().status, 'loading');
    const first = await until(live, (s) => s.status === 'success');
    assert.deepEqual(first.data, []);
    assert.deepEqual(live.tables, ['items']);  // found by asking SQLite (EXPLAIN)
    const seen = until(live, (s) => s.data?.length === 1);
    await store.sql.exec('INSERT INTO items(name) VALUES (?)', ['x']);
    assert.deepEqual((await seen).data, ['x']);
    // A write to another table does not re-run it.
    const off = live.subscribe(() => {});
    await tick(20);
    const before = runs;
    await store.sql.exec('INSERT INTO other DEFAULT VALUES');
    await tick(20);
    assert.equal(runs, before);
    off();
    live.close();
  });

  withStore('live query re-runs are coalesced', async (store) => {
    await store.sql.exec('CREATE TABLE items(id INTEGER PRIMARY KEY)');
    let runs = 0;
    const live = store.liveQuery(async (s) => {
      runs++;
      return (await s.sql.query('SELECT count(*) AS n FROM items')).rows[0].n;
    }, { tables: ['items'] });
    await until(live, (s) => s.status === 'success');
    const runsBefore = runs;
    const writes = [];
    for (let i = 0; i < 50; i++) writes.push(store.sql.exec('INSERT INTO items DEFAULT VALUES'));
    await Promise.all(writes);
    const last = await until(live, (s) => s.data === 50);
    assert.equal(last.data, 50);
    assert.ok(runs - runsBefore < 50, `50 commits caused ${runs - runsBefore} runs`);
    live.close();
  });

  withStore('a live query reports errors and recovers', async (store) => {
    const live = store.liveQuery((s) => s.sql.query('SELECT count(*) AS n FROM later'), { tables: ['later'] });
    const failed = await until(live, (s) => s.status === 'error');
    assert.ok(failed.error instanceof CampaignStoreError);
    const recovered = until(live, (s) => s.status === 'success' && s.data.rows[0].n === 1);
    await store.sql.exec('CREATE TABLE later(id INTEGER PRIMARY KEY)');
    await store.sql.exec('INSERT INTO later DEFAULT VALUES');
    assert.deepEqual((await recovered).data.rows, [{ n: 1 }]);
    live.close();
  });

  withStore('live queries do not re-run while a raw transaction is open', async (store) => {
    await store.sql.exec('CREATE TABLE items(id INTEGER PRIMARY KEY)');
    const values = [];
    const live = store.liveQuery(async (s) => (await s.sql.query('SELECT count(*) AS n FROM items')).rows[0].n);
    const off = live.subscribe((s) => values.push(s.data));
    await until(live, (s) => s.status === 'success');
    await store.sql.exec('BEGIN');
    await store.sql.exec('INSERT INTO items DEFAULT VALUES');
    await store.sql.exec('INSERT INTO items DEFAULT VALUES');
    live.refresh();
    await tick(20);
    assert.deepEqual(values, [0], 'nothing uncommitted was shown');
    await store.sql.exec('COMMIT');
    await until(live, (s) => s.data === 2);
    assert.deepEqual(values, [0, 2]);
    off();
  });

  withStore('binary arguments are copied, or moved when the caller says transfer()', async (store) => {
    const bytes = new Uint8Array([1, 2, 3, 4]);
    assert.deepEqual(await store.ping(bytes), { pong: true, echo: new Uint8Array([1, 2, 3, 4]) });
    assert.equal(bytes.byteLength, 4, 'the caller keeps its buffer');
    assert.deepEqual(await store.ping(transfer(bytes)), { pong: true, echo: new Uint8Array([1, 2, 3, 4]) });
    assert.equal(bytes.byteLength, 0, 'the caller\'s buffer moved to the worker');
    // A view into a larger buffer is copied first; the rest of it stays usable.
    const big = new Uint8Array(16).fill(7);
    await store.ping(transfer(big.subarray(4, 8)));
    assert.equal(big.byteLength, 16);
  });

  withStore('entity methods reach the data API, with change events per table', async (store) => {
    const seen = [];
    store.subscribe('*', (e) => seen.push(e.tables));
    const product = await store.products.create({ name: 'Trail Runner', price: 89.5, images: [{ url: 'https://cdn/x.png' }] });
    assert.equal(product.name, 'Trail Runner');
    assert.equal(product.price, '89.50');
    assert.equal(product.images[0].isPrimary, true);
    assert.ok(seen.at(-1).includes('products') && seen.at(-1).includes('product_images'), JSON.stringify(seen));
    const second = await store.images.add(product.id, { url: 'https://cdn/y.png' });
    await store.images.setPrimary(second.id);
    const detail = await store.products.get(product.id);
    assert.deepEqual(detail.images.map((i) => i.isPrimary), [false, true]);
    await store.products.update(product.id, { brand: 'Acme' });
    const page = await store.products.list({ brand: 'Acme' });
    assert.deepEqual(page.items.map((p) => p.id), [product.id]);

    const campaign = await store.campaigns.create({ name: 'Spring', productId: product.id });
    assert.equal((await store.campaigns.setStatus(campaign.id, 'active')).status, 'active');
    const draft = await store.drafts.save(campaign.id, { step: 3 });
    assert.deepEqual(draft.stepData, { step: 3 });
    assert.deepEqual((await store.campaigns.get(campaign.id)).draft.stepData, { step: 3 });
    assert.ok(seen.at(-1).includes('campaign_drafts'));
    await assert.rejects(store.products.get('no-such-id'), (e) => e instanceof CampaignStoreError && e.code === 'NOT_FOUND');
    await assert.rejects(store.campaigns.setStatus(campaign.id, 'draft'), (e) => e.code === 'CONFLICT');
    assert.deepEqual(await store.products.delete(product.id), { id: product.id, deleted: true });
    const health = await store.health();
    assert.equal(health.ok, true);
    assert.ok((await store.metrics()).tables.products === 0);
  });

  withStore('a live query over an entity op follows that entity\'s tables', async (store) => {
    const live = store.liveQuery((s) => s.products.list());
    await until(live, (s) => s.status === 'success' && s.data.items.length === 0);
    assert.ok(live.tables.includes('products'));
    const shown = until(live, (s) => s.data?.items.length === 1);
    await store.products.create({ name: 'Boot' });
    assert.equal((await shown).data.items[0].name, 'Boot');
    live.close();
  });

  withStore('the database exports as a buffer and imports back', async (store) => {
    await store.products.create({ name: 'Kept' });
    const { bytes } = await store.storage.export();
    assert.ok(bytes instanceof Uint8Array && bytes.byteLength > 0);
    assert.equal(new TextDecoder().decode(bytes.subarray(0, 15)), 'SQLite format 3');
    await store.products.create({ name: 'Dropped by the import' });
    const copy = bytes.slice();
    await store.storage.import(transfer(copy));
    assert.equal(copy.byteLength, 0, 'the bytes moved to the worker');
    const names = (await store.products.list()).items.map((p) => p.name);
    assert.deepEqual(names, ['Kept']);
  }, { storage: 'persistent' });

  test(`${label}: close serves what was sent before it and rejects what comes after`, async () => {
    const store = await open();
    await store.sql.exec('CREATE TABLE t(id INTEGER PRIMARY KEY)');
    const before = store.sql.exec('INSERT INTO t DEFAULT VALUES');
    const closing = store.close();
    await assert.rejects(store.ping(), (e) => e.code === 'CLOSED');
    assert.deepEqual(await before, { changes: 1, lastInsertRowid: 1 });
    await closing;
    assert.equal(store.closed, true);
    await assert.rejects(store.sql.query('SELECT 1'), (e) => e instanceof CampaignStoreError && e.code === 'CLOSED');
    await store.close();  // idempotent
  });

  test(`${label}: the log hook hears the worker`, async () => {
    const entries = [];
    const store = await open({ log: (e) => entries.push(e) });
    store.subscribe('*', () => { throw new Error('boom'); });
    await store.sql.exec('CREATE TABLE t(id INTEGER PRIMARY KEY)');
    await store.sql.exec('INSERT INTO t DEFAULT VALUES');
    await store.close();
    assert.ok(entries.some((e) => e.source === 'client' && e.level === 'error' && /boom/.test(e.message)));
  });
}
