// The engine's platform in a browser worker: Emscripten's loader fetches the
// wasm itself, and there is no file host. (Node: ../node/engine.js.)
import { CampaignStoreError } from '../../errors.js';

/** The wasm bytes to hand the loader, or undefined to let it fetch them. */
export async function wasmBinary() {
  return undefined;
}

export function openNodePool() {
  throw new CampaignStoreError('INVALID_ARGUMENT', "storage {node: dir} exists in Node only; use 'opfs' or 'memory'",
    { field: 'storage' });
}
