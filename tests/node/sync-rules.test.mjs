// Paths where a sync could lose a write, end to end: in-thread wasm engines synced
// by js/sync/loop.js through the real local backend (PostgreSQL 15 + the
// gateway). Each test is one user's story across devices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine } from '../../js/core.js';
import { engineCaller } from '../../js/legacy/index.js';
import { SyncLoop } from '../../js/sync/loop.js';
import { useBackend } from '../server/helpers.mjs';

let be;
let db;
useBackend((env) => ({ be, db } = env));

/** A device of `userId`: an in-thread engine (on files when `dir`), its door and a SyncLoop. */
async function device(userId, { engine } = {}) {
  engine ??= await createEngine();
  if (!engine.call('storage.info').open) engine.call('open');
  const call = engineCaller(engine);
  call('sync.configure', { userId, url: be.url });
  const conflicts = [];
  const loop = new SyncLoop({
    call,
    url: be.url,
    anonKey: be.anonKey,
    getAccessToken: () => be.mintToken({ sub: userId }),
    onConflict: (c) => conflicts.push(c),
    options: { baseBackoffMs: 5, maxBackoffMs: 40, maxAttempts: 12 },
  });
  return { engine, call, loop, conflicts, sync: () => loop.now() };
}

const newUser = () => crypto.randomUUID();

async function serverRow(table, id) {
  const { rows } = await db.query(`select * from public.${table} where id = $1`, [id]);
  return rows[0] ?? null;
}

test('a cascade never outranks an edit: of the same device before the delete, or of another device before or after it', async () => {
  const user = newUser();
  const a = await device(user);
  const b = await device(user);
  const early = a.call('products.create', { name: 'deleted after the edits' });
  const late = a.call('products.create', { name: 'deleted before the edit' });
  const mine = a.call('campaigns.create', { name: 'Spring', productId: early.id, budget: '10.00' });
  const before = a.call('campaigns.create', { name: 'Summer', productId: early.id });
  const after = a.call('campaigns.create', { name: 'Autumn', productId: late.id });
  await a.sync();
  await b.sync();
  const tick = () => new Promise((r) => setTimeout(r, 3));

  // Offline. A deletes `late`; then B edits its campaign (after the delete,
  // not knowing of it); B edits `before` and A edits `mine`; then A deletes
  // `early`, the product of both.
  a.call('products.delete', { id: late.id });
  await tick();
  b.call('campaigns.update', { id: after.id, name: 'Autumn sale' });
  b.call('campaigns.update', { id: before.id, name: 'Summer sale' });
  a.call('campaigns.update', { id: mine.id, name: 'Spring sale', budget: '99.00' });
  await tick();
  a.call('products.delete', { id: early.id });

  await b.sync();   // B's edits reach the server first...
  await a.sync();   // ...then A's deletes, and their cascades
  await b.sync();
  await a.sync();
  for (const d of [a, b]) {
    for (const [c, name] of [[mine, 'Spring sale'], [before, 'Summer sale'], [after, 'Autumn sale']]) {
      const row = d.call('campaigns.get', { id: c.id });
      assert.equal(row.name, name);
      assert.equal(row.productId, null);
    }
    assert.equal(d.call('campaigns.get', { id: mine.id }).budget, '99.00');
    assert.equal(d.call('sync.status').pending, 0);
  }
  assert.equal((await serverRow('campaigns', mine.id)).name, 'Spring sale');
  assert.equal((await serverRow('campaigns', before.id)).name, 'Summer sale');
  assert.equal((await serverRow('campaigns', after.id)).name, 'Autumn sale');
  assert.equal((await serverRow('products', early.id)).deleted, true);
});

test("a new device's first sync keeps the profile another device wrote", async () => {
  const user = newUser();
  const a = await device(user);
  a.call('users.update', { id: user, name: 'Alice', settings: { theme: 'dark' } });
  await a.sync();
  await new Promise((r) => setTimeout(r, 3));
  const b = await device(user);
  await b.sync();
  await a.sync();
  for (const d of [a, b]) {
    const profile = d.call('users.get', { id: user });
    assert.equal(profile.name, 'Alice');
    assert.deepEqual(profile.settings, { theme: 'dark' });
  }
  assert.equal((await serverRow('users', user)).name, 'Alice');
});

test('a restored backup and a copy on another device push their new writes: a copy gets its own client id', async () => {
  const user = newUser();
  const a = await device(user);
  a.call('products.create', { name: 'before the backup' });
  await a.sync();
  const backup = a.engine.exportDatabase();
  const afterBackup = a.call('products.create', { name: 'after the backup' });
  await a.sync();
  const firstId = a.call('sync.status').clientId;

  // Restore the backup, write, sync: the new write must reach the server.
  a.engine.importDatabase(backup);
  assert.notEqual(a.call('sync.status').clientId, firstId, 'an imported database pushes under a new client id');
  const afterRestore = a.call('products.create', { name: 'after the restore' });
  const summary = await a.sync();
  assert.ok(summary.pushed >= 1);
  assert.equal((await serverRow('products', afterRestore.id))?.name, 'after the restore');
  // What was synced after the backup comes back from the server.
  assert.equal(a.call('products.get', { id: afterBackup.id }).name, 'after the backup');

  // The same export on a second device: both write, both reach the server.
  const copy = await createEngine();
  copy.call('open');
  copy.importDatabase(backup);
  const c = await device(user, { engine: copy });
  assert.notEqual(c.call('sync.status').clientId, a.call('sync.status').clientId);
  const fromCopy = c.call('products.create', { name: 'from the copy' });
  const fromA = a.call('products.create', { name: 'from A again' });
  await c.sync();
  await a.sync();
  await c.sync();
  assert.equal((await serverRow('products', fromCopy.id))?.name, 'from the copy');
  assert.equal((await serverRow('products', fromA.id))?.name, 'from A again');
  assert.equal(c.call('products.get', { id: fromA.id }).name, 'from A again');
});

test('two devices edit different fields of one campaign: the overwritten edit is reported as a conflict', async () => {
  const user = newUser();
  const a = await device(user);
  const b = await device(user);
  const campaign = a.call('campaigns.create', { name: 'Launch', budget: '100.00' });
  await a.sync();
  await b.sync();
  a.call('campaigns.update', { id: campaign.id, name: 'Launch v2' });
  await new Promise((r) => setTimeout(r, 3));
  b.call('campaigns.update', { id: campaign.id, budget: '250.00' });
  await a.sync();   // A's rename is applied on the server...
  await b.sync();   // ...then B's newer whole row, without it, replaces it
  await a.sync();
  assert.equal(a.call('campaigns.get', { id: campaign.id }).budget, '250.00');
  const reported = a.conflicts.filter((c) => c.id === campaign.id);
  assert.equal(reported.length, 1, 'A hears that its rename was overwritten');
  assert.equal(reported[0].winner, 'remote');
  assert.equal(reported[0].local.name, 'Launch v2');
  assert.ok(a.call('sync.conflicts').some((c) => c.id === campaign.id));
});

test('a far-future clock stored by an older server does not brick a device', async () => {
  const user = newUser();
  const a = await device(user);
  const product = a.call('products.create', { name: 'clock' });
  await a.sync();
  // What the table route let through before clocks were bounded there.
  await db.query('set session_replication_role = replica');
  await db.query("update public.products set hlc = '9999999999999-99999-evil', xid = pg_current_xact_id() where id = $1", [product.id]);
  await db.query('set session_replication_role = origin');
  await a.sync();
  assert.ok(a.call('sync.status').rejected >= 1, 'the poisoned row is parked');
  // The device's own writes still sync: its clock did not jump.
  const later = a.call('products.create', { name: 'still syncing' });
  a.call('products.update', { id: product.id, name: 'recovered' });
  await a.sync();
  assert.equal((await serverRow('products', later.id))?.name, 'still syncing');
  assert.equal((await serverRow('products', product.id)).name, 'recovered', 'a valid write wins over the poisoned clock');
  assert.equal(a.call('sync.status').pending, 0);
});
