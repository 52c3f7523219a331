// Cold start, in a fresh worker thread: import the module, open an empty
// in-memory database with the full schema, answer a first query.
//   ours         import campaign-store/core, createEngine(), open, products.list
//   ours-client  import campaign-store, openCampaignStore({storage: 'memory'})
//                (starts its own worker), products.list
//   sqlite-wasm  import @sqlite.org/sqlite-wasm, init, new DB, the same schema,
//                the same list statement
// The clock starts before the import; the wasm and JS files are in the OS
// cache for all peers alike (earlier runs read them).
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';

const t0 = performance.now();
const { peer, schema, listSql } = workerData;

async function main() {
  if (peer === 'ours') {
    const { createEngine } = await import('../../js/core.js');
    const imported = performance.now() - t0;
    const engine = await createEngine();
    engine.call('open');
    const r = engine.call('products.list', { limit: 1 });
    const ms = performance.now() - t0;
    engine.dispose();
    return { ms, imported, items: r.items.length };
  }
  if (peer === 'ours-client') {
    const { openCampaignStore } = await import('../../js/index.js');
    const imported = performance.now() - t0;
    const store = await openCampaignStore({ name: 'cold', storage: 'memory' });
    const r = await store.products.list({ limit: 1 });
    const ms = performance.now() - t0;
    await store.close();
    return { ms, imported, items: r.items.length };
  }
  if (peer === 'sqlite-wasm') {
    const { default: init } = await import('@sqlite.org/sqlite-wasm');
    const imported = performance.now() - t0;
    const sqlite3 = await init({ print: () => {}, printErr: () => {} });
    const db = new sqlite3.oo1.DB(':memory:', 'c');
    db.exec('PRAGMA foreign_keys=ON; PRAGMA cache_size=-8192');
    for (const sql of schema) db.exec(sql);
    const rows = db.selectArrays(listSql, ['shoes', 1]);
    const ms = performance.now() - t0;
    db.close();
    return { ms, imported, items: rows.length };
  }
  throw new Error(`unknown peer ${peer}`);
}

main().then((result) => parentPort.postMessage({ result }), (e) => parentPort.postMessage({ error: String(e?.stack ?? e) }));
