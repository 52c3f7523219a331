// One Chromium job on real OPFS, in a fresh dedicated worker:
//   {engine: 'ours', durability: 'batched'|'full', workload: 'autosave'|'bulk'}
//   {engine: 'sahpool', workload}   @sqlite.org/sqlite-wasm, opfs-sahpool, its
//                                   defaults (journal_mode=DELETE, synchronous=FULL)
// Same data file, schema and statements as the Node peers (bench/node/api-peers.mjs).
// FileSystemSyncAccessHandle.flush is counted for both.
import { createEngine, Engine } from '../../js/core.js';
import { removeOpfsPool } from '../../js/hosts/opfs.js';
import { oursPeer, openSqliteWasm, sqliteWasmPeer } from '../node/api-peers.mjs';

const flushes = { n: 0 };
const originalFlush = FileSystemSyncAccessHandle.prototype.flush;
FileSystemSyncAccessHandle.prototype.flush = function flush(...args) {
  flushes.n++;
  return originalFlush.apply(this, args);
};

async function check(p) {
  return p.check();
}

const jobs = {
  async ours({ data, durability, workload, saves }) {
    const name = 'bench-api';
    await removeOpfsPool({ name });
    const engine = await createEngine();
    // Warm-up on an in-memory database of the same module (both peers do so).
    const scratch = new Engine(engine.module);
    scratch.call('open');
    const sp = oursPeer((op, a) => scratch.call(op, a));
    if (workload === 'bulk') await sp.bulk(data.warm);
    else await sp.drafts(await sp.campaigns(data.drafts.campaigns), 20);
    scratch.dispose();
    const opened = await engine.openStorage({ kind: 'opfs', name, persist: false, durability });
    const p = oursPeer((op, a) => engine.call(op, a));
    const out = { settings: { journalMode: opened.storage?.journalMode, synchronous: opened.storage?.synchronous } };
    if (workload === 'bulk') {
      out.bulk = { ms: (await p.bulk(data.products)).ms };
    } else {
      const cids = await p.campaigns(data.drafts.campaigns);
      const before = flushes.n;
      const t0 = performance.now();
      out.drafts = await p.drafts(cids, saves);
      out.drafts.flushesPerCommit = (flushes.n - before) / saves;
      const t1 = performance.now();
      engine.sync();
      out.drafts.toDiskMs = performance.now() - t0;
      out.drafts.wallMs = t1 - t0;
    }
    out.check = await check(p);
    engine.dispose();
    await removeOpfsPool({ name });
    return out;
  },

  async sahpool({ data, workload, saves }) {
    const { sqlite3, open } = await openSqliteWasm(data.schema, '../../node_modules/@sqlite.org/sqlite-wasm/dist/index.mjs');
    const scratch = open();
    const sp = sqliteWasmPeer(scratch);
    if (workload === 'bulk') sp.bulk(data.warm);
    else await sp.drafts(sp.campaigns(data.drafts.campaigns), 20);
    sp.finalize();
    scratch.close();
    const pool = await sqlite3.installOpfsSAHPoolVfs({ name: 'bench-api-sahpool', directory: '.bench-api-sahpool', clearOnInit: true });
    const db = open(() => new pool.OpfsSAHPoolDb('/bench.db'));
    const out = { version: sqlite3.version.libVersion, settings: { journalMode: db.selectValue('PRAGMA journal_mode'),
      synchronous: ['off', 'normal', 'full', 'extra'][db.selectValue('PRAGMA synchronous')] } };
    const p = sqliteWasmPeer(db);
    if (workload === 'bulk') {
      out.bulk = { ms: p.bulk(data.products).ms };
    } else {
      const cids = p.campaigns(data.drafts.campaigns);
      const before = flushes.n;
      const t0 = performance.now();
      out.drafts = await p.drafts(cids, saves);
      out.drafts.flushesPerCommit = (flushes.n - before) / saves;
      out.drafts.toDiskMs = out.drafts.wallMs = performance.now() - t0;
    }
    out.check = await check(p);
    p.finalize();
    db.close();
    await pool.removeVfs();
    return out;
  },
};

self.onmessage = async ({ data: job }) => {
  try {
    const data = await (await fetch(job.dataUrl)).json();
    // workload 'both': autosave, then bulk on a new database, in this one fresh worker.
    const result = job.workload === 'both'
      ? { autosave: await jobs[job.engine]({ ...job, data, workload: 'autosave' }),
        bulk: await jobs[job.engine]({ ...job, data, workload: 'bulk' }) }
      : await jobs[job.engine]({ ...job, data });
    self.postMessage({ result });
  } catch (e) {
    self.postMessage({ error: `${e?.name ?? 'Error'}: ${e?.message ?? e}\n${e?.stack ?? ''}` });
  }
};
