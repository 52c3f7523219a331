// Tombstone retention: service_role purges old tombstones; a client whose
// cursor predates a purged tombstone is told to resync, nobody else is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { del, rpc, upsert, useBackend, user, uuid } from './helpers.mjs';

let be;
let db;
const DAY = 24 * 3600 * 1000;
const clockAt = (ms, node = 'old-device') => `${String(ms).padStart(13, '0')}-00000-${node}`;

useBackend((env) => ({ be, db } = env));

test('old tombstones are purged, recent ones kept, stale cursors reset', async () => {
  const alice = user(be);
  const bob = user(be);
  const old = uuid();
  const recent = uuid();
  const live = uuid();
  const t0 = Date.now() - 40 * DAY;

  const bobStart = await bob.push('b', [upsert(1, 'products', uuid(), clockAt(t0), { name: 'bob' })])
    .then(() => bob.pullAll());
  await alice.push('a', [
    upsert(1, 'products', old, clockAt(t0), { name: 'old' }),
    upsert(2, 'products', recent, clockAt(t0), { name: 'recent' }),
    upsert(3, 'products', live, clockAt(t0), { name: 'live' }),
  ]);
  const beforeDeletes = await alice.pullAll();
  await alice.push('a', [del(4, 'products', old, clockAt(t0 + 1000)), del(5, 'products', recent, clockAt(Date.now() - DAY))]);
  const afterDeletes = await alice.pullAll(beforeDeletes.cursor);
  assert.equal(afterDeletes.changes.length, 2);
  await alice.push('a', [upsert(6, 'products', live, clockAt(Date.now() - 1000), { name: 'live 2' })]);
  const beyond = await alice.pullAll(afterDeletes.cursor);
  assert.deepEqual(beyond.changes.map((c) => c.id), [live]);

  const denied = await rpc(be, 'sync_purge_tombstones', { older_than: '30 days' }, { token: alice.token });
  assert.equal(denied.status, 403);

  const purged = await rpc(be, 'sync_purge_tombstones', { older_than: '30 days' }, { token: be.serviceKey });
  assert.equal(purged.status, 200);
  assert.equal(purged.body.tombstones.products, 1);

  const ids = (await db.query('select id from products where id = any($1)', [[old, recent, live]])).rows.map((r) => r.id);
  assert.deepEqual(new Set(ids), new Set([recent, live]));

  // A cursor from before the purged delete restarts from the beginning,
  // flagged, so even a client ignoring `reset` gets every current row.
  const stale = await alice.pull(beforeDeletes.cursor, 1);
  assert.equal(stale.status, 200);
  assert.equal(stale.body.reset, true);
  assert.equal(stale.body.has_more, true);
  const rest = await alice.pullAll(stale.body.cursor, 1);
  const restarted = [...stale.body.changes, ...rest.changes];
  assert.deepEqual(new Set(restarted.map((c) => c.id)), new Set([recent, live]));
  const again = await alice.pull(stale.body.cursor, 1);
  assert.equal(again.body.reset, undefined, 'cursors issued after the purge are not stale');

  // A client that had pulled past the purged tombstone's transaction is fine.
  const current = await alice.pull(beyond.cursor);
  assert.equal(current.body.reset, undefined);
  assert.deepEqual(current.body.changes, []);
  // One whose cursor stops inside that transaction might have missed part
  // of it: conservatively restarted.
  assert.equal((await alice.pull(afterDeletes.cursor)).body.reset, true);
  const fresh = await alice.pullAll();
  assert.deepEqual(new Set(fresh.changes.map((c) => c.id)), new Set([recent, live]));
  assert.equal(fresh.changes.find((c) => c.id === recent).deleted, true, 'the kept tombstone is still served');

  const bobPull = await bob.pull(bobStart.cursor);
  assert.equal(bobPull.body.reset, undefined, 'watermarks are per user');
});
