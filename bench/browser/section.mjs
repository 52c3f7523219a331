// Real OPFS in Chromium (playwright-core driving Debian's /usr/bin/chromium)
// and in Firefox ESR (puppeteer-core over WebDriver BiDi), both headless:
// draft autosave and bulk insert through our public API vs
// @sqlite.org/sqlite-wasm on opfs-sahpool (same schema and statements) vs the
// app's localStorage today. Each job gets a fresh page, and a fresh worker.
// Reuses the browser launchers and static server of tests/browser/support
// (as bench/vfs does), and, in Chromium, bench/vfs's own side-by-side jobs in
// full mode.
import path from 'node:path';
import { expected } from '../lib/data.mjs';
import { Section, median } from '../lib/report.mjs';
import { REPO } from '../lib/prepare.mjs';

// The two drivers behind one shape: fresh pages whose evaluate/waitForFunction
// take one argument (playwright's and puppeteer's calls agree on that form).
const BROWSERS = {
  chromium: {
    title: 'Chromium',
    async open() {
      const { launch, chromiumAvailable } = await import('../../tests/browser/support/chromium.mjs');
      if (!chromiumAvailable()) return { skipped: '/usr/bin/chromium is not installed' };
      const browser = await launch();
      return { newPage: () => browser.context.newPage(), close: () => browser.close() };
    },
  },
  firefox: {
    title: 'Firefox',
    async open() {
      const { firefoxUnavailable, launchFirefox } = await import('../../tests/browser/support/firefox.mjs');
      const why = firefoxUnavailable();
      if (why) return { skipped: why };
      const browser = await launchFirefox();
      return { newPage: () => browser.newPage(), close: () => browser.close() };
    },
  },
};

export async function browserSection(ctx, which = 'chromium') {
  const { data } = ctx;
  const { title, open } = BROWSERS[which];
  // Browser runs are the slowest (a page, a worker and a wasm compile each, and
  // sahpool/localStorage commits of 2-130 ms under load): at most 3 runs per peer,
  // whatever --reps says.
  const reps = Math.min(ctx.reps, 3);
  // Quick mode: fewer autosaves here (sahpool and localStorage at 1 MB take 5-25 ms each).
  const saves = ctx.mode === 'quick' ? 150 : data.drafts.saves;
  const s = new Section(`${title}: OPFS autosave and bulk insert`, {
    intro: `${saves} \`drafts.save\` autosaves (~3 KB, one commit each, yielding between commits) over ` +
      `${data.drafts.campaigns} campaigns, and ${data.products.length.toLocaleString()} products × ${data.size.imagesPerProduct} images ` +
      `in one \`batch\`, on real OPFS in a fresh dedicated worker per peer and run (autosave first, then bulk on a new database); ${reps} runs per peer. ` +
      '**ours batched** = default durability (WAL, synchronous=NORMAL, flushed ' +
      '≤ 200 ms after a commit: survives a tab/browser crash, power loss can drop that window); **ours full** = flush per commit; ' +
      '**sahpool** = @sqlite.org/sqlite-wasm opfs-sahpool at its defaults (rollback journal DELETE, synchronous=FULL: every commit ' +
      'flushed). **localStorage** = the app today: parse the whole `saved_campaigns` string, change one campaign, stringify, ' +
      '`setItem` (synchronous, on the main thread), at several array sizes (300 saves; 100 at 1 MB in quick mode, 50 at 4 MB); bulk = one `setItem` of the whole products array.',
  });
  const browser = await open();
  if (browser.skipped) {
    s.note(`Skipped: ${browser.skipped}.`);
    s.finish();
    return s;
  }
  const { startServer } = await import('../../tests/browser/support/server.mjs');
  const server = await startServer(REPO);
  const dataUrl = `/${path.relative(REPO, ctx.dataFile)}`;
  const fresh = async (fn) => {
    const page = await browser.newPage();
    try {
      await page.goto(`${server.url}/bench/browser/page.html`);
      await page.waitForFunction(() => window.ready === true);
      return await fn(page);
    } finally {
      await page.close();
    }
  };
  const job = (j) => fresh(async (page) => {
    const r = await page.evaluate(([u, jj]) => window.inWorker(u, jj), ['./worker.js', { ...j, dataUrl: `${server.url}${dataUrl}` }]);
    if (r.error) throw new Error(`${j.engine} ${j.workload}: ${r.error}`);
    return r.result;
  });
  try {
    s.userAgent = await fresh((page) => page.evaluate(() => navigator.userAgent));
    const e = expected({ ...data, drafts: { ...data.drafts, saves } });
    const okDrafts = (r) => JSON.stringify(r.check.drafts) === JSON.stringify([e.drafts.rows, e.drafts.revSum]);
    const okBulk = (r) => JSON.stringify(r.check.products) === JSON.stringify([e.bulk.products, e.bulk.priceCents, e.bulk.nameChars])
      && JSON.stringify(r.check.images) === JSON.stringify([e.bulk.images, e.bulk.products]);
    const autosave = new Map();
    const bulk = new Map();
    const push = (m, k, v) => (m.has(k) ? m.get(k).push(v) : m.set(k, [v]));
    const sizes = ctx.mode === 'quick' ? [100_000, 1_000_000] : [100_000, 1_000_000, 4_000_000];
    for (let r = 0; r < reps; r++) {
      ctx.log(`  ${which} run ${r + 1}/${reps}`);
      const variants = [['ours batched', { engine: 'ours', durability: 'batched' }], ['ours full', { engine: 'ours', durability: 'full' }],
        ['sahpool', { engine: 'sahpool' }]];
      for (const [label, j] of r % 2 ? [...variants].reverse() : variants) {
        const { autosave: a, bulk: b } = await job({ ...j, workload: 'both', saves });
        a.ok = okDrafts(a);
        push(autosave, label, a);
        b.ok = okBulk(b);
        push(bulk, label, b);
      }
      for (const bytes of sizes) {
        const label = `localStorage, saved_campaigns ${bytes >= 1e6 ? `${bytes / 1e6} MB` : `${bytes / 1e3} KB`}`;
        const a = await fresh((page) => page.evaluate((args) => window.localStorageAutosave(args),
          { targetBytes: bytes, saves: bytes > 2e6 ? 50 : ctx.mode === 'quick' ? 100 : 300, campaigns: data.drafts.campaigns }));
        a.ok = a.bytes >= bytes;
        push(autosave, label, { drafts: a, ok: a.ok });
      }
      const lb = await fresh((page) => page.evaluate((args) => window.localStorageBulk(args), { dataUrl: `${server.url}${dataUrl}` }));
      lb.ok = !lb.error && lb.count === data.products.length;
      push(bulk, 'localStorage (one setItem of the array)', { bulk: { ms: lb.ms }, ok: lb.ok, error: lb.error });
    }
    for (const [workload, get] of [['autosave p50', (x) => x.drafts.p50], ['autosave p99', (x) => x.drafts.p99],
      [`${saves} autosaves, wall time`, (x) => x.drafts.wallMs]]) {
      for (const [label, runs] of autosave) {
        if (runs.some((x) => get(x) === undefined)) continue;
        s.add(workload, label, runs.map(get), { ok: runs.every((x) => x.ok) });
      }
    }
    for (const [label, runs] of bulk) {
      const err = runs.find((x) => x.error)?.error;
      s.add('bulk insert', label, runs.map((x) => x.bulk.ms), { ok: runs.every((x) => x.ok),
        failed: err ? `failed: ${err.split(':')[0]} (the array does not fit)` : 'wrong answer' });
    }
    const fpc = (label) => median(autosave.get(label).map((x) => x.drafts.flushesPerCommit)).toFixed(2);
    s.note(`Flushes per commit: ours batched ${fpc('ours batched')}, ours full ${fpc('ours full')}, sahpool ${fpc('sahpool')}. ` +
      `Settings as opened: ours ${JSON.stringify(autosave.get('ours batched')[0].settings)}, sahpool ` +
      `${JSON.stringify(autosave.get('sahpool')[0].settings)} (sqlite-wasm ${autosave.get('sahpool')[0].version}).`);
    const lbErr = bulk.get('localStorage (one setItem of the array)').find((x) => x.error);
    if (lbErr) s.note(`localStorage bulk failed: ${lbErr.error}.`);
    s.note('Verified: final draft revisions per campaign, product/image counts and sums (OPFS peers); array sizes and item counts (localStorage).');

    if (which !== 'chromium') {
      s.note('bench/vfs\'s raw-SQL side by side runs in the Chromium section only.');
    } else if (ctx.mode === 'full') {
      // bench/vfs's raw-SQL side by side (the storage engineer's), reused as is.
      const vfsJob = (j) => fresh(async (page) => {
        const res = await page.evaluate(([u, jj]) => window.inWorker(u, jj), ['../vfs/worker.js', j]);
        if (res.error) throw new Error(`vfs ${j.engine}: ${res.error}`);
        return res.result;
      });
      const cs = [], sah = [];
      for (let r = 0; r < reps; r++) {
        ctx.log(`  chromium bench/vfs run ${r + 1}/${reps}`);
        cs.push(await vfsJob({ engine: 'cs', settings: {}, sequence: 'full' }));
        sah.push(await vfsJob({ engine: 'sahpool' }));
      }
      s.add('bench/vfs: 1,000 raw-SQL autosave commits', 'ours batched (sql.exec)', cs.map((x) => x.autosave.ms));
      s.add('bench/vfs: 1,000 raw-SQL autosave commits', 'sahpool', sah.map((x) => x.autosave.ms));
      s.add('bench/vfs: 25k raw inserts, 1 txn', 'ours (one batch op)', cs.map((x) => x.bulkBatch.ms));
      s.add('bench/vfs: 25k raw inserts, 1 txn', 'sahpool (prepared, bind/step)', sah.map((x) => x.bulk.ms));
      s.add('bench/vfs: 10k indexed raw reads', 'ours (one batch op)', cs.map((x) => x.readsBatch.ms));
      s.add('bench/vfs: 10k indexed raw reads', 'ours (one call per read)', cs.map((x) => x.readsPerCall.ms));
      s.add('bench/vfs: 10k indexed raw reads', 'sahpool (prepared)', sah.map((x) => x.reads.ms));
    } else {
      s.note('Quick mode leaves out bench/vfs\'s raw-SQL side by side (run without --quick, or `node bench/vfs/run-chromium.mjs`).');
    }
  } finally {
    await browser.close();
    await server.close();
  }
  s.finish();
  return s;
}
