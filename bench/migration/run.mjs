#!/usr/bin/env node
// The localStorage migration against the status quo, on the same dumps in
// the same process (Node, wasm, in-thread engine):
//
//   status quo  what the app does with its data today: JSON.parse every
//               legacy key, and JSON.stringify it back (each save rewrites
//               the whole key)
//   migration   migrateLegacyStorage() on a fresh in-memory database: collect,
//               stage the UTF-8 bytes, one legacy.import call per key group,
//               validated report (what openCampaignStore runs on first open)
//   + on disk   the same onto the Node file host (a persistent pool,
//               durability 'full'), the closest Node gets to OPFS
//   re-open     the same localStorage migrated again (nothing changed): what
//               every open costs until the keys are released
//
// Cold = the first run in the process (the wasm code is still baseline
// compiled, V8 tiers it up while it runs); warm = median of the runs after.
//
//   node bench/migration/run.mjs [--runs 7] [--presets near-quota,medium,10k-products] [--json out.json]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';

import { createEngine } from '../../js/core.js';
import { engineCaller, migrateLegacyStorage } from '../../js/legacy/index.js';
import { generatePreset } from '../../tests/fixtures/generate.mjs';
import { MemoryStorage } from '../../tests/node/legacy-support.mjs';

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    presets: { type: 'string', default: 'near-quota,medium,10k-products' },
    json: { type: 'string' },
  },
});
const RUNS = Math.max(2, Number(opts.runs));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(1)} ms`;

function statusQuo(dump) {
  const storage = new MemoryStorage(dump);
  const t0 = performance.now();
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    const raw = storage.getItem(key);
    let value;
    try { value = JSON.parse(raw); } catch { continue; }  // the app skips what it cannot read
    storage.setItem(key, JSON.stringify(value));
  }
  return performance.now() - t0;
}

// The presets hold what the old app really leaves behind (a key cut short by
// the quota, unusable list items), so a faithful report says ok: false with
// warnings. A run counts when it has no errors and migrated exactly what the
// preset's manifest expects.
function verify(report, expected) {
  if (report.errors.length) throw new Error(`migration failed: ${JSON.stringify(report.errors.slice(0, 3))}`);
  const differs = Object.keys(expected).filter((k) => !isDeepStrictEqual(report.source[k], expected[k]));
  if (differs.length) {
    throw new Error(`migration differs from the manifest: ${differs.map((k) => `${k} ${JSON.stringify(report.source[k])} != ${JSON.stringify(expected[k])}`).join(', ')}`);
  }
}

async function migration(dump, expected, { disk = false, again = false } = {}) {
  const dir = disk ? mkdtempSync(join(tmpdir(), 'cs-bench-')) : null;
  const engine = await createEngine(disk ? { storage: { kind: 'node', dir, durability: 'full' } } : undefined);
  try {
    if (!disk) engine.call('open', {});
    const storage = new MemoryStorage(dump);
    if (again) await migrateLegacyStorage(engineCaller(engine), { localStorage: storage });
    const t0 = performance.now();
    const report = await migrateLegacyStorage(engineCaller(engine), { localStorage: storage });
    const total = performance.now() - t0;
    verify(report, expected);
    return { total, core: report.run.durationMs, report };
  } finally {
    engine.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

const results = [];
for (const preset of opts.presets.split(',')) {
  const { dump, manifest } = generatePreset(preset);
  const row = { preset, units: manifest.size.utf16_units, keys: manifest.size.keys };
  // Cold first: nothing has run in this process for this preset... except
  // what earlier presets warmed; the first preset is the truly cold one.
  row.statusQuoCold = statusQuo(dump);
  const cold = await migration(dump, manifest.expected);
  row.migrationCold = cold.total;
  const sq = [], mig = [], core = [], disk = [], reopen = [];
  for (let i = 0; i < RUNS; i++) {
    sq.push(statusQuo(dump));
    const m = await migration(dump, manifest.expected);
    mig.push(m.total);
    core.push(m.core);
  }
  for (let i = 0; i < Math.min(3, RUNS); i++) disk.push((await migration(dump, manifest.expected, { disk: true })).total);
  for (let i = 0; i < Math.min(5, RUNS); i++) reopen.push((await migration(dump, manifest.expected, { again: true })).total);
  Object.assign(row, {
    statusQuo: median(sq), migration: median(mig), migrationCore: median(core), migrationDisk: median(disk),
    reopen: median(reopen),
    blobs: cold.report.source.data_url_blobs, blobBytes: cold.report.source.data_url_blob_bytes,
    rows: cold.report.source.products + cold.report.source.product_images + cold.report.source.legacy_campaigns
      + cold.report.source.v2_campaigns + cold.report.source.drafts + cold.report.source.ai_generations,
  });
  results.push(row);
  console.log(`${preset}: ${row.units.toLocaleString('en-US')} UTF-16 units, ${row.keys} keys, ${row.blobs} blobs (${row.blobBytes.toLocaleString('en-US')} B)`);
  console.log(`  status quo (JSON.parse + JSON.stringify of every key): cold ${ms(row.statusQuoCold)}, warm ${ms(row.statusQuo)}`);
  console.log(`  migration (in memory):                               cold ${ms(row.migrationCold)}, warm ${ms(row.migration)} (C++ ${ms(row.migrationCore)})`);
  console.log(`  migration onto the Node file host (durability full): warm ${ms(row.migrationDisk)}`);
  console.log(`  re-open, nothing changed (hash and skip every group):  warm ${ms(row.reopen)}`);
}
console.log(`node ${process.version}, ${RUNS} warm runs per figure (median)`);
if (opts.json) writeFileSync(opts.json, JSON.stringify({ node: process.version, runs: RUNS, results }, null, 2));
