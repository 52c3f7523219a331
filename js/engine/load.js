// Loads the wasm build (dist/campaign_store.mjs + .wasm) in Node or a browser
// worker. In Node, Emscripten 3.1.6's loader would fetch() a file: URL, which
// Node 20 refuses; the Node platform reads the bytes and we hand them over.
import { wasmBinary } from '#platform/engine';

const modules = new Map();  // "module URL wasm URL" -> Promise of the instance

/**
 * Instantiates the wasm module once per realm (worker or Node thread) and
 * build (the shipped one by default; tests also load the test build).
 * @param {{wasmUrl?: URL|string, moduleUrl?: URL|string}} [options]
 */
export function loadWasmModule({ wasmUrl, moduleUrl } = {}) {
  const jsUrl = String(moduleUrl ?? new URL('../../dist/campaign_store.mjs', import.meta.url));
  const binUrl = String(wasmUrl ?? new URL('../../dist/campaign_store.wasm', import.meta.url));
  const key = `${jsUrl} ${binUrl}`;
  if (!modules.has(key)) modules.set(key, instantiate(jsUrl, binUrl).catch((err) => {
    modules.delete(key);  // allow a retry after a failed load
    throw err;
  }));
  return modules.get(key);
}

async function instantiate(jsUrl, binUrl) {
  const { default: createModule } = await import(/* @vite-ignore */ /* webpackIgnore: true */ jsUrl);
  const moduleArgs = { locateFile: () => binUrl };
  const bytes = await wasmBinary(binUrl);
  if (bytes) moduleArgs.wasmBinary = bytes;
  return createModule(moduleArgs);
}
