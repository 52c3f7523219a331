// Shared by tests/node/legacy*.test.mjs: a Web Storage stand-in with the
// browser's quota (5 Mi UTF-16 units of key + value), the fixture dumps, and
// an in-thread engine with the migration's binary path.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { createEngine } from '../../js/core.js';
import { engineCaller } from '../../js/legacy/index.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const QUOTA_UNITS = 5 * 1024 * 1024;

/** localStorage as browsers implement it, quota included; insertion order kept. */
export class MemoryStorage {
  #map = new Map();
  #quota;
  constructor(entries = {}, { quota = QUOTA_UNITS } = {}) {
    this.#quota = quota;
    for (const [k, v] of Object.entries(entries)) this.#map.set(String(k), String(v));
  }
  get length() { return this.#map.size; }
  key(i) { return [...this.#map.keys()][i] ?? null; }
  getItem(k) { return this.#map.has(String(k)) ? this.#map.get(String(k)) : null; }
  setItem(k, v) {
    k = String(k);
    v = String(v);
    const used = this.units() - (this.#map.has(k) ? k.length + this.#map.get(k).length : 0);
    if (used + k.length + v.length > this.#quota) {
      const err = new Error(`Setting the value of '${k}' exceeded the quota.`);
      err.name = 'QuotaExceededError';
      throw err;
    }
    this.#map.set(k, v);
  }
  removeItem(k) { this.#map.delete(String(k)); }
  clear() { this.#map.clear(); }
  units() { let n = 0; for (const [k, v] of this.#map) n += k.length + v.length; return n; }
  toObject() { return Object.fromEntries(this.#map); }
}

export function loadDump(name) {
  return JSON.parse(readFileSync(`${FIXTURES}dumps/${name}.json`, 'utf8'));
}
export function loadManifest(name) {
  return JSON.parse(readFileSync(`${FIXTURES}dumps/${name}.manifest.json`, 'utf8'));
}

/** A fresh in-thread engine with an open in-memory database, and its door. */
export async function openEngine(openArgs = {}) {
  const engine = await createEngine();
  engine.call('open', openArgs);
  return { engine, call: engineCaller(engine) };
}

export const ADVERSARIAL = ['data-urls', 'dates', 'drafts', 'duplicate-ids', 'empty-arrays', 'images-as-string',
  'json-in-strings', 'lookalike-keys', 'missing-ids', 'not-json', 'nulls', 'spellings', 'strings-for-numbers', 'truncated',
  'unicode', 'unknown-fields'];

// The manifest's id lists compared as multisets.
export const sortedTexts = (list) => list.map((v) => JSON.stringify(v)).sort();
