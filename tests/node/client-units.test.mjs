// The client's building blocks on their own: transfer preparation, the
// generated methods, change fan-out, read-table derivation, and the rpc
// bookkeeping that gives each request exactly one settlement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareAnswer, prepareRequest, transfer } from '../../js/protocol/transfer.js';
import { buildApi, argsFrom } from '../../js/client/api.js';
import { ChangeHub, normalizeChanges } from '../../js/client/changes.js';
import { tablesForOp } from '../../js/client/read-tables.js';
import { deepEqual } from '../../js/client/equal.js';
import { RpcClient } from '../../js/client/rpc.js';
import { ENTITIES, CampaignStoreError } from '../../js/index.js';

test('prepareRequest copies what the caller did not mark, moves what it did, leaves JSON alone', () => {
  const json = { a: [1, { b: 'c' }], d: null };
  const plain = prepareRequest(json);
  assert.equal(plain.value, json, 'same object: nothing to transfer');
  assert.deepEqual(plain.transfer, []);

  const whole = new Uint8Array([1, 2, 3]);
  const marked = transfer(new Uint8Array([4]));
  const pool = new Uint8Array(64);
  const part = pool.subarray(8, 16);
  const floats = new Float32Array(new ArrayBuffer(32), 8, 2);
  const args = { image: { bytes: whole }, moved: marked, list: [part, floats], raw: new ArrayBuffer(4), when: new Date(0) };
  const { value, transfer: moved } = prepareRequest(args);
  assert.notEqual(value, args);
  assert.equal(value.image.bytes, whole);
  assert.ok(!moved.includes(whole.buffer), 'the caller keeps an unmarked buffer (the clone copies it)');
  assert.ok(moved.includes(marked.buffer), 'a marked one moves');
  assert.notEqual(value.list[0], part);
  assert.equal(value.list[0].byteLength, 8);
  assert.ok(moved.includes(value.list[0].buffer), 'a private copy moves');
  assert.ok(value.list[1] instanceof Float32Array && value.list[1].length === 2);
  assert.ok(!moved.includes(args.raw));
  assert.ok(!moved.includes(pool.buffer), 'the shared buffer stays with the caller');
  assert.equal(value.when, '1970-01-01T00:00:00.000Z', 'toJSON applied, as the engine would');
  assert.equal(args.list[0], part, 'the caller\'s object is not modified');
  assert.equal(new Set(moved).size, moved.length, 'no buffer listed twice');
  const buf = Buffer.from('pooled');  // Node's pool: copied, never transferred
  assert.ok(!prepareRequest({ buf: transfer(buf) }).transfer.includes(buf.buffer));
  // Marked but already gone: refused before anything is posted.
  const gone = transfer(new Uint8Array([1]));
  structuredClone(gone, { transfer: [gone.buffer] });
  assert.throws(() => prepareRequest({ gone }));
  // An answer's buffers are the worker's own: all of them move.
  const answer = prepareAnswer({ ok: true, result: { bytes: whole } });
  assert.ok(answer.transfer.includes(whole.buffer));
});

test('entity methods map positional arguments onto the op\'s args object', async () => {
  const calls = [];
  const api = buildApi(async (op, args) => { calls.push([op, args]); return null; }, ['storage.info', 'sync.status', 'open']);
  await api.products.create({ name: 'Shoe', price: 12.5 });
  await api.products.update('p1', { name: 'Boot', id: 'ignored' });
  await api.drafts.save('c1', { step: 2 });
  await api.drafts.save('c1', { step: 2 }, { expiresAt: '2030-01-01T00:00:00Z' });
  await api.images.setPrimary('i1');
  await api.campaigns.setStatus('c1', 'active');
  await api.products.list();
  await api.storage.info();
  await api.health();
  assert.deepEqual(calls, [
    ['products.create', { name: 'Shoe', price: 12.5 }],
    ['products.update', { name: 'Boot', id: 'p1' }],
    ['drafts.save', { campaignId: 'c1', stepData: { step: 2 } }],
    ['drafts.save', { campaignId: 'c1', stepData: { step: 2 }, expiresAt: '2030-01-01T00:00:00Z' }],
    ['images.setPrimary', { imageId: 'i1' }],
    ['campaigns.setStatus', { id: 'c1', status: 'active' }],
    ['products.list', {}],
    ['storage.info', {}],
    ['health', {}],
  ]);
  assert.equal(api.open, undefined, 'open is the worker\'s business');
  await assert.rejects(api.products.get(), (e) => e instanceof CampaignStoreError && e.code === 'INVALID_ARGUMENT' && e.details.field === 'id');
  await assert.rejects(api.products.update('p1', 'not an object'), (e) => e.code === 'INVALID_ARGUMENT');
  assert.throws(() => argsFrom('x', ['a'], []), /a is required/);
  for (const entity of ['products', 'campaigns', 'drafts', 'images', 'backgrounds']) assert.ok(ENTITIES[entity]);
});

test('change events carry each touched table once and reach matching subscribers', () => {
  assert.equal(normalizeChanges([]), null);
  assert.equal(normalizeChanges(null), null);
  assert.deepEqual(normalizeChanges(['a', 'b', 'a']), { tables: ['a', 'b'] });
  const errors = [];
  const hub = new ChangeHub((e) => errors.push(e));
  const got = [];
  hub.subscribe('a', (e) => got.push(['a', e.tables]));
  hub.subscribe(['b', 'c'], (e) => got.push(['bc', e.tables]));
  const off = hub.subscribe('*', (e) => got.push(['*', e.tables]));
  hub.subscribe('a', () => { throw new Error('bad'); });
  hub.emit(['c']);
  off();
  hub.emit(['a']);
  hub.emit(null);
  assert.deepEqual(got, [['bc', ['c']], ['*', ['c']], ['a', ['a']]]);
  assert.equal(errors.length, 1);
});

test('the tables an op reads', () => {
  assert.deepEqual(tablesForOp('ping'), []);
  assert.deepEqual(tablesForOp('drafts.get', {}), ['campaign_drafts']);
  assert.ok(tablesForOp('campaigns.get', {}).includes('creatives'));
  assert.equal(tablesForOp('sql.query', {}), null, 'SQL is asked of SQLite instead');
  assert.equal(tablesForOp('mystery.op', {}), null, 'unknown: any table');
  assert.deepEqual(tablesForOp('batch', { ops: [{ op: 'products.list' }, { op: 'drafts.get' }] }).sort(),
    ['campaign_drafts', 'products']);
});

test('deepEqual compares query results by value', () => {
  assert.ok(deepEqual({ a: [1, { b: null }], c: new Uint8Array([1]) }, { a: [1, { b: null }], c: new Uint8Array([1]) }));
  assert.ok(!deepEqual({ a: 1 }, { a: 1, b: undefined }));
  assert.ok(!deepEqual([1, 2], [2, 1]));
  assert.ok(!deepEqual({ rows: [] }, { rows: {} }));
});

test('rpc: one settlement per request; late and unknown answers are ignored; fail settles all once', async () => {
  const sent = [];
  const busy = [];
  const rpc = new RpcClient({ post: (m) => sent.push(m), onBusyChange: (b) => busy.push(b) });
  const a = rpc.request('ping', {});
  const b = rpc.request('ping', {});
  assert.deepEqual(sent.map((m) => m.id), [1, 2]);
  rpc.receive({ id: 2, ok: false, error: { code: 'BUSY', message: 'locked', details: { x: 1 } }, changes: [] });
  rpc.receive({ id: 2, ok: true, result: 'late duplicate', changes: [] });
  rpc.receive({ id: 99, ok: true, result: 'unknown' });
  await assert.rejects(b, (e) => e instanceof CampaignStoreError && e.code === 'BUSY' && e.details.x === 1);
  const c = rpc.request('ping', {});
  rpc.fail('CLOSED', 'gone');
  rpc.fail('INTERNAL', 'second failure is ignored');
  rpc.receive({ id: 1, ok: true, result: 'after fail' });
  await assert.rejects(a, (e) => e.code === 'CLOSED' && e.details.op === 'ping');
  await assert.rejects(c, (e) => e.code === 'CLOSED');
  await assert.rejects(rpc.request('ping', {}), (e) => e.code === 'CLOSED' && e.message === 'gone');
  assert.deepEqual(busy, [true, false]);
  assert.equal(rpc.pendingCount, 0);
});

test('a forwarded sync.apply runs outside the request log (pull pages need foreign keys off, which a transaction ignores)', async () => {
  const { Executor } = await import('../../js/worker/executor.js');
  const { createEngine } = await import('../../js/core.js');
  const executor = new Executor(await createEngine());
  for (const op of ['sync.apply', 'sync.next', 'sync.status', 'products.get', 'sql.query', 'storage.export'])
    assert.equal(executor.isLogged(op), false, op);
  for (const op of ['products.create', 'drafts.save', 'sync.configure', 'batch', 'sql.exec', 'no.such.op'])
    assert.equal(executor.isLogged(op), true, op);
});

test('rpc: an answer sent as the envelope text is parsed once and settles like an object answer', async () => {
  const rpc = new RpcClient({ post: () => {} });
  const a = rpc.request('products.get', {});
  const b = rpc.request('sql.exec', {});
  const c = rpc.request('ping', {});
  rpc.receive({ id: 1, ok: true, text: '{"ok":true,"result":{"id":"p1","images":[]}}' });
  rpc.receive({ id: 2, ok: true, text: '{"changes":["products"],"ok":true,"result":{"changes":1}}' });
  rpc.receive({ id: 3, ok: true, text: '{"ok":true,"result":' });  // cut short
  assert.deepEqual(await a, { result: { id: 'p1', images: [] }, changes: [] });
  assert.deepEqual(await b, { result: { changes: 1 }, changes: ['products'] });
  await assert.rejects(c, (e) => e instanceof CampaignStoreError && e.code === 'INTERNAL' && e.details.op === 'ping');
});

test('worker: a single owner answers with the engine envelope text; bytes and errors keep their form', async () => {
  const { StoreServer } = await import('../../js/worker/server.js');
  const posted = [];
  let wake = () => {};
  const server = new StoreServer({ post: (m) => { posted.push(m); wake(); } });
  const answer = async (id) => {
    for (;;) {
      const m = posted.find((p) => p.id === id);
      if (m) return m;
      await new Promise((resolve) => { wake = resolve; });
    }
  };
  server.receive({ id: 1, op: 'worker.init', args: { name: 'units', storage: 'memory', tabId: 't1' } });
  assert.equal((await answer(1)).ok, true);
  server.receive({ id: 2, op: 'products.create', args: { name: 'Lamp', price: '9.99' } });
  const created = await answer(2);
  assert.equal(typeof created.text, 'string');
  assert.equal('result' in created, false);
  const envelope = JSON.parse(created.text);
  assert.equal(envelope.result.name, 'Lamp');
  assert.ok(envelope.changes.includes('products'));
  server.receive({ id: 3, op: 'products.get', args: { id: 'no-such-id' } });
  const missing = await answer(3);
  assert.equal(missing.ok, false);
  assert.equal(missing.error.code, 'NOT_FOUND');
  server.receive({ id: 4, op: 'storage.export', args: {} });
  const exported = await answer(4);
  assert.equal(exported.ok, true);
  assert.equal(exported.text, undefined);  // a binary op: its bytes are transferred, not text
  server.receive({ id: 5, op: 'worker.close', args: {} });
  await answer(5);
});
