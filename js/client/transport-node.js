// The store's worker in Node: a worker_threads Worker running the same server
// as the browser worker, with the Node file host. The thread is ref'd only
// while requests are pending, so an idle store never keeps a script alive.
// Node only: js/platform/node/client.js is the one importer, so a browser
// bundle never sees this file. The entry's URL is not written as
// `new URL(literal, import.meta.url)`: a bundler building an app's server side
// (Next.js) would copy the Node entry into the app's public assets.
import { Worker } from 'node:worker_threads';

/**
 * @param {{workerUrl?: URL|string, onMessage: (m: any) => void,
 *          onFatal: (code: string, message: string, details?: object) => void}} options
 */
export async function startNodeWorker({ workerUrl, onMessage, onFatal }) {
  const url = workerUrl ?? new URL(/* webpackIgnore: true */ /* turbopackIgnore: true */ '../worker/node-entry.js', import.meta.url);
  // Workers inherit the parent's execArgv; --input-type (node -e scripts)
  // would make the worker refuse to start.
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
  const worker = new Worker(url, { execArgv });
  const gone = new Promise((resolve) => worker.once('exit', resolve));
  worker.on('message', onMessage);
  worker.on('error', (err) => onFatal('CLOSED', `the store worker crashed: ${err?.message ?? err}`,
    { name: err?.name }));
  worker.on('messageerror', () => {
    worker.terminate();
    onFatal('CLOSED', 'the store worker sent a message that could not be deserialized');
  });
  worker.on('exit', (exitCode) => onFatal('CLOSED', `the store worker exited (code ${exitCode})`, { exitCode }));
  worker.unref();
  return {
    post: (message, transfer) => worker.postMessage(message, transfer),
    /** Resolves once the thread has exited. */
    terminate: () => { worker.terminate(); return gone.then(() => {}); },
    setBusy: (busy) => (busy ? worker.ref() : worker.unref()),
  };
}
