// Builds of the module side by side on the API workloads: bytes, and the time
// of each workload through engine.call in-thread (and the worker client with
// --client), every build in a fresh worker thread, builds interleaved run by
// run, answers verified. What a size lever costs in speed, measured before
// it is kept.
//   node bench/builds.mjs dist build/base build/v-x [--quick] [--reps 5] [--client]
// (each argument a directory with campaign_store.{mjs,wasm})
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { expected } from './lib/data.mjs';
import { prepareData, REPO } from './lib/prepare.mjs';
import { median } from './lib/report.mjs';
import { inWorker } from './lib/run-peer.mjs';
import { API_ROWS, verify } from './node/sections.mjs';

const { values: opts, positionals: dirs } = parseArgs({
  allowPositionals: true,
  options: { quick: { type: 'boolean', default: false }, reps: { type: 'string', default: '5' }, client: { type: 'boolean', default: false } },
});
const reps = Number(opts.reps);
const { file: dataFile, data } = await prepareData(opts.quick ? 'quick' : 'full');
const ctx = { expected: expected(data) };
const peers = opts.client ? ['ours', 'ours-client'] : ['ours'];
const runs = new Map();
const failures = [];
for (let r = 0; r < reps; r++) {
  const order = r % 2 ? [...dirs].reverse() : dirs;
  for (const dir of order) {
    for (const peer of peers) {
      const key = `${peer} ${dir}`;
      console.error(`run ${r + 1}/${reps}: ${key}`);
      const res = await inWorker(new URL('./node/api-worker.mjs', import.meta.url),
        { peer, dataFile, build: path.resolve(REPO, dir) });
      if (res.error) throw new Error(`${key}: ${res.error}`);
      res.ok = verify(ctx, key, res, failures);
      if (!runs.has(key)) runs.set(key, []);
      runs.get(key).push(res);
    }
  }
}
const bytes = (dir) => {
  const wasm = fs.readFileSync(path.resolve(REPO, dir, 'campaign_store.wasm'));
  return `${wasm.length.toLocaleString()} B, ${(gzipSync(wasm, { level: 9 }).length / 1024).toFixed(1)} KiB gzip`;
};
const first = dirs[0];
console.log(`| workload | peer | ${dirs.map((d) => `${d} (${bytes(d)})`).join(' | ')} |`);
console.log(`| --- | --- | ${dirs.map(() => '---:').join(' | ')} |`);
for (const [workload, get] of API_ROWS) {
  for (const peer of peers) {
    const m = dirs.map((d) => median(runs.get(`${peer} ${d}`).map(get)));
    console.log(`| ${workload} | ${peer} | ${m.map((v, i) => `${v.toFixed(v < 1 ? 3 : 1)} ms${i ? ` (${(v / m[0]).toFixed(2)}× ${first})` : ''}`).join(' | ')} |`);
  }
}
console.log(`\n${reps} runs each (medians), ${opts.quick ? 'quick' : 'full'} sizes; verified: ${failures.length ? failures.join(' | ') : 'all passed'}.`);
