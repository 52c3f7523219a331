// Side by side in one Chromium run, on real OPFS in dedicated workers:
// campaign-store's pool VFS (default settings) against @sqlite.org/sqlite-wasm
// with opfs-sahpool, on (a) 1,000 autosave transactions, (b) 25k inserts in
// one transaction, (c) 10k indexed reads; then the durability matrix of our
// VFS on OPFS. Not a test. Run by hand:
//   node bench/vfs/run-chromium.mjs [--rounds 3] [--no-matrix] [--json out.json]
import fs from 'node:fs';

import { launch } from '../../tests/browser/support/chromium.mjs';
import { startServer } from '../../tests/browser/support/server.mjs';
import { DURABILITY_MATRIX } from './workloads.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const rounds = Number(arg('--rounds', 3));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = await startServer();
const browser = await launch();
const page = await browser.context.newPage();
await page.goto(`${server.url}/bench/vfs/page.html`);
await page.waitForFunction(() => window.ready === true);
const bench = async (job) => {
  const r = await page.evaluate((j) => window.bench(j), job);
  if (r.error) throw new Error(`${job.engine}: ${r.error}`);
  return r.result;
};

const out = { rounds, userAgent: await page.evaluate(() => navigator.userAgent), sideBySide: [], matrix: [] };
try {
  // Alternate the engines so drift (caches, disk) hits both alike.
  for (let i = 0; i < rounds; i++) {
    out.sideBySide.push({
      cs: await bench({ engine: 'cs', settings: {}, sequence: 'full' }),
      csFull: await bench({ engine: 'cs', settings: { durability: 'full' }, sequence: 'matrix' }),
      sahpool: await bench({ engine: 'sahpool' }),
    });
  }
  const m = (f) => median(out.sideBySide.map(f));
  const rows = [
    ['(a) 1,000 autosave commits, total ms', m((r) => r.cs.autosave.ms), m((r) => r.sahpool.autosave.ms)],
    ['(a) ... until all on disk, ms', m((r) => r.cs.autosave.msToDisk), m((r) => r.sahpool.autosave.msToDisk)],
    ['(a) per-commit p50 ms', m((r) => r.cs.autosave.p50), m((r) => r.sahpool.autosave.p50)],
    ['(a) per-commit p95 ms', m((r) => r.cs.autosave.p95), m((r) => r.sahpool.autosave.p95)],
    ['(a) flushes per commit (not a time)', m((r) => r.cs.autosave.flushesPerCommit), m((r) => r.sahpool.autosave.flushesPerCommit)],
    ["(a) durability 'full': total ms", m((r) => r.csFull.autosave.ms), m((r) => r.sahpool.autosave.ms)],
    ["(a) durability 'full': per-commit p50 ms", m((r) => r.csFull.autosave.p50), m((r) => r.sahpool.autosave.p50)],
    ["(a) durability 'full': flushes per commit (not a time)", m((r) => r.csFull.autosave.flushesPerCommit),
      m((r) => r.sahpool.autosave.flushesPerCommit)],
    ['(b) 25k inserts, 1 txn: batch op, ms', m((r) => r.cs.bulkBatch.ms), m((r) => r.sahpool.bulk.ms)],
    ['(b) 25k inserts, 1 txn: call per row, ms', m((r) => r.cs.bulkPerCall.ms), m((r) => r.sahpool.bulk.ms)],
    ['(c) 10k indexed reads: batch op, ms', m((r) => r.cs.readsBatch.ms), m((r) => r.sahpool.reads.ms)],
    ['(c) 10k indexed reads: call per read, ms', m((r) => r.cs.readsPerCall.ms), m((r) => r.sahpool.reads.ms)],
  ];
  const s = out.sideBySide[0];
  console.log(`campaign-store ${s.cs.settings.journalMode}/${s.cs.settings.synchronous}` +
    `${s.cs.settings.syncWithinMs ? ` + flush within ${s.cs.settings.syncWithinMs} ms` : ''} vs sqlite-wasm ${s.sahpool.version} ` +
    `opfs-sahpool ${s.sahpool.settings.journalMode}/${s.sahpool.settings.synchronous}; median of ${rounds}`);
  console.log(`${'workload'.padEnd(54)} ${'ours'.padStart(9)} ${'sahpool'.padStart(9)} ${'sahpool/ours'.padStart(13)}`);
  for (const [label, ours, theirs] of rows) {
    const ratio = label.includes('not a time') ? '' : (theirs / ours).toFixed(2);
    console.log(`${label.padEnd(54)} ${ours.toFixed(2).padStart(9)} ${theirs.toFixed(2).padStart(9)} ${ratio.padStart(13)}`);
  }
  out.summary = rows.map(([label, ours, sahpool]) => ({ label, ours, sahpool, ratio: sahpool / ours }));
  out.loadAverage = (await import('node:os')).loadavg();

  if (!process.argv.includes('--no-matrix')) {
    console.log('\ndurability matrix on OPFS (campaign-store), median of', rounds);
    for (const settings of DURABILITY_MATRIX) {
      const runs = [];
      for (let i = 0; i < rounds; i++) runs.push(await bench({ engine: 'cs', settings, sequence: 'matrix' }));
      const row = {
        ...settings,
        autosaveMs: median(runs.map((r) => r.autosave.ms)),
        p50: median(runs.map((r) => r.autosave.p50)),
        p95: median(runs.map((r) => r.autosave.p95)),
        flushesPerCommit: median(runs.map((r) => r.autosave.flushesPerCommit)),
        bulkMs: median(runs.map((r) => r.bulkBatch.ms)),
      };
      out.matrix.push(row);
      const label = settings.durability ? `${settings.durability} (wal/normal + timed flush)` : `${settings.journalMode} ${settings.synchronous}`;
      console.log(`${label.padEnd(34)} autosave ${row.autosaveMs.toFixed(0).padStart(6)} ms` +
        `  p50 ${row.p50.toFixed(2)} p95 ${row.p95.toFixed(2)} ms  ${row.flushesPerCommit.toFixed(1)} flush/commit  bulk 25k ${row.bulkMs.toFixed(0)} ms`);
    }
  }
} finally {
  await browser.close();
  await server.close();
}
const json = arg('--json');
if (json) fs.writeFileSync(json, JSON.stringify(out, null, 2));
