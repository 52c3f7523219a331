// Shipped bytes: what a browser downloads to run each engine in a worker.
//   ours         dist/campaign_store.wasm + dist/campaign_store.mjs + every js/
//                module the worker client reaches from js/index.js and the worker
//                entry (followed through static and dynamic imports; Node-only
//                hosts/transports excluded), as published (not minified)
//   sqlite-wasm  its sqlite3.wasm + index.mjs (what its browser export loads;
//                the OPFS proxy/worker1 files are extra, not counted)
// gzip -9 per file, summed (what a server sending each file gzip'd costs).
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Section } from './lib/report.mjs';
import { REPO } from './lib/prepare.mjs';

const NODE_ONLY = /(hosts\/node\.js|transport-node\.js|node-lock\.js)$/;

/** js/ files reachable from the entries through import specifiers that are relative paths. */
export function moduleGraph(entries) {
  const seen = new Set();
  const todo = [...entries];
  while (todo.length) {
    const file = todo.pop();
    if (seen.has(file) || NODE_ONLY.test(file)) continue;
    seen.add(file);
    const src = fs.readFileSync(file, 'utf8');
    const specs = [...src.matchAll(/(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*(?:\/\*.*?\*\/\s*)?['"](\.[^'"]+)['"]\s*\)|new URL\(\s*['"](\.[^'"]+\.js)['"]/g)]
      .map((m) => m[1] ?? m[2] ?? m[3]);
    for (const spec of specs) {
      const target = path.resolve(path.dirname(file), spec);
      if (fs.existsSync(target) && target.startsWith(path.join(REPO, 'js'))) todo.push(target);
    }
  }
  return [...seen].sort();
}

const measure = (files) => files.reduce((acc, f) => {
  const b = fs.readFileSync(f);
  acc.raw += b.length;
  acc.gzip += gzipSync(b, { level: 9 }).length;
  return acc;
}, { raw: 0, gzip: 0 });

export function sizeSection() {
  const s = new Section('Size: shipped bytes (wasm + JS)', {
    intro: 'Per-file gzip -9, summed. Ours: dist/ + the js/ modules the browser worker client reaches (static and dynamic ' +
      'imports from js/index.js and js/worker/browser-entry.js; Node-only modules excluded); not minified, as published. ' +
      'sqlite-wasm: sqlite3.wasm + dist/index.mjs (its browser entry).',
  });
  const entries = [path.join(REPO, 'js/index.js'), path.join(REPO, 'js/worker/browser-entry.js')].filter(fs.existsSync);
  const js = moduleGraph(entries);
  const oursWasm = measure([path.join(REPO, 'dist/campaign_store.wasm')]);
  const oursGlue = measure([path.join(REPO, 'dist/campaign_store.mjs')]);
  const oursJs = measure(js);
  const sw = path.join(REPO, 'node_modules/@sqlite.org/sqlite-wasm/dist');
  const theirWasm = measure([path.join(sw, 'sqlite3.wasm')]);
  const theirJs = measure([path.join(sw, 'index.mjs')]);
  const add = (w, peer, v, unit = 'bytes') => s.add(w, peer, [v], { unit });
  add('wasm, gzip', 'ours', oursWasm.gzip);
  add('wasm, gzip', 'sqlite-wasm', theirWasm.gzip);
  add('JS, gzip', `ours (glue ${(oursGlue.gzip / 1024).toFixed(0)} KiB + ${js.length} modules ${(oursJs.gzip / 1024).toFixed(0)} KiB)`, oursGlue.gzip + oursJs.gzip);
  add('JS, gzip', 'sqlite-wasm', theirJs.gzip);
  add('total (wasm + JS), gzip', 'ours', oursWasm.gzip + oursGlue.gzip + oursJs.gzip);
  add('total (wasm + JS), gzip', 'sqlite-wasm', theirWasm.gzip + theirJs.gzip);
  add('wasm, raw', 'ours', oursWasm.raw);
  add('wasm, raw', 'sqlite-wasm', theirWasm.raw);
  add('JS, raw', 'ours', oursGlue.raw + oursJs.raw);
  add('JS, raw', 'sqlite-wasm', theirJs.raw);
  add('total (wasm + JS), raw', 'ours', oursWasm.raw + oursGlue.raw + oursJs.raw);
  add('total (wasm + JS), raw', 'sqlite-wasm', theirWasm.raw + theirJs.raw);
  s.note(`Ours JS modules counted: ${js.map((f) => path.relative(REPO, f)).join(', ')}.`);
  s.finish();
  return { section: s, ours: oursWasm.gzip + oursGlue.gzip + oursJs.gzip, theirs: theirWasm.gzip + theirJs.gzip };
}
