// Persistent storage through the engine in Node: persistence across
// processes, BUSY for a second opener, export/import, delete, growth of the
// pool between calls, and injected host failures.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import readline from 'node:readline';

import { createEngine } from '../../js/core.js';
import { installHost, uninstallHost } from '../../js/hosts/index.js';
import { MemoryVolume, openMemoryPool } from '../../js/hosts/memory.js';
import { delegating, withFaults } from './vfs-support/fault-host.mjs';
import { prng } from './sync-chaos/harness.mjs';
import { removeDir, scratchDir } from './vfs-support/locations.mjs';

const CHILD = fileURLToPath(new URL('./vfs-support/child.mjs', import.meta.url));

function runChild(...args) {
  return execFileSync(process.execPath, [CHILD, ...args.map(String)], { encoding: 'utf8', timeout: 30000 }).trim();
}

const count = (engine, table = 't') => engine.call('sql.query', { sql: `SELECT count(*) AS n FROM ${table}` }).rows[0].n;
const integrity = (engine) => engine.call('sql.query', { sql: 'PRAGMA integrity_check' }).rows.map((r) => r.integrity_check);

function cloneVolume(volume) {
  const copy = new MemoryVolume();
  copy.files = volume.files.map((f) => ({ data: f.data.slice(0, f.length), length: f.length }));
  return copy;
}

describe('persistence', () => {
  for (const [journalMode, synchronous] of [['wal', 'full'], ['delete', 'full'], ['wal', 'normal']]) {
    test(`a database written by one process is read by the next (${journalMode}/${synchronous})`, async () => {
      const dir = scratchDir();
      try {
        assert.equal(runChild('write', dir, 500, journalMode, synchronous), 'done');
        assert.deepEqual(JSON.parse(runChild('read', dir)), { rows: 500, bytes: 3392, check: 'ok' });
        const engine = await createEngine({ storage: { kind: 'node', dir } });
        assert.equal(count(engine), 500);
        engine.dispose();
      } finally {
        removeDir(dir);
      }
    });
  }
});

describe('a second opener gets BUSY', () => {
  test('another process: BUSY while it lives, the pool is ours after it is killed', async () => {
    const dir = scratchDir();
    const child = spawn(process.execPath, [CHILD, 'hold', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [line] = await once(readline.createInterface({ input: child.stdout }), 'line');
      assert.equal(line, 'ready');
      await assert.rejects(createEngine({ storage: { kind: 'node', dir } }), (e) => {
        assert.equal(e.code, 'BUSY');
        assert.match(e.message, new RegExp(`in use by process ${child.pid}`));
        return true;
      });
      child.kill('SIGKILL');
      await once(child, 'exit');
      const engine = await createEngine({ storage: { kind: 'node', dir } });  // stale lock taken over
      assert.equal(engine.call('storage.info').kind, 'pool');
      engine.dispose();
    } finally {
      child.kill('SIGKILL');
      removeDir(dir);
    }
  });

  test('another engine in this process, on a directory or a memory volume', async () => {
    const dir = scratchDir();
    const volume = new MemoryVolume();
    try {
      for (const storage of [{ kind: 'node', dir }, { kind: 'memory', volume }]) {
        const first = await createEngine({ storage });
        await assert.rejects(createEngine({ storage }), (e) => e.code === 'BUSY');
        first.call('sql.exec', { sql: 'CREATE TABLE IF NOT EXISTS t(x)' });  // the first is unharmed
        first.dispose();
        const again = await createEngine({ storage });  // released on dispose
        again.dispose();
      }
    } finally {
      removeDir(dir);
    }
  });
});

describe('export, import, delete', () => {
  test('export gives a standard SQLite file that imports into another host', async () => {
    const dir = scratchDir();
    try {
      const a = await createEngine({ storage: { kind: 'node', dir } });
      a.call('sql.exec', { sql: 'CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT)' });
      a.call('sql.exec', {
        sql: "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO t SELECT i, 'body ' || i FROM n",
      });
      const bytes = a.exportDatabase();
      assert.equal(new TextDecoder().decode(bytes.subarray(0, 15)), 'SQLite format 3');
      assert.equal(bytes[18], 1, 'rollback-journal mode, not WAL: the file stands alone');
      assert.equal(bytes.length % 4096, 0);
      a.dispose();

      const b = await createEngine({ storage: { kind: 'memory' } });
      const r = b.importDatabase(bytes);
      assert.equal(r.bytes, bytes.length);
      assert.equal(count(b), 3000);
      assert.deepEqual(integrity(b), ['ok']);
      assert.throws(() => b.importDatabase(new Uint8Array(4096)), (e) => e.code === 'INVALID_ARGUMENT');
      assert.equal(count(b), 3000, 'a refused import changes nothing');
      b.dispose();
    } finally {
      removeDir(dir);
    }
  });

  test('delete removes the open database; deleteStorage removes a closed one', async () => {
    const dir = scratchDir();
    try {
      let e = await createEngine({ storage: { kind: 'node', dir, database: 'one.db' } });
      e.call('sql.exec', { sql: 'CREATE TABLE t(x)' });
      assert.equal(e.call('storage.delete').name, 'one.db');
      assert.equal(e.storage, null, 'the engine released the host');
      await e.openStorage({ kind: 'node', dir, database: 'two.db' });
      e.call('sql.exec', { sql: 'CREATE TABLE t(x)' });
      e.call('close');
      const r = await e.deleteStorage({ kind: 'node', dir, database: 'two.db' });
      assert.equal(r.deleted, true);
      await e.openStorage({ kind: 'node', dir, database: 'two.db' });
      assert.throws(() => count(e), /no such table/);
      const info = e.call('storage.info');
      assert.deepEqual(info.pool.usedFiles.map((f) => f.path).sort(), ['two.db', 'two.db-wal']);
      e.dispose();
    } finally {
      removeDir(dir);
    }
  });
});

test('a pool that can only grow between calls: a clear error, then maintain() and retry', async () => {
  const volume = new MemoryVolume();
  const engine = await createEngine({
    storage: { kind: 'memory', volume, capacity: 2, syncGrowth: false, journalMode: 'delete' },
  });
  // A second database in the pool takes the last free file...
  engine.call('sql.exec', { sql: "ATTACH 'other.db' AS o" });
  assert.ok(engine.storage.needsMaintenance, 'the pool asked for a spare file');
  // ...so the next write has no file for its journal.
  assert.throws(() => engine.call('sql.exec', { sql: 'CREATE TABLE t(x)' }), (e) => {
    assert.equal(e.code, 'IO');
    assert.match(e.message, /exhausted/);
    return true;
  });
  await engine.maintainStorage();
  assert.equal(engine.storage.needsMaintenance, false);
  engine.call('sql.exec', { sql: 'CREATE TABLE t(x)' });
  engine.call('sql.exec', { sql: 'CREATE TABLE o.u(x)' });
  assert.equal(engine.call('storage.info').pool.files, 3);
  engine.dispose();
});

describe('host failures surface with a code and the database stays valid', () => {
  async function seed(journalMode) {
    const volume = new MemoryVolume();
    const e = await createEngine({ storage: { kind: 'memory', volume, journalMode } });
    e.call('sql.exec', { sql: 'CREATE TABLE t(txn INTEGER, k INTEGER, v BLOB, PRIMARY KEY (txn, k))' });
    e.dispose();
    return volume;
  }

  for (const [verb, kind, code] of [['write', 'io', 'IO'], ['flush', 'io', 'IO'], ['write', 'full', 'STORAGE_FULL']]) {
    for (const journalMode of ['wal', 'delete']) {
      test(`the k-th ${verb} fails (${kind}, ${journalMode}) for every k`, async () => {
        const base = await seed(journalMode);
        const engine = await createEngine();
        let hits = 0;
        for (let k = 1; k <= 200; k++) {
          const volume = cloneVolume(base);
          const host = withFaults(openMemoryPool({ volume }), { verb, at: k, kind });
          const hostId = installHost(engine.module, host);
          const committed = [];
          let failed = null;
          try {
            engine.call('open', { storage: 'pool', host: hostId, journalMode });
            for (let txn = 1; txn <= 4; txn++) {
              const ops = [0, 1, 2].map((i) => ({
                op: 'sql.exec', args: { sql: 'INSERT INTO t VALUES (?, ?, randomblob(3000))', params: [txn, i] },
              }));
              try {
                engine.call('batch', { ops });
                committed.push(txn);
              } catch (e) {
                failed = { txn, code: e.code, message: e.message };
                break;
              }
            }
          } catch (e) {
            failed = { txn: 0, code: e.code, message: e.message };
          } finally {
            try { engine.call('close'); } catch { /* reported below by the reopen */ }
            uninstallHost(engine.module, hostId);
            host.release();
          }
          if (!host.state.fired) break;  // k is past the workload
          hits++;
          if (failed) assert.equal(failed.code, code, `k=${k}: ${failed.message}`);

          const check = await createEngine({ storage: { kind: 'memory', volume, journalMode } });
          assert.deepEqual(integrity(check), ['ok'], `k=${k}`);
          const present = check.call('sql.query', { sql: 'SELECT txn, count(*) AS n FROM t GROUP BY txn' }).rows;
          for (const txn of committed) assert.ok(present.some((r) => r.txn === txn), `k=${k}: committed txn ${txn} is present`);
          for (const r of present) {
            assert.equal(r.n, 3, `k=${k}: txn ${r.txn} is whole`);
            assert.ok(committed.includes(r.txn) || r.txn === failed?.txn, `k=${k}: txn ${r.txn} was committed`);
          }
          check.dispose();
        }
        assert.ok(hits > 5, `faults were injected (${hits})`);
        engine.dispose();
      });
    }
  }

  test('a full quota: STORAGE_FULL, the transaction rolls back, the database stays usable', async () => {
    const volume = new MemoryVolume();
    const engine = await createEngine({ storage: { kind: 'memory', volume, journalMode: 'delete' } });
    engine.call('sql.exec', { sql: 'CREATE TABLE big(id INTEGER PRIMARY KEY, b BLOB)' });
    volume.quota = volume.bytes + 500_000;
    let stored = 0;
    let error;
    try {
      for (; stored < 100; stored++) engine.call('sql.exec', { sql: 'INSERT INTO big(b) VALUES (randomblob(65536))' });
    } catch (e) {
      error = e;
    }
    assert.equal(error?.code, 'STORAGE_FULL');
    assert.ok(stored > 0 && stored < 100);
    assert.equal(count(engine, 'big'), stored);
    assert.deepEqual(integrity(engine), ['ok']);
    volume.quota = Infinity;
    engine.call('sql.exec', { sql: 'INSERT INTO big(b) VALUES (randomblob(65536))' });
    assert.equal(count(engine, 'big'), stored + 1);
    engine.dispose();
  });

  // SQLite asks the size of the files it has open (and a failure there fails
  // the call with IO); the pool's totals ask every pool file's, free ones too.
  test('a size the host cannot report is counted in storage.info, not passed off as zero bytes', async () => {
    const volume = new MemoryVolume();
    const inner = openMemoryPool({ volume });
    let refused = new Set();
    const host = delegating(inner);
    host.getSize = (id) => {
      if (refused.has(id)) throw Object.assign(new Error('injected I/O error on getSize'), { code: 'EIO' });
      return inner.getSize(id);
    };
    const engine = await createEngine();
    const hostId = installHost(engine.module, host);
    try {
      engine.call('open', { storage: 'pool', host: hostId, journalMode: 'delete' });
      engine.call('sql.exec', { sql: 'CREATE TABLE t(v)' });
      const sound = engine.call('storage.info').pool;
      assert.equal(sound.sizesUnknown, undefined);
      assert.equal(sound.used, 1, 'between transactions only the database holds a pool file');
      const free = inner.files().filter((id) => inner.getSize(id) <= 4096);
      assert.equal(free.length, sound.files - 1);
      refused = new Set(free);
      const blind = engine.call('storage.info').pool;
      assert.equal(blind.sizesUnknown, free.length, JSON.stringify(blind));
      const freeBytes = free.reduce((sum, id) => sum + inner.getSize(id), 0);
      assert.equal(blind.bytes, sound.bytes - freeBytes, 'the total leaves out what it could not measure');
      refused = new Set();
      assert.equal(engine.call('storage.info').pool.sizesUnknown, undefined);
    } finally {
      try { engine.call('close'); } catch { /* judged above */ }
      uninstallHost(engine.module, hostId);
      host.release();
      engine.dispose();
    }
  });

  // Any verb of the host, any way a host fails, at any of its calls in a
  // workload of inserts, rewrites and deletes: the failing call answers with
  // the code of that failure and names the verb, and after a reopen on a
  // sound host the database is exactly the committed transactions, plus the
  // failed one only if it is there whole.
  test('seeded faults in every verb: the right code, the verb named, nothing half-written', async () => {
    const KINDS = { read: ['io', 'busy', 'closed'], write: ['io', 'full', 'busy', 'closed'],
      truncate: ['io', 'full', 'busy', 'closed'], flush: ['io', 'busy', 'closed'], getSize: ['io', 'busy', 'closed'] };
    const CODE = { io: 'IO', busy: 'IO', closed: 'IO', full: 'STORAGE_FULL' };
    const bases = {};
    for (const journalMode of ['wal', 'delete']) {
      const volume = new MemoryVolume();
      const e = await createEngine({ storage: { kind: 'memory', volume, journalMode } });
      e.call('sql.exec', { sql: 'CREATE TABLE t(k TEXT PRIMARY KEY, v TEXT NOT NULL)' });
      e.dispose();
      bases[journalMode] = volume;
    }
    // A seed's transactions: each a batch of writes, applied to a Map as the
    // model of what a commit leaves.
    const plan = (rng) => Array.from({ length: 8 }, (_, txn) => {
      const ops = [];
      for (let i = 0; i < 1 + rng.int(4); i++) {
        const k = `k${rng.int(12)}`;
        if (rng.chance(0.25)) ops.push({ del: k });
        else ops.push({ k, v: `${txn}:${k}:`.padEnd(50 + rng.int(9000), String.fromCharCode(97 + rng.int(26))) });
      }
      return ops;
    });
    const apply = (model, ops) => {
      for (const o of ops) if (o.del) model.delete(o.del); else model.set(o.k, o.v);
    };
    const run = (engine, hostId, journalMode, txns, onCommit) => {
      engine.call('open', { storage: 'pool', host: hostId, journalMode });
      for (const ops of txns) {
        engine.call('batch', { ops: ops.map((o) => (o.del
          ? { op: 'sql.exec', args: { sql: 'DELETE FROM t WHERE k = ?', params: [o.del] } }
          : { op: 'sql.exec', args: { sql: 'INSERT INTO t(k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v', params: [o.k, o.v] } })) });
        onCommit(ops);
        engine.call('sql.query', { sql: 'SELECT count(*) AS n, sum(length(v)) AS bytes FROM t' });
      }
      engine.call('close');
    };

    const engine = await createEngine();
    let surfaced = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const rng = prng(seed);
      const journalMode = rng.pick(['wal', 'delete']);
      const verb = rng.pick(Object.keys(KINDS));
      const kind = rng.pick(KINDS[verb]);
      const txns = plan(rng);
      const where = `seed ${seed} (${journalMode}, ${kind} on ${verb})`;

      // How often the workload calls the verb, so the fault lands inside it.
      const dry = cloneVolume(bases[journalMode]);
      const counting = withFaults(openMemoryPool({ volume: dry }), { verb, at: 0 });
      const dryId = installHost(engine.module, counting);
      run(engine, dryId, journalMode, txns, () => {});
      uninstallHost(engine.module, dryId);
      counting.release();
      const at = 1 + rng.int(counting.state.calls);

      const volume = cloneVolume(bases[journalMode]);
      const host = withFaults(openMemoryPool({ volume }), { verb, at, kind });
      const hostId = installHost(engine.module, host);
      const committed = new Map();
      let done = 0;
      let failure = null;
      try {
        run(engine, hostId, journalMode, txns, (ops) => { apply(committed, ops); done++; });
      } catch (e) {
        failure = e;
        let reason = JSON.stringify(e.details ?? {});
        try { reason += engine.call('storage.lastError').message; } catch { /* closed by the failure */ }
        assert.equal(e.code, CODE[kind], `${where}: ${e.message}`);
        assert.match(reason, new RegExp(`${verb} failed`), `${where}: the host's reason is kept (${reason})`);
        surfaced++;
      } finally {
        try { engine.call('close'); } catch { /* the reopen below judges the files */ }
        uninstallHost(engine.module, hostId);
        host.release();
      }
      assert.ok(host.state.fired, `${where}: call ${at} of ${counting.state.calls} faulted`);

      const check = await createEngine({ storage: { kind: 'memory', volume, journalMode } });
      assert.deepEqual(integrity(check), ['ok'], where);
      const rows = new Map(check.call('sql.query', { sql: 'SELECT k, v FROM t' }).rows.map((r) => [r.k, r.v]));
      check.dispose();
      const withFailed = new Map(committed);
      if (failure && done < txns.length) apply(withFailed, txns[done]);
      const differing = (a, b) => [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k));
      assert.ok(differing(rows, committed).length === 0 || differing(rows, withFailed).length === 0,
        `${where}: after ${done} committed transactions, rows ${differing(rows, committed).join(', ')} differ ` +
        `from them (and ${differing(rows, withFailed).join(', ')} from them with the failed one)`);
    }
    assert.ok(surfaced > 30, `most faults surfaced as errors (${surfaced} of 60)`);
    engine.dispose();
  });
});
