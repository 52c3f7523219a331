// The core's op table (`ops`) is the one description of an op. What JS knows
// about ops is read from it or checked against it here: the store's methods
// (public ops only), the typed surface in index.d.ts, the worker's replay
// rule and the engine's storage release.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openCampaignStore } from '../../js/index.js';
import { createEngine } from '../../js/core.js';
import { buildApi } from '../../js/client/api.js';

const engine = await createEngine();
const table = engine.call('ops');
const publicOps = table.filter((o) => o.access === 'public').map((o) => o.op);
const internalOps = table.filter((o) => o.access === 'internal').map((o) => o.op);
// Methods the store builds itself rather than from an op.
const STORE_ONLY = new Set(['open', 'close']);
const split = (op) => (op.includes('.') ? op.split('.', 2) : [null, op]);

test('every op states its access and replay; internal ops are the sync loop\'s, the raw migration\'s and the tests\'', () => {
  for (const o of table) {
    assert.ok(['public', 'internal'].includes(o.access), o.op);
    assert.ok(['once', 'rerun'].includes(o.replay), o.op);
    assert.equal(typeof o.args, 'string', o.op);
  }
  assert.deepEqual([...internalOps].sort(), ['legacy.deleteSample', 'legacy.export', 'legacy.get', 'legacy.import',
    'legacy.release', 'legacy.report', 'legacy.saveAd', 'storage.lastError', 'storage.selfTest',
    'sync.apply', 'sync.begin', 'sync.configure', 'sync.next']);
  // A read is never logged as a write; every write is.
  for (const o of table) {
    if (/\.(get|list)$/.test(o.op) || o.op === 'sql.query') assert.equal(o.replay, 'rerun', o.op);
    if (/\.(create|update|delete|save|add|set)$/.test(o.op) && !o.op.startsWith('storage.')) assert.equal(o.replay, 'once', o.op);
  }
  assert.deepEqual(table.filter((o) => o.releasesStorage).map((o) => o.op).sort(), ['close', 'storage.delete']);
});

test('the store has a method for every public op and none for an internal one', async () => {
  const store = await openCampaignStore({ storage: 'memory', worker: false });
  try {
    assert.deepEqual(store.info.ops, publicOps);
    for (const op of publicOps) {
      if (STORE_ONLY.has(op)) continue;
      const [entity, name] = split(op);
      const holder = entity ? store[entity] : store;
      assert.equal(typeof holder?.[name], 'function', `store.${op}`);
    }
    // No method is made from an internal op (store.legacy is the compat
    // facade, whose methods are its own).
    const fromOps = buildApi(() => {}, store.info.ops);
    for (const op of internalOps) {
      const [entity, name] = split(op);
      assert.equal(fromOps[entity]?.[name], undefined, `no method for ${op}`);
      if (entity !== 'legacy') assert.equal(store[entity]?.[name], undefined, `store.${op} must not be a method`);
    }
    // Still reachable through the one door, for this package's own JS.
    assert.equal(typeof (await store.call('storage.lastError')).message, 'string');
  } finally {
    await store.close();
  }
});

test('index.d.ts types every public op\'s namespace and method', () => {
  const read = (path) => readFileSync(new URL(path, import.meta.url), 'utf8');
  const main = read('../../js/index.d.ts');
  const dts = main + read('../../js/legacy/index.d.ts');
  const storeInterface = main.slice(main.indexOf('export declare class CampaignStore'));
  for (const op of publicOps) {
    if (STORE_ONLY.has(op)) continue;
    const [entity, name] = split(op);
    if (entity) assert.match(storeInterface, new RegExp(`\\n  ${entity}: `), `CampaignStore.${entity}`);
    assert.match(dts, new RegExp(`\\n\\s+${name}[<(]`), `a typed ${op}`);
  }
});
