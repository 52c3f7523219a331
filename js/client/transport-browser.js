// The store's worker as a browser Web Worker (module type). Written the way
// Vite recognises (`new Worker(new URL(..., import.meta.url), {type:
// 'module'})` with literal options), so a bundled app ships the worker and,
// through it, the wasm. No SharedArrayBuffer, so no COOP/COEP headers needed.

/**
 * @param {{workerUrl?: URL|string, onMessage: (m: any) => void,
 *          onFatal: (code: string, message: string, details?: object) => void}} options
 */
export function startBrowserWorker({ workerUrl, onMessage, onFatal }) {
  const worker = workerUrl
    ? new Worker(workerUrl, { type: 'module' })
    : new Worker(new URL('../worker/browser-entry.js', import.meta.url), { type: 'module' });
  worker.addEventListener('message', (e) => onMessage(e.data));
  // An uncaught error means the worker's state is unknown (and a script that
  // fails to load reports nothing else): treat both as the worker being gone.
  worker.addEventListener('error', (e) => {
    e.preventDefault?.();
    worker.terminate();
    onFatal('CLOSED', `the store worker failed: ${e.message || 'script error (failed to load?)'}${prebundledHint()}`,
      { filename: e.filename, lineno: e.lineno });
  });
  // A message we cannot deserialize leaves its request unanswerable.
  worker.addEventListener('messageerror', () => {
    worker.terminate();
    onFatal('CLOSED', 'the store worker sent a message that could not be deserialized');
  });
  return {
    post: (message, transfer) => worker.postMessage(message, transfer),
    terminate: () => { worker.terminate(); return Promise.resolve(); },
    setBusy: () => {},
  };
}

// Vite 6 and 7's dev server pre-bundles dependencies into node_modules/.vite/deps,
// where the worker's URL (relative to this file) points at nothing.
function prebundledHint() {
  return /\/\.vite\/deps\//.test(import.meta.url)
    ? "; Vite pre-bundled campaign-store, so its worker cannot be found: add optimizeDeps: { exclude: ['campaign-store'] } to vite.config"
    : '';
}
