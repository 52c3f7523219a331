// What only a real worker can show: a crash or terminate mid-request settles
// every promise with CLOSED, a long request does not block the main thread,
// a worker that cannot start fails openCampaignStore, and an idle store does
// not keep Node alive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { openCampaignStore, CampaignStoreError } from '../../js/index.js';

// ~2 s of work inside the worker (3M rows of a recursive CTE).
const SLOW = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 3000000) SELECT count(*) AS n FROM c';

test('terminate mid-request: every pending promise rejects with CLOSED', async () => {
  const store = await openCampaignStore({ storage: 'memory' });
  const pending = [store.sql.query(SLOW), store.ping(1), store.sql.query('SELECT 1'), store.version()];
  await new Promise((r) => setTimeout(r, 100));
  store.terminate();
  const outcomes = await Promise.allSettled(pending);
  for (const o of outcomes) {
    assert.equal(o.status, 'rejected');
    assert.ok(o.reason instanceof CampaignStoreError);
    assert.equal(o.reason.code, 'CLOSED');
  }
  await assert.rejects(store.ping(), (e) => e.code === 'CLOSED');
  assert.equal(store.closed, true);
});

test('a crash inside the worker rejects everything pending with CLOSED', async () => {
  const logs = [];
  const store = await openCampaignStore({ storage: 'memory', testHooks: true, log: (e) => logs.push(e) });
  const crash = store.call('worker.debug.crash', {});
  const queued = [store.ping(1), store.sql.query(SLOW)];
  const outcomes = await Promise.allSettled([crash, ...queued]);
  for (const o of outcomes) assert.equal(o.reason?.code, 'CLOSED', String(o.reason));
  assert.match(outcomes[0].reason.message, /crashed|exited/);
  assert.ok(logs.some((e) => e.source === 'client' && e.level === 'error'));
  await store.close();  // after a crash: settles, does not hang
});

test('the crash hook is refused unless asked for', async () => {
  const store = await openCampaignStore({ storage: 'memory' });
  await assert.rejects(store.call('worker.debug.crash', {}), (e) => e.code === 'NOT_FOUND');
  await store.close();
});

test('a long request does not block the main thread', async () => {
  const store = await openCampaignStore({ storage: 'memory' });
  let ticks = 0;
  const timer = setInterval(() => { ticks++; }, 10);
  const started = Date.now();
  const r = await store.sql.query(SLOW);
  const elapsed = Date.now() - started;
  clearInterval(timer);
  assert.deepEqual(r.rows, [{ n: 3000000 }]);
  // The timer kept firing during the query (allow for a slow, loaded machine).
  assert.ok(ticks >= elapsed / 10 / 4, `${ticks} ticks in ${elapsed} ms`);
  await store.close();
});

test('a worker that cannot load the wasm fails openCampaignStore', async () => {
  await assert.rejects(
    openCampaignStore({ storage: 'memory', moduleUrl: new URL('../../dist/no-such-module.mjs', import.meta.url) }),
    (e) => e instanceof CampaignStoreError && e.code === 'INTERNAL' && /no-such-module/.test(e.message),
  );
});

test('bad options fail at the call site', async () => {
  await assert.rejects(openCampaignStore({ storage: 'disk' }), (e) => e.code === 'INVALID_ARGUMENT' && e.details.field === 'storage');
  await assert.rejects(openCampaignStore({ durability: 'maybe' }), (e) => e.code === 'INVALID_ARGUMENT');
  await assert.rejects(openCampaignStore({ name: '../x' }), (e) => e.code === 'INVALID_ARGUMENT');
});

test('an idle store does not keep the Node process alive', () => {
  const script = `
    import { openCampaignStore } from ${JSON.stringify(new URL('../../js/index.js', import.meta.url).href)};
    const store = await openCampaignStore({ storage: 'memory' });
    await store.sql.exec('CREATE TABLE t(x)');
    console.log('opened');`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20000 });
  assert.equal(child.signal, null, 'the child had to be killed: the worker kept it alive');
  assert.equal(child.status, 0, child.stderr);
  assert.match(child.stdout, /opened/);
});
