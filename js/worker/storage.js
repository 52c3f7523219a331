// Opens the database on the storage the caller chose, inside the worker:
//   'memory'        SQLite's in-memory database (nothing persists)
//   'opfs'          the OPFS pool host (browser worker), pool named after the store
//   {node: dir}     the node:fs host, pool files under dir
// Persistent storage is the engine's business (Engine.openStorage over
// js/hosts/); this file only maps the store's options onto it and hands the
// server what it needs afterwards: the open result, maintain() to run
// before engine calls (OPFS opens more pool files only asynchronously),
// flush() for pagehide, and close(), which releases the files (OPFS access
// handles are exclusive: the next leader tab cannot open them before this).

/**
 * @param {import('../engine/engine.js').Engine} engine
 * @param {{storage: 'memory'|'opfs'|{node: string}, name: string, durability: 'batched'|'full'}} options
 */
export async function openDatabase(engine, { storage, name, durability }) {
  const info = storage === 'memory'
    ? engine.call('open', {})
    : await engine.openStorage(storage === 'opfs'
      ? { kind: 'opfs', name, durability }
      : { kind: 'node', dir: storage.node, durability });
  return {
    info,
    maintain: () => engine.maintainStorage(),
    /** Makes every commit so far durable now (batched durability flushes later by itself). */
    flush: () => { if (engine.storage) engine.sync(); },
    close: async () => {
      // `close` also releases the storage host (Engine.call).
      try { engine.call('close'); } catch { /* already closed */ }
    },
  };
}
