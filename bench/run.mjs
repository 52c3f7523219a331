// campaign-store benchmarks, side by side: one command, one table, every
// peer measured in the same run.
//   npm run bench                 full sizes (17 min with --reps 5 on the 2-core machine)
//   npm run bench -- --quick      scaled-down sizes, stated in the output
// Options: --reps N (default 3), --only api,drafts,migration,
// coldstart,speedtest,sync,realtime,chromium,firefox,client,coldstart-4g,size (comma list), --out FILE
// (default bench/results/latest.md; the JSON of every run goes beside it,
// git-ignored), --base DIR (another build's campaign_store.{mjs,wasm}, e.g.
// kept from before a size change: its peers run beside ours in the API
// section, its bytes in the size section, and a goal says whether any API
// workload got more than 5% slower). Not part of `npm test`.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { expected } from './lib/data.mjs';
import { machineInfo } from './lib/machine.mjs';
import { BENCH_DIR, REPO, prepareData } from './lib/prepare.mjs';
import { median } from './lib/report.mjs';
import { buildDriver, buildSpeedtest1, speedtest1Available } from './native/build.mjs';
import { BASE, BASE_PEERS, apiSection, coldStartSection, draftsSection, driftCheck, migrationSection, speedtestSection } from './node/sections.mjs';

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    reps: { type: 'string' },
    only: { type: 'string' },
    out: { type: 'string', default: path.join(BENCH_DIR, 'results/latest.md') },
    base: { type: 'string' },
  },
});
const mode = opts.quick ? 'quick' : 'full';
const reps = Number(opts.reps ?? 3);  // runs per peer; the browser sections take at most 3
const only = opts.only ? new Set(opts.only.split(',')) : null;
const want = (name) => !only || only.has(name);
const started = Date.now();
const log = (m) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s] ${m}`);

const dist = path.join(REPO, 'dist/campaign_store.wasm');
if (!fs.existsSync(dist)) {
  console.error('dist/campaign_store.wasm is missing: run `bash tools/build.sh wasm` first.');
  process.exit(2);
}

const machine = machineInfo();
// What is measured: the wasm build in dist/ right now (others rebuild it during the day).
const distWasm = fs.readFileSync(dist);
const distInfo = `dist/campaign_store.wasm built ${fs.statSync(dist).mtime.toISOString()}, ${distWasm.length.toLocaleString()} bytes, ` +
  `sha256 ${(await import('node:crypto')).createHash('sha256').update(distWasm).digest('hex').slice(0, 12)}`;
log(`${mode} mode, ${reps} runs per peer; load average ${machine.loadavg}`);
log('preparing data and native helpers');
const setupStart = Date.now();
const { file: dataFile, data } = await prepareData(mode);
const driver = buildDriver(log);
const st1 = speedtest1Available();
const st1Build = want('speedtest') && st1.ok ? { ...st1, ...buildSpeedtest1(log) } : st1;
const setupSeconds = (Date.now() - setupStart) / 1000;
const base = opts.base ? path.resolve(opts.base) : undefined;
if (base && !fs.existsSync(path.join(base, 'campaign_store.wasm'))) {
  console.error(`--base ${opts.base}: no campaign_store.wasm there`);
  process.exit(2);
}
const ctx = { mode, reps, data, dataFile, expected: expected(data), driver: driver.path, log, results: {}, base };

const drift = await driftCheck(ctx);
const sections = [];
const run = async (name, fn) => {
  if (!want(name)) return null;
  log(`section ${name}`);
  try {
    const s = await fn();
    sections.push(s.section ?? s);
    return s;
  } catch (e) {
    log(`section ${name} failed: ${e.stack ?? e}`);
    sections.push({ markdown: () => `### ${name}\n\n**Failed:** ${String(e.message ?? e).split('\n')[0]}\n` });
    return null;
  }
};

const api = await run('api', () => apiSection(ctx));
const drafts = await run('drafts', () => draftsSection(ctx));
const migration = await run('migration', () => migrationSection(ctx));
await run('coldstart', () => coldStartSection(ctx));
await run('speedtest', () => speedtestSection(ctx, st1Build));
await run('sync', async () => (await import('./sync/section.mjs')).syncSection(ctx));
const realtime = await run('realtime', async () => (await import('./sync/realtime-latency.mjs')).realtimeSection(ctx));
const chromium = await run('chromium', async () => (await import('./browser/section.mjs')).browserSection(ctx, 'chromium'));
const firefox = await run('firefox', async () => (await import('./browser/section.mjs')).browserSection(ctx, 'firefox'));
await run('client', async () => (await import('./browser/client-section.mjs')).clientApiSection(ctx));
await run('coldstart-4g', async () => (await import('./browser/client-section.mjs')).coldStartBrowserSection(ctx));
const size = await run('size', async () => (await import('./size.mjs')).sizeSection(ctx));

// ------------------------------------------------------------------ goals
const goals = [];
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) ? a / b : NaN);
const x = (v) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : 'n/a');
const goal = (text, measured, met, how) => goals.push({ text, measured, met, how });
if (api) {
  for (const [w, label] of [['bulk insert', 'bulk write'], ['point reads', 'point reads'], ['filtered list pages', 'list pages'],
    ['full-text search', 'search'], ['draft upsert p50', 'draft upsert p50']]) {
    const vsWasm = ratio(api.value(w, 'sqlite-wasm'), api.value(w, 'ours'));
    const vsNative = ratio(api.value(w, 'ours'), api.value(w, 'native-sqlite'));
    goal(`${label} through the public API ≥ 3× faster than sqlite-wasm's JS API`, `${x(vsWasm)} (sqlite-wasm time / ours)`,
      vsWasm >= 3, 'Node, in-thread engine.call vs oo1, same data/schema/statements');
    goal(`${label} through the public API ≤ 2× native SQLite`, `${x(vsNative)} (ours / native)`, vsNative <= 2, 'Node, vs the C API driver');
  }
}
if (api && base) {
  const slower = [];
  for (const w of ['bulk insert', 'point reads', 'filtered list pages', 'full-text search', 'draft upsert p50', 'draft upsert p99']) {
    for (const peer of BASE_PEERS) {
      const r = ratio(api.value(w, peer), api.value(w, peer + BASE));
      slower.push({ w, peer, r });
    }
  }
  const worst = slower.reduce((a, b) => (b.r > a.r ? b : a));
  goal('no API workload more than 5% slower than the base build', `worst ${x(worst.r)} (${worst.peer} ${worst.w}, this build / base); ` +
    slower.map((v) => `${v.peer} ${v.w} ${x(v.r)}`).join(', '), slower.every((v) => v.r <= 1.05),
    `Node, medians of interleaved runs, base = ${path.relative(REPO, base) || base}`);
}
// Browser timers are coarse without cross-origin isolation (Chromium 0.1 ms,
// Firefox 1 ms): the p50s are rough, so the goal is judged on the wall time of
// the whole autosave run.
const opfsGoal = (section, browserName) => {
  const sah = section.value('autosave p50', 'sahpool');
  const ours = section.value('autosave p50', 'ours batched');
  const full = section.value('autosave p50', 'ours full');
  const wall = section.rows.find((r) => r.workload.endsWith('autosaves, wall time'))?.workload;
  const wSah = section.value(wall, 'sahpool');
  const wOurs = section.value(wall, 'ours batched');
  const wFull = section.value(wall, 'ours full');
  goal(`draft autosave on OPFS ≥ 2× faster than opfs-sahpool at stated durability (${browserName})`,
    `wall time: batched ${x(ratio(wSah, wOurs))}, full ${x(ratio(wSah, wFull))}; per-commit p50: batched ${x(ratio(sah, ours))}, ` +
    `full ${x(ratio(sah, full))} (sahpool / ours)`, ratio(wSah, wOurs) >= 2 && ratio(wSah, wFull) >= 2,
    `${browserName} OPFS; sahpool flushes every commit (FULL), ours batched ≤ 200 ms after a commit, full 1 flush per commit`);
  const ls = section.value('autosave p50', 'localStorage, saved_campaigns 1 MB');
  goal(`autosave faster than rewriting saved_campaigns in localStorage past 1 MB (${browserName})`,
    `${x(ratio(ls, ours))} (localStorage 1 MB p50 / ours batched p50)`, ratio(ls, ours) > 1, `${browserName}, p50 per save`);
};
if (chromium) opfsGoal(chromium, 'Chromium');
if (firefox) opfsGoal(firefox, 'Firefox');
if (realtime) {
  goal('a change reaches another device of the user within about 1 s (Realtime, p95)',
    `p50 ${realtime.p50.realtime.toFixed(0)} ms, p95 ${realtime.p95.realtime.toFixed(0)} ms (poll only: p50 ${realtime.p50.poll.toFixed(0)} ms)`,
    realtime.p95.realtime <= 1000, 'local backend on loopback, commit to the reader store\'s change event');
}
if (migration) {
  const ms = median(ctx.results.migration['ours-staged'].map((r) => r.ms));
  goal('migration of the ~4.9 MB dump < 150 ms in Node', `${ms.toFixed(0)} ms (bytes staged; inline JSON ${median(ctx.results.migration['ours-inline'].map((r) => r.ms)).toFixed(0)} ms)`,
    ms < 150, 'Node, legacy.import into an in-memory database');
}
if (size) {
  const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
  goal('total shipped bytes (wasm + JS, gzip) ≤ sqlite-wasm\'s', `${kib(size.oursLean)} with nothing to migrate, ` +
    `${kib(size.ours)} with legacy keys, vs ${kib(size.theirs)} ` +
    `(JS as published: ${kib(size.oursPublished)} vs ${kib(size.theirsPublished)})`,
    size.oursLean <= size.theirs, 'per-file gzip -9, JS minified as a bundler ships it');
  goal('wasm loaded on first open ≤ 450 KiB gzip', `${kib(size.oursLeanWasm)} (lean; full: ${kib(size.oursWasm)})`,
    size.oursLeanWasm <= 450 * 1024, 'dist/campaign_store_lean.wasm (no legacy keys) and campaign_store.wasm, gzip -9');
}

// ----------------------------------------------------------------- report
const sizes = data.size;
const md = [
  '# campaign-store benchmarks',
  '',
  `Generated by \`npm run bench${mode === 'quick' ? ' -- --quick' : ''}\` on ${machine.date}; ${((Date.now() - started) / 1000).toFixed(0)} s in all ` +
  `(of which ${setupSeconds.toFixed(0)} s preparing data and native helpers).`,
  '',
  `**Mode: ${mode}.** ${mode === 'quick' ? 'Sizes are scaled down from the full run (10,000 products × 3 images, 5,000 reads, 1,000 autosaves, 10k-row pull, 1k-row push): ' : ''}` +
  `${sizes.products.toLocaleString()} products × ${sizes.imagesPerProduct} images, ${sizes.reads.toLocaleString()} point reads, ` +
  `${sizes.searches} searches, ${sizes.draftSaves} draft saves over ${sizes.draftCampaigns} campaigns; ${reps} runs per peer ` +
  '(median, min, max). "vs best" is each median over the best peer\'s median in that workload (1.00× = best; lower is better everywhere).',
  '',
  `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memGiB} GiB, Linux ${machine.kernel}; Node ${machine.node}; ` +
  `${machine.chromium}; ${machine.firefox}; gcc ${machine.gcc}; ${machine.emcc}. Load average at start ${machine.loadavg} — the machine is ` +
  'shared (other engineers build and test on it), so each section records its own load average; figures taken under load ' +
  'are noisy, and ratios from one section (peers interleaved run by run) are more trustworthy than absolute times.',
  '',
  `Measured: ${distInfo}; bench/build/driver linked against build/native libraries built ${driver.libBuilt}. ` +
  (drift.length ? `**Drift:** the ops no longer run these mirrored statements: ${drift.join(', ')} — update bench/lib/statements.mjs.`
    : 'Drift check passed: every statement the peers mirror is what the ops run now (traced from the native dispatcher).'),
  '',
  '## Goals',
  '',
  '| goal | measured | met? | how |',
  '| --- | --- | --- | --- |',
  ...goals.map((g) => `| ${g.text} | ${g.measured} | ${g.met ? 'yes' : '**no**'} | ${g.how} |`),
  '',
  '## Results',
  '',
  ...sections.map((s) => s.markdown()),
].join('\n');

fs.mkdirSync(path.dirname(opts.out), { recursive: true });
fs.writeFileSync(opts.out, md);
fs.writeFileSync(opts.out.replace(/\.md$/, '.json'), JSON.stringify({ machine, mode, reps, goals, results: ctx.results, drift }, null, 1));
console.log(md);
log(`wrote ${path.relative(process.cwd(), opts.out)}`);
