// Loads the wasm build (dist/campaign_store.mjs + .wasm) in Node or a browser
// worker. In Node, Emscripten 3.1.6's loader would fetch() a file: URL, which
// Node 20 refuses; we read the bytes ourselves and hand them over.

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

let modulePromise = null;

/**
 * Instantiates the wasm module once per realm (worker or Node thread).
 * @param {{wasmUrl?: URL|string, moduleUrl?: URL|string}} [options]
 */
export function loadWasmModule(options = {}) {
  if (!modulePromise) modulePromise = instantiate(options).catch((err) => {
    modulePromise = null;  // allow a retry after a failed load
    throw err;
  });
  return modulePromise;
}

async function instantiate({ wasmUrl, moduleUrl } = {}) {
  const jsUrl = moduleUrl ?? new URL('../../dist/campaign_store.mjs', import.meta.url);
  const binUrl = wasmUrl ?? new URL('../../dist/campaign_store.wasm', import.meta.url);
  const { default: createModule } = await import(/* @vite-ignore */ String(jsUrl));
  const moduleArgs = { locateFile: () => String(binUrl) };
  if (isNode) {
    const { readFile } = await import('node:fs/promises');
    moduleArgs.wasmBinary = await readFile(new URL(binUrl));
  }
  return createModule(moduleArgs);
}
