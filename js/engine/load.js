// Loads the wasm build (dist/campaign_store.mjs with campaign_store.wasm, or
// campaign_store_lean.wasm) in Node or a browser worker. The wasm is fetched
// while the glue module is imported, so a slow network's latency is paid
// once for the two rather than once after the other, and compiled as it
// streams in (which also lets the browser cache the compiled code). In Node
// the platform reads the bytes from disk. A browser page may have compiled
// the default wasm already (js/client/wasm-prefetch.js).
import { CampaignStoreError } from '../errors.js';
import { fetchWasm } from '#platform/engine';

const modules = new Map();  // "module URL wasm URL" -> Promise of the instance
const DEFAULT_GLUE = new URL('../../dist/campaign_store.mjs', import.meta.url);
const DEFAULT_WASM = new URL('../../dist/campaign_store.wasm', import.meta.url);
// The same module without the legacy migration's code (CMakeLists.txt), for
// stores with nothing to migrate. Its imports are a subset of the full
// module's, so the one glue loads either.
const LEAN_WASM = new URL('../../dist/campaign_store_lean.wasm', import.meta.url);

/**
 * Instantiates the wasm module once per realm (worker or Node thread) and
 * build (the shipped one by default; tests also load the test build).
 * @param {{wasmUrl?: URL|string, moduleUrl?: URL|string, wasmModule?: WebAssembly.Module, lean?: boolean}} [options]
 *   wasmModule: the wasm at wasmUrl, compiled already; lean: the lean module
 *   when no wasmUrl is given
 */
export function loadWasmModule(options = {}) {
  const { jsUrl, binUrl, key } = moduleKey(options);
  if (!modules.has(key)) modules.set(key, instantiate(jsUrl, binUrl, options.wasmModule).catch((err) => {
    modules.delete(key);  // allow a retry after a failed load
    throw err;
  }));
  return modules.get(key);
}

/**
 * Drops this realm's instance of a module (the same options as
 * loadWasmModule) once its last engine is gone, so its memory can be
 * reclaimed; a later load instantiates it again.
 */
export function forgetWasmModule(options = {}) {
  modules.delete(moduleKey(options).key);
}

function moduleKey({ wasmUrl, moduleUrl, lean = false }) {
  const jsUrl = String(moduleUrl ?? DEFAULT_GLUE);
  const binUrl = String(wasmUrl ?? (lean ? LEAN_WASM : DEFAULT_WASM));
  return { jsUrl, binUrl, key: `${jsUrl} ${binUrl}` };
}

/** Starts importing the default glue, for a worker that will load it. */
export function preloadGlue() {
  importGlue(String(DEFAULT_GLUE)).catch(() => {});  // a failure is reported by the load itself
}

function importGlue(jsUrl) {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ jsUrl);
}

async function instantiate(jsUrl, binUrl, compiled) {
  const source = compiled ?? fetchWasm(binUrl);
  if (!compiled) source.catch(() => {});  // awaited below, once the glue is in
  const { default: createModule } = await importGlue(jsUrl);
  const wasm = await source;
  // The loader calls instantiateWasm and waits for `done`; a failure must
  // reject the load too, or it would wait forever.
  let fail;
  const failed = new Promise((_, reject) => { fail = reject; });
  const ready = createModule({
    locateFile: () => binUrl,
    instantiateWasm(imports, done) {
      compile(wasm, binUrl, imports).then((r) => done(r.instance, r.module), fail);
      return {};
    },
  });
  return Promise.race([ready, failed]);
}

/** Instantiates a compiled module, a Response (streaming where the server says application/wasm), or bytes. */
async function compile(wasm, url, imports) {
  if (wasm instanceof WebAssembly.Module) return { instance: await WebAssembly.instantiate(wasm, imports), module: wasm };
  if (typeof Response !== 'function' || !(wasm instanceof Response)) return WebAssembly.instantiate(wasm, imports);
  if (!wasm.ok) {
    throw new CampaignStoreError('NETWORK', `cannot fetch the wasm module ${url}: HTTP ${wasm.status}`,
      { url, status: wasm.status });
  }
  // instantiateStreaming refuses any other content type; such a server gets
  // the whole download compiled at the end instead.
  const type = wasm.headers.get('content-type') ?? '';
  if (typeof WebAssembly.instantiateStreaming === 'function' && type.split(';')[0].trim() === 'application/wasm') {
    return WebAssembly.instantiateStreaming(wasm, imports);
  }
  return WebAssembly.instantiate(await wasm.arrayBuffer(), imports);
}
