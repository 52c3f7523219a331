// Shipped bytes: what a browser downloads to run each engine in a worker.
//   ours         dist/campaign_store.wasm + dist/campaign_store.mjs + every js/
//                module the worker client reaches from js/index.js and the worker
//                entry (followed through static and dynamic imports; Node-only
//                hosts/transports excluded), as published and minified
//   sqlite-wasm  its sqlite3.wasm + index.mjs (what its browser export loads;
//                the OPFS proxy/worker1 files are extra, not counted)
// gzip -9 per file, summed (what a server sending each file gzip'd costs).
// JS both as published and minified (what an app's bundler ships).
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Section } from './lib/report.mjs';
import { REPO } from './lib/prepare.mjs';
import { minifyModule } from '../tools/minify.mjs';

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

/** Raw and gzip -9 bytes of files, each compressed on its own; `minified`: each minified first. */
const measure = (files, { minified = false } = {}) => files.reduce((acc, f) => {
  const b = minified ? Buffer.from(minifyModule(f, fs.readFileSync(f, 'utf8'))) : fs.readFileSync(f);
  acc.raw += b.length;
  acc.gzip += gzipSync(b, { level: 9 }).length;
  return acc;
}, { raw: 0, gzip: 0 });

export function sizeSection(ctx = {}) {
  const s = new Section('Size: shipped bytes (wasm + JS)', {
    intro: 'Per-file gzip -9, summed. Ours: dist/campaign_store.{wasm,mjs} (the glue is published minified) + the js/ modules ' +
      '(ours-lean: dist/campaign_store_lean.wasm in place of the full wasm, what a store with nothing to migrate loads) ' +
      'the browser worker client reaches (static and dynamic imports from js/index.js and js/worker/browser-entry.js; ' +
      'Node-only modules excluded). sqlite-wasm: sqlite3.wasm + dist/index.mjs (its browser entry). "as published" = the ' +
      'files as they are in the package; "minified" = each JS file through the oxc minifier (rolldown\'s, what a Vite 8 ' +
      'production build runs over them): what an app built with a bundler ships, for both.',
  });
  const entries = [path.join(REPO, 'js/index.js'), path.join(REPO, 'js/worker/browser-entry.js')].filter(fs.existsSync);
  const js = moduleGraph(entries);
  const sw = path.join(REPO, 'node_modules/@sqlite.org/sqlite-wasm/dist');
  const glue = path.join(REPO, 'dist/campaign_store.mjs');
  const peers = {
    ours: { wasm: path.join(REPO, 'dist/campaign_store.wasm'), js: [glue, ...js] },
    // What a store with nothing to migrate loads (the worker loads the full
    // module if a legacy op comes later).
    'ours-lean': { wasm: path.join(REPO, 'dist/campaign_store_lean.wasm'), js: [glue, ...js] },
    'sqlite-wasm': { wasm: path.join(sw, 'sqlite3.wasm'), js: [path.join(sw, 'index.mjs')] },
  };
  if (ctx.base) {
    peers['ours@base'] = { wasm: path.join(ctx.base, 'campaign_store.wasm'), js: [path.join(ctx.base, 'campaign_store.mjs'), ...js] };
  }
  const totals = {};
  for (const [peer, files] of Object.entries(peers)) {
    const wasm = measure([files.wasm]);
    const published = measure(files.js);
    const minified = measure(files.js, { minified: true });
    totals[peer] = { wasm: wasm.gzip, total: wasm.gzip + minified.gzip, published: wasm.gzip + published.gzip };
    const add = (w, v) => s.add(w, peer, [v], { unit: 'bytes' });
    add('wasm, gzip', wasm.gzip);
    add('JS, gzip, minified', minified.gzip);
    add('JS, gzip, as published', published.gzip);
    add('total (wasm + JS minified), gzip', totals[peer].total);
    add('total (wasm + JS as published), gzip', totals[peer].published);
    add('wasm, raw', wasm.raw);
    add('JS, raw, minified', minified.raw);
  }
  s.note(`Ours JS: dist/campaign_store.mjs + ${js.length} modules: ${js.map((f) => path.relative(REPO, f)).join(', ')}.`);
  s.finish();
  return { section: s, ours: totals.ours.total, theirs: totals['sqlite-wasm'].total, oursWasm: totals.ours.wasm,
    oursLean: totals['ours-lean'].total, oursLeanWasm: totals['ours-lean'].wasm,
    oursPublished: totals.ours.published, theirsPublished: totals['sqlite-wasm'].published };
}
