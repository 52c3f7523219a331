// Two (then three) pages of one origin on the same OPFS database, through
// the module as an app uses it: one tab's worker leads (Web Locks), the
// other forwards over BroadcastChannel. Both write at once and see each
// other's writes through live queries; closing the leader hands over to the
// other tab while its writes are in flight; every row is counted and checked
// (none lost, none applied twice: UNIQUE(tag, seq) would refuse a replay).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromiumOnRepo, openPage } from './client/harness.mjs';

const env = chromiumOnRepo();
const { skip } = env;

const TABLE = 'CREATE TABLE IF NOT EXISTS w(id INTEGER PRIMARY KEY, tag TEXT NOT NULL, seq INTEGER NOT NULL, UNIQUE(tag, seq))';
const COUNTS = 'SELECT tag, count(*) AS n FROM w GROUP BY tag ORDER BY tag';

async function liveCounts(page, expected, timeout = 15000) {
  // Compared as [tag, n] pairs: row objects do not promise a key order.
  const want = JSON.stringify(expected.map((r) => [r.tag, r.n]));
  await page.waitForFunction((w) => JSON.stringify((window.app.liveState('counts')?.data ?? []).map((r) => [r.tag, r.n])) === w,
    want, { timeout, polling: 50 }).catch(async (err) => {
    const state = await page.evaluate(() => window.app.liveState('counts'));
    throw new Error(`live query never showed ${JSON.stringify(expected)}; it shows ${JSON.stringify(state)}\n${page.log.join('\n')}\n${err.message}`);
  });
}

test('two tabs share one OPFS database; the leader closing hands over without losing a write', { skip, timeout: 120000 }, async () => {
  const context = await env.browser.newContext();
  const name = `multitab-${Date.now()}`;
  try {
    const a = await openPage(context, env.server.origin);
    const infoA = await a.evaluate((n) => window.app.open({ name: n, storage: 'opfs' }), name);
    assert.equal(infoA.role, 'leader');
    assert.equal(infoA.crossOriginIsolated, false);
    const b = await openPage(context, env.server.origin);
    const infoB = await b.evaluate((n) => window.app.open({ name: n, storage: 'opfs' }), name);
    assert.equal(infoB.role, 'follower');
    assert.equal(infoB.leader, infoA.tabId);

    await b.evaluate((sql) => window.app.call('sql.exec', { sql }), TABLE);  // through the leader
    for (const page of [a, b]) await page.evaluate((sql) => window.app.live('counts', sql), COUNTS);

    // Both write at once; each sees the other's rows through its live query.
    const [wa, wb] = await Promise.all([
      a.evaluate(() => window.app.writeMany('w', 'A', 0, 100)),
      b.evaluate(() => window.app.writeMany('w', 'B', 0, 100)),
    ]);
    assert.deepEqual([wa.ok, wa.errors], [100, []]);
    assert.deepEqual([wb.ok, wb.errors], [100, []]);
    const both = [{ tag: 'A', n: 100 }, { tag: 'B', n: 100 }];
    await liveCounts(a, both);
    await liveCounts(b, both);

    // B writes while the leader's page closes: B takes over and nothing is lost.
    const inFlight = b.evaluate(() => window.app.writeMany('w', 'B', 100, 300));
    await new Promise((r) => setTimeout(r, 30));
    await a.close({ runBeforeUnload: true });
    const wb2 = await inFlight;
    assert.deepEqual({ ok: wb2.ok, errors: wb2.errors }, { ok: 300, errors: [] }, b.log.join('\n'));
    await b.waitForFunction(() => window.app.store.info.role === 'leader', null, { timeout: 15000 });
    // The handover happened while B's writes were in flight, not after them.
    const tookOver = await b.evaluate((me) => window.app.roles.find((r) => r.leader === me)?.at, infoB.tabId);
    assert.ok(tookOver < wb2.lastAt, `B took over at ${tookOver} ms, its last write finished at ${wb2.lastAt} ms`);
    await liveCounts(b, [{ tag: 'A', n: 100 }, { tag: 'B', n: 400 }]);

    // Count and check every row.
    const rows = await b.evaluate(() => window.app.call('sql.query', { sql: 'SELECT tag, seq FROM w ORDER BY tag, seq' }));
    const want = [
      ...Array.from({ length: 100 }, (_, i) => ({ tag: 'A', seq: i })),
      ...Array.from({ length: 400 }, (_, i) => ({ tag: 'B', seq: i })),
    ];
    assert.deepEqual(rows.rows, want);

    // A new tab follows the new leader and reads the same database.
    const c = await openPage(context, env.server.origin);
    const infoC = await c.evaluate((n) => window.app.open({ name: n, storage: 'opfs' }), name);
    assert.equal(infoC.role, 'follower');
    assert.equal(infoC.leader, infoB.tabId);
    await c.evaluate((sql) => window.app.live('counts', sql), COUNTS);
    await liveCounts(c, [{ tag: 'A', n: 100 }, { tag: 'B', n: 400 }]);
    const wc = await c.evaluate(() => window.app.writeMany('w', 'C', 0, 10));
    assert.deepEqual([wc.ok, wc.errors], [10, []]);
    await liveCounts(b, [{ tag: 'A', n: 100 }, { tag: 'B', n: 400 }, { tag: 'C', n: 10 }]);
    await c.evaluate(() => window.app.close());
    await b.evaluate(() => window.app.close());
  } finally {
    await context.close();
  }
});
