// One run of the legacy migration (the ~4.9 MB near-quota dump) by one peer,
// in a fresh worker thread. Warm-up: the same peer on the 'small' preset.
//   ours-staged  legacy.import with the values' UTF-8 bytes staged in the
//                import slot (engine.importSlot), {key, bytes} entries:
//                the route the op table documents for large dumps
//   ours-inline  legacy.import with {key, value} strings inside the JSON args
//   status-quo   what the app does with the same keys today: JSON.parse of
//                every value (its start-up load), no migration at all
// workerData: {peer, dumpFile, warmFile}
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';

const { peer, dumpFile, warmFile } = workerData;
const dump = JSON.parse(fs.readFileSync(dumpFile, 'utf8'));
const warm = JSON.parse(fs.readFileSync(warmFile, 'utf8'));

function importStaged(engine, d) {
  const enc = new TextEncoder();
  const keys = Object.keys(d);
  const bufs = keys.map((k) => enc.encode(d[k]));
  const total = bufs.reduce((n, b) => n + b.length, 0);
  const view = engine.importSlot(total);
  let off = 0;
  for (const b of bufs) {
    view.set(b, off);
    off += b.length;
  }
  return engine.call('legacy.import', { entries: keys.map((key, i) => ({ key, bytes: bufs[i].length })) });
}
const importInline = (engine, d) => engine.call('legacy.import', { entries: Object.entries(d).map(([key, value]) => ({ key, value })) });

function statusQuo(d) {
  // localStorage.getItem + JSON.parse per key, as the app loads its state.
  let items = 0;
  for (const value of Object.values(d)) {
    try {
      const v = JSON.parse(value);
      items += Array.isArray(v) ? v.length : 1;
    } catch {
      // not JSON (the app's try/catch)
    }
  }
  return items;
}

async function main() {
  if (peer === 'status-quo') {
    statusQuo(warm);
    const t0 = performance.now();
    const items = statusQuo(dump);
    return { ms: performance.now() - t0, items };
  }
  const { createEngine, Engine } = await import('../../js/core.js');
  const run = peer === 'ours-staged' ? importStaged : importInline;
  const scratch = await createEngine();
  scratch.call('open');
  run(scratch, warm);
  scratch.dispose();
  const engine = new Engine(scratch.module);
  engine.call('open');
  const t0 = performance.now();
  const report = run(engine, dump);
  const ms = performance.now() - t0;
  engine.dispose();
  return { ms, database: report.database, errors: report.errors?.length ?? 0 };
}

main().then((result) => parentPort.postMessage({ result }), (e) => parentPort.postMessage({ error: String(e?.stack ?? e) }));
