// The engine's platform in Node: the wasm bytes are read from disk (Node's
// fetch refuses file: URLs), and pools can live in real files.
// (Browsers: ../browser/engine.js; package.json "imports" picks one.)
import { readFile } from 'node:fs/promises';

/** The wasm bytes to hand the loader. */
export async function wasmBinary(url) {
  return readFile(new URL(url));
}

export { openNodePool } from '../../hosts/node.js';
