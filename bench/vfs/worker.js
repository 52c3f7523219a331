// Runs one benchmark job in a dedicated worker, on real OPFS:
//   {engine: 'cs', settings, sequence: 'full'|'matrix'}  campaign-store's pool VFS
//   {engine: 'sahpool'}                                  @sqlite.org/sqlite-wasm opfs-sahpool
// FileSystemSyncAccessHandle.flush is counted for both, so commits can be
// compared by what they ask of the disk.
import { createEngine } from '../../js/core.js';
import { openStorage } from '../../js/hosts/index.js';
import { removeOpfsPool } from '../../js/hosts/opfs.js';
import { AUTOSAVE_TXNS, campaignStore, sqliteWasm } from './workloads.mjs';

const now = () => performance.now();
const flushes = { n: 0 };
const originalFlush = FileSystemSyncAccessHandle.prototype.flush;
FileSystemSyncAccessHandle.prototype.flush = function flush(...args) {
  flushes.n++;
  return originalFlush.apply(this, args);
};

async function csOpen(name, settings) {
  await removeOpfsPool({ name });
  const engine = await createEngine();
  const storage = await openStorage(engine.module, { kind: 'opfs', name, persist: false, ...settings });
  const opened = engine.call('open', storage.openArgs);
  engine.storage = storage;
  campaignStore.setup(engine);
  return { engine, opened };
}

async function csClose(engine, name) {
  engine.dispose();
  await removeOpfsPool({ name });
}

async function autosaveWithFlushes(run) {
  const before = flushes.n;
  const r = await run();
  return { ...r, flushesPerCommit: (flushes.n - before) / AUTOSAVE_TXNS };
}

const jobs = {
  async cs({ settings, sequence }) {
    const name = 'bench-cs';
    let { engine, opened } = await csOpen(name, settings);
    const out = {
      settings: {
        journalMode: opened.storage.journalMode,
        synchronous: opened.storage.synchronous,
        syncWithinMs: engine.storage.syncWithinMs,
      },
    };
    out.autosave = await autosaveWithFlushes(() => campaignStore.autosave(engine, now));
    if (sequence === 'matrix') {
      out.bulkBatch = campaignStore.bulk(engine, now, { batch: true });
      await csClose(engine, name);
      return out;
    }
    out.bulkPerCall = campaignStore.bulk(engine, now);
    out.readsPerCall = campaignStore.reads(engine, now);
    out.readsBatch = campaignStore.reads(engine, now, { batch: true });
    await csClose(engine, name);
    ({ engine } = await csOpen(name, settings));
    out.bulkBatch = campaignStore.bulk(engine, now, { batch: true });
    await csClose(engine, name);
    return out;
  },

  async sahpool() {
    const { default: init } = await import('../../node_modules/@sqlite.org/sqlite-wasm/dist/index.mjs');
    const sqlite3 = await init({ print: () => {}, printErr: () => {} });
    const pool = await sqlite3.installOpfsSAHPoolVfs({ name: 'bench-sahpool', directory: '.bench-sahpool', clearOnInit: true });
    const db = new pool.OpfsSAHPoolDb('/bench.db');
    const out = {
      version: sqlite3.version.libVersion,
      settings: {
        journalMode: db.selectValue('PRAGMA journal_mode'),
        synchronous: ['off', 'normal', 'full', 'extra'][db.selectValue('PRAGMA synchronous')],
      },
    };
    sqliteWasm.setup(db);
    out.autosave = await autosaveWithFlushes(() => sqliteWasm.autosave(db, now));
    out.bulk = sqliteWasm.bulk(db, now);
    out.reads = sqliteWasm.reads(db, now);
    db.close();
    await pool.removeVfs();
    return out;
  },
};

self.onmessage = async ({ data }) => {
  try {
    self.postMessage({ result: await jobs[data.engine](data) });
  } catch (e) {
    self.postMessage({ error: `${e?.name ?? 'Error'}: ${e?.message ?? e}` });
  }
};
