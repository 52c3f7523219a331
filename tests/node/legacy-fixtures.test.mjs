// The migration in wasm, driven the way the client drives it (collection
// from a Web Storage object, one call per key group, staged UTF-8 bytes),
// held against every manifest of tests/fixtures/: the adversarial dumps and
// the four generated presets. The report's source counts, key outcomes and
// legacy ids must be the manifest's, and the database must agree (report.ok).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { generatePreset } from '../fixtures/generate.mjs';
import { migrateLegacyStorage } from '../../js/legacy/index.js';
import { ADVERSARIAL, loadDump, loadManifest, MemoryStorage, openEngine, sortedTexts } from './legacy-support.mjs';

function checkReport(report, manifest) {
  assert.deepEqual(report.errors, [], 'no validation error');
  // ok only when nothing was lost from the typed tables, and every loss is in the warnings with its count.
  assert.equal(report.ok, manifest.report.ok, JSON.stringify(report.warnings.slice(0, 5)));
  for (const [field, value] of Object.entries(manifest.expected)) {
    assert.deepEqual(report.source[field], value, `expected.${field}`);
  }
  assert.deepEqual(report.source.values_unreadable, manifest.report.values_unreadable, 'values_unreadable');
  assert.deepEqual(report.source.field_conflicts, manifest.report.field_conflicts, 'field_conflicts');
  assert.deepEqual(report.fieldsIgnored, manifest.expected.fields_ignored, 'fieldsIgnored');
  for (const [key, want] of Object.entries(manifest.keys)) {
    const got = report.keys[key];
    assert.ok(got, `key ${key} is in the report`);
    assert.equal(got.status, want.status, `${key}.status`);
    for (const f of ['entity', 'rows', 'skipped', 'reason', 'salvageable_items']) {
      if (f in want) assert.deepEqual(got[f], want[f], `${key}.${f}`);
    }
  }
  assert.equal(Object.keys(report.keys).length, Object.keys(manifest.keys).length);
  for (const [entity, ids] of Object.entries(manifest.legacy_ids)) {
    assert.deepEqual(sortedTexts(report.legacyIds[entity]), sortedTexts(ids), `legacy_ids.${entity}`);
  }
  for (const f of ['products', 'product_images', 'background_versions', 'legacy_campaigns', 'v2_campaigns', 'creatives',
    'drafts', 'ai_generations', 'ai_generations_linked', 'sample_products', 'sample_campaigns', 'data_url_blobs',
    'data_url_blob_bytes']) {
    assert.deepEqual(report.database[f], report.source[f], `database.${f}`);
  }
}

// The manifest's per-field checks (the spellings fixture): what each column of each item holds.
const TABLES = {
  products: 'products', sample_products: 'products', product_images: 'product_images', background_versions: 'background_versions',
  legacy_campaigns: 'campaigns', v2_campaigns: 'campaigns', sample_campaigns: 'campaigns', orphan_drafts: 'campaigns',
  creatives: 'creatives', creative_assets: 'creative_assets', drafts: 'campaign_drafts', ai_generations: 'ai_generations',
};
function checkColumns(engine, columns) {
  const query = (sql, params) => engine.call('sql.query', { sql, params }).rows;
  const rowOf = ({ entity, id }) => {
    const rows = query('SELECT row_id FROM legacy_id_map WHERE entity = ? AND legacy_id = ? ORDER BY rowid LIMIT 1',
      [entity, typeof id === 'string' ? id : JSON.stringify(id)]);
    assert.equal(rows.length, 1, `a row for ${entity} ${id}`);
    return rows[0].row_id;
  };
  for (const c of columns) {
    const what = `${c.entity} ${c.id} ${c.column ?? 'link'}`;
    const row = rowOf(c);
    if (c.link) {
      assert.equal(query('SELECT link FROM legacy_id_map WHERE row_id = ?', [row])[0].link, rowOf(c.link), what);
      continue;
    }
    const got = query(`SELECT ${c.column} AS v FROM ${TABLES[c.entity]} WHERE id = ?`, [row])[0].v;
    if (c.row) assert.equal(got, rowOf(c.row), what);
    else if (c.expected !== null && typeof c.expected === 'object') assert.deepEqual(JSON.parse(got), c.expected, what);
    else assert.equal(got, c.expected, what);
  }
}

for (const name of ADVERSARIAL) {
  test(`adversarial dump ${name}: the report is the manifest's`, async () => {
    const { engine, call } = await openEngine();
    try {
      const events = [];
      const report = await migrateLegacyStorage(call, {
        localStorage: new MemoryStorage(loadDump(name)), onProgress: (e) => events.push(e),
      });
      const manifest = loadManifest(name);
      checkReport(report, manifest);
      for (const check of manifest.checks ?? []) if (check.columns) checkColumns(engine, check.columns);
      assert.equal(events.at(-1).phase, 'done');
    } finally {
      engine.dispose();
    }
  });
}

for (const preset of ['small', 'medium', 'near-quota', '10k-products']) {
  test(`generated preset ${preset}: the report is the manifest's, and a second run changes nothing`, { timeout: 120000 }, async () => {
    const { dump, manifest } = generatePreset(preset);
    const { engine, call } = await openEngine();
    try {
      const storage = new MemoryStorage(dump);
      const events = [];
      const report = await migrateLegacyStorage(call, { localStorage: storage, onProgress: (e) => events.push(e) });
      checkReport(report, manifest);
      // Progress: one event per group call, units counted up to the dump's size.
      const migrating = events.filter((e) => e.phase === 'migrating');
      assert.ok(migrating.length >= 4);
      const legacyUnits = Object.entries(dump).filter(([k]) => manifest.keys[k].status !== 'unmapped')
        .reduce((n, [k, v]) => n + k.length + v.length, 0);
      assert.equal(events.at(-1).unitsDone, legacyUnits);
      assert.equal(report.bytes.localStorage.legacyUnits, legacyUnits);
      const counts = engine.call('sql.query', { sql: 'SELECT (SELECT count(*) FROM products) AS p, (SELECT count(*) FROM sync_outbox) AS o' }).rows[0];
      const again = await migrateLegacyStorage(call, { localStorage: storage });
      assert.ok(again.run.groups.every((g) => g.outcome === 'unchanged'));
      assert.deepEqual(engine.call('sql.query', { sql: 'SELECT (SELECT count(*) FROM products) AS p, (SELECT count(*) FROM sync_outbox) AS o' }).rows[0], counts);
      checkReport(again, manifest);
    } finally {
      engine.dispose();
    }
  });
}
