#!/usr/bin/env node
// The migration of a 10,000-product dump (~23 MB as UTF-16: beyond a real
// localStorage quota, the dump of an app that already used an
// IndexedDB-backed localStorage shim) through the worker, as an app opens
// the store, and its re-migration after the old app changed one product.
// Every figure is measured against a peer in the same run, each run in a
// fresh Node process (so peak RSS is the scenario's own), peers interleaved:
//
//   first            openCampaignStore({localStorage}) migrating the dump in the
//                    worker (collection, staging, every group, the report),
//                    with onMigrationProgress listening
//   first, quiet     the same without a progress listener (what listening costs)
//   status quo load  what the old app does on start: JSON.parse of every key
//   again            after the first migration, one product's name changed in
//                    localStorage; store.migration.run() (the next open)
//   again, full      the same re-reading every product (incremental: false:
//                    how every re-migration worked before)
//   status quo save  what the old app does to save that one change: JSON.parse
//                    and JSON.stringify of the whole products key
//
//   node bench/migration/large.mjs [--runs 3] [--json out.json]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = fileURLToPath(import.meta.url);
// The dump: the generator's realistic products (one https image each,
// background versions with small data: PNGs), 600 legacy and 120 V2
// campaigns, 40 drafts, 300 extra generations.
export const LARGE = {
  seed: '10k-full', products: 10_000, campaigns: 600, v2Campaigns: 120, drafts: 40, imagesPerProduct: [1, 1],
  httpsImageRate: 1, backgroundVersionsPerImage: [0, 1], imageBytes: 120, extraBackgrounds: 300, duplicateImageRate: 0,
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function child(scenario, dumpFile) {
  const dump = JSON.parse(readFileSync(dumpFile, 'utf8'));
  const { MemoryStorage } = await import('../../tests/node/legacy-support.mjs');
  const storage = new MemoryStorage(dump, { quota: Infinity });
  const out = { scenario };
  if (scenario === 'status-quo-load' || scenario === 'status-quo-save') {
    const t0 = performance.now();
    if (scenario === 'status-quo-load') {
      for (const value of Object.values(dump)) {
        try { JSON.parse(value); } catch { /* the app's try/catch */ }
      }
    } else {
      const products = JSON.parse(storage.getItem('products'));
      products[5].name += ' (edited)';
      storage.setItem('products', JSON.stringify(products));
    }
    out.ms = performance.now() - t0;
  } else {
    const { openCampaignStore } = await import('../../js/index.js');
    const first = scenario === 'first' || scenario === 'first-quiet';
    const events = [];
    const listen = scenario !== 'first-quiet' ? { onMigrationProgress: (e) => events.push({ at: performance.now(), e }) } : {};
    const t0 = performance.now();
    const store = await openCampaignStore({ storage: 'memory', localStorage: storage, ...(first ? listen : {}) });
    try {
      if (first) {
        out.ms = performance.now() - t0;
        out.report = store.migration.lastReport;
        const items = events.filter((x) => x.e.phase === 'items' && x.e.key === 'products');
        out.itemEvents = items.length;
        out.maxGapMs = Math.max(0, ...events.slice(1).map((x, i) => x.at - events[i].at));
        out.productsMs = items.length ? items.at(-1).at - items[0].at : 0;
      } else {
        const products = JSON.parse(storage.getItem('products'));
        products[5].name += ' (edited)';
        storage.setItem('products', JSON.stringify(products));
        const t1 = performance.now();
        out.report = await store.migration.run({ localStorage: storage, incremental: scenario === 'again', onProgress: (e) => events.push({ at: performance.now(), e }) });
        out.ms = performance.now() - t1;
        out.migrated = out.report.run.groups.filter((g) => g.outcome === 'migrated').map((g) => g.group);
      }
      out.errors = out.report.errors.length;
      out.products = out.report.database.products;
      delete out.report;
    } finally {
      await store.close();
    }
  }
  out.maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify(out));
}

async function main() {
  const { values: opts } = parseArgs({ options: { runs: { type: 'string', default: '3' }, json: { type: 'string' } } });
  const runs = Math.max(1, Number(opts.runs));
  const { generateDump, measureUnits } = await import('../../tests/fixtures/generate.mjs');
  const { dump, manifest } = generateDump(LARGE);
  const dir = mkdtempSync(join(tmpdir(), 'cs-bench-large-'));
  const dumpFile = join(dir, 'dump.json');
  writeFileSync(dumpFile, JSON.stringify(dump));
  const units = measureUnits(dump);
  console.log(`dump: ${manifest.expected.products} products, ${manifest.expected.product_images} images, ` +
    `${manifest.expected.background_versions} background versions, ${Object.keys(dump).length} keys, ` +
    `${units.toLocaleString('en-US')} UTF-16 units (${(units * 2 / 1e6).toFixed(1)} MB as UTF-16)`);
  const scenarios = ['first', 'first-quiet', 'status-quo-load', 'again', 'again-full', 'status-quo-save'];
  const results = Object.fromEntries(scenarios.map((s) => [s, []]));
  try {
    for (let r = 0; r < runs; r++) {
      for (const scenario of scenarios) {
        const res = spawnSync(process.execPath, [HERE, '--child', scenario, dumpFile], { encoding: 'utf8', maxBuffer: 1 << 26 });
        if (res.status !== 0) throw new Error(`${scenario}: ${res.stderr}`);
        const out = JSON.parse(res.stdout);
        if (out.errors) throw new Error(`${scenario}: the report has ${out.errors} errors`);
        results[scenario].push(out);
        console.log(`  run ${r + 1}/${runs} ${scenario}: ${out.ms.toFixed(0)} ms, peak RSS ${out.maxRssMb.toFixed(0)} MB` +
          (out.itemEvents !== undefined ? `, ${out.itemEvents} progress events inside products, longest gap ${out.maxGapMs.toFixed(0)} ms` : '') +
          (out.migrated ? `, migrated: ${out.migrated.join(', ')}` : ''));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const m = (s, f = 'ms') => median(results[s].map((x) => x[f]));
  const summary = {
    node: process.version, runs, units, products: manifest.expected.products,
    first: m('first'), firstQuiet: m('first-quiet'), statusQuoLoad: m('status-quo-load'),
    again: m('again'), againFull: m('again-full'), statusQuoSave: m('status-quo-save'),
    firstRssMb: m('first', 'maxRssMb'), statusQuoLoadRssMb: m('status-quo-load', 'maxRssMb'),
    itemEvents: m('first', 'itemEvents'), maxGapMs: m('first', 'maxGapMs'), productsMs: m('first', 'productsMs'),
  };
  console.log(`\nmedians of ${runs} runs (${process.version}):`);
  console.log(`  first migration through the worker: ${summary.first.toFixed(0)} ms (without a progress listener ${summary.firstQuiet.toFixed(0)} ms), peak RSS ${summary.firstRssMb.toFixed(0)} MB; status quo load (JSON.parse of every key) ${summary.statusQuoLoad.toFixed(0)} ms, peak RSS ${summary.statusQuoLoadRssMb.toFixed(0)} MB`);
  console.log(`  progress: ${summary.itemEvents} events inside the products key (${summary.productsMs.toFixed(0)} ms), longest gap between any two events ${summary.maxGapMs.toFixed(0)} ms`);
  console.log(`  one product changed, re-migration: ${summary.again.toFixed(0)} ms vs re-reading every product ${summary.againFull.toFixed(0)} ms (${(summary.againFull / summary.again).toFixed(1)}x); the old app's save of that change ${summary.statusQuoSave.toFixed(0)} ms`);
  if (opts.json) writeFileSync(opts.json, JSON.stringify({ summary, results }, null, 2));
}

const at = process.argv.indexOf('--child');
if (at > 0) await child(process.argv[at + 1], process.argv[at + 2]);
else if (import.meta.url === `file://${process.argv[1]}`) await main();
