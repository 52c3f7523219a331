// Fault injection: each fault does what it says, exactly as many times as
// asked, then the gateway is healthy again. Also: sync stays correct under
// lost responses and duplicated deliveries.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startBackend } from '../../tools/backend/backend.mjs';
import { createFaults } from '../../tools/backend/faults.mjs';
import { hlc, rpc, superuser, upsert, user, uuid } from './helpers.mjs';

let be;
let db;

before(async () => {
  be = await startBackend();
  db = await superuser(be);
  // A deliberately non-idempotent probe to count executions.
  await db.query(`
    create table public.bump_counter (n integer not null);
    insert into public.bump_counter values (0);
    create function public.bump() returns integer language sql security definer as $$
      update public.bump_counter set n = n + 1 returning n
    $$;
    grant execute on function public.bump() to anon;
  `);
});

after(async () => {
  await db?.end();
  await be?.stop();
});

beforeEach(() => be.faults.reset());

const bump = () => rpc(be, 'bump', {});
const counter = async () => (await db.query('select n from bump_counter')).rows[0].n;

describe('faults', () => {
  test('drop: the socket is destroyed N times, nothing runs, then normal', async () => {
    const before = await counter();
    be.faults.set({ drop: 2 });
    await assert.rejects(bump(), TypeError);
    await assert.rejects(bump(), TypeError);
    assert.equal(await counter(), before, 'dropped requests never reached the database');
    const ok = await bump();
    assert.equal(ok.status, 200);
    assert.equal(ok.body, before + 1);
    assert.equal(be.faults.get().drop, 0);
  });

  test('fail503: N answers of 503 without running, then normal', async () => {
    const before = await counter();
    be.faults.set({ fail503: 2 });
    assert.equal((await bump()).status, 503);
    assert.equal((await bump()).status, 503);
    assert.equal(await counter(), before);
    assert.equal((await bump()).status, 200);
  });

  test('duplicate: the RPC runs twice and the second result is returned', async () => {
    const before = await counter();
    be.faults.set({ duplicate: 1 });
    const r = await bump();
    assert.equal(r.status, 200);
    assert.equal(r.body, before + 2);
    assert.equal(await counter(), before + 2);
    assert.equal((await bump()).body, before + 3, 'only once afterwards');
  });

  test('delay: N requests wait, later ones do not', async () => {
    be.faults.set({ delayMs: 800, delayCount: 1 });
    let t = performance.now();
    assert.equal((await bump()).status, 200);
    assert.ok(performance.now() - t >= 780, 'first request delayed');
    t = performance.now();
    assert.equal((await bump()).status, 200);
    assert.ok(performance.now() - t < 700, 'second request not delayed');
    assert.equal(be.faults.get().delayCount, 0);
  });

  test('dropResponse: the request commits but the client never hears back', async () => {
    const before = await counter();
    be.faults.set({ dropResponse: 1 });
    await assert.rejects(bump(), TypeError);
    assert.equal(await counter(), before + 1);
  });
});

describe('sync under faults', () => {
  test('a push whose response was lost is retried safely', async () => {
    const u = user(be);
    const id = uuid();
    const batch = [upsert(1, 'products', id, hlc(100), { name: 'first' })];
    be.faults.set({ dropResponse: 1 });
    await assert.rejects(u.push('c1', batch), TypeError);
    // Meanwhile another device wins the row.
    await u.push('c2', [upsert(1, 'products', id, hlc(200, 0, 'b'), { name: 'second' })]);
    const retry = await u.push('c1', batch);
    assert.deepEqual(retry.body.results, [{ mutation_id: 1, status: 'applied' }]);
    const { rows } = await db.query('select name from products where id = $1', [id]);
    assert.equal(rows[0].name, 'second', 'the replay did not re-apply the old write');
  });

  test('a duplicated push delivery applies once and reports the recorded result', async () => {
    const u = user(be);
    const id = uuid();
    be.faults.set({ duplicate: 1 });
    const r = await u.push('c1', [upsert(1, 'products', id, hlc(100), { name: 'x' })]);
    assert.deepEqual(r.body.results, [{ mutation_id: 1, status: 'applied' }]);
    const { rows } = await db.query('select count(*)::int as n from sync_mutations where user_id = $1', [u.id]);
    assert.equal(rows[0].n, 1);
  });
});

describe('admin route', () => {
  const post = (token, body) => fetch(`${be.url}/__faults`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

  test('service_role on loopback can set faults; others cannot', async () => {
    const res = await post(be.serviceKey, { fail503: 1 });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).fail503, 1);
    assert.equal((await bump()).status, 503);
    assert.equal((await bump()).status, 200);

    assert.equal((await post(be.mintToken({ sub: uuid() }), { drop: 1 })).status, 403);
    assert.equal((await post(be.anonKey, { drop: 1 })).status, 403);
    assert.equal(be.faults.get().drop, 0);
  });

  test('counts and delays are bounded; unknown faults are refused', async () => {
    assert.equal((await post(be.serviceKey, { drop: 1_000_000 })).status, 400);
    assert.equal((await post(be.serviceKey, { delayMs: 3_600_000, delayCount: 1 })).status, 400);
    assert.equal((await post(be.serviceKey, { explode: 1 })).status, 400);
    assert.deepEqual(be.faults.get(), createFaults().get(), 'a refused update changes nothing');
  });
});
