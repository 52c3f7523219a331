// The lean module in Chromium over OPFS: a page with nothing to migrate
// downloads only dist/campaign_store_lean.wasm; the first legacy op moves the
// worker to the full module, which must reopen the OPFS pool the lean engine
// held (its access handles are exclusive) with every row intact, in one tab
// and in a leader tab serving another tab's request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromiumOnRepo, openPage, wasmRequestsOf } from './client/harness.mjs';

const env = chromiumOnRepo();
const { skip } = env;

const LEAN = '/dist/campaign_store_lean.wasm';
const FULL = '/dist/campaign_store.wasm';
const TABLE = 'CREATE TABLE IF NOT EXISTS w(id INTEGER PRIMARY KEY, tag TEXT NOT NULL, seq INTEGER NOT NULL, UNIQUE(tag, seq))';
const LEGACY_PRODUCTS = JSON.stringify([{ id: 'legacy-1', name: 'From localStorage', price: 19.99 }]);

const absentOps = (page) => page.evaluate(async () => (await window.app.call('ops')).filter((o) => o.absent).length);

test('one tab: lean until the migration runs, then the full module on the same OPFS files; a reload keeps it all', { skip, timeout: 120_000 }, async () => {
  const context = await env.browser.newContext();
  const wasm = wasmRequestsOf(context);
  const name = `lean-${Date.now()}`;
  try {
    const page = await openPage(context, env.server.origin);
    await page.evaluate((n) => window.app.open({ name: n, storage: 'opfs' }), name);
    assert.deepEqual(wasm, [LEAN], 'nothing to migrate: the lean module only');
    assert.ok(await absentOps(page) > 0);
    await page.evaluate((sql) => window.app.call('sql.exec', { sql }), TABLE);

    // Writes in flight on both sides of the move, which the migration's first call starts.
    const r = await page.evaluate(async (products) => {
      const { app } = window;
      localStorage.setItem('products', products);
      const before = app.writeMany('w', 'before', 0, 100);
      const migrated = app.store.migration.run();
      const afterwards = app.writeMany('w', 'after', 0, 100);
      return { before: await before, report: await migrated, after: await afterwards };
    }, LEGACY_PRODUCTS);
    assert.deepEqual([r.before.ok, r.before.errors, r.after.ok, r.after.errors], [100, [], 100, []], page.log.join('\n'));
    assert.equal(r.report.ok, true, JSON.stringify(r.report.errors));
    assert.deepEqual(wasm, [LEAN, FULL]);
    assert.equal(await absentOps(page), 0);
    const counts = 'SELECT tag, count(*) AS n FROM w GROUP BY tag ORDER BY tag';
    const expected = [{ tag: 'after', n: 100 }, { tag: 'before', n: 100 }];
    assert.deepEqual((await page.evaluate((sql) => window.app.call('sql.query', { sql }), counts)).rows, expected);
    await page.evaluate(() => window.app.close());

    // The legacy key is still there (nothing released it): the full module at once.
    await page.reload();
    await page.waitForFunction(() => window.app !== undefined);
    wasm.length = 0;
    const again = await page.evaluate(async ({ n, sql }) => {
      await window.app.open({ name: n, storage: 'opfs' });
      const rows = (await window.app.call('sql.query', { sql })).rows;
      const products = (await window.app.store.products.list()).items.map((p) => p.name);
      return { rows, products, report: window.app.store.migration.lastReport };
    }, { n: name, sql: counts });
    assert.deepEqual(again.rows, expected);
    assert.deepEqual(again.products, ['From localStorage']);
    assert.equal(again.report.ok, true);
    assert.equal(wasm.includes(LEAN), false, `with legacy keys the page loads the full module: ${wasm}`);
    await page.evaluate(() => { localStorage.clear(); return window.app.close(); });
  } finally {
    await context.close();
  }
});

test('two tabs: the leader moves to the full module for a follower\'s legacy request; the next leader does too', { skip, timeout: 120_000 }, async () => {
  const context = await env.browser.newContext();
  const name = `lean-tabs-${Date.now()}`;
  try {
    const a = await openPage(context, env.server.origin);
    assert.equal((await a.evaluate((n) => window.app.open({ name: n, storage: 'opfs' }), name)).role, 'leader');
    const b = await openPage(context, env.server.origin);
    assert.equal((await b.evaluate((n) => window.app.open({ name: n, storage: 'opfs' }), name)).role, 'follower');
    await b.evaluate((sql) => window.app.call('sql.exec', { sql }), TABLE);

    // B's legacy request runs on A's worker, between writes of both tabs.
    const [wa, report, wb] = await Promise.all([
      a.evaluate(() => window.app.writeMany('w', 'A', 0, 100)),
      b.evaluate(async () => {
        const first = window.app.writeMany('w', 'B', 0, 50);
        const rep = await window.app.store.migration.report();
        await first;
        return rep;
      }),
      b.evaluate(() => window.app.writeMany('w', 'B', 50, 50)),
    ]);
    assert.deepEqual([wa.ok, wa.errors, wb.ok, wb.errors], [100, [], 50, []], `${a.log.join('\n')}\n${b.log.join('\n')}`);
    assert.equal(typeof report.ok, 'boolean');
    assert.equal(await absentOps(a), 0, 'the leader runs the full module');

    // A leaves; B leads on its own (lean) engine and moves when it needs to.
    await a.close({ runBeforeUnload: true });
    await b.waitForFunction(() => window.app.store.info.role === 'leader', null, { timeout: 15000 });
    assert.ok(await absentOps(b) > 0, 'the new leader opened on the lean module');
    const r = await b.evaluate(async () => {
      const exported = await window.app.store.migration.exportLegacy();
      const rows = (await window.app.call('sql.query', { sql: 'SELECT tag, count(*) AS n FROM w GROUP BY tag ORDER BY tag' })).rows;
      return { entries: exported.entries, rows };
    });
    assert.deepEqual(r.entries, [], 'nothing came from localStorage: nothing to give back');
    assert.deepEqual(r.rows, [{ tag: 'A', n: 100 }, { tag: 'B', n: 100 }]);
    assert.equal(await absentOps(b), 0);
    await b.evaluate(() => window.app.close());
  } finally {
    await context.close();
  }
});

test('when the full module cannot be had, the legacy call fails with NETWORK and the lean module keeps serving', { skip, timeout: 120_000 }, async () => {
  const context = await env.browser.newContext();
  let refuse = true;
  await context.route(`**${FULL}`, (route) => (refuse ? route.fulfill({ status: 503, body: 'down' }) : route.continue()));
  const name = `lean-down-${Date.now()}`;
  try {
    const page = await openPage(context, env.server.origin);
    await page.evaluate((n) => window.app.open({ name: n, storage: 'opfs' }), name);
    await page.evaluate((sql) => window.app.call('sql.exec', { sql }), TABLE);
    const r = await page.evaluate(async () => {
      const { app } = window;
      const before = app.writeMany('w', 'before', 0, 50);
      let error = null;
      try { await app.store.migration.report(); } catch (e) { error = { code: e.code, message: e.message }; }
      const afterwards = await app.writeMany('w', 'after', 0, 50);
      return { before: await before, error, after: afterwards };
    });
    assert.equal(r.error?.code, 'NETWORK', JSON.stringify(r.error));
    assert.match(r.error.message, /HTTP 503/);
    assert.deepEqual([r.before.ok, r.after.ok], [50, 50], page.log.join('\n'));
    assert.ok(await absentOps(page) > 0, 'still the lean module');
    refuse = false;  // the network is back: the next legacy call moves
    const report = await page.evaluate(() => window.app.store.migration.report());
    assert.equal(typeof report.ok, 'boolean');
    assert.equal(await absentOps(page), 0);
    const rows = await page.evaluate(() => window.app.call('sql.query', { sql: 'SELECT count(*) AS n FROM w' }));
    assert.deepEqual(rows.rows, [{ n: 100 }]);
    await page.evaluate(() => window.app.close());
  } finally {
    await context.close();
  }
});
