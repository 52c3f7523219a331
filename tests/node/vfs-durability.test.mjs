// The durability presets keep their promises: 'full' flushes before a commit
// returns; 'batched' returns without a flush and flushes within syncWithinMs,
// between calls, on its own; close/dispose leaves everything on disk.
// (That a batched commit survives a killed process is crash.test.mjs's job.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';

import { createEngine } from '../../js/core.js';
import { removeDir, scratchDir } from './vfs-support/locations.mjs';

function countFlushes(engine) {
  const host = engine.storage.host;
  const counter = { n: 0 };
  const flush = host.flush.bind(host);
  host.flush = (id) => {
    counter.n++;
    return flush(id);
  };
  return counter;
}

test("'full': every commit is flushed before the call returns", async () => {
  const dir = scratchDir();
  try {
    const engine = await createEngine({ storage: { kind: 'node', dir, durability: 'full' } });
    assert.equal(engine.storage.syncWithinMs, 0);
    assert.equal(engine.call('storage.info').synchronous, 'full');
    engine.call('sql.exec', { sql: 'CREATE TABLE t(x)' });
    const flushes = countFlushes(engine);
    for (let i = 0; i < 5; i++) {
      const before = flushes.n;
      engine.call('sql.exec', { sql: 'INSERT INTO t VALUES (?)', params: [i] });
      assert.ok(flushes.n > before, `commit ${i} flushed`);
    }
    engine.dispose();
  } finally {
    removeDir(dir);
  }
});

test("'batched' (the default): commits return unflushed, a flush follows within syncWithinMs", async () => {
  const dir = scratchDir();
  try {
    const engine = await createEngine({ storage: { kind: 'node', dir, syncWithinMs: 50 } });
    assert.equal(engine.call('storage.info').synchronous, 'normal');
    assert.equal(engine.call('storage.info').journalMode, 'wal');
    engine.call('sql.exec', { sql: 'CREATE TABLE t(x)' });
    await sleep(120);
    const flushes = countFlushes(engine);
    for (let i = 0; i < 20; i++) engine.call('sql.exec', { sql: 'INSERT INTO t VALUES (?)', params: [i] });
    assert.equal(flushes.n, 0, 'no commit waited for a flush');
    await sleep(150);
    assert.ok(flushes.n >= 1, 'the timed flush ran');
    const after = flushes.n;
    await sleep(150);
    assert.equal(flushes.n, after, 'nothing new, no flush');
    assert.deepEqual(engine.sync(), { flushed: 0 }, 'everything was already on disk');
    engine.call('sql.exec', { sql: 'INSERT INTO t VALUES (99)' });
    assert.ok(engine.sync().flushed >= 1, 'sync() flushes now');
    engine.dispose();
  } finally {
    removeDir(dir);
  }
});

test('explicit settings override the preset; bad presets are refused', async () => {
  const dir = scratchDir();
  try {
    const engine = await createEngine({ storage: { kind: 'node', dir, journalMode: 'delete', synchronous: 'full' } });
    const info = engine.call('storage.info');
    assert.deepEqual([info.journalMode, info.synchronous, info.lockingMode], ['delete', 'full', 'normal']);
    assert.equal(engine.storage.syncWithinMs, 0);
    engine.dispose();
    await assert.rejects(createEngine({ storage: { kind: 'node', dir, durability: 'sometimes' } }),
      (e) => e.code === 'INVALID_ARGUMENT');
  } finally {
    removeDir(dir);
  }
});
