// What differs by browser, in Firefox ESR (puppeteer-core over WebDriver
// BiDi): the OPFS host and VFS contracts on Firefox's sync access handles,
// persistence across a reload, BUSY for a second opener, the store in a
// module worker shared by two tabs (Web Locks + BroadcastChannel), what
// persist() does, the move from the lean module to the full one on a legacy
// call, and private browsing, where Firefox refuses OPFS: the open
// fails at once with UNSUPPORTED and the browser's error name, and
// storage: ['opfs', 'memory'] keeps the app running. The rest of the browser
// suite (UI, sync, bundles) is browser-independent and runs in Chromium.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { serveRepo } from './client/harness.mjs';
import { firefoxUnavailable, launchFirefox, openFirefoxPage } from './support/firefox.mjs';

const skip = firefoxUnavailable();
let server;
let browser;

before(async () => {
  if (skip) return;
  server = await serveRepo();
  browser = await launchFirefox();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function opfsPage() {
  const page = await openFirefoxPage(browser, `${server.origin}/tests/browser/pages/opfs.html`);
  await page.waitForFunction(() => window.workerReady === true || window.workerError, { timeout: 30_000 });
  const failure = await page.evaluate(() => window.workerError ?? null);
  if (failure) throw new Error(`worker failed to start: ${failure}`);
  page.run = (cmd, args = {}) => page.evaluate((c, a) => window.run(c, a), cmd, args);
  return page;
}

async function appPage() {
  const page = await openFirefoxPage(browser, `${server.origin}/tests/browser/client/app.html`);
  await page.waitForFunction(() => window.app !== undefined, { timeout: 30_000 });
  return page;
}

test('Firefox: OPFS host and VFS contracts, a reload keeps the data, a second opener gets BUSY', { skip, timeout: 120_000 }, async () => {
  const page = await opfsPage();
  const contract = await page.run('hostContract', { name: 'ff-host-contract' });
  assert.ok(contract.length >= 9, JSON.stringify(contract));
  for (const r of contract) assert.ok(r.ok, `${r.name}: ${r.message}`);
  const vfs = await page.run('selfTest', { name: 'ff-vfs-contract' });
  assert.equal(vfs.error, undefined, vfs.error?.message);
  for (const c of vfs.cases) assert.ok(c.ok, `${c.name}: ${c.message}`);

  assert.equal((await page.run('openStorage', { name: 'ff-reload' })).storage?.kind, 'pool');
  await page.run('call', { op: 'sql.exec', args: { sql: 'CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT)' } });
  await page.run('call', { op: 'sql.exec', args: { sql: "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) INSERT INTO t SELECT i, 'draft ' || i FROM n" } });
  const second = await opfsPage();
  const busy = await second.run('openStorage', { name: 'ff-reload' });
  assert.equal(busy.error?.code, 'BUSY', JSON.stringify(busy));
  await second.close();

  await page.reload();
  await page.waitForFunction(() => window.workerReady === true, { timeout: 30_000 });
  assert.equal((await page.run('openStorage', { name: 'ff-reload' })).error, undefined);
  const rows = await page.run('call', { op: 'sql.query', args: { sql: 'SELECT count(*) AS n FROM t' } });
  assert.deepEqual(rows.rows, [{ n: 500 }]);
  const exported = await page.run('exportImport');
  assert.equal(exported.header, 'SQLite format 3');
  assert.equal(exported.rows, 500);
  await page.close();
});

test('Firefox: two tabs share one store on OPFS (one worker leads, the other forwards); the open never waits for persist()', { skip, timeout: 120_000 }, async (t) => {
  const name = `ff-tabs-${Date.now()}`;
  const a = await appPage();
  const b = await appPage();
  try {
    const infoA = await a.evaluate((n) => window.app.open({ name: n, storage: 'opfs' }).then((i) => ({ role: i.role, storage: i.storage })), name);
    assert.deepEqual(infoA, { role: 'leader', storage: 'opfs' });
    const infoB = await b.evaluate((n) => window.app.open({ name: n, storage: 'opfs' }).then((i) => ({ role: i.role })), name);
    assert.equal(infoB.role, 'follower');
    await b.evaluate(() => window.app.store.products.create({ name: 'Made in tab B' }));
    const names = await a.evaluate(() => window.app.store.products.list().then((p) => p.items.map((x) => x.name)));
    assert.deepEqual(names, ['Made in tab B']);
    // Both opened on the lean module (nothing to migrate); B's migration runs
    // on A's worker, which moves to the full module on the same OPFS files.
    const absent = (page) => page.evaluate(() => window.app.call('ops').then((ops) => ops.filter((o) => o.absent).length));
    assert.ok(await absent(a) > 0);
    const report = await b.evaluate(() => {
      localStorage.setItem('products', JSON.stringify([{ id: 'ff-legacy', name: 'From localStorage' }]));
      return window.app.store.migration.run().then((r) => ({ ok: r.ok, errors: r.errors }));
    });
    assert.equal(report.ok, true, JSON.stringify(report.errors));
    assert.equal(await absent(a), 0);
    const all = await a.evaluate(() => window.app.store.products.list().then((p) => p.items.map((x) => x.name).sort()));
    assert.deepEqual(all, ['From localStorage', 'Made in tab B']);
    await a.evaluate(() => localStorage.clear());
    // Firefox asks the user before it persists storage (a prompt beside the
    // address bar): a persist() call can stay pending until it is answered,
    // so the store never waits for it (the opens above returned) and sets
    // info.persisted only once the browser answers.
    const persist = await a.evaluate(() => Promise.race([
      navigator.storage.persist().then((granted) => `answered ${granted}`),
      new Promise((resolve) => setTimeout(() => resolve('pending'), 1500)),
    ]).then((outcome) => ({ outcome, persisted: window.app.store.info.persisted ?? null })));
    t.diagnostic(`Firefox persist(): ${persist.outcome}; the store's own request: ${persist.persisted}`);
    assert.ok([true, false, null].includes(persist.persisted));
    await b.evaluate(() => window.app.close());
    await a.evaluate(() => window.app.close());
  } finally {
    await a.close();
    await b.close();
  }
});

test('Firefox private browsing: OPFS is refused at once with UNSUPPORTED (SecurityError); [opfs, memory] falls back', { skip, timeout: 120_000 }, async () => {
  const privateBrowser = await launchFirefox({ private: true });
  try {
    const page = await openFirefoxPage(privateBrowser, `${server.origin}/tests/browser/client/app.html`);
    await page.waitForFunction(() => window.app !== undefined, { timeout: 30_000 });
    const refused = await page.evaluate(async () => {
      const started = performance.now();
      try {
        await window.app.open({ name: 'private', storage: 'opfs' });
        return { opened: true };
      } catch (e) {
        return { code: e.code, name: e.details?.name, message: e.message, ms: performance.now() - started };
      }
    });
    assert.equal(refused.code, 'UNSUPPORTED', JSON.stringify(refused));
    assert.equal(refused.name, 'SecurityError');
    assert.ok(refused.ms < 5000, `failed fast (${Math.round(refused.ms)} ms)`);

    const fallback = await page.evaluate(async () => {
      const info = await window.app.open({ name: 'private', storage: ['opfs', 'memory'] });
      await window.app.store.products.create({ name: 'Kept in memory' });
      const { items } = await window.app.store.products.list();
      await window.app.close();
      return { storage: info.storage, fallback: info.storageFallback, names: items.map((p) => p.name) };
    });
    assert.equal(fallback.storage, 'memory');
    assert.deepEqual([fallback.fallback.storage, fallback.fallback.code, fallback.fallback.name], ['opfs', 'UNSUPPORTED', 'SecurityError']);
    assert.deepEqual(fallback.names, ['Kept in memory']);
  } finally {
    await privateBrowser.close();
  }
});
