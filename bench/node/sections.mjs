// The Node sections of the report. Each peer run is isolated (fresh worker
// thread or process), warmed the same way, and verified against the
// expected answer computed from the data (bench/lib/data.mjs), so a fast
// wrong answer is marked and never counted as best.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Section, median } from '../lib/report.mjs';
import { inWorker, native } from '../lib/run-peer.mjs';
import { MIRRORED, STATEMENTS, asOurs } from '../lib/statements.mjs';
import { BUILD_DIR, REPO } from '../lib/prepare.mjs';

const here = (f) => new URL(f, import.meta.url);
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

export const PEERS = {
  ours: 'campaign-store wasm, engine.call in-thread',
  'ours-client': 'campaign-store wasm, worker client (openCampaignStore)',
  'ours-percall': 'campaign-store wasm, one engine.call per product',
  'native-dispatcher': 'campaign-store core native, Dispatcher::call',
  'sqlite-wasm': '@sqlite.org/sqlite-wasm oo1 (same schema + statements)',
  'native-sqlite': 'native SQLite C API (same schema + statements)',
};

// `--base DIR` (another build of the module, e.g. before a size change) adds
// these peers: the same code paths on that build, in the same run.
export const BASE = '@base';
export const BASE_PEERS = ['ours', 'ours-client'];

/** Peer order rotates per repetition so drift (load, caches) does not favour one. */
const rotate = (xs, r) => xs.map((_, i) => xs[(i + r) % xs.length]);

async function runApiPeer(ctx, peer, extra = {}) {
  if (peer === 'native-sqlite' || peer === 'native-dispatcher') {
    const args = [peer === 'native-sqlite' ? 'sqlite' : 'dispatcher', ctx.dataFile];
    if (extra.sections) args.push('--sections', extra.sections.join(','));
    if (extra.db) args.push('--db', extra.db, '--sync', extra.sync);
    return native(ctx.driver, args);
  }
  const build = peer.endsWith(BASE) ? ctx.base : undefined;
  return inWorker(here('./api-worker.mjs'), { peer, dataFile: ctx.dataFile, build, ...extra });
}

export function verify(ctx, peer, r, failures) {
  const e = ctx.expected;
  const problems = [];
  if (r.bulk && !same(r.check.products, [e.bulk.products, e.bulk.priceCents, e.bulk.nameChars])) problems.push(`products ${JSON.stringify(r.check.products)}`);
  if (r.bulk && !same(r.check.images, [e.bulk.images, e.bulk.products])) problems.push(`images ${JSON.stringify(r.check.images)}`);
  if (r.reads && r.reads.checksum !== e.reads) problems.push(`reads checksum ${r.reads.checksum} != ${e.reads}`);
  if (r.lists && !same(r.lists.checksum, e.list)) problems.push(`lists ${JSON.stringify(r.lists.checksum)}`);
  if (r.drafts && !same(r.check.drafts, [e.drafts.rows, e.drafts.revSum])) problems.push(`drafts ${JSON.stringify(r.check.drafts)}`);
  if (r.search) {
    ctx.searchChecksums ??= new Map();
    ctx.searchChecksums.set(peer, r.search.checksum);
  }
  if (problems.length) failures.push(`${peer}: ${problems.join('; ')}`);
  return problems.length === 0;
}

/** The API table's rows: workload name, and its figure in one run's result. */
export const API_ROWS = [
  ['bulk insert', (x) => x.bulk?.ms],
  ['point reads', (x) => x.reads?.ms],
  ['filtered list pages', (x) => x.lists?.ms],
  ['full-text search', (x) => x.search?.ms],
  ['draft upsert p50', (x) => x.drafts?.p50],
  ['draft upsert p99', (x) => x.drafts?.p99],
];

export async function apiSection(ctx) {
  const { data, reps } = ctx;
  const s = new Section('Node: API workloads (in-memory databases)', {
    intro: `${data.products.length.toLocaleString()} products × ${data.size.imagesPerProduct} images created through the public API ` +
      `(one \`batch\` of \`products.create\`; sqlite-wasm/native: the same INSERTs in one transaction), ` +
      `${data.reads.length.toLocaleString()} \`products.get\` point reads (4 statements each), every page (${data.size.pageSize}/page) ` +
      `of ${data.listCategories.length} category-filtered \`products.list\` walks, ${data.searches.length} \`search.query\` FTS5 queries, ` +
      `and ${data.drafts.saves} \`drafts.save\` upserts (~3 KB step data, one transaction each) over ${data.drafts.campaigns} campaigns. ` +
      `Peers: ${Object.entries(PEERS).map(([k, v]) => `**${k}** = ${v}`).join('; ')}` +
      `${ctx.base ? `; **…${BASE}** = the same peer on the build in \`${path.relative(REPO, ctx.base) || ctx.base}\`` : ''}.`,
  });
  const peers = ['ours', 'ours-client', 'native-dispatcher', 'sqlite-wasm', 'native-sqlite',
    ...(ctx.base ? BASE_PEERS.map((p) => p + BASE) : [])];
  const results = Object.fromEntries([...peers, 'ours-percall'].map((p) => [p, []]));
  const failures = [];
  for (let r = 0; r < reps; r++) {
    for (const peer of rotate(peers, r)) {
      ctx.log(`  api ${peer} run ${r + 1}/${reps}`);
      const res = await runApiPeer(ctx, peer);
      res.ok = verify(ctx, peer, res, failures);
      results[peer].push(res);
    }
    ctx.log(`  api ours-percall run ${r + 1}/${reps}`);
    const pc = await runApiPeer(ctx, 'ours-percall', { sections: ['bulk'] });
    pc.ok = verify(ctx, 'ours-percall', pc, failures);
    results['ours-percall'].push(pc);
  }
  // Search has no expected value of its own: every peer must agree.
  const searchSums = [...(ctx.searchChecksums ?? new Map()).values()].map((c) => JSON.stringify(c));
  const searchAgrees = new Set(searchSums).size === 1;
  if (!searchAgrees) failures.push(`search checksums differ between peers: ${[...new Set(searchSums)].join(' vs ')}`);

  for (const [workload, get] of API_ROWS) {
    for (const peer of [...peers, 'ours-percall']) {
      const runs = results[peer].filter((x) => get(x) !== undefined);
      if (!runs.length) continue;
      const ok = runs.every((x) => x.ok) && (workload !== 'full-text search' || searchAgrees);
      s.add(workload, peer, runs.map(get), { ok });
    }
  }
  const r0 = results.ours[0];
  s.note(`Verified per run: row counts and sums of products/images, the read checksum, list item count and price sum, ` +
    `the drafts' final revisions (all against values computed from the data), search hits and name lengths (equal across peers)` +
    `${failures.length ? `. **FAILURES:** ${failures.join(' | ')}` : ' — all passed'}.`);
  s.note(`Per-op figures (median): bulk ${(median(results.ours.map((x) => x.bulk.ms)) * 1000 / data.products.length).toFixed(0)} µs/product ours ` +
    `vs ${(median(results['sqlite-wasm'].map((x) => x.bulk.ms)) * 1000 / data.products.length).toFixed(0)} µs sqlite-wasm; ` +
    `reads ${(median(results.ours.map((x) => x.reads.ms)) * 1000 / data.reads.length).toFixed(1)} µs/get ours vs ` +
    `${(median(results['sqlite-wasm'].map((x) => x.reads.ms)) * 1000 / data.reads.length).toFixed(1)} µs sqlite-wasm; ` +
    `list pages walked: ${r0.lists.pages}.`);
  s.note(`sqlite-wasm is ${results['sqlite-wasm'][0]?.version ?? '?'} (the npm package's own build, -O3-ish, its defaults plus ` +
    `foreign_keys=ON and cache_size=-8192 set at run time); ours and native are 3.53.2 from better-sqlite3's amalgamation.`);
  s.finish();
  ctx.results.api = results;
  return s;
}

export async function draftsSection(ctx) {
  const { data, reps } = ctx;
  const s = new Section('Node: draft autosave on real files, and the status quo', {
    intro: `${data.drafts.saves} \`drafts.save\` upserts of ~3 KB step data, one commit each, yielding to the event loop between ` +
      `saves. campaign-store on the Node host (real files): \`batched\` (default: WAL, synchronous=NORMAL, flush ≤ 200 ms after a ` +
      `commit) and \`full\` (flush per commit). Native SQLite on a file: WAL + exclusive lock, synchronous NORMAL / FULL. ` +
      `Status quo: the app's autosave — parse the whole \`saved_campaigns\` string, replace one campaign's step data, stringify, ` +
      `store (a Map here; Chromium's localStorage below) — at three array sizes.`,
  });
  const failures = [];
  const variants = [
    ['ours', 'ours, node host, batched', { durability: 'batched' }],
    ['ours', 'ours, node host, full', { durability: 'full' }],
    ['native-sqlite', 'native SQLite, file, WAL NORMAL', { sync: 'normal' }],
    ['native-sqlite', 'native SQLite, file, WAL FULL', { sync: 'full' }],
  ];
  const sizes = ctx.mode === 'quick' ? [100_000, 1_000_000] : [100_000, 1_000_000, 4_000_000];
  const collected = new Map();
  for (let r = 0; r < reps; r++) {
    for (const [peer, label, opts] of rotate(variants, r)) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-bench-'));
      try {
        ctx.log(`  drafts ${label} run ${r + 1}/${reps}`);
        const res = peer === 'ours'
          ? await runApiPeer(ctx, 'ours', { sections: ['drafts'], storageDir: dir, durability: opts.durability })
          : await runApiPeer(ctx, 'native-sqlite', { sections: ['drafts'], db: path.join(dir, 'bench.db'), sync: opts.sync });
        res.ok = verify(ctx, label, res, failures);
        if (!collected.has(label)) collected.set(label, []);
        collected.get(label).push(res);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    for (const bytes of sizes) {
      const label = `status quo, saved_campaigns ${bytes >= 1e6 ? `${bytes / 1e6} MB` : `${bytes / 1e3} KB`}`;
      ctx.log(`  drafts ${label} run ${r + 1}/${reps}`);
      const res = await inWorker(here('./statusquo-worker.mjs'), { targetBytes: bytes, saves: Math.min(data.drafts.saves, bytes > 2e6 ? 100 : 300), campaigns: data.drafts.campaigns });
      res.ok = res.bytes >= bytes;
      if (!collected.has(label)) collected.set(label, []);
      collected.get(label).push(res);
    }
  }
  for (const [workload, key] of [['draft upsert p50', 'p50'], ['draft upsert p99', 'p99']]) {
    for (const [label, runs] of collected) {
      s.add(workload, label, runs.map((x) => x.drafts?.[key] ?? x[key]), { ok: runs.every((x) => x.ok) });
    }
  }
  const settings = collected.get('ours, node host, batched')?.[0]?.settings;
  if (settings) s.note(`ours' storage as opened: ${JSON.stringify({ journalMode: settings.journalMode, synchronous: settings.synchronous })}.`);
  s.note(`In-memory draft upserts of every peer are in the API table above. Verified: final revision per campaign` +
    `${failures.length ? `. **FAILURES:** ${failures.join(' | ')}` : ' — all passed'}.`);
  s.finish();
  return s;
}

export async function migrationSection(ctx) {
  const { reps } = ctx;
  const s = new Section('Node: legacy migration of the near-quota localStorage dump', {
    intro: 'tests/fixtures preset `near-quota` (21 keys, 4.9 M UTF-16 units — 93.7% of the 5 MB quota, mostly base64 images) ' +
      'migrated into an empty in-memory database by `legacy.import`. bench/migration/ (the legacy engineer\'s) ' +
      `${fs.existsSync(path.join(REPO, 'bench/migration')) ? 'exists now; these rows use the op directly' : 'has not landed; these rows use the op directly'}.`,
  });
  const { generatePreset } = await import('../../tests/fixtures/generate.mjs');
  const dumpFile = path.join(BUILD_DIR, 'near-quota.json');
  const warmFile = path.join(BUILD_DIR, 'small.json');
  const { dump, manifest } = generatePreset('near-quota');
  fs.writeFileSync(dumpFile, JSON.stringify(dump));
  fs.writeFileSync(warmFile, JSON.stringify(generatePreset('small').dump));
  const want = manifest.expected;
  const keys = ['products', 'product_images', 'background_versions', 'legacy_campaigns', 'v2_campaigns', 'creatives', 'drafts',
    'ai_generations', 'data_url_blobs', 'data_url_blob_bytes'];
  const failures = [];
  const check = (peer, db) => {
    const bad = keys.filter((k) => db?.[k] !== want[k]);
    if (bad.length) failures.push(`${peer}: ${bad.map((k) => `${k} ${db?.[k]} != ${want[k]}`).join(', ')}`);
    return bad.length === 0;
  };
  const peers = ['ours-staged', 'ours-inline', 'status-quo'];
  const runs = Object.fromEntries([...peers, 'native-dispatcher'].map((p) => [p, []]));
  for (let r = 0; r < reps; r++) {
    for (const peer of rotate(peers, r)) {
      ctx.log(`  migration ${peer} run ${r + 1}/${reps}`);
      const res = await inWorker(here('./migration-worker.mjs'), { peer, dumpFile, warmFile });
      res.ok = peer === 'status-quo' ? res.items > 0 : check(peer, res.database);
      runs[peer].push(res);
    }
  }
  ctx.log('  migration native-dispatcher');
  const nat = await native(ctx.driver, ['migrate', dumpFile, String(reps)]);
  const natOk = check('native-dispatcher', nat.report);
  s.add('migrate near-quota (4.9 MB)', 'ours-staged (wasm, bytes staged)', runs['ours-staged'].map((x) => x.ms), { ok: runs['ours-staged'].every((x) => x.ok) });
  s.add('migrate near-quota (4.9 MB)', 'ours-inline (wasm, values in JSON)', runs['ours-inline'].map((x) => x.ms), { ok: runs['ours-inline'].every((x) => x.ok) });
  s.add('migrate near-quota (4.9 MB)', 'native-dispatcher (values in JSON)', nat.ms, { ok: natOk });
  s.add('migrate near-quota (4.9 MB)', 'status quo: JSON.parse of every key (no migration)', runs['status-quo'].map((x) => x.ms), { ok: true });
  s.note(`Verified against the fixture's manifest: ${keys.join(', ')}${failures.length ? `. **FAILURES:** ${failures.join(' | ')}` : ' — all match'}. ` +
    `Input: ${(nat.bytes / 1e6).toFixed(2)} MB of values (UTF-8), ${(nat.argsBytes / 1e6).toFixed(2)} MB as JSON args.`);
  s.finish();
  ctx.results.migration = runs;
  return s;
}

export async function coldStartSection(ctx) {
  const { reps, data } = ctx;
  const s = new Section('Node: cold start (import → first query answered)', {
    intro: 'Fresh worker thread (JS peers) or process (native) per run; in-memory database with the full schema ' +
      `(${data.schema.length} tables, indexes, triggers); first query = a one-row product list.`,
  });
  const peers = ['ours', 'ours-client', 'sqlite-wasm'];
  const runs = Object.fromEntries([...peers, 'native-dispatcher', 'native-sqlite'].map((p) => [p, []]));
  for (let r = 0; r < reps + 1; r++) {
    for (const peer of rotate(peers, r)) {
      const res = await inWorker(here('./coldstart-worker.mjs'), { peer, schema: data.schema, listSql: STATEMENTS.listFirst });
      if (r > 0) runs[peer].push(res);  // the first round only fills the OS file cache
    }
    const nd = await native(ctx.driver, ['coldstart-dispatcher']);
    const ns = await native(ctx.driver, ['coldstart-sqlite', ctx.dataFile]);
    if (r > 0) {
      runs['native-dispatcher'].push(nd);
      runs['native-sqlite'].push(ns);
    }
  }
  for (const peer of peers) s.add('cold start', peer, runs[peer].map((x) => x.ms), { ok: runs[peer].every((x) => x.items === 0) });
  s.add('cold start', 'native-dispatcher (in process, excl. exec)', runs['native-dispatcher'].map((x) => x.ms), { ok: true });
  s.add('cold start', 'native-sqlite (in process, excl. exec; schema from a JSON file)', runs['native-sqlite'].map((x) => x.ms), { ok: true });
  s.add('cold start incl. process/thread spawn', 'native-dispatcher (exec → answer)', runs['native-dispatcher'].map((x) => x.wallMs), { ok: true });
  s.note(`Of which importing the module: ours ${median(runs.ours.map((x) => x.imported)).toFixed(1)} ms, client ` +
    `${median(runs['ours-client'].map((x) => x.imported)).toFixed(1)} ms, sqlite-wasm ${median(runs['sqlite-wasm'].map((x) => x.imported)).toFixed(1)} ms. ` +
    'sqlite-wasm parses the data file\'s schema; native-sqlite also parses the whole data file (JSON) before opening, so its figure is an upper bound.');
  s.finish();
  return s;
}

export async function speedtestSection(ctx, build) {
  const s = new Section('SQLite speedtest1 (SQLite\'s own workload): native vs our Emscripten build', {
    intro: 'speedtest1.c from Debian\'s emscripten 3.1.6 package (tests/sqlite/speedtest1.c, SHA-256 pinned in ' +
      'bench/native/build.mjs; an older speedtest1 than SQLite 3.53\'s own) against the same 3.53.2 amalgamation and ' +
      `options, in-memory database, size ${ctx.mode === 'quick' ? 15 : 40} (emscripten's copy takes the size as its first argument: ` +
      `${ctx.mode === 'quick' ? '2' : '3'}). Native: gcc -O3. Wasm: emcc 3.1.6 -O2 (our ` +
      'dist/ toolchain and level, unix VFS on MEMFS instead of our pool VFS) in Node. sqlite-wasm cannot run it: its npm package ' +
      'ships no speedtest1 build.',
  });
  if (!build.ok) {
    s.note(`Skipped: ${build.why}`);
    s.finish();
    return s;
  }
  const size = ctx.mode === 'quick' ? '2' : '3';  // emscripten's speedtest1: 2 = size 15, 3 = size 40
  const run = (cmd, args) => new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    import('node:child_process').then(({ execFile }) => execFile(cmd, args, { timeout: 300_000, maxBuffer: 16 << 20 }, (err, stdout) => {
      if (err) return reject(err);
      const total = stdout.match(/TOTAL\.*\s+([\d.]+)s/);
      resolve({ ms: total ? Number(total[1]) * 1000 : Number(process.hrtime.bigint() - t0) / 1e6, stdout });
    }));
  });
  const nat = [], wasm = [];
  for (let r = 0; r < ctx.reps; r++) {
    ctx.log(`  speedtest1 run ${r + 1}/${ctx.reps}`);
    nat.push(await run(build.native, [size]));
    if (build.wasm) wasm.push(await run(process.execPath, [build.wasm, size]));
  }
  const tests = (out) => (out.match(/^\s*\d+ - /gm) ?? []).length;
  s.add('speedtest1 total', 'native SQLite (gcc -O3)', nat.map((x) => x.ms), { ok: tests(nat[0].stdout) > 0 });
  if (build.wasm) s.add('speedtest1 total', 'same SQLite, our emcc -O2 wasm, Node', wasm.map((x) => x.ms), { ok: tests(wasm[0].stdout) === tests(nat[0].stdout) });
  else s.note(`wasm build failed: ${build.wasmError}`);
  s.note(`${tests(nat[0].stdout)} tests per run; both print the same test list (checked).`);
  s.finish();
  return s;
}

/** The statements our ops run now vs the ones the peers mirror. */
export async function driftCheck(ctx) {
  const traced = await native(ctx.driver, ['trace']);
  const ran = new Set(Object.values(traced).filter(Array.isArray).flat().map((x) => x.replace(/\s+/g, ' ').trim()));
  return MIRRORED.filter((k) => !ran.has(asOurs(k).replace(/\s+/g, ' ').trim()));
}
