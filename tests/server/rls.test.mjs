// Ownership: another user's token can neither read, overwrite, delete nor
// attach to a user's rows through the sync RPCs; anon gets nothing; OAuth
// secrets never leave the database.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBackend } from '../../tools/backend/backend.mjs';
import { beginAs, del, hlc, rpc, superuser, upsert, user, uuid } from './helpers.mjs';

let be;
let db;
let alice;
let bob;
const productId = uuid();
const integrationId = uuid();

before(async () => {
  be = await startBackend();
  db = await superuser(be);
  alice = user(be);
  bob = user(be);
  const r = await alice.push('alice-laptop', [
    upsert(1, 'products', productId, hlc(10), { name: 'Alice shoe', price: 99.5 }),
    upsert(2, 'platform_integrations', integrationId, hlc(10),
      { platform_id: 'meta', platform_account_id: 'act_1', access_token: 'SECRET-ACCESS', refresh_token: 'SECRET-REFRESH' }),
  ]);
  assert.deepEqual(r.body.results.map((x) => x.status), ['applied', 'applied']);
});

after(async () => {
  await db?.end();
  await be?.stop();
});

async function storedProduct() {
  const { rows } = await db.query('select name, hlc, deleted, user_id from products where id = $1', [productId]);
  return rows[0];
}

describe('another user', () => {
  test('cannot read: pull returns none of the owner\'s rows', async () => {
    const r = await bob.pull();
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.changes, []);
    // Control: the owner does see them, so the empty result is RLS, not an empty table.
    const own = await alice.pull();
    assert.deepEqual(own.body.changes.map((c) => c.id).sort(), [productId, integrationId].sort());
  });

  test('cannot overwrite: rejected UNAUTHORIZED without leaking the row', async () => {
    const r = await bob.push('bob-phone', [upsert(1, 'products', productId, hlc(500, 0, 'bob'), { name: 'hijacked' })]);
    assert.equal(r.status, 200);
    const [res] = r.body.results;
    assert.equal(res.status, 'rejected');
    assert.equal(res.code, 'UNAUTHORIZED');
    assert.equal(res.row, undefined);
    assert.doesNotMatch(JSON.stringify(res), /Alice shoe/);
    const row = await storedProduct();
    assert.equal(row.name, 'Alice shoe');
    assert.equal(row.hlc, hlc(10));
    assert.equal(row.user_id, alice.id);
  });

  test('cannot delete: the owner\'s row stays live', async () => {
    const r = await bob.push('bob-phone', [del(2, 'products', productId, hlc(600, 0, 'bob'))]);
    assert.equal(r.status, 200);
    assert.notEqual(r.body.results[0].status, 'superseded'); // would leak the row
    const row = await storedProduct();
    assert.equal(row.deleted, false);
    assert.equal(row.hlc, hlc(10));
  });

  test('cannot attach children to the owner\'s parent (composite FK)', async () => {
    const imageId = uuid();
    const r = await bob.push('bob-phone', [
      upsert(3, 'product_images', imageId, hlc(700, 0, 'bob'), { product_id: productId, url: 'https://x/evil.png' }),
    ]);
    assert.equal(r.body.results[0].status, 'rejected');
    assert.equal(r.body.results[0].code, 'CONSTRAINT');
    const { rowCount } = await db.query('select 1 from product_images where id = $1', [imageId]);
    assert.equal(rowCount, 0);
  });

  test('cannot claim ownership by sending user_id', async () => {
    const id = uuid();
    const r = await bob.push('bob-phone', [upsert(4, 'products', id, hlc(800, 0, 'bob'), { name: 'mine', user_id: alice.id })]);
    assert.equal(r.body.results[0].status, 'applied');
    const { rows } = await db.query('select user_id from products where id = $1', [id]);
    assert.equal(rows[0].user_id, bob.id);
  });

  test('cannot write a users row other than its own', async () => {
    const r = await bob.push('bob-phone', [upsert(5, 'users', alice.id, hlc(900, 0, 'bob'), { name: 'x' })]);
    assert.equal(r.body.results[0].code, 'UNAUTHORIZED');
    const ok = await bob.push('bob-phone', [upsert(6, 'users', bob.id, hlc(900, 0, 'bob'), { name: 'Bob', email: `${bob.id}@x.test` })]);
    assert.equal(ok.body.results[0].status, 'applied');
  });

  test('sees nothing in the tables directly either (RLS, not just the RPCs)', async () => {
    await beginAs(db, bob.id);
    try {
      const { rows } = await db.query('select count(*)::int as n from products where user_id = $1', [alice.id]);
      assert.equal(rows[0].n, 0);
      const upd = await db.query("update products set name = 'x' where id = $1", [productId]);
      assert.equal(upd.rowCount, 0);
      const delr = await db.query('delete from products where id = $1', [productId]);
      assert.equal(delr.rowCount, 0);
    } finally {
      await db.query('rollback');
    }
  });
});

describe('anon', () => {
  test('cannot call sync_pull or sync_push: 401 like PostgREST', async () => {
    for (const [fn, args] of [['sync_pull', {}], ['sync_push', { client_id: 'x', changes: [] }]]) {
      const r = await rpc(be, fn, args); // apikey only: the anon role
      assert.equal(r.status, 401, fn);
      assert.equal(r.body.code, '42501');
    }
  });

  test('has no table privileges at all', async () => {
    await beginAs(db, null, 'anon');
    try {
      await assert.rejects(db.query('select id from products'), { code: '42501' });
    } finally {
      await db.query('rollback');
    }
  });
});

test('service_role may not call the user RPCs (granted to authenticated only)', async () => {
  const r = await rpc(be, 'sync_pull', {}, { token: be.serviceKey });
  assert.equal(r.status, 403);
  assert.equal(r.body.code, '42501');
});

describe('secrets', () => {
  test('are stored but never returned by pull', async () => {
    const { rows } = await db.query('select access_token, refresh_token from platform_integrations where id = $1', [integrationId]);
    assert.deepEqual(rows[0], { access_token: 'SECRET-ACCESS', refresh_token: 'SECRET-REFRESH' });
    const r = await alice.pull();
    const change = r.body.changes.find((c) => c.id === integrationId);
    assert.equal(change.row.platform_account_id, 'act_1');
    assert.ok(!('access_token' in change.row));
    assert.ok(!('refresh_token' in change.row));
    assert.doesNotMatch(JSON.stringify(r.body), /SECRET-/);
  });

  test('are never returned in a superseded row, and survive pushes that omit them', async () => {
    const r = await alice.push('alice-laptop', [
      upsert(10, 'platform_integrations', integrationId, hlc(1), { platform_id: 'meta', status: 'stale' }),
      upsert(11, 'platform_integrations', integrationId, hlc(20), { platform_id: 'meta', status: 'paused' }),
    ]);
    assert.deepEqual(r.body.results.map((x) => x.status), ['superseded', 'applied']);
    assert.equal(r.body.results[0].row.platform_account_id, 'act_1');
    assert.doesNotMatch(JSON.stringify(r.body), /SECRET-/);
    const { rows } = await db.query('select status, access_token from platform_integrations where id = $1', [integrationId]);
    assert.deepEqual(rows[0], { status: 'paused', access_token: 'SECRET-ACCESS' });
  });

  test('are not selectable by authenticated even on its own row', async () => {
    await beginAs(db, alice.id);
    try {
      await assert.rejects(db.query('select access_token from platform_integrations'), { code: '42501' });
    } finally {
      await db.query('rollback');
    }
    await beginAs(db, alice.id);
    try {
      await assert.rejects(db.query('select * from platform_integrations'), { code: '42501' });
    } finally {
      await db.query('rollback');
    }
  });
});
