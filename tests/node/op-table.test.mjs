// The core's op table (`ops`) is the one description of an op. What JS knows
// about ops is made from it (tools/gen-ops.mjs: the store's methods and
// their types) or read from it at run time (the worker's replay rule, the
// engine's storage release, how bytes travel), and checked here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openCampaignStore } from '../../js/index.js';
import { createEngine } from '../../js/core.js';
import { buildApi } from '../../js/client/api.js';
import { callWithBytes } from '../../js/engine/bytes.js';
import { OUTPUTS, parseSignature, render } from '../../tools/gen-ops.mjs';

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
    const fromOps = buildApi(() => {});
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

test('the generated methods and types are what the op table makes now (tools/build.sh wasm writes them)', () => {
  const files = render(table);
  for (const [key, url] of Object.entries(OUTPUTS)) {
    assert.equal(readFileSync(url, 'utf8'), files[key], `${url.pathname} drifted from the op table`);
  }
});

test('every public op has a method: generated from its signature, by a facade, or the store\'s own', () => {
  const own = new Set(['open', 'close', 'sql.query', 'sql.exec', 'batch']);
  for (const o of table) {
    if (o.access === 'internal') {
      assert.equal(o.method, undefined, `${o.op} is internal: no method`);
      continue;
    }
    if (own.has(o.op)) assert.equal(o.method, undefined, o.op);
    else assert.equal(typeof o.method, 'string', `${o.op} names its method's signature`);
  }
  // The same op, as the store's method: positional values land in the args
  // the signature names, spread objects merge, and a missing required one
  // is refused before anything is sent.
  const sent = [];
  const api = buildApi((op, args) => { sent.push([op, args]); return Promise.resolve(); });
  api.images.update('img-1', { altText: 'a', id: 'other' });
  api.drafts.save('c-1', { step: 2 }, { expiresAt: 5 });
  api.sync.conflicts(3);
  api.ping();
  assert.deepEqual(sent, [['images.update', { altText: 'a', id: 'img-1' }],
    ['drafts.save', { campaignId: 'c-1', stepData: { step: 2 }, expiresAt: 5 }],
    ['sync.conflicts', { limit: 3 }], ['ping', {}]]);
  return assert.rejects(api.campaigns.setStatus('c-1'), (e) => e.code === 'INVALID_ARGUMENT' && e.details.field === 'status');
});

test('signatures the generator cannot read are refused, naming the op', () => {
  const bad = ['id: Id => X', '(id: Id)', '(id?: Id, name: string) => X', '(id) => X', 'T(id: Id) => X'];
  for (const method of bad) {
    assert.throws(() => parseSignature('x.y', method), (e) => e.message.startsWith('x.y: method'), method);
  }
  assert.throws(() => render([{ op: 'x.y', access: 'internal', replay: 'once', args: '{}', method: '() => X' }]),
    /internal op has no store method/);
  assert.throws(() => render([{ op: 'sql.run', access: 'public', replay: 'once', args: '{}', method: '() => X' }]),
    /store's own member/);
  assert.deepEqual(parseSignature('c.get', '<T extends JsonValue = JsonValue>(key: string, ...o?: {a?: Array<T>}) => C<T>'), {
    typeParams: '<T extends JsonValue = JsonValue>',
    params: [{ name: 'key', spread: false, optional: false, type: 'string' },
      { name: 'o', spread: true, optional: true, type: '{a?: Array<T>}' }],
    result: 'C<T>',
  });
});

test('ops with bytes say how they travel, and the engine moves them by that alone', async () => {
  const bytes = Object.fromEntries(table.filter((o) => o.bytesIn || o.bytesOut)
    .map((o) => [o.op, [o.bytesIn ?? null, o.bytesOut ?? null]]));
  assert.deepEqual(bytes, {
    'sync.next': [null, 'body'],
    'storage.export': [null, 'bytes'],
    'storage.import': ['bytes', null],
    'legacy.import': ['entries', null],
    'legacy.release': ['entries', null],
    'blobs.get': [null, 'bytes'],
    'blobs.put': ['bytes', null],
  });
  const e = await createEngine();
  e.call('open');
  try {
    const put = callWithBytes(e, 'blobs.put', { bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]) });
    assert.equal(put.size, 7);
    const got = callWithBytes(e, 'blobs.get', { hash: put.hash });
    assert.deepEqual([...got.bytes], [0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    // No bytes staged, none answered: the result is the op's own.
    assert.equal(callWithBytes(e, 'sync.next', {}).kind, 'idle');
    assert.equal(callWithBytes(e, 'sync.next', {}).body, undefined);
    // The empty blob is a blob: its bytes are there, and none.
    const empty = callWithBytes(e, 'blobs.put', { bytes: new ArrayBuffer(0) });
    assert.deepEqual(callWithBytes(e, 'blobs.get', { hash: empty.hash }).bytes, new Uint8Array(0));
    const file = callWithBytes(e, 'storage.export', {});
    assert.ok(file.bytes instanceof Uint8Array && file.bytes.length === file.pageSize * file.pageCount);
    assert.equal(new TextDecoder().decode(file.bytes.subarray(0, 15)), 'SQLite format 3');
    assert.throws(() => callWithBytes(e, 'blobs.put', { bytes: 'not bytes' }), (err) => err.code === 'INVALID_ARGUMENT');
    // Each engine stages its own bytes, though both live in one module: what
    // one stages never becomes another's blob.
    const other = await createEngine();
    other.call('open');
    try {
      e.importSlot(3).set([1, 2, 3]);
      assert.throws(() => other.call('blobs.put', {}), (err) => err.code === 'INVALID_ARGUMENT' && err.details.field === 'bytes');
      assert.equal(e.call('blobs.put', {}).size, 3);
      e.call('blobs.get', { hash: put.hash });  // the raw op: its bytes stay staged
      assert.equal(other.takeExported(), null);
      assert.deepEqual([...e.takeExported()], [0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
      assert.equal(e.takeExported(), null, 'taking frees the slot');
    } finally {
      other.dispose();
    }
  } finally {
    e.dispose();
  }
});

test('seeded: blobs of every size through two engines in one module, interleaved, each gets back its own bytes', async () => {
  // xorshift32: the same sequence on every run; the seed is in the failure message.
  const seed = 0x5eed2026;
  let state = seed;
  const next = () => {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state;
  };
  const engines = [await createEngine(), await createEngine()];
  for (const e of engines) e.call('open');
  const kept = [new Map(), new Map()];  // hash -> bytes, per engine
  try {
    for (let step = 0; step < 120; step++) {
      const which = next() % 2;
      const e = engines[which];
      const at = `seed ${seed}, step ${step}, engine ${which}`;
      if (kept[which].size === 0 || next() % 3 > 0) {
        // 0 bytes, a few, around a page, or up to 1 MiB.
        const sizes = [0, 1 + (next() % 16), 4095 + (next() % 3), next() % (1 << 20)];
        const bytes = new Uint8Array(sizes[next() % sizes.length]);
        for (let i = 0; i < bytes.length; i += 1 + (next() % 64)) bytes[i] = next() & 255;
        // Half the time the other engine has bytes of its own staged: this
        // put must neither take nor overwrite them.
        const other = next() % 2 ? engines[1 - which] : null;
        if (other) other.importSlot(3).set([9, 9, 9]);
        const put = callWithBytes(e, 'blobs.put', { bytes: next() % 2 ? bytes : bytes.buffer });
        assert.equal(put.size, bytes.length, at);
        kept[which].set(put.hash, bytes);
        if (other) {
          const mine = other.call('blobs.put', {});
          assert.equal(mine.size, 3, at);
          kept[1 - which].set(mine.hash, new Uint8Array([9, 9, 9]));
        }
      } else {
        const hashes = [...kept[which].keys()];
        const hash = hashes[next() % hashes.length];
        const got = callWithBytes(e, 'blobs.get', { hash });
        assert.deepEqual(got.bytes, kept[which].get(hash), at);
        // The other engine holds it only if it stored the same bytes.
        if (!kept[1 - which].has(hash)) {
          assert.throws(() => callWithBytes(engines[1 - which], 'blobs.get', { hash }), (err) => err.code === 'NOT_FOUND', at);
        }
      }
    }
  } finally {
    for (const e of engines) e.dispose();
  }
});

test('sync.status answers the fields SyncEngineStatus declares, and cache.set what its signature says', async () => {
  const dts = readFileSync(new URL('../../js/index.d.ts', import.meta.url), 'utf8');
  const block = dts.slice(dts.indexOf('export interface SyncEngineStatus {'));
  const declared = [...block.slice(0, block.indexOf('\n}')).matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1]).sort();
  const e = await createEngine();
  e.call('open');
  try {
    e.call('sync.configure', { userId: '11111111-1111-4111-8111-111111111111' });
    assert.deepEqual(Object.keys(e.call('sync.status')).sort(), declared);
    assert.deepEqual(e.call('cache.set', { key: 'k', value: 1 }), { key: 'k', expiresAt: null });
    assert.match(table.find((o) => o.op === 'cache.set').method, /=> \{key: string; expiresAt: Timestamp \| null\}$/);
  } finally {
    e.dispose();
  }
});
