// The lean module (dist/campaign_store_lean.wasm: the core without the
// legacy migration's code) and the worker's move to the full module the
// first time a legacy op is called (js/worker/server.js), over files and in
// memory. What must not happen: a row written before, during or after the
// move goes missing or changes, a request is answered out of order, sync
// forgets its settings, or a transaction the app left open is rolled back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { openCampaignStore } from '../../js/index.js';
import { createEngine } from '../../js/core.js';
import { loadWasmModule } from '../../js/engine/load.js';
import { Engine } from '../../js/engine/engine.js';
import { MemoryStorage } from './legacy-support.mjs';
import { prng } from './sync-chaos/harness.mjs';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cs-lean-'));

/** The legacy ops the store's module lacks (empty: the full module). */
async function absentOps(store) {
  return (await store.call('ops')).filter((o) => o.absent).map((o) => o.op).sort();
}

const LEGACY_OPS = ['legacy.deleteSample', 'legacy.export', 'legacy.get', 'legacy.import', 'legacy.release',
  'legacy.report', 'legacy.saveAd'];

test('the lean module lists the legacy ops as absent and answers them NOT_FOUND; the full one runs them', async () => {
  const lean = new Engine(await loadWasmModule({ lean: true }));
  const full = await createEngine();
  try {
    for (const e of [lean, full]) e.call('open');
    const absent = lean.call('ops').filter((o) => o.absent).map((o) => o.op).sort();
    assert.deepEqual(absent, LEGACY_OPS);
    // Same ops, same shapes and traits otherwise: the worker stages bytes by them before it knows the module.
    const shape = (e) => e.call('ops').map(({ absent: _, ...o }) => o);
    assert.deepEqual(shape(lean), shape(full));
    assert.deepEqual(full.call('ops').filter((o) => o.legacy).map((o) => o.op).sort(), LEGACY_OPS);
    assert.equal(full.call('ops').some((o) => o.absent), false);
    assert.throws(() => lean.call('legacy.report'), (err) => err.code === 'NOT_FOUND' && err.details.module === 'lean'
      && /full module/.test(err.message));
    assert.equal(typeof full.call('legacy.report').ok, 'boolean');
    // The rest of the core is there: a write and a read.
    const p = lean.call('products.create', { name: 'lean' });
    assert.equal(lean.call('products.get', { id: p.id }).name, 'lean');
  } finally {
    lean.dispose();
    full.dispose();
  }
});

test('which module a store opens on: lean without legacy keys to migrate, full with them or the compat facade', async () => {
  const legacy = new MemoryStorage({ products: JSON.stringify([{ id: 'l1', name: 'Legacy' }]) });
  const other = new MemoryStorage({ theme: 'dark', Products: '[]' });  // a look-alike is no legacy key
  const dir = tempDir();
  const files = (n) => ({ node: path.join(dir, String(n)) });
  const cases = [
    [{ storage: files(1) }, 'lean'],
    [{ storage: files(2), localStorage: other }, 'lean'],
    [{ storage: files(3), localStorage: legacy }, 'full'],
    [{ storage: files(4), localStorage: legacy, migrateLocalStorage: false }, 'lean'],
    [{ storage: files(5), legacy: { dualWrite: true, localStorage: other } }, 'full'],
    [{ storage: 'memory' }, 'lean'],
    [{ storage: 'memory', localStorage: legacy }, 'full'],
  ];
  try {
    for (const [options, expected] of cases) {
      const store = await openCampaignStore(options);
      try {
        const absent = await absentOps(store);
        assert.equal(absent.length ? 'lean' : 'full', expected, JSON.stringify(options));
      } finally {
        await store.close();
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// A seeded workload of the data API over a store opened on the lean module
// (on files or in memory, by seed), with one legacy call at a random place
// inside a burst of requests that are all in flight at once. The store must
// end as the model says, before and after a reopen, and every answer must be
// the one its request asked for.
test('seeded: rows written around the move to the full module are all there, in order, after a reopen', { timeout: 180_000 }, async () => {
  const seeds = Number(process.env.CS_LEAN_SEEDS ?? 6);
  for (let seed = 1; seed <= seeds; seed++) {
    const random = prng(seed);
    const rand = random.next;
    const { pick } = random;
    // Files move by a close and a reopen, an in-memory database as its bytes.
    const memory = seed % 2 === 0;
    const dir = tempDir();
    const logs = [];
    const store = await openCampaignStore({ storage: memory ? 'memory' : { node: dir }, log: (e) => logs.push(e) });
    const model = new Map();  // id -> {name, price}
    const legacyName = `legacy product ${seed}`;
    const dump = new MemoryStorage({ products: JSON.stringify([{ id: `lp${seed}`, name: legacyName, price: 12.5 }]) });
    // Each a different way to reach the legacy code; the import also adds a row.
    const legacyCalls = [
      ['migration.run', async () => {
        const report = await store.migration.run({ localStorage: dump });
        assert.equal(report.ok, true, JSON.stringify(report.errors));
        return 'imported';
      }],
      ['migration.report', () => store.migration.report()],
      ['migration.exportLegacy', () => store.migration.exportLegacy()],
      ['batch with legacy.report', () => store.call('batch', { ops: [{ op: 'products.list', args: { limit: 1 } }, { op: 'legacy.report' }] })],
      ['legacy.saveAd', () => store.call('legacy.saveAd', { adData: { campaignName: `ad ${seed}`, budget: 10 } })],
    ];
    const [legacyLabel, legacyCall] = pick(legacyCalls);
    const at = { burst: Math.floor(rand() * 4), index: Math.floor(rand() * 12) };
    try {
      assert.deepEqual(await absentOps(store), LEGACY_OPS, `seed ${seed}: opens lean`);
      let serial = 0;
      for (let burst = 0; burst < 4; burst++) {
        const pending = [];
        const ids = [...model.keys()];
        for (let i = 0; i < 12; i++) {
          if (burst === at.burst && i === at.index) {
            pending.push(Promise.resolve(legacyCall()).then(async (r) => {
              if (r !== 'imported') return;
              const row = (await store.products.list({ limit: 500 })).items.find((p) => p.name === legacyName);
              model.set(row.id, { name: legacyName, price: 12.5 });
            }));
          }
          const kind = ids.length === 0 ? 'create' : pick(['create', 'create', 'update', 'delete', 'get']);
          if (kind === 'create') {
            const row = { name: `s${seed}-p${serial++}`, price: Math.round(rand() * 10000) / 100 };
            pending.push(store.products.create(row).then((p) => {
              assert.equal(p.name, row.name);
              model.set(p.id, row);
            }));
          } else {
            const id = ids.splice(Math.floor(rand() * ids.length), 1)[0];
            if (kind === 'update') {
              const price = Math.round(rand() * 10000) / 100;
              pending.push(store.products.update(id, { price }).then((p) => {
                assert.equal(Number(p.price), price);  // money comes back as decimal text
                model.get(id).price = price;
              }));
            } else if (kind === 'delete') {
              pending.push(store.products.delete(id).then(() => model.delete(id)));
            } else {
              const expected = { ...model.get(id) };
              pending.push(store.products.get(id).then((p) => assert.equal(Number(p.price), expected.price)));
            }
          }
        }
        await Promise.all(pending);
      }
      assert.deepEqual(await absentOps(store), [], `seed ${seed}: the full module serves the store after ${legacyLabel}`);
      assert.equal(logs.filter((l) => /loaded the full module/.test(l.message)).length, 1, `seed ${seed}: one move`);
      const expected = [...model.values()].map((r) => `${r.name}=${r.price}`).sort();
      const listed = async (s) => (await s.products.list({ limit: 500 })).items.map((p) => `${p.name}=${Number(p.price)}`).sort();
      assert.deepEqual(await listed(store), expected, `seed ${seed} (${legacyLabel})`);
      assert.equal((await store.health()).ok, true);
      await store.close();
      if (memory) continue;
      const again = await openCampaignStore({ storage: { node: dir } });
      try {
        assert.deepEqual(await listed(again), expected, `seed ${seed} (${legacyLabel}), reopened`);
        assert.equal((await again.health()).ok, true);
      } finally {
        await again.close();
      }
    } finally {
      await store.close().catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
});

// Each over files and in memory; `dir` is removed afterwards.
async function onEachStorage(body) {
  for (const memory of [false, true]) {
    const dir = tempDir();
    const store = await openCampaignStore({ storage: memory ? 'memory' : { node: dir } });
    try {
      await body(store, memory ? 'memory' : 'files');
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

test('the full module gets the sync settings the lean one was given', async () => {
  await onEachStorage(async (store, where) => {
    await store.call('sync.configure', { userId: 'user-1', url: 'http://127.0.0.1:9', pushBatch: 1 });
    for (let i = 0; i < 3; i++) await store.products.create({ name: `p${i}` });
    assert.equal((await absentOps(store)).length, LEGACY_OPS.length);
    await store.migration.report();
    assert.deepEqual(await absentOps(store), [], where);
    await store.call('sync.begin');
    const request = await store.call('sync.next');
    assert.equal(request.kind, 'push');
    // pushBatch 1 (the default is 200): the setting reached the new engine.
    assert.equal(request.body.changes.length, 1, where);
  });
});

// The sync loop's cycle is begin, next (a request), the network, apply. A
// move between next and apply leaves the new engine without that cycle: the
// apply must fail with a code (the same answer applies without a move), and
// the next cycle must push the same changes.
test('a sync cycle cut by the move fails its apply, and the next cycle pushes the same changes', async () => {
  await onEachStorage(async (store, where) => {
    await store.call('sync.configure', { userId: 'user-1' });
    const names = ['a', 'b', 'c'];
    for (const name of names) await store.products.create({ name });
    await store.call('sync.begin');
    const cut = await store.call('sync.next');
    assert.equal(cut.kind, 'push');
    await store.migration.report();  // the move
    const accepted = JSON.stringify({ results: cut.body.changes.map((c) => ({ mutation_id: c.mutation_id, status: 'applied' })) });
    await assert.rejects(store.call('sync.apply', { id: cut.id, status: 200, text: accepted }),
      (err) => err.code === 'CONFLICT' && /in flight/.test(err.message), where);
    await store.call('sync.begin');
    const again = await store.call('sync.next');
    assert.equal(again.kind, 'push');
    const pushed = (r) => r.body.changes.filter((c) => c.row?.name).map((c) => `${c.mutation_id}:${c.row.name}`).sort();
    assert.deepEqual(pushed(again), pushed(cut), where);
  });
});

test('a transaction the app left open is not rolled back by the move: the legacy op answers CONFLICT', async () => {
  await onEachStorage(async (store, where) => {
    await store.call('sql.exec', { sql: 'BEGIN' });
    const inside = await store.products.create({ name: 'inside the transaction' });
    await assert.rejects(store.migration.report(), (err) => err.code === 'CONFLICT' && /transaction is open/.test(err.message));
    assert.equal((await absentOps(store)).length, LEGACY_OPS.length, `${where}: still the lean module`);
    await store.call('sql.exec', { sql: 'COMMIT' });
    assert.equal((await store.products.get(inside.id)).name, 'inside the transaction');
    assert.equal(typeof (await store.migration.report()).ok, 'boolean');
    assert.equal((await store.products.get(inside.id)).name, 'inside the transaction', where);
  });
});
