// The worker client on persistent storage ({node: dir}, the Node file host):
// data survives close and reopen, a terminated worker loses no acknowledged
// write, the pool is exclusive (a second opener gets BUSY), and suspend
// (what pagehide does in a browser) releases it until resume.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCampaignStore } from '../../js/index.js';

function tempDir(t) {
  const dir = mkdtempSync(join(tmpdir(), 'cs-client-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('rows survive closing and reopening the store', async (t) => {
  const dir = tempDir(t);
  const first = await openCampaignStore({ storage: { node: dir } });
  const p = await first.products.create({ name: 'Persisted' });
  await first.close();
  const second = await openCampaignStore({ storage: { node: dir } });
  assert.equal((await second.products.get(p.id)).name, 'Persisted');
  await second.close();
});

test('a worker terminated mid-stream loses no acknowledged write', async (t) => {
  const dir = tempDir(t);
  const store = await openCampaignStore({ storage: { node: dir }, durability: 'full' });
  await store.sql.exec('CREATE TABLE w(seq INTEGER PRIMARY KEY)');
  const acknowledged = [];
  const writes = [];
  for (let i = 0; i < 400; i++) {
    writes.push(store.sql.exec('INSERT INTO w(seq) VALUES (?)', [i]).then(() => acknowledged.push(i), () => {}));
  }
  while (acknowledged.length < 50) await new Promise((r) => setTimeout(r, 1));
  await store.terminate();  // resolves once the worker is gone and its lock cleared
  await Promise.all(writes);
  assert.ok(acknowledged.length < 400, 'terminated before the end');
  const reopened = await openCampaignStore({ storage: { node: dir } });
  const { rows } = await reopened.sql.query('SELECT seq FROM w ORDER BY seq');
  const stored = new Set(rows.map((r) => r.seq));
  for (const i of acknowledged) assert.ok(stored.has(i), `acknowledged write ${i} was lost`);
  // Writes commit in order: what is stored is a prefix.
  assert.deepEqual(rows.map((r) => r.seq), [...Array(rows.length).keys()]);
  await reopened.close();
});

test('the pool is exclusive; suspend releases it and resume takes it back', async (t) => {
  const dir = tempDir(t);
  const owner = await openCampaignStore({ storage: { node: dir } });
  await owner.products.create({ name: 'Mine' });
  await assert.rejects(openCampaignStore({ storage: { node: dir } }), (e) => e.code === 'BUSY');
  await owner.call('worker.suspend', {});
  const visitor = await openCampaignStore({ storage: { node: dir } });
  assert.equal((await visitor.products.list()).items.length, 1);
  await visitor.products.create({ name: 'Visitor' });
  await visitor.close();
  await owner.call('worker.resume', {});
  assert.equal((await owner.products.list()).items.length, 2, 'the owner sees what was written meanwhile');
  await owner.close();
});

test('after a worker crash the same directory opens again', async (t) => {
  const dir = tempDir(t);
  const store = await openCampaignStore({ storage: { node: dir }, testHooks: true });
  await store.products.create({ name: 'Before the crash' });
  await assert.rejects(store.call('worker.debug.crash', {}), (e) => e.code === 'CLOSED');
  await store.close();  // settles once the worker is gone and its lock is cleared
  const again = await openCampaignStore({ storage: { node: dir } });
  assert.deepEqual((await again.products.list()).items.map((p) => p.name), ['Before the crash']);
  await again.close();
});
