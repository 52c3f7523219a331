// The module in real Chromium, one page: the store runs in a Web Worker
// started from `new URL(..., import.meta.url)`, without COOP/COEP headers;
// protocol, errors, change events, live queries and crash handling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromiumOnRepo, openPage, wasmRequestsOf } from './client/harness.mjs';

const env = chromiumOnRepo();
const { skip } = env;

test('a Web Worker serves the store without cross-origin isolation', { skip }, async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, env.server.origin);
  try {
    const info = await page.evaluate(() => window.app.open({ storage: 'memory' }));
    assert.equal(info.crossOriginIsolated, false);
    assert.equal(info.role, 'leader');
    assert.equal(info.version.sqlite, '3.53.2');
    const r = await page.evaluate(async () => {
      const { app } = window;
      await app.call('sql.exec', { sql: 'CREATE TABLE t(id INTEGER PRIMARY KEY, tag TEXT, seq INTEGER)' });
      app.live('count', 'SELECT count(*) AS n FROM t');
      const changes = [];
      app.store.subscribe(['t'], (e) => changes.push(e.tables));
      const w = await app.writeMany('t', 'p', 0, 100);
      const rows = await app.call('sql.query', { sql: 'SELECT count(*) AS n, sum(seq) AS s FROM t' });
      let err;
      try { await app.call('sql.query', { sql: 'SELECT * FROM nope' }); } catch (e) {
        err = { name: e.name, code: e.code, message: e.message, details: e.details };
      }
      await new Promise((res) => setTimeout(res, 50));
      return { w, rows: rows.rows, err, changes: changes.length, live: app.liveState('count') };
    });
    assert.deepEqual([r.w.ok, r.w.errors], [100, []]);
    assert.deepEqual(r.rows, [{ n: 100, s: 4950 }]);
    assert.equal(r.err.name, 'CampaignStoreError');
    assert.equal(r.err.code, 'INVALID_ARGUMENT');
    assert.equal(r.err.details.op, 'sql.query');
    assert.equal(r.changes, 100);
    assert.deepEqual(r.live.data, [{ n: 100 }]);
    assert.ok(r.live.snapshots < 100, `re-runs were coalesced (${r.live.snapshots} snapshots)`);
    await page.evaluate(() => window.app.close());
  } finally {
    await context.close();
  }
});

// The page downloads and compiles the default wasm while the worker script
// loads (js/client/wasm-prefetch.js) and hands the module to each worker it
// starts: a second open in the same page downloads nothing.
test('the page compiles the default wasm once: two opens, one download', { skip, timeout: 60_000 }, async () => {
  const context = await env.browser.newContext();
  const wasmRequests = wasmRequestsOf(context);
  const page = await openPage(context, env.server.origin);
  try {
    const pongs = await page.evaluate(async () => {
      const { app } = window;
      const out = [];
      for (let i = 0; i < 2; i++) {
        await app.open({ storage: 'memory' });
        out.push(await app.call('ping', { echo: i }));
        await app.close();
      }
      return out;
    });
    assert.deepEqual(pongs, [{ pong: true, echo: 0 }, { pong: true, echo: 1 }]);
    assert.deepEqual(wasmRequests, ['/dist/campaign_store_lean.wasm']);  // nothing to migrate: the lean module
  } finally {
    await context.close();
  }
});

// A page whose Content-Security-Policy forbids compiling wasm (no
// 'wasm-unsafe-eval') may still start a worker whose own script allows it:
// the page then leaves the wasm to the worker and downloads none of it.
test('a page that may not compile wasm leaves it to the worker: the store opens, one download', { skip, timeout: 60_000 }, async () => {
  const context = await env.browser.newContext();
  await context.route('**/tests/browser/client/app.html', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response,
      headers: { ...response.headers(), 'content-security-policy': "script-src 'self' 'unsafe-inline'" } });
  });
  const wasmRequests = wasmRequestsOf(context);
  const page = await openPage(context, env.server.origin);
  try {
    const r = await page.evaluate(async () => {
      let pageMayCompile = true;
      try { new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])); } catch { pageMayCompile = false; }
      await window.app.open({ storage: 'memory' });
      const pong = await window.app.call('ping', { echo: 'csp' });
      await window.app.close();
      return { pageMayCompile, pong };
    });
    assert.equal(r.pageMayCompile, false, 'the policy applies to the page');
    assert.deepEqual(r.pong, { pong: true, echo: 'csp' });
    assert.deepEqual(wasmRequests, ['/dist/campaign_store_lean.wasm']);  // nothing to migrate: the lean module
  } finally {
    await context.close();
  }
});

// The worker fetches the wasm while it imports the glue and compiles it as
// it streams in when the server says application/wasm (the harness does);
// a server that says something else still gets a working store, and a
// wasm that is not there fails the open with NETWORK instead of hanging it.
test('the wasm loads with any content type, and a missing one fails the open with NETWORK', { skip, timeout: 60_000 }, async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, env.server.origin);
  try {
    const r = await page.evaluate(async () => {
      const { app } = window;
      const bytes = await (await fetch('/dist/campaign_store.wasm')).arrayBuffer();
      const wasmUrl = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
      const info = await app.open({ storage: 'memory', wasmUrl });
      const pong = await app.call('ping', { echo: 7 });
      await app.close();
      let err = null;
      try {
        await app.open({ storage: 'memory', wasmUrl: `${location.origin}/dist/no-such.wasm` });
      } catch (e) {
        err = { code: e.code, message: e.message, status: e.details?.status };
      }
      return { role: info.role, pong, err };
    });
    assert.equal(r.role, 'leader');
    assert.deepEqual(r.pong, { pong: true, echo: 7 });
    assert.equal(r.err?.code, 'NETWORK', JSON.stringify(r.err));
    assert.match(r.err.message, /no-such\.wasm: HTTP 404/);
    assert.equal(r.err.status, 404);
  } finally {
    await context.close();
  }
});

test('a crash in the worker settles every pending request with CLOSED', { skip }, async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, env.server.origin);
  try {
    await page.evaluate(() => window.app.open({ storage: 'memory', testHooks: true }));
    const outcomes = await page.evaluate(() => window.app.settleAll([
      ['worker.debug.crash', {}],
      ['ping', {}],
      ['sql.query', { sql: 'SELECT 1' }],
    ]));
    for (const o of outcomes) assert.equal(o.code, 'CLOSED', JSON.stringify(o));
    const later = await page.evaluate(() => window.app.settleAll([['ping', {}]]));
    assert.equal(later[0].code, 'CLOSED');
  } finally {
    await context.close();
  }
});
