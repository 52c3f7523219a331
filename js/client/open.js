// openCampaignStore(): start the worker (a Web Worker in browsers,
// worker_threads in Node, or none with {worker: false}), initialize it, and
// hand back the store once the database is reachable. Which database: the
// signed-out one (`name`) or the signed-in user's (account.js); a switch of
// user opens the other one behind the same store object (connect() again).
import { compiledWasm, releaseOrphanLock, startWorker } from '#platform/client';
import { WORKER_OPS } from '../protocol/wire.js';
import { attachAccount, databaseFor } from './account.js';
import { watchPageLifecycle } from './lifecycle.js';
import { normalizeOptions } from './options.js';
import { CampaignStore } from './store.js';
import { needsLegacyCode, runMigrationOnOpen } from '../legacy/client.js';

/**
 * @param {import('../index.js').OpenOptions} [options]
 * @returns {Promise<CampaignStore>}
 */
export async function openCampaignStore(options = {}) {
  const opts = normalizeOptions(options);
  const store = new CampaignStore({ log: opts.log, int64: opts.int64 });
  const account = await attachAccount(store, opts, (user, ready) => connect(store, opts, user, ready));
  try {
    await connect(store, opts, account.user, () => {});
  } catch (err) {
    store.terminate();
    throw err;
  }
  account.ready();
  return store;
}

/**
 * Opens `user`'s database (null: the signed-out one) on a fresh worker and
 * wires it to the store, on the first storage of the list this context
 * supports (UNSUPPORTED moves on to the next; store.info.storageFallback
 * says why). `ready()` lets the store's waiting calls through once the
 * worker answers; sync, the legacy migration and persistence follow.
 */
async function connect(store, opts, user, ready) {
  let refused = null;
  for (const [i, storage] of opts.storages.entries()) {
    try {
      await connectOn(store, opts, databaseFor(opts, user, storage));
    } catch (err) {
      if (err?.code !== 'UNSUPPORTED' || i === opts.storages.length - 1) throw err;
      refused ??= { storage, code: err.code, name: err.details?.name ?? null, message: err.message };
      opts.log?.({ source: 'client', level: 'warn', message: `${err.message}: trying the next storage`, details: refused });
      continue;
    }
    if (refused) store.info.storageFallback = refused;
    break;
  }
  ready();
  await afterConnect(store, opts, user, databaseFor(opts, user, store.info.storage));
}

async function connectOn(store, opts, database) {
  let connection = null;
  const hooks = {
    workerUrl: opts.workerUrl,
    onMessage: (message) => store.receive(message, connection),
    onFatal: (code, message, details) => store.fail(code, message, details, connection),
  };
  let transport;
  let wasm;
  // The package's own module: the lean one when there is nothing to migrate
  // (the worker loads the full one for a legacy op that comes later).
  const ownModule = opts.init.wasmUrl === undefined && opts.init.moduleUrl === undefined;
  const lean = ownModule && !needsLegacyCode(opts.migrate);
  if (!opts.inWorker) {
    const { startInThread } = await import('./transport-in-thread.js');
    transport = await startInThread(hooks);
  } else {
    // The default wasm downloads while the worker starts (wasm-prefetch.js).
    if (ownModule) wasm = compiledWasm(lean);
    transport = await startWorker(hooks);
  }
  // Node storage: whether our worker holds the pool's lock file right now.
  const nodeDir = opts.inWorker && typeof database.storage === 'object' ? database.storage.node : null;
  let holdsLock = false;
  connection = store.attach(transport, {
    afterExit: async () => {
      if (holdsLock) await releaseOrphanLock(nodeDir);
    },
  });
  if (nodeDir) {
    store.onStorageState((held) => { holdsLock = held; });
  }
  try {
    const wasmModule = await wasm;
    store.info = await store.request(WORKER_OPS.init, {
      ...opts.init, name: database.name, storage: database.storage,
      multiTab: opts.init.multiTab && database.storage === 'opfs',
      lean,
      ...(wasmModule && { wasmModule }),
    });
    // store.info.ops (the public ops, which are the store's methods) comes
    // with worker.init's answer; internal ones (the sync loop's, the raw
    // migration's) are reachable through store.call only.
    store.info.database = database.name;
    store.info.storage = database.storage;
  } catch (err) {
    await store.abandon();
    throw err;
  }
}

// Page lifecycle, sync, the legacy migration and persistence, once the worker answers.
async function afterConnect(store, opts, user, database) {
  if (opts.lifecycle && database.storage !== 'memory') store.onDisconnect(watchPageLifecycle(store));
  const sync = opts.syncFor(user);
  if (sync) {
    const { attachSync } = await import('./sync.js');
    try {
      store.onSyncAttached(await attachSync(store, sync, database.name));
    } catch (err) {
      await store.close();  // no half-configured store is handed out
      throw err;
    }
  }
  // ---- legacy migration: localStorage -> database on open; never fails the open
  if (database.migrate) {
    await runMigrationOnOpen(store, opts.migrate, (level, message, details) => {
      try { opts.log?.({ source: 'client', level, message, details }); } catch { /* logging only */ }
    });
  }
  if (database.storage === 'opfs' && opts.persist) {
    // persist() exists on the main thread only; best effort, never blocks.
    import('../hosts/opfs.js').then((m) => m.requestPersistence()).then((granted) => {
      if (store.info) store.info.persisted = granted;
    }, () => {});
  }
}
