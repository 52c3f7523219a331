// The dedicated worker of the OPFS test page: it owns one engine and its
// OPFS pool (sync access handles exist only in workers) and runs commands
// posted by opfs.html: {id, cmd, args} -> {id, result} | {id, error}.
import { createEngine } from '../../../js/core.js';
import { openStorage } from '../../../js/hosts/index.js';
import { openOpfsPool, removeOpfsPool, storageEstimate } from '../../../js/hosts/opfs.js';
import { hostContract } from '../../node/vfs-support/host-contract.mjs';
import { testBuild } from '../../node/shared/test-build.mjs';

let engine = null;

async function theEngine() {
  engine ??= await createEngine();
  return engine;
}

const commands = {
  async hostContract({ name }) {
    const location = { open: () => openOpfsPool({ name }) };
    const results = [];
    for (const [caseName, run] of hostContract) {
      try {
        await run(location);
        results.push({ name: caseName, ok: true });
      } catch (e) {
        results.push({ name: caseName, ok: false, message: String(e?.message ?? e) });
      }
    }
    return results;
  },

  // The contract is in the test build only: its own engine, beside the shipped one.
  async selfTest({ name }) {
    const e = await createEngine(testBuild);
    const storage = await openStorage(e.module, { kind: 'opfs', name, persist: false });
    try {
      return e.call('storage.selfTest', { host: storage.hostId });
    } finally {
      storage.release();
      e.dispose();
    }
  },

  async openStorage(options) {
    const e = await theEngine();
    return e.openStorage({ kind: 'opfs', persist: false, ...options });
  },

  async call({ op, args }) {
    const e = await theEngine();
    const result = e.call(op, args);
    await e.maintainStorage();  // what the worker client does between calls
    return result;
  },

  async close() {
    if (engine?.storage) engine.call('close');
    return { closed: true };
  },

  async exportImport() {
    const e = await theEngine();
    const bytes = e.exportDatabase();
    const header = new TextDecoder().decode(bytes.subarray(0, 15));
    const copy = await createEngine({ storage: { kind: 'memory' } });
    copy.importDatabase(bytes);
    const rows = copy.call('sql.query', { sql: 'SELECT count(*) AS n FROM t' }).rows[0].n;
    copy.dispose();
    return { bytes: bytes.length, header, walFlag: bytes[18], rows };
  },

  // Writes `mb` MiB in 1 MiB rows, 16 per transaction, then reads it all back.
  async capacity({ mb }) {
    const e = await theEngine();
    e.call('sql.exec', { sql: 'CREATE TABLE IF NOT EXISTS big(id INTEGER PRIMARY KEY, b BLOB NOT NULL)' });
    const t0 = performance.now();
    for (let first = 1; first <= mb; first += 16) {
      e.call('sql.exec', {
        sql: `WITH RECURSIVE n(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
              INSERT INTO big SELECT i, CAST(zeroblob(1048568) || printf('%08d', i) AS BLOB) FROM n`,
        params: [first, Math.min(first + 15, mb)],
      });
      await e.maintainStorage();
    }
    const t1 = performance.now();
    const check = e.call('sql.query', {
      sql: "SELECT count(*) AS n, sum(length(b)) AS bytes, sum(CAST(CAST(substr(b, -8) AS TEXT) AS INTEGER) = id) AS tails FROM big",
    }).rows[0];
    const t2 = performance.now();
    return { ...check, writeMs: t1 - t0, readMs: t2 - t1 };
  },

  estimate: () => storageEstimate(),

  // Commits n rows, one transaction each, and reports the last one that
  // returned: with batched durability none of them waited for a flush.
  async commits({ n }) {
    const e = await theEngine();
    e.call('sql.exec', { sql: 'CREATE TABLE IF NOT EXISTS c(seq INTEGER PRIMARY KEY, body TEXT)' });
    let last = 0;
    for (let i = 1; i <= n; i++) {
      e.call('sql.exec', { sql: 'INSERT INTO c VALUES (?, ?)', params: [i, `autosave ${i}`] });
      last = i;
    }
    return { last, syncWithinMs: e.storage.syncWithinMs };
  },

  async remove({ name }) {
    if (engine?.storage) engine.call('close');
    await removeOpfsPool({ name });
    return { removed: true };
  },
};

self.onmessage = async ({ data: { id, cmd, args } }) => {
  try {
    const result = await commands[cmd](args ?? {});
    self.postMessage({ id, result });
  } catch (e) {
    self.postMessage({ id, error: { code: e?.code ?? e?.name ?? 'ERROR', message: String(e?.message ?? e) } });
  }
};
self.postMessage({ ready: true });
