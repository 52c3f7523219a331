// Sync end to end: the wasm engine's sans-I/O sync driven by js/sync/loop.js
// against the real local backend (PostgreSQL 15 + the Supabase gateway) over
// loopback HTTP. Clients are in-thread engines, each its own database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine } from '../../js/core.js';
import { SyncLoop } from '../../js/sync/loop.js';
import { startBackend } from '../../tools/backend/backend.mjs';

let be;
before(async () => { be = await startBackend({ port: 0 }); });
after(async () => { await be?.stop(); });

const SYNCED = ['products', 'product_images', 'background_versions', 'campaigns', 'campaign_drafts',
  'creatives', 'creative_assets', 'platform_integrations', 'campaign_publications', 'ai_generations'];

async function client(user, { token, options } = {}) {
  const engine = await createEngine();
  engine.call('open');
  engine.call('sync.configure', { userId: user.id });
  let current = token ?? be.mintToken({ sub: user.id });
  const conflicts = [];
  const loop = new SyncLoop({
    call: (op, args) => engine.call(op, args),
    url: be.url,
    anonKey: be.anonKey,
    getAccessToken: ({ refresh }) => (refresh ? (current = be.mintToken({ sub: user.id })) : current),
    onConflict: (c) => conflicts.push(c),
    options: { baseBackoffMs: 5, maxBackoffMs: 40, maxAttempts: 12, ...options },
  });
  return { engine, loop, conflicts, call: (op, args) => engine.call(op, args) };
}

/** Every synced row, minus what is local bookkeeping (seq) or a clock. */
function dump(c) {
  const out = {};
  for (const table of SYNCED) {
    const { rows } = c.call('sql.query', { sql: `SELECT * FROM ${table} ORDER BY id` });
    out[table] = rows.map(({ seq, hlc, user_id, ...rest }) => rest);
  }
  return out;
}

function newUser() {
  return { id: crypto.randomUUID() };
}

test('two offline clients of one user converge, and the newest write of a row wins', async () => {
  const user = newUser();
  const a = await client(user);
  const b = await client(user);
  const shared = a.call('products.create', { name: 'Shared shoe', price: '10.00' });
  await a.loop.now();
  await b.loop.now();
  assert.equal(b.call('products.get', { id: shared.id }).name, 'Shared shoe');

  // Offline: both edit the shared product, and each creates its own rows.
  a.call('products.update', { id: shared.id, name: 'A renamed it' });
  for (let i = 0; i < 3; i++) a.call('products.create', { name: `A product ${i}`, images: [{ url: `https://cdn.example/a${i}.png` }] });
  const campaign = b.call('campaigns.create', { name: 'B campaign', productId: shared.id });
  b.call('drafts.save', { campaignId: campaign.id, stepData: { step: 2, audience: { ages: [18, 34] } } });
  await new Promise((r) => setTimeout(r, 5));
  b.call('products.update', { id: shared.id, name: 'B renamed it later' });  // the newer clock

  // B syncs first, so A's older rename meets B's newer one on the server.
  await b.loop.now();
  await a.loop.now();
  await b.loop.now();
  assert.deepEqual(dump(a), dump(b));
  assert.equal(a.call('products.get', { id: shared.id }).name, 'B renamed it later');
  assert.equal(a.call('sql.query', { sql: 'SELECT count(*) AS n FROM products' }).rows[0].n, 4);
  assert.equal(a.call('campaigns.get', { id: campaign.id }).draft.stepData.audience.ages[1], 34);
  assert.equal(a.call('sync.status').pending, 0);
  assert.equal(b.call('sync.status').pending, 0);
  assert.ok(a.conflicts.some((c) => c.id === shared.id && c.winner === 'remote'),
    'A hears that its rename lost');
});

test('a delete propagates, and delete vs concurrent update resolves the same way on both', async () => {
  const user = newUser();
  const a = await client(user);
  const b = await client(user);
  const p1 = a.call('products.create', { name: 'to delete', images: [{ url: 'https://cdn.example/x.png' }] });
  const p2 = a.call('products.create', { name: 'contested' });
  await a.loop.now();
  await b.loop.now();

  a.call('products.delete', { id: p1.id });
  b.call('products.update', { id: p2.id, name: 'B edits first' });
  await new Promise((r) => setTimeout(r, 5));
  a.call('products.delete', { id: p2.id });  // A deletes after B's edit: the delete is newer

  await b.loop.now();
  await a.loop.now();
  await b.loop.now();
  assert.deepEqual(dump(a), dump(b));
  const left = b.call('sql.query', { sql: 'SELECT id FROM products' }).rows.map((r) => r.id);
  assert.deepEqual(left, []);
  assert.equal(b.call('sql.query', { sql: 'SELECT count(*) AS n FROM product_images' }).rows[0].n, 0,
    'the cascade reached the other device as tombstones');
});

test('an expired token is refreshed once and the push goes through', async () => {
  const user = newUser();
  const a = await client(user, { token: be.mintToken({ sub: user.id, expiresIn: -60 }) });
  const product = a.call('products.create', { name: 'after refresh' });
  const summary = await a.loop.now();
  assert.ok(summary.pushed >= 1);
  assert.equal(a.call('sync.status').pending, 0);
  const b = await client(user);
  await b.loop.now();
  assert.equal(b.call('products.get', { id: product.id }).name, 'after refresh');
});

test('a flaky network (drops, lost answers, 503s, duplicates, delays) loses and duplicates nothing', async () => {
  const user = newUser();
  const a = await client(user);
  const b = await client(user);
  // A bounded run of random operations on A, synced through injected faults.
  let seed = 42;
  const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
  const ids = [];
  for (let round = 0; round < 12; round++) {
    for (let k = 0; k < 5; k++) {
      const action = ids.length === 0 ? 0 : rand(3);
      if (action === 0) ids.push(a.call('products.create', { name: `p${round}-${k}`, price: `${rand(1000)}.${rand(90) + 10}` }).id);
      else if (action === 1) a.call('products.update', { id: ids[rand(ids.length)], name: `edit ${round}-${k}` });
      else a.call('products.delete', { id: ids.splice(rand(ids.length), 1)[0] });
    }
    be.faults.set([{ drop: 1 }, { dropResponse: 1 }, { fail503: 2 }, { duplicate: 1 }, { delayMs: 30, delayCount: 2 }][round % 5]);
    await a.loop.now();
  }
  be.faults.reset();
  await a.loop.now();
  await b.loop.now();
  assert.equal(a.call('sync.status').pending, 0, 'the outbox emptied');
  assert.deepEqual(dump(b), dump(a));
  assert.equal(b.call('sql.query', { sql: 'SELECT count(*) AS n FROM products' }).rows[0].n, ids.length);
});

test("another user's token cannot overwrite a row: the change is rejected and kept", async () => {
  const alice = newUser();
  const bob = newUser();
  const a = await client(alice);
  const product = a.call('products.create', { name: "Alice's" });
  await a.loop.now();

  const b = await client(bob);
  // Bob forges a row with Alice's id (raw SQL: the data API would make a new id).
  b.call('sql.exec', { sql: "INSERT INTO products(id, name) VALUES (?, 'Bob was here')", params: [product.id] });
  const summary = await b.loop.now();
  assert.equal(summary.rejected, 1);
  const rejected = b.call('sql.query', { sql: 'SELECT code, row_id FROM sync_rejected' }).rows;
  assert.deepEqual(rejected, [{ code: 'UNAUTHORIZED', row_id: product.id }]);
  await a.loop.now();
  assert.equal(a.call('products.get', { id: product.id }).name, "Alice's");
  // Nor does Bob's pull ever see Alice's rows.
  assert.equal(b.call('sql.query', { sql: "SELECT count(*) AS n FROM products WHERE name = ?", params: ["Alice's"] }).rows[0].n, 0);
});

test('one database per user: binding it to a second user is refused', async () => {
  const a = await client(newUser());
  assert.throws(() => a.call('sync.configure', { userId: crypto.randomUUID() }), (e) => e.code === 'UNAUTHORIZED');
});

test('a row committed out of order on the server is not skipped by a client', async () => {
  const { default: pg } = await import('pg');
  const user = newUser();
  const a = await client(user);
  const b = await client(user);
  await a.loop.now();  // the users row exists on the server

  // T1 writes first and stays open; A's push (T2) commits after it began.
  const slow = new pg.Client({ connectionString: be.pg.connectionString });
  await slow.connect();
  try {
    await slow.query('BEGIN');
    await slow.query("SELECT set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)",
      [JSON.stringify({ sub: user.id, role: 'authenticated' })]);
    const heldId = crypto.randomUUID();
    await slow.query('SELECT public.sync_push($1, $2::jsonb)', ['slow-client', JSON.stringify([
      { mutation_id: 1, table: 'products', id: heldId, op: 'upsert', hlc: '0000000000001-00000-slow', row: { name: 'held' } }])]);

    const fast = a.call('products.create', { name: 'committed later, seen first' });
    await a.loop.now();
    await b.loop.now();
    // The cursor may not pass the open transaction: B waits for it rather
    // than take T2's row and move its cursor beyond T1's.
    const count = () => b.call('sql.query', { sql: 'SELECT count(*) AS n FROM products' }).rows[0].n;
    assert.equal(count(), 0);

    await slow.query('COMMIT');
    await b.loop.now();
    assert.equal(b.call('products.get', { id: heldId }).name, 'held', 'the held row arrives after it commits');
    assert.equal(b.call('products.get', { id: fast.id }).name, 'committed later, seen first');
  } finally {
    await slow.end();
  }
});

test('integers beyond 2^53 inside a JSON column push and pull with every digit', async () => {
  const user = newUser();
  const a = await client(user);
  const b = await client(user);
  const big = 2n ** 60n + 1n;  // no double holds it
  // The data API refuses it in a JSON column, as a value or as JSON text
  // (JSON.parse would read it back as another number) ...
  for (const metadata of [{ big }, `{"big":${big}}`]) {
    assert.throws(() => a.call('products.create', { name: 'Refused', metadata }),
      (e) => e.code === 'INVALID_ARGUMENT' && e.details.field === 'metadata.big');
  }
  // ... but SQL can write one, and sync must then carry it exactly: the push
  // body is built from the engine's answer, where it is a bigint, and the
  // other device stores the document as the server holds it.
  const p = a.call('products.create', { name: 'Written by SQL' });
  a.call('sql.exec', {
    sql: "UPDATE products SET metadata = json_object('big', ?1, 'list', json_array(?1, ?2)) WHERE id = ?3",
    params: [big, -big, p.id],
  });
  await a.loop.now();
  assert.equal(a.call('sync.status').pending, 0, 'the push went through');
  await b.loop.now();
  const row = b.call('sql.query', {
    sql: "SELECT json_extract(metadata, '$.big') AS big, metadata ->> '$.list[1]' AS neg FROM products WHERE id = ?1",
    params: [p.id],
  }).rows[0];
  assert.deepEqual(row, { big, neg: -big });
  assert.equal(b.call('sync.status').rejected, 0);
  assert.equal(a.call('sync.status').rejected, 0, 'its own row, pulled back, is no stranger');
});

test('going offline during a cycle stops its requests at once; back online, the next cycle sends everything', async () => {
  const user = newUser();
  const engine = await createEngine();
  engine.call('open');
  engine.call('sync.configure', { userId: user.id });
  let sent = 0;
  const states = [];
  const loop = new SyncLoop({
    call: (op, args) => engine.call(op, args),
    url: be.url,
    anonKey: be.anonKey,
    getAccessToken: () => be.mintToken({ sub: user.id }),
    // The network drops under the first request: the browser's 'offline'
    // comes with a failed fetch (what Chromium's setOffline does).
    fetch: async (url, init) => {
      sent++;
      if (sent === 1) {
        loop.online = false;
        throw new TypeError('Failed to fetch');
      }
      return fetch(url, init);
    },
    onStatus: (s) => states.push(s.state),
    options: { baseBackoffMs: 5, maxBackoffMs: 40, maxAttempts: 12 },
  });
  const p = engine.call('products.create', { name: 'Made on the train' });
  await assert.rejects(loop.now(), (e) => e.code === 'NETWORK' && e.details.offline === true);
  assert.equal(sent, 1, 'no retry while offline');
  assert.equal(states.at(-1), 'offline');
  assert.ok(engine.call('sync.status').pending > 0, 'the write waits in the outbox');
  assert.deepEqual(await loop.now(), { ok: false, offline: true });
  assert.equal(sent, 1, 'a cycle started offline sends nothing');

  loop.online = true;
  const summary = await loop.now();
  assert.equal(summary.ok, true);
  assert.equal(engine.call('sync.status').pending, 0);
  const other = await client(user);
  await other.loop.now();
  assert.equal(other.call('products.get', { id: p.id }).name, 'Made on the train');
});
