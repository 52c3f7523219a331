// The engine's platform in Node: the wasm bytes are read from disk (Node's
// fetch refuses file: URLs), and pools can live in real files.
// (Browsers: ../browser/engine.js; package.json "imports" picks one.)
import { readFile } from 'node:fs/promises';

/** Starts reading the wasm: its bytes. */
export function fetchWasm(url) {
  return readFile(new URL(url));
}

export { openNodePool } from '../../hosts/node.js';
