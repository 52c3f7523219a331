// openCampaignStore(): start the worker (a Web Worker in browsers,
// worker_threads in Node, or none with {worker: false}), initialize it, and
// hand back the store once the database is reachable.
import { WORKER_OPS } from '../protocol/wire.js';
import { watchPageLifecycle } from './lifecycle.js';
import { isNode, normalizeOptions } from './options.js';
import { CampaignStore } from './store.js';
import { runMigrationOnOpen } from '../legacy/client.js';

/**
 * @param {import('../index.js').OpenOptions} [options]
 * @returns {Promise<CampaignStore>}
 */
export async function openCampaignStore(options = {}) {
  const opts = normalizeOptions(options);
  const store = new CampaignStore({ log: opts.log, int64: opts.int64 });
  const hooks = {
    workerUrl: opts.workerUrl,
    onMessage: (message) => store.receive(message),
    onFatal: (code, message, details) => store.fail(code, message, details),
  };
  let transport;
  if (!opts.inWorker) {
    const { startInThread } = await import('./transport-in-thread.js');
    transport = await startInThread(hooks);
  } else if (isNode) {
    const { startNodeWorker } = await import('./transport-node.js');
    transport = await startNodeWorker(hooks);
  } else {
    const { startBrowserWorker } = await import('./transport-browser.js');
    transport = startBrowserWorker(hooks);
  }
  // Node storage: whether our worker holds the pool's lock file right now.
  const nodeDir = opts.inWorker && typeof opts.init.storage === 'object' ? opts.init.storage.node : null;
  let holdsLock = false;
  store.attach(transport, {
    afterExit: async () => {
      if (!holdsLock) return;
      const { releaseOrphanLock } = await import('./node-lock.js');
      await releaseOrphanLock(nodeDir);
    },
  });
  if (nodeDir) {
    store.onStorageState((held) => { holdsLock = held; });
  }
  try {
    store.info = await store.call(WORKER_OPS.init, opts.init);
    const ops = await store.call('ops');
    store.info.ops = ops.map((o) => o.op);
    store.learnOps(store.info.ops);
  } catch (err) {
    store.terminate();
    throw err;
  }
  if (opts.lifecycle && opts.init.storage !== 'memory') store.onClose(watchPageLifecycle(store));
  if (opts.sync) {
    const { attachSync } = await import('./sync.js');
    try {
      Object.assign(store.sync ??= {}, await attachSync(store, opts.sync, opts.init.name));
    } catch (err) {
      await store.close();  // no half-configured store is handed out
      throw err;
    }
  }
  // ---- legacy migration (issue 6): localStorage -> database on open; never fails the open
  await runMigrationOnOpen(store, opts.migrate, (level, message, details) => {
    try { opts.log?.({ source: 'client', level, message, details }); } catch { /* logging only */ }
  });
  if (opts.init.storage === 'opfs' && opts.persist) {
    // persist() exists on the main thread only; best effort, never blocks.
    import('../hosts/opfs.js').then((m) => m.requestPersistence()).then((granted) => {
      if (store.info) store.info.persisted = granted;
    }, () => {});
  }
  return store;
}
