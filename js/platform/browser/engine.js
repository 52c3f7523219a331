// The engine's platform in a browser worker: the wasm comes over the
// network, and there is no file host. (Node: ../node/engine.js.)
import { CampaignStoreError } from '../../errors.js';

/** Starts fetching the wasm: the Response, for a streaming compile. */
export function fetchWasm(url) {
  return fetch(url, { credentials: 'same-origin' }).catch((e) => {
    throw new CampaignStoreError('NETWORK', `cannot fetch the wasm module ${url}: ${e?.message ?? e}`, { url });
  });
}

export function openNodePool() {
  throw new CampaignStoreError('INVALID_ARGUMENT', "storage {node: dir} exists in Node only; use 'opfs' or 'memory'",
    { field: 'storage' });
}
