// The page starts downloading and compiling the store's default wasm when it
// starts the worker, so the download overlaps the worker script's and the
// glue's: on a slow network, their request latencies are no longer paid one
// after the other before the wasm's. The compiled module goes to the worker
// with init (a WebAssembly.Module is cloneable to a worker of the page). If
// anything here fails, the worker fetches the wasm itself, as it does for a
// wasmUrl or moduleUrl of the app's own.
const compiled = new Map();  // lean? -> Promise of the module

/**
 * The default wasm (lean: the one without the legacy migration's code),
 * compiled once per page: a WebAssembly.Module, or undefined when it could not be.
 */
export function compiledWasm(lean = false) {
  if (!compiled.has(lean)) {
    // Written out whole for each: bundlers find assets by `new URL('literal', import.meta.url)`.
    const url = lean
      ? new URL('../../dist/campaign_store_lean.wasm', import.meta.url)
      : new URL('../../dist/campaign_store.wasm', import.meta.url);
    compiled.set(lean, compile(url).catch(() => undefined));
  }
  return compiled.get(lean);
}

// The smallest wasm module: compiling it tells whether this page may compile
// wasm at all (a Content-Security-Policy without 'wasm-unsafe-eval' forbids
// it here, while the worker's own policy may allow it) before any download.
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

async function compile(url) {
  if (typeof fetch !== 'function' || typeof WebAssembly?.compile !== 'function') return undefined;
  new WebAssembly.Module(EMPTY_MODULE);  // throws where the page may not compile: the worker loads it
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) return undefined;
  // compileStreaming refuses any other content type; such a server gets the
  // download compiled whole, not fetched a second time by the worker.
  const type = (response.headers.get('content-type') ?? '').split(';')[0].trim();
  if (type === 'application/wasm' && typeof WebAssembly.compileStreaming === 'function') {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}
