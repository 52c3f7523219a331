// -O2 vs -Oz (and friends) for the wasm build: bytes and speed on the same
// workload, each variant measured in the same run. Build the variants first:
//   emcmake cmake -S . -B build/wasm-oz -DCS_WASM_OPT=-Oz && cmake --build build/wasm-oz --target campaign_store_wasm
// Usage: node bench/wasm-opt.mjs o2 oz [...]   (dirs build/wasm-<name>)
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Worker, isMainThread, workerData, parentPort } from 'node:worker_threads';

const ROWS = 20_000;

async function measure(dir) {
  const { createEngine } = await import('../js/core.js');
  const base = new URL(`../build/wasm-${dir}/`, import.meta.url);
  const t0 = performance.now();
  const e = await createEngine({ moduleUrl: new URL('campaign_store.mjs', base), wasmUrl: new URL('campaign_store.wasm', base) });
  const load = performance.now() - t0;
  e.call('open');
  e.call('sql.exec', { sql: 'CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, cat TEXT, price INTEGER)' });
  e.call('sql.exec', { sql: 'CREATE INDEX t_cat ON t(cat)' });
  let t = performance.now();
  e.call('batch', { ops: Array.from({ length: ROWS }, (_, i) => ({ op: 'sql.exec',
    args: { sql: 'INSERT INTO t(name, cat, price) VALUES (?, ?, ?)', params: [`product ${i}`, `c${i % 50}`, i * 7] } })) });
  const insert = performance.now() - t;
  t = performance.now();
  for (let i = 1; i <= ROWS; i++) e.call('sql.query', { sql: 'SELECT * FROM t WHERE id = ?', params: [i] });
  const point = performance.now() - t;
  t = performance.now();
  e.call('sql.exec', { sql: `INSERT INTO t(name, cat, price) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000)
    SELECT 'bulk ' || i, 'c' || (i % 97), i FROM n` });
  e.call('sql.query', { sql: "SELECT cat, count(*), sum(price) FROM t WHERE name LIKE '%9%' GROUP BY cat ORDER BY 3 DESC" });
  const sqlOnly = performance.now() - t;
  return { load, insert, point, sqlOnly };
}

if (isMainThread) {
  const dirs = process.argv.slice(2);
  const rows = [];
  for (const dir of dirs) {
    const runs = [];
    for (let r = 0; r < 3; r++) {  // fresh thread each run: no shared JIT or heap state
      runs.push(await new Promise((resolve, reject) => {
        const w = new Worker(new URL(import.meta.url), { workerData: dir });
        w.once('message', resolve).once('error', reject);
      }));
    }
    const med = (k) => runs.map((x) => x[k]).sort((a, b) => a - b)[1];
    const wasm = readFileSync(new URL(`../build/wasm-${dir}/campaign_store.wasm`, import.meta.url));
    rows.push({ variant: dir, wasmBytes: wasm.length, wasmGzip: gzipSync(wasm, { level: 9 }).length,
      'load ms': med('load').toFixed(1), [`${ROWS} inserts ms`]: med('insert').toFixed(1),
      [`${ROWS} point reads ms`]: med('point').toFixed(1), 'SQL-only ms': med('sqlOnly').toFixed(1) });
  }
  console.table(rows);
} else {
  parentPort.postMessage(await measure(workerData));
}
