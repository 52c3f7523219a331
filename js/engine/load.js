// Loads the wasm build (dist/campaign_store.mjs + .wasm) in Node or a browser
// worker. The wasm is fetched while the glue module is imported, so a slow
// network's latency is paid once for the two rather than once after the
// other, and compiled as it streams in (which also lets the browser cache the
// compiled code). In Node the platform reads the bytes from disk.
import { CampaignStoreError } from '../errors.js';
import { fetchWasm } from '#platform/engine';

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
  const source = fetchWasm(binUrl);
  source.catch(() => {});  // awaited below, once the glue is in
  const { default: createModule } = await import(/* @vite-ignore */ /* webpackIgnore: true */ jsUrl);
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

/** Instantiates from a Response (streaming where the server says application/wasm) or from bytes. */
async function compile(wasm, url, imports) {
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
