// Round trip through the JS API: migrate -> exportLegacy({write: true,
// inlineImages: true}) into a fresh localStorage -> migrate that into a fresh
// database. Every legacy key comes back byte for byte (and no other key);
// both databases must be the same (row ids aside: rows are named by the
// legacy slot they came from), counts and legacy ids must match the
// source's, and a third migration of the export into the first database
// changes no row.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { generatePreset } from '../fixtures/generate.mjs';
import { exportLegacy, isLegacyKey, migrateLegacyStorage, releaseLegacyKeys } from '../../js/legacy/index.js';
import { ADVERSARIAL, loadDump, MemoryStorage, openEngine } from './legacy-support.mjs';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const TABLES = {
  products: 'id, name, description, brand, category, price, sku, url, utm_codes, metadata, status, created_at, updated_at',
  product_images: 'id, product_id, url, file_name, alt_text, size, is_primary, metadata, created_at',
  background_versions: 'id, product_image_id, url, prompt, request_id, processing_time, metadata, is_active, created_at',
  campaigns: 'id, product_id, name, type, status, budget, currency, starts_at, ends_at, audience_config, platform_config, '
    + 'creative_config, publish_config, legacy_data, source, created_at, updated_at',
  campaign_drafts: 'id, campaign_id, step_data, auto_saved_at, created_at',
  creatives: 'id, campaign_id, name, format_id, format_name, width, height, elements, metadata, is_active',
  creative_assets: 'id, creative_id, type, url, content, metadata',
  ai_generations: 'id, type, prompt, service, request_id, response_data, processing_time, created_at',
  blobs: 'hash, size, mime',
};

/** The migrated tables, row ids replaced by "<entity:slot>" (parents named recursively). */
function canonical(engine) {
  const slots = new Map(engine.call('sql.query', { sql: 'SELECT row_id, entity, slot FROM legacy_id_map' }).rows
    .map((r) => [r.row_id, r]));
  const name = (id, depth = 0) => {
    const s = slots.get(id);
    return s && depth < 8 ? `<${s.entity}:${s.slot.replace(UUID, (u) => name(u, depth + 1))}>` : id;
  };
  const out = {};
  for (const [table, cols] of Object.entries(TABLES)) {
    out[table] = engine.call('sql.query', { sql: `SELECT ${cols} FROM ${table}` }).rows
      .map((r) => JSON.stringify(r).replace(UUID, (u) => name(u))).sort();
  }
  return out;
}

const cases = [
  ...ADVERSARIAL.map((name) => [name, () => loadDump(name)]),
  ['preset small', () => generatePreset('small').dump],
  ['preset medium', () => generatePreset('medium').dump],
  ['preset near-quota', () => generatePreset('near-quota').dump],
];

for (const [name, load] of cases) {
  test(`${name}: migrate -> exportLegacy -> migrate gives back every key and the same database`, { timeout: 120_000 }, async () => {
    // Rows whose source had no date get the migration time: those stamps
    // (from this test's start on) are equal only up to "now".
    const start = new Date(Date.now() - 1000).toISOString();
    const stamps = (rows) => rows.map((r) => r.replace(/"(\d{4}-\d\d-\d\dT[^"]*Z)"/g, (m, t) => (t >= start ? '"<now>"' : m)));
    const a = await openEngine();
    const b = await openEngine();
    try {
      const dump = load();
      const first = await migrateLegacyStorage(a.call, { localStorage: new MemoryStorage(dump) });
      assert.deepEqual(first.errors, []);
      const rollback = new MemoryStorage({ theme: 'dark' });
      const exported = await exportLegacy(a.call, { write: true, inlineImages: true, localStorage: rollback });
      assert.deepEqual(exported.failed, []);
      assert.equal(rollback.getItem('theme'), 'dark');  // other keys untouched
      // Key by key: every legacy key, byte for byte; no key that never existed.
      const legacyKeys = Object.keys(dump).filter(isLegacyKey);
      assert.deepEqual(exported.written.sort(), [...legacyKeys].sort());
      for (const key of legacyKeys) assert.ok(rollback.getItem(key) === dump[key], `${key} comes back byte for byte`);
      const second = await migrateLegacyStorage(b.call, { localStorage: rollback });
      assert.deepEqual(second.errors, []);
      assert.equal(second.ok, first.ok, 'what was lost is lost the same way again');
      assert.deepEqual(second.loss, first.loss);
      const ca = canonical(a.engine), cb = canonical(b.engine);
      for (const table of Object.keys(TABLES)) assert.deepEqual(stamps(cb[table]), stamps(ca[table]), table);
      for (const e of ['products', 'legacy_campaigns', 'v2_campaigns', 'ai_generations', 'sample_products', 'sample_campaigns']) {
        assert.deepEqual(second.legacyIds[e], first.legacyIds[e], e);
      }
      // The export, migrated into the first database, changes no row there.
      const before = canonical(a.engine);
      const third = await migrateLegacyStorage(a.call, { localStorage: rollback });
      assert.deepEqual(third.errors, []);
      assert.deepEqual(canonical(a.engine), before);
    } finally {
      a.engine.dispose();
      b.engine.dispose();
    }
  });
}

test('release keeps what did not fully migrate, says why, and lets it go only when asked', async () => {
  const { engine, call } = await openEngine();
  try {
    const dump = loadDump('truncated');
    const storage = new MemoryStorage(dump);
    const report = await migrateLegacyStorage(call, { localStorage: storage });
    assert.equal(report.ok, false);
    const unparsed = report.warnings.filter((w) => w.code === 'UNPARSED').map((w) => w.key).sort();
    assert.deepEqual(unparsed, ['campaign_draft_campaign_1763000000000', 'products', 'sample_data', 'saved_campaigns']);
    const first = await releaseLegacyKeys(call, { localStorage: storage });
    assert.deepEqual(first.released.sort(), ['backgrounds', 'campaigns']);
    assert.deepEqual(first.kept.filter((k) => k.code === 'UNPARSED').map((k) => k.key).sort(), unparsed);
    for (const key of unparsed) assert.equal(storage.getItem(key), dump[key], `${key} stays in localStorage`);
    const second = await releaseLegacyKeys(call, { localStorage: storage, includeUnmigrated: true });
    assert.deepEqual(second.released.sort(), unparsed);
    // Gone from localStorage, still in the export, byte for byte.
    const back = await exportLegacy(call, { inlineImages: true });
    for (const key of unparsed) assert.equal(back.entries.find((e) => e.key === key)?.value, dump[key]);
  } finally {
    engine.dispose();
  }
});
