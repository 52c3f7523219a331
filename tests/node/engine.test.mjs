// The wasm module loaded in Node through js/core.js: the vertical slice from
// JS through embind and the dispatcher to SQLite and back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine, CampaignStoreError } from '../../js/core.js';

test('version reports the pinned SQLite and the package version', async () => {
  const engine = await createEngine();
  const v = engine.call('version');
  assert.equal(v.sqlite, '3.53.2');
  const pkg = JSON.parse(await (await import('node:fs/promises')).readFile(new URL('../../package.json', import.meta.url)));
  assert.equal(v.version, pkg.version);
  engine.dispose();
});

test('a parameterized query answers with rows keyed by column', async () => {
  const engine = await createEngine();
  engine.call('open');
  engine.call('sql.exec', { sql: 'CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, price REAL)' });
  const hostile = "x'); DROP TABLE t; --";
  engine.call('sql.exec', { sql: 'INSERT INTO t(name, price) VALUES (?, ?), (?, ?)', params: [hostile, 1.5, 'ok', 2] });
  assert.deepEqual(engine.lastChanges, ['t']);
  const r = engine.call('sql.query', { sql: 'SELECT name, price FROM t WHERE name = :n', params: { n: hostile } });
  assert.deepEqual(r, { columns: ['name', 'price'], rows: [{ name: hostile, price: 1.5 }] });
  engine.dispose();
});

test('errors arrive as CampaignStoreError with code, message and details', async () => {
  const engine = await createEngine();
  assert.throws(() => engine.call('nope'), (e) => e instanceof CampaignStoreError && e.code === 'NOT_FOUND');
  engine.call('open');
  assert.throws(() => engine.call('sql.query', { sql: 'SELECT ?', params: [] }),
    (e) => e.code === 'INVALID_ARGUMENT' && e.details.expected === 1);
  assert.throws(() => engine.call('sql.query', { sql: 42 }),
    (e) => e.code === 'INVALID_ARGUMENT' && e.details.field === 'sql');
  // The engine keeps working after errors.
  assert.deepEqual(engine.call('ping', { echo: 'still here' }), { pong: true, echo: 'still here' });
  engine.dispose();
});

test('unicode survives the JS <-> wasm string crossing', async () => {
  const engine = await createEngine();
  engine.call('open');
  const text = 'Ünïcödé 🚀 עברית e\u0301 𝔘';
  const r = engine.call('sql.query', { sql: 'SELECT ? AS s, length(?) AS n', params: [text, text] });
  assert.equal(r.rows[0].s, text);
  assert.equal(r.rows[0].n, [...text].length);
  engine.dispose();
});
