// Loads the wasm build (dist/campaign_store.mjs + .wasm) in Node or a browser
// worker. In Node, Emscripten 3.1.6's loader would fetch() a file: URL, which
// Node 20 refuses; the Node platform reads the bytes and we hand them over.
import { wasmBinary } from '#platform/engine';

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
  const { default: createModule } = await import(/* @vite-ignore */ /* webpackIgnore: true */ String(jsUrl));
  const moduleArgs = { locateFile: () => String(binUrl) };
  const bytes = await wasmBinary(binUrl);
  if (bytes) moduleArgs.wasmBinary = bytes;
  return createModule(moduleArgs);
}
