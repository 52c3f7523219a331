// The main thread's platform in a browser: the store's worker is a module
// Web Worker. (Node: ../node/client.js; package.json "imports" picks one.)
export { startBrowserWorker as startWorker } from '../../client/transport-browser.js';
export { compiledWasm } from '../../client/wasm-prefetch.js';

/** Node only: browsers have no pool lock file to clear. */
export async function releaseOrphanLock() {}
