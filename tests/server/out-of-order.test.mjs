// The pull cursor must not skip a row whose transaction began (took its
// xid) before, and committed after, a transaction the client already pulled.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startBackend } from '../../tools/backend/backend.mjs';
import { beginAs, hlc, superuser, upsert, user, uuid } from './helpers.mjs';

let be;
let t1;
let db;

before(async () => {
  be = await startBackend();
  t1 = await superuser(be);
  db = await superuser(be);
});

after(async () => {
  await t1?.end();
  await db?.end();
  await be?.stop();
});

test('a long transaction that commits late is pulled, not skipped', async () => {
  const u = user(be);
  const early = uuid();
  const r1 = uuid();
  const r2 = uuid();
  await u.push('phone', [upsert(1, 'products', early, hlc(10), { name: 'before everything' })]);
  const start = await u.pullAll();
  assert.deepEqual(start.changes.map((c) => c.id), [early]);

  // T1: same user, through the same SQL the gateway would run, left open.
  await beginAs(t1, u.id);
  const pushed = await t1.query('select sync_push($1, $2) as r',
    ['laptop', JSON.stringify([upsert(1, 'products', r1, hlc(20), { name: 'slow T1' })])]);
  assert.equal(pushed.rows[0].r.results[0].status, 'applied');

  // T2 starts after T1 took its xid and commits first.
  const t2 = await u.push('tablet', [upsert(1, 'products', r2, hlc(30), { name: 'fast T2' })]);
  assert.equal(t2.body.results[0].status, 'applied');

  // While T1 is open the cursor may not move past T1's xid: T2's row is
  // held back too, because returning it would move the cursor beyond T1.
  // (T2's row is committed and visible: a cursor without the xmin cap
  // would have returned it and moved past T1's xid for good.)
  const visible = await db.query('select 1 from products where id = $1', [r2]);
  assert.equal(visible.rowCount, 1);
  const during = await u.pullAll(start.cursor);
  assert.deepEqual(during.changes, []);
  assert.equal(during.cursor, start.cursor);

  await t1.query('commit');

  const afterCommit = await u.pullAll(during.cursor);
  const ids = afterCommit.changes.map((c) => c.id);
  assert.deepEqual(new Set(ids), new Set([r1, r2]));
  assert.equal(ids.length, 2);
  assert.deepEqual(ids, [r1, r2], 'ordered by writing transaction: T1 then T2');

  // The scenario really was out of order: T1's xid is lower, committed later.
  const { rows } = await db.query('select id, xid::text::bigint as x from products where id = any($1)', [[r1, r2]]);
  const xid = Object.fromEntries(rows.map((r) => [r.id, Number(r.x)]));
  assert.ok(xid[r1] < xid[r2], `T1 xid ${xid[r1]} should be below T2 xid ${xid[r2]}`);
});

test('an open transaction of another user holds the horizon but hides nothing', async () => {
  const u = user(be);
  const other = user(be);
  const mine = uuid();
  await beginAs(t1, other.id);
  await t1.query('select sync_push($1, $2)', ['x', JSON.stringify([upsert(1, 'products', uuid(), hlc(5), { name: 'other' })])]);
  await u.push('c1', [upsert(1, 'products', mine, hlc(10), { name: 'mine' })]);
  const during = await u.pullAll();
  assert.deepEqual(during.changes, [], 'held back until the older transaction ends');
  await t1.query('rollback'); // an aborted transaction also releases the horizon
  const later = await u.pullAll(during.cursor);
  assert.deepEqual(later.changes.map((c) => c.id), [mine]);
});
