// sync_push / sync_pull semantics: last writer wins by HLC, idempotent
// replays, tombstones, stable paging, push order independence, parent
// tombstones, validation that rejects one change without failing others.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { del, hlc, rpc, upsert, useBackend, user, uuid } from './helpers.mjs';

let be;
let db;

useBackend((env) => ({ be, db } = env));

const statuses = (r) => r.body.results.map((x) => x.status);

describe('last writer wins', () => {
  test('newer clock applies, older is superseded with the winning row', async () => {
    const u = user(be);
    const id = uuid();
    assert.deepEqual(statuses(await u.push('c1', [upsert(1, 'products', id, hlc(100), { name: 'v100', price: 10 })])), ['applied']);

    const older = await u.push('c2', [upsert(1, 'products', id, hlc(50, 0, 'node-b'), { name: 'v50' })]);
    const [res] = older.body.results;
    assert.equal(res.status, 'superseded');
    assert.equal(res.mutation_id, 1);
    assert.equal(res.row.id, id);
    assert.equal(res.row.name, 'v100');
    assert.equal(res.row.hlc, hlc(100));
    assert.equal(res.row.deleted, false);
    assert.equal(res.row.price, 10);
    assert.ok(!('xid' in res.row));

    assert.deepEqual(statuses(await u.push('c2', [upsert(2, 'products', id, hlc(200, 0, 'node-b'), { name: 'v200' })])), ['applied']);
    const { changes } = await u.pullAll();
    assert.equal(changes.length, 1);
    assert.equal(changes[0].row.name, 'v200');
    assert.equal(changes[0].hlc, hlc(200, 0, 'node-b'));
    assert.equal(changes[0].row.price, 10, 'columns absent from a push keep their value');
  });

  test('the node id breaks ties at equal time and counter', async () => {
    const u = user(be);
    const id = uuid();
    await u.push('c1', [upsert(1, 'products', id, hlc(100, 3, 'node-b'), { name: 'b' })]);
    const r = await u.push('c2', [upsert(1, 'products', id, hlc(100, 3, 'node-a'), { name: 'a' })]);
    assert.equal(r.body.results[0].status, 'superseded');
    assert.equal(r.body.results[0].row.name, 'b');
    // Counter beats node id: 100-4-a is later than 100-3-b.
    const r2 = await u.push('c2', [upsert(2, 'products', id, hlc(100, 4, 'node-a'), { name: 'a4' })]);
    assert.equal(r2.body.results[0].status, 'applied');
  });

  test('the same clock again is the same write: applied, nothing rewritten', async () => {
    const u = user(be);
    const id = uuid();
    await u.push('c1', [upsert(1, 'products', id, hlc(100), { name: 'once' })]);
    const first = await u.pullAll();
    const again = await u.push('c1', [upsert(2, 'products', id, hlc(100), { name: 'twice?' })]);
    assert.deepEqual(statuses(again), ['applied']);
    const { rows } = await db.query('select name from products where id = $1', [id]);
    assert.equal(rows[0].name, 'once');
    const next = await u.pullAll(first.cursor);
    assert.deepEqual(next.changes, [], 'an unchanged row is not pulled again');
  });
});

describe('idempotent pushes', () => {
  test('a retried push replays the recorded results and applies nothing twice', async () => {
    const u = user(be);
    const id = uuid();
    const batch = [
      upsert(1, 'products', id, hlc(100), { name: 'from laptop' }),
      upsert(2, 'no_such_table', uuid(), hlc(100), {}),
      upsert(3, 'products', uuid(), hlc(100), { name: 'other' }),
    ];
    const first = await u.push('laptop', batch);
    assert.deepEqual(statuses(first), ['applied', 'rejected', 'applied']);

    // Another device writes a newer version in between.
    await u.push('phone', [upsert(1, 'products', id, hlc(300, 0, 'phone'), { name: 'from phone' })]);

    const retry = await u.push('laptop', batch);
    assert.deepEqual(retry.body, first.body, 'same results, not a fresh evaluation (which would say superseded)');
    const { rows } = await db.query('select name from products where id = $1', [id]);
    assert.equal(rows[0].name, 'from phone');
    const { rows: log } = await db.query('select count(*)::int as n from sync_mutations where user_id = $1 and client_id = $2',
      [u.id, 'laptop']);
    assert.equal(log[0].n, 3);
  });

  test('mutation ids are per client', async () => {
    const u = user(be);
    const a = uuid();
    const b = uuid();
    await u.push('one', [upsert(1, 'products', a, hlc(100), { name: 'a' })]);
    const r = await u.push('two', [upsert(1, 'products', b, hlc(100), { name: 'b' })]);
    assert.deepEqual(statuses(r), ['applied']);
    const { rowCount } = await db.query('select 1 from products where id = $1', [b]);
    assert.equal(rowCount, 1);
  });
});

describe('tombstones', () => {
  test('a delete is pulled as deleted=true with its clock; an older delete is superseded', async () => {
    const u = user(be);
    const id = uuid();
    await u.push('c1', [upsert(1, 'products', id, hlc(100), { name: 'doomed' })]);
    const { cursor } = await u.pullAll();
    assert.deepEqual(statuses(await u.push('c1', [del(2, 'products', id, hlc(200))])), ['applied']);
    const { changes } = await u.pullAll(cursor);
    assert.equal(changes.length, 1);
    assert.equal(changes[0].id, id);
    assert.equal(changes[0].table, 'products');
    assert.equal(changes[0].deleted, true);
    assert.equal(changes[0].hlc, hlc(200));

    const stale = await u.push('c2', [del(1, 'products', id, hlc(150, 0, 'node-b'))]);
    assert.equal(stale.body.results[0].status, 'superseded');
    assert.equal(stale.body.results[0].row.deleted, true);
    const staleUpsert = await u.push('c2', [upsert(2, 'products', id, hlc(199, 0, 'node-b'), { name: 'zombie' })]);
    assert.equal(staleUpsert.body.results[0].status, 'superseded');
  });

  test('a newer upsert after a delete brings the row back', async () => {
    const u = user(be);
    const id = uuid();
    await u.push('c1', [upsert(1, 'products', id, hlc(100), { name: 'x' }), del(2, 'products', id, hlc(200))]);
    await u.push('c1', [upsert(3, 'products', id, hlc(300), { name: 'back' })]);
    const { changes } = await u.pullAll();
    assert.equal(changes[0].deleted, false);
    assert.equal(changes[0].row.name, 'back');
  });

  test('deleting a row that does not exist leaves only a tombstone', async () => {
    const u = user(be);
    const id = uuid();
    const r = await u.push('c1', [del(1, 'products', id, hlc(100))]);
    assert.deepEqual(statuses(r), ['applied']);
    const { rows } = await db.query('select deleted from products where id = $1', [id]);
    assert.deepEqual(rows, [{ deleted: true }]);
  });
});

describe('paging', () => {
  test('pages are disjoint, complete and in cursor order', async () => {
    const u = user(be);
    const ids = new Set();
    let m = 0;
    for (let batch = 0; batch < 4; batch++) {
      const changes = [];
      for (let i = 0; i < 6; i++) {
        const productId = uuid();
        const campaignId = uuid();
        ids.add(productId).add(campaignId);
        changes.push(upsert(++m, 'products', productId, hlc(100 + m), { name: `p${m}` }));
        changes.push(upsert(++m, 'campaigns', campaignId, hlc(100 + m), { name: `c${m}`, product_id: productId }));
      }
      assert.ok(statuses(await u.push('c1', changes)).every((s) => s === 'applied'));
    }
    const whole = await u.pull(null, 1000);
    assert.equal(whole.body.changes.length, 48);
    assert.equal(whole.body.has_more, false);

    const seen = [];
    let cursor = null;
    let pages = 0;
    for (; pages < 20; pages++) {
      const r = await u.pull(cursor, 7);
      assert.equal(r.status, 200);
      assert.ok(r.body.changes.length <= 7);
      seen.push(...r.body.changes);
      assert.notEqual(r.body.cursor, cursor, 'the cursor moves with every non-empty page');
      cursor = r.body.cursor;
      if (!r.body.has_more) break;
    }
    assert.equal(pages, 6); // 48 rows / 7 per page -> 7 pages (0..6)
    assert.deepEqual(seen.map((c) => c.id), whole.body.changes.map((c) => c.id), 'same order as one big page');
    assert.equal(new Set(seen.map((c) => c.id)).size, 48);
    assert.deepEqual(new Set(seen.map((c) => c.id)), ids);
    const last = await u.pull(cursor, 7);
    assert.deepEqual(last.body.changes, []);
    assert.equal(last.body.cursor, cursor);
  });

  test('a row changed after it was pulled comes again, once', async () => {
    const u = user(be);
    const a = uuid();
    const b = uuid();
    await u.push('c1', [upsert(1, 'products', a, hlc(100), { name: 'a' }), upsert(2, 'products', b, hlc(100), { name: 'b' })]);
    const first = await u.pullAll();
    await u.push('c1', [upsert(3, 'products', a, hlc(200), { name: 'a2' })]);
    const next = await u.pullAll(first.cursor);
    assert.deepEqual(next.changes.map((c) => [c.id, c.row.name]), [[a, 'a2']]);
  });

  test('rejects malformed cursors and limits', async () => {
    const u = user(be);
    for (const args of [{ cursor: 'garbage' }, { limit: 0 }, { limit: 100000 }]) {
      const r = await rpc(be, 'sync_pull', args, { token: u.token });
      assert.equal(r.status, 400, JSON.stringify(args));
      assert.equal(r.body.code, '22023');
    }
  });
});

describe('parents and children', () => {
  test('a child may come before its parent in the same push', async () => {
    const u = user(be);
    const product = uuid();
    const image = uuid();
    const bg = uuid();
    const r = await u.push('c1', [
      upsert(1, 'background_versions', bg, hlc(100), { product_image_id: image, prompt: 'beach' }),
      upsert(2, 'product_images', image, hlc(100), { product_id: product, url: 'https://x/1.png' }),
      upsert(3, 'products', product, hlc(100), { name: 'p' }),
    ]);
    assert.deepEqual(statuses(r), ['applied', 'applied', 'applied']);
    assert.deepEqual(r.body.results.map((x) => x.mutation_id), [1, 2, 3], 'results keep request order');
  });

  test('a child whose parent the server has never seen is rejected alone', async () => {
    const u = user(be);
    const r = await u.push('c1', [
      upsert(1, 'product_images', uuid(), hlc(100), { product_id: uuid(), url: 'https://x/orphan.png' }),
      upsert(2, 'products', uuid(), hlc(100), { name: 'fine' }),
    ]);
    assert.deepEqual(statuses(r), ['rejected', 'applied']);
    assert.equal(r.body.results[0].code, 'CONSTRAINT');
  });

  test('a parent tombstone cascades: children become tombstones, SET NULL refs are cleared', async () => {
    const u = user(be);
    const product = uuid();
    const image = uuid();
    const campaign = uuid();
    await u.push('c1', [
      upsert(1, 'products', product, hlc(100), { name: 'p' }),
      upsert(2, 'product_images', image, hlc(100), { product_id: product, url: 'https://x/1.png' }),
      upsert(3, 'campaigns', campaign, hlc(100), { name: 'c', product_id: product }),
    ]);
    const { cursor, changes: before } = await u.pullAll();
    const campaignBefore = before.find((c) => c.id === campaign).row;
    await u.push('c1', [del(4, 'products', product, hlc(200))]);
    const { changes } = await u.pullAll(cursor);
    const byId = Object.fromEntries(changes.map((c) => [c.id, c]));
    assert.equal(byId[product].deleted, true);
    assert.equal(byId[image].deleted, true);
    assert.equal(byId[image].hlc, hlc(200), "a cascaded tombstone carries the delete's clock");
    assert.equal(byId[campaign].deleted, false);
    assert.equal(byId[campaign].row.product_id, null);
    assert.equal(byId[campaign].hlc, hlc(100), 'a cleared reference keeps the row its own clock');
    assert.equal(byId[campaign].row.updated_at, campaignBefore.updated_at);

    // A late live write under the dead parent loses to the delete.
    const late = await u.push('c2', [upsert(1, 'product_images', uuid(), hlc(300, 0, 'node-b'), { product_id: product, url: 'https://x/2.png' })]);
    assert.equal(late.body.results[0].status, 'superseded');
    assert.equal(late.body.results[0].row.deleted, true);
  });
});

describe('validation', () => {
  test('each bad change is rejected alone with INVALID_ARGUMENT', async () => {
    const u = user(be);
    const good = uuid();
    const r = await u.push('c1', [
      upsert(1, 'nope', uuid(), hlc(100), {}),
      upsert(2, 'products', uuid(), hlc(100), { name: 'x', not_a_column: 1 }),
      { mutation_id: 3, table: 'products', id: uuid(), op: 'merge', hlc: hlc(100), row: {} },
      upsert(4, 'products', uuid(), 'yesterday', { name: 'x' }),
      upsert(5, 'products', 'not-a-uuid', hlc(100), { name: 'x' }),
      upsert(6, 'products', uuid(), hlc(100), { name: 'x', price: 'cheap' }),
      upsert(7, 'products', uuid(), `${String(Date.now() + 3 * 3600_000).padStart(13, '0')}-00000-future`, { name: 'x' }),
      upsert(8, 'products', good, hlc(100), { name: 'good' }),
      { table: 'products', id: uuid(), op: 'upsert', hlc: hlc(100), row: { name: 'no mutation id' } },
    ]);
    assert.equal(r.status, 200);
    const res = r.body.results;
    assert.equal(res.length, 9);
    for (const i of [0, 1, 2, 3, 4, 5, 6, 8]) {
      assert.equal(res[i].status, 'rejected', `change ${i}`);
      assert.equal(res[i].code, 'INVALID_ARGUMENT', `change ${i}: ${res[i].message}`);
    }
    assert.match(res[1].message, /not_a_column/);
    assert.equal(res[7].status, 'applied');
    const { rowCount } = await db.query('select 1 from products where id = $1', [good]);
    assert.equal(rowCount, 1);
  });

  test('a NOT NULL violation is CONSTRAINT', async () => {
    const u = user(be);
    const r = await u.push('c1', [upsert(1, 'products', uuid(), hlc(100), { description: 'no name' })]);
    assert.equal(r.body.results[0].code, 'CONSTRAINT');
  });

  test('a malformed request fails as a whole with PostgREST errors', async () => {
    const u = user(be);
    const notArray = await rpc(be, 'sync_push', { client_id: 'c1', changes: { a: 1 } }, { token: u.token });
    assert.equal(notArray.status, 400);
    assert.equal(notArray.body.code, '22023');
    const missing = await rpc(be, 'sync_push', { changes: [] }, { token: u.token });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'PGRST202');
  });
});
