// Crash-resume with a real worker on persistent storage (the Node file
// host): the worker is killed during the migration, between key groups and
// inside one, and the next open finishes it. The database must end up as
// after an uninterrupted migration: every count of the manifest, nothing
// duplicated, the report valid (and saying the previous run did not finish).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openCampaignStore } from '../../js/index.js';
import { generatePreset } from '../fixtures/generate.mjs';
import { MemoryStorage } from './legacy-support.mjs';

function tempDir(t) {
  const dir = mkdtempSync(join(tmpdir(), 'cs-legacy-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const { dump, manifest } = generatePreset('medium');

async function assertComplete(store) {
  const report = store.migration.lastReport;
  assert.ok(report, `the run on open reported (error: ${store.migration.lastError?.message})`);
  assert.deepEqual(report.errors, []);
  assert.equal(report.ok, manifest.report.ok);  // the medium dump's null items and truncated draft are losses
  for (const f of ['products', 'product_images', 'background_versions', 'legacy_campaigns', 'v2_campaigns', 'drafts',
    'ai_generations', 'data_url_blobs', 'sample_rows']) {
    assert.deepEqual(report.source[f], manifest.expected[f], f);
  }
  // Nothing twice: rows, map entries and blobs.
  const q = async (sql) => (await store.sql.query(sql)).rows[0].n;
  assert.equal(await q('SELECT count(*) AS n FROM products'), manifest.expected.products + manifest.expected.sample_products);
  assert.equal(await q('SELECT count(*) AS n FROM product_images WHERE id IN (SELECT row_id FROM legacy_id_map WHERE entity = \'product_images\')'),
    manifest.expected.product_images);
  assert.equal(await q('SELECT count(*) AS n FROM (SELECT row_id FROM legacy_id_map GROUP BY row_id HAVING count(*) > 1)'), 0);
  assert.equal(await q('SELECT count(*) AS n FROM blobs'), manifest.expected.data_url_blobs);
  assert.equal(await q("SELECT count(*) AS n FROM campaigns WHERE source = 'legacy'"), manifest.expected.legacy_campaigns);
  return report;
}

test('killed between key groups: the next open finishes, nothing duplicated', { timeout: 60000 }, async (t) => {
  const dir = tempDir(t);
  const storage = new MemoryStorage(dump);
  const first = await openCampaignStore({ storage: { node: dir }, migrateLocalStorage: false });
  let killed = null;
  const run = first.migration.run({
    localStorage: storage,
    onProgress: (e) => {
      // products and sample_data are committed; kill before campaigns.
      if (e.phase === 'migrating' && e.group === 'campaigns' && !killed) killed = first.terminate();
    },
  });
  await assert.rejects(run, (e) => e.code === 'CLOSED');
  await killed;
  const second = await openCampaignStore({ storage: { node: dir }, localStorage: storage });
  try {
    const report = await assertComplete(second);
    assert.ok(report.warnings.some((w) => w.code === 'RESUMED'));
    const groups = Object.fromEntries(report.run.groups.map((g) => [g.group, g.outcome]));
    assert.equal(groups.products, 'unchanged');  // committed before the kill: not redone
    assert.equal(groups.campaigns, 'migrated');
  } finally {
    await second.close();
  }
});

test('killed inside a key group (mid-transaction): rolled back whole, then finished', { timeout: 120000 }, async (t) => {
  for (const delay of [2, 40, 400, 1500]) {
    const dir = tempDir(t);
    const storage = new MemoryStorage(dump);
    const first = await openCampaignStore({ storage: { node: dir }, migrateLocalStorage: false, durability: 'full' });
    let killed = null;
    const run = first.migration.run({
      localStorage: storage,
      onProgress: (e) => {
        if (e.phase === 'migrating' && e.group === 'products' && !killed) {
          killed = new Promise((r) => setTimeout(r, delay)).then(() => first.terminate());
        }
      },
    });
    await Promise.allSettled([run]);
    await killed;
    // Whatever the moment, the products group is all there or not at all.
    const peek = await openCampaignStore({ storage: { node: dir }, migrateLocalStorage: false });
    const { rows: [state] } = await peek.sql.query(
      "SELECT (SELECT count(*) FROM products) AS products, (SELECT count(*) FROM legacy_sources WHERE key = 'products') AS sources");
    await peek.close();
    if (process.env.CS_LEGACY_DEBUG) console.log(delay, state);
    assert.ok(state.products === 0 ? state.sources === 0 : state.sources === 1 && state.products >= manifest.expected.products,
      JSON.stringify(state));
    const second = await openCampaignStore({ storage: { node: dir }, localStorage: storage });
    try {
      await assertComplete(second);
      const integrity = (await second.sql.query('PRAGMA integrity_check')).rows[0];
      assert.equal(Object.values(integrity)[0], 'ok');
    } finally {
      await second.close();
    }
  }
});
