// Durability settings on the Node host (real files, fdatasync on flush):
// commit latency of the autosave pattern and bulk-insert throughput for
// every journal mode x synchronous setting. Not a test; run by hand:
//   node bench/vfs/node-durability.mjs [--json out.json]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { createEngine } from '../../js/core.js';
import { openStorage } from '../../js/hosts/index.js';
import { AUTOSAVE_TXNS, DURABILITY_MATRIX, campaignStore, countVerbs } from './workloads.mjs';

const now = () => performance.now();
const results = [];
const engine = await createEngine();
// The first configuration runs twice: its first run warms up the JIT.
for (const [i, settings] of [DURABILITY_MATRIX[0], ...DURABILITY_MATRIX].entries()) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-bench-'));
  const storage = await openStorage(engine.module, { kind: 'node', dir, ...settings });
  const counts = countVerbs(storage.host);
  engine.call('open', storage.openArgs);
  engine.storage = storage;
  campaignStore.setup(engine);
  const before = { ...counts };
  const autosave = await campaignStore.autosave(engine, now);
  const perCommit = {
    flushes: (counts.flush - before.flush) / AUTOSAVE_TXNS,
    writes: (counts.write - before.write) / AUTOSAVE_TXNS,
  };
  const bulk = campaignStore.bulk(engine, now, { batch: true });
  engine.call('close');
  fs.rmSync(dir, { recursive: true, force: true });
  if (i === 0) continue;
  const row = { host: 'node', ...settings, autosave, perCommit, bulkMs: bulk.ms };
  results.push(row);
  const label = settings.durability ? `${settings.durability} (wal/normal+${storage.syncWithinMs}ms)` : `${settings.journalMode} ${settings.synchronous}`;
  console.log(`${label.padEnd(28)} autosave ${autosave.ms.toFixed(0).padStart(6)} ms` +
    `  p50 ${autosave.p50.toFixed(3)} p95 ${autosave.p95.toFixed(3)} ms  ${perCommit.flushes.toFixed(1)} flush ${perCommit.writes.toFixed(1)} write /commit` +
    `  bulk 25k ${bulk.ms.toFixed(0)} ms`);
}
engine.dispose();
const out = process.argv.indexOf('--json');
if (out > 0) fs.writeFileSync(process.argv[out + 1], JSON.stringify(results, null, 2));
