// The main thread's platform in Node: the store's worker is a worker_threads
// Worker, and a pool lock its dead worker left behind is cleared.
// (Browsers: ../browser/client.js; package.json "imports" picks one.)
export { startNodeWorker as startWorker } from '../../client/transport-node.js';
export { releaseOrphanLock } from '../../client/node-lock.js';

/** Browsers only: Node's worker reads the wasm from disk itself. */
export async function compiledWasm() {
  return undefined;
}
