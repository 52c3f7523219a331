// The pool VFS on real OPFS in Chromium (Debian's /usr/bin/chromium through
// playwright-core): the host and VFS contracts, persistence across page
// reloads, BUSY for a second tab, export/import, 200 MiB capacity, storage
// estimate. Pages and dist/ come from a node:http server on 127.0.0.1 with no
// COOP/COEP headers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { chromiumAvailable, launch, openPage } from './support/chromium.mjs';
import { startServer } from './support/server.mjs';

const skip = chromiumAvailable() ? false : 'no /usr/bin/chromium (apt-get install -y chromium)';

describe('OPFS in Chromium', { skip, timeout: 240000 }, () => {
  let server;
  let browser;
  let pageUrl;
  before(async () => {
    server = await startServer();
    browser = await launch();
    pageUrl = `${server.url}/tests/browser/pages/opfs.html`;
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('host contract on FileSystemSyncAccessHandles', async () => {
    const { page, run } = await openPage(browser.context, pageUrl);
    const results = await run('hostContract', { name: 'host-contract' });
    assert.ok(results.length >= 9);
    for (const r of results) assert.ok(r.ok, `${r.name}: ${r.message}`);
    await page.close();
  });

  test('VFS contract through the wasm bridge on OPFS (storage.selfTest)', async () => {
    const { page, run } = await openPage(browser.context, pageUrl);
    const r = await run('selfTest', { name: 'vfs-contract' });
    assert.equal(r.error, undefined, r.error?.message);
    assert.ok(r.cases.length >= 15);
    for (const c of r.cases) assert.ok(c.ok, `${c.name}: ${c.message}`);
    await page.close();
  });

  test('data written before a reload is there after it', async () => {
    const { page, run } = await openPage(browser.context, pageUrl);
    let r = await run('openStorage', { name: 'reload' });
    assert.equal(r.storage?.kind, 'pool', JSON.stringify(r));
    await run('call', { op: 'sql.exec', args: { sql: 'CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT)' } });
    await run('call', {
      op: 'sql.exec',
      args: { sql: "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1234) INSERT INTO t SELECT i, 'draft ' || i FROM n" },
    });
    // No close: a reload is the tab going away with the database open.
    await page.reload();
    await page.waitForFunction(() => window.workerReady === true);
    r = await run('openStorage', { name: 'reload' });
    assert.equal(r.error, undefined, r.error?.message);
    const rows = await run('call', { op: 'sql.query', args: { sql: 'SELECT count(*) AS n, max(body) AS m FROM t' } });
    assert.deepEqual(rows.rows, [{ n: 1234, m: 'draft 999' }]);
    const check = await run('call', { op: 'sql.query', args: { sql: 'PRAGMA integrity_check' } });
    assert.deepEqual(check.rows, [{ integrity_check: 'ok' }]);
    const exported = await run('exportImport');
    assert.deepEqual(exported, { bytes: exported.bytes, header: 'SQLite format 3', walFlag: 1, rows: 1234 });
    await page.close();
  });

  test('a second tab opening the same pool gets BUSY; the first is unharmed', async () => {
    const first = await openPage(browser.context, pageUrl);
    const second = await openPage(browser.context, pageUrl);
    assert.equal((await first.run('openStorage', { name: 'busy' })).storage?.kind, 'pool');
    await first.run('call', { op: 'sql.exec', args: { sql: 'CREATE TABLE t(x)' } });
    const r = await second.run('openStorage', { name: 'busy' });
    assert.equal(r.error?.code, 'BUSY', JSON.stringify(r));
    assert.match(r.error.message, /open in another tab or worker/);
    await first.run('call', { op: 'sql.exec', args: { sql: 'INSERT INTO t VALUES (1)' } });
    const rows = await first.run('call', { op: 'sql.query', args: { sql: 'SELECT count(*) AS n FROM t' } });
    assert.equal(rows.rows[0].n, 1);
    // Once the first closes, the second may open it.
    await first.run('close');
    const again = await second.run('openStorage', { name: 'busy' });
    assert.equal(again.error, undefined, again.error?.message);
    await first.page.close();
    await second.page.close();
  });

  test('batched commits survive a renderer crash right after they return (no flush yet)', async () => {
    const { page, run } = await openPage(browser.context, pageUrl);
    assert.equal((await run('openStorage', { name: 'crash', syncWithinMs: 60000 })).error, undefined);
    const r = await run('commits', { n: 300 });
    assert.equal(r.last, 300);
    assert.equal(r.syncWithinMs, 60000, 'no timed flush can have run');
    // Kill the renderer (page and worker) the hard way.
    const cdp = await browser.context.newCDPSession(page);
    const crashed = page.waitForEvent('crash', { timeout: 10000 });
    cdp.send('Page.crash').catch(() => {});  // never answers: the target dies
    await crashed;
    const next = await openPage(browser.context, pageUrl);
    assert.equal((await next.run('openStorage', { name: 'crash' })).error, undefined);
    const rows = await next.run('call', { op: 'sql.query', args: { sql: 'SELECT count(*) AS n, max(seq) AS m FROM c' } });
    assert.deepEqual(rows.rows, [{ n: 300, m: 300 }]);
    const check = await next.run('call', { op: 'sql.query', args: { sql: 'PRAGMA integrity_check' } });
    assert.deepEqual(check.rows, [{ integrity_check: 'ok' }]);
    await next.page.close();
    await page.close().catch(() => {});
  });

  test('200 MiB written and read back in OPFS; estimate reports usage', async (t) => {
    const { page, run } = await openPage(browser.context, pageUrl);
    assert.equal((await run('openStorage', { name: 'capacity', journalMode: 'delete', synchronous: 'normal' })).error, undefined);
    const r = await run('capacity', { mb: 200 });
    assert.equal(r.error, undefined, r.error?.message);
    assert.equal(r.n, 200);
    assert.equal(r.bytes, 200 * 1048576);
    assert.equal(r.tails, 200);
    const estimate = await run('estimate');
    assert.ok(estimate.usage >= 200 * 1048576, `usage ${estimate.usage}`);
    assert.ok(estimate.quota > estimate.usage);
    assert.equal(typeof estimate.persisted, 'boolean');
    await run('remove', { name: 'capacity' });
    t.diagnostic(`OPFS 200 MiB: write ${r.writeMs.toFixed(0)} ms, read ${r.readMs.toFixed(0)} ms`);
    await page.close();
  });
});
