// Chromium, as the app calls the store: the API workloads from a page
// through a worker (ours-client against sqlite-wasm's Worker1 promiser), and
// cold start (import -> first answer) with the network throttled to a 4G
// profile. Each run is a fresh page; peers alternate run by run.
import fs from 'node:fs';
import path from 'node:path';
import { Section } from '../lib/report.mjs';
import { BUILD_DIR, REPO } from '../lib/prepare.mjs';
import { API_ROWS, verify } from '../node/sections.mjs';

// Lighthouse's mobile profile ("slow 4G", what PageSpeed reports): 150 ms
// RTT and 1.6 Mbit/s down, 750 kbit/s up, applied as DevTools throttling
// (its request latency is RTT × 3.75 and throughput × 0.9 to stand for the
// simulated connection).
export const FOUR_G = { offline: false, latency: 562.5, downloadThroughput: (1638.4 * 0.9 * 1024) / 8, uploadThroughput: (675 * 1024) / 8 };

async function withChromium(ctx, s, fn, { root = REPO, ...serverOptions } = {}) {
  const { launch, chromiumAvailable } = await import('../../tests/browser/support/chromium.mjs');
  if (!chromiumAvailable()) {
    s.note('Skipped: /usr/bin/chromium is not installed.');
    return;
  }
  const { startServer } = await import('../../tests/browser/support/server.mjs');
  const server = await startServer(root, serverOptions);
  const browser = await launch();
  try {
    await fn(browser, server);
  } finally {
    await browser.close();
    await server.close();
  }
}

export async function clientApiSection(ctx) {
  const { data } = ctx;
  const reps = Math.min(ctx.reps, 3);
  const s = new Section('Chromium: the API through a worker, as the app calls it', {
    intro: `The API workloads of the Node table (same data, schema and statements), called from a page through a dedicated ` +
      `worker: **ours-client** = \`openCampaignStore({storage: 'memory'})\`, every op one message to our worker; ` +
      `**sqlite-wasm Worker1** = @sqlite.org/sqlite-wasm's Worker1 promiser on \`:memory:\`, every statement one \`exec\` ` +
      `message (its worker API has no prepared statements across messages; the bulk insert is one transaction of ` +
      `${(data.products.length * (1 + data.size.imagesPerProduct)).toLocaleString()} INSERT messages, as an app would send them). ` +
      `Both in memory: Worker1's OPFS needs cross-origin isolation, so what differs is the API and the worker hop. ` +
      `${reps} runs per peer, each in a fresh page.`,
  });
  const results = { 'ours-client': [], 'sqlite-wasm Worker1': [] };
  const failures = [];
  const local = { expected: ctx.expected };
  await withChromium(ctx, s, async (browser, server) => {
    const dataUrl = `${server.url}/${path.relative(REPO, ctx.dataFile)}`;
    for (let r = 0; r < reps; r++) {
      const peers = [['ours-client', 'ours-client'], ['sqlite-wasm Worker1', 'worker1']];
      for (const [label, engine] of r % 2 ? peers.reverse() : peers) {
        ctx.log(`  chromium client api ${label} run ${r + 1}/${reps}`);
        const page = await browser.context.newPage();
        try {
          await page.goto(`${server.url}/bench/browser/page.html`);
          await page.waitForFunction(() => window.ready === true);
          const res = await page.evaluate((job) => window.clientApi(job), { engine, dataUrl });
          if (res.error) throw new Error(`${label}: ${res.error}`);
          res.result.ok = verify(local, label, res.result, failures);
          results[label].push(res.result);
        } finally {
          await page.close();
        }
      }
    }
  });
  if (!results['ours-client'].length) {
    s.finish();
    return s;
  }
  const sums = new Set([...local.searchChecksums.values()].map((c) => JSON.stringify(c)));
  if (sums.size !== 1) failures.push(`search checksums differ: ${[...sums].join(' vs ')}`);
  for (const [workload, get] of API_ROWS) {
    for (const [peer, runs] of Object.entries(results)) {
      s.add(workload, peer, runs.map(get), { ok: runs.every((x) => x.ok) && (workload !== 'full-text search' || sums.size === 1) });
    }
  }
  s.note(`Verified per run as in the Node table${failures.length ? `. **FAILURES:** ${failures.join(' | ')}` : ' — all passed'}. ` +
    `sqlite-wasm ${results['sqlite-wasm Worker1'][0]?.version ?? '?'}.`);
  s.finish();
  ctx.results.clientApi = results;
  return s;
}

/** The cold-start app (bench/browser/cold-app) built by Vite as an app would be: bundled, minified. */
async function buildColdApp() {
  const outDir = path.join(BUILD_DIR, 'cold-app');
  const { build } = await import('vite');
  await build({ root: path.join(REPO, 'bench/browser/cold-app'), configFile: false, logLevel: 'silent',
    resolve: { alias: [{ find: /^campaign-store$/, replacement: path.join(REPO, 'js/index.js') }] },
    build: { outDir, emptyOutDir: true } });
  // sqlite-wasm's worker asks for assets/sqlite3.wasm by that name, while Vite
  // emits it content-hashed: give it the name it asks for.
  const assets = path.join(outDir, 'assets');
  const wasm = fs.readdirSync(assets).find((f) => /^sqlite3-.*\.wasm$/.test(f));
  fs.copyFileSync(path.join(assets, wasm), path.join(assets, 'sqlite3.wasm'));
  return outDir;
}

export async function coldStartBrowserSection(ctx) {
  const reps = Math.max(3, Math.min(ctx.reps, 5));
  const s = new Section('Chromium: cold start on a throttled 4G network', {
    intro: 'From the `import` of the library to the first answer from its worker, as an app ships it: a page built by ' +
      'Vite (bench/browser/cold-app; each library bundled, minified, in its own chunk), nothing cached (fresh page, HTTP ' +
      'cache disabled, `no-store`), the server sending gzip -9 as a production server would, the network throttled with ' +
      `CDP \`Network.emulateNetworkConditions\` to Lighthouse's mobile profile (150 ms RTT, 1.6 Mbit/s down: request ` +
      `latency ${FOUR_G.latency} ms, ${((FOUR_G.downloadThroughput * 8) / 1024).toFixed(0)} kbit/s). **ours** = ` +
      '`openCampaignStore({storage: \'memory\'})` + `ping` (the open creates the full schema; with nothing to migrate it loads the lean module, dist/campaign_store_lean.wasm); **sqlite-wasm** = its ' +
      `Worker1 promiser, \`open\` \`:memory:\`, \`SELECT 1\`. ${reps} runs per peer, alternating; also without throttling.`,
  });
  const root = await buildColdApp();
  const runs = new Map();
  await withChromium(ctx, s, async (browser, server) => {
    for (let r = 0; r < reps; r++) {
      for (const throttled of [true, false]) {
        for (const engine of r % 2 ? ['sqlite-wasm', 'ours'] : ['ours', 'sqlite-wasm']) {
          ctx.log(`  cold start ${engine}${throttled ? ' 4G' : ''} run ${r + 1}/${reps}`);
          const page = await browser.context.newPage();
          try {
            const cdp = await browser.context.newCDPSession(page);
            await cdp.send('Network.enable');
            await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
            if (throttled) await cdp.send('Network.emulateNetworkConditions', FOUR_G);
            await page.goto(`${server.url}/index.html?engine=${engine === 'ours' ? 'ours' : 'worker1'}`);
            await page.waitForFunction(() => window.cold !== undefined, null, { timeout: 120_000 });
            const cold = await page.evaluate(() => window.cold);
            if (cold.error) throw new Error(`${engine}: ${cold.error}`);
            const key = `${engine}|${throttled}`;
            if (!runs.has(key)) runs.set(key, []);
            runs.get(key).push(cold);
          } finally {
            await page.close();
          }
        }
      }
    }
  }, { root, gzip: true });
  for (const throttled of [true, false]) {
    for (const engine of ['ours', 'sqlite-wasm']) {
      const r = runs.get(`${engine}|${throttled}`);
      if (!r) continue;
      s.add(`import → first answer, ${throttled ? '4G' : 'unthrottled'}`, engine, r.map((x) => x.ms));
      s.add(`${throttled ? '4G' : 'unthrottled'}: of which importing the library`, engine, r.map((x) => x.importMs));
    }
  }
  s.finish();
  ctx.results.coldStartBrowser = Object.fromEntries(runs);
  return s;
}
