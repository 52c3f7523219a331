// The values table (README "Values"): every JavaScript type into SQLite and
// every SQLite storage class out, through every transport
// (shared/transports.mjs: the engine itself, the in-thread store, the worker
// store and a multi-tab follower). A value crosses exactly, or is refused
// with INVALID_ARGUMENT naming where it is; and whatever a request holds,
// its promise settles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CampaignStoreError, transfer } from '../../js/index.js';
import { decodeAnswer, encodeArgs } from '../../js/protocol/values.js';
import { TRANSPORTS } from './shared/transports.mjs';

const bytes = (...b) => new Uint8Array(b);

// ---------------------------------------------------------------- JS -> SQLite
// [label, value, storage class, what SELECT ? gives back]
const INTO = [
  ['null', null, 'null', null],
  ['undefined', undefined, 'null', null],
  ['true', true, 'integer', 1],
  ['false', false, 'integer', 0],
  ['0', 0, 'integer', 0],
  ['-0', -0, 'real', -0],
  ['42', 42, 'integer', 42],
  ['1.5', 1.5, 'real', 1.5],
  ['5e-324', 5e-324, 'real', 5e-324],
  ['1e300', 1e300, 'real', 1e300],
  ['2^53 + 2 (a number)', 2 ** 53 + 2, 'integer', 9007199254740994n],
  ['-2^63 (a number)', -(2 ** 63), 'integer', -(2n ** 63n)],
  ['2^63 (a number)', 2 ** 63, 'real', 2 ** 63],
  ['7n', 7n, 'integer', 7],
  ['2^53 + 1 (a bigint)', 2n ** 53n + 1n, 'integer', 2n ** 53n + 1n],
  ['2^63 - 1 (a bigint)', 2n ** 63n - 1n, 'integer', 2n ** 63n - 1n],
  ['-2^63 (a bigint)', -(2n ** 63n), 'integer', -(2n ** 63n)],
  ['a string', 'text', 'text', 'text'],
  ['an empty string', '', 'text', ''],
  ['é, € and 😀', 'é€😀', 'text', 'é€😀'],
  ['a NUL inside', 'a\0b', 'text', 'a\0b'],
  ['a boxed number', new Number(3), 'integer', 3],
  ['a boxed string', new String('s'), 'text', 's'],
  ['a Date (toJSON)', new Date(0), 'text', '1970-01-01T00:00:00.000Z'],
  ['Uint8Array', bytes(0, 255), 'blob', bytes(0, 255)],
  ['an empty Uint8Array', bytes(), 'blob', bytes()],
  ['a subarray', bytes(9, 1, 2, 9).subarray(1, 3), 'blob', bytes(1, 2)],
  ['ArrayBuffer', bytes(1, 2).buffer, 'blob', bytes(1, 2)],
  ['Int16Array', new Int16Array([1, -1]), 'blob', bytes(1, 0, 255, 255)],
  ['DataView', new DataView(bytes(7).buffer), 'blob', bytes(7)],
  ['Node Buffer', Buffer.from('hi'), 'blob', bytes(104, 105)],
  ['an object (JSON text)', { a: 1, b: [true, null, 'x'] }, 'text', '{"a":1,"b":[true,null,"x"]}'],
  ['an array (JSON text)', [1, 'x'], 'text', '[1,"x"]'],
  ['JSON with -0 and 2^60 as a bigint', { z: -0, n: 2n ** 60n }, 'text', '{"n":1152921504606846976,"z":-0.0}'],
];

// [label, value, details.field]: refused, nothing written.
const REFUSED = [
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
  ['2^63 (a bigint)', 2n ** 63n],
  ['-2^63 - 1 (a bigint)', -(2n ** 63n) - 1n],
  ['a lone high surrogate', 'a\uD800'],
  ['a lone low surrogate', '\uDC00b'],
  ['a function', () => 1],
  ['a symbol', Symbol('s')],
  ['a Map', new Map([[1, 2]])],
  ['a Set', new Set([1])],
  ['a RegExp', /x/],
  ['an Error', new Error('x')],
  ['a detached Uint8Array', detached()],
  ['JSON holding NaN', { a: [1, NaN] }, 'params[0].a[1]'],
  ['JSON holding a bigint no double holds', { n: 2n ** 60n + 1n }, 'params[0].n'],
  ['JSON holding bytes', { b: bytes(1) }, 'params[0].b'],
  ['JSON with a lone surrogate in a key', { ['k\uD800']: 1 }, 'params[0].k\uD800'],
  ['a cyclic object', cyclic(), 'params[0].self'],
];

// ---------------------------------------------------------------- SQLite -> JS
// [label, SQL expression, JS value by int64 mode or for all]
const big = (text) => ({ bigint: BigInt(text), string: text, number: Number(text) });
const OUT = [
  ['NULL', 'NULL', null],
  ['INTEGER', '42', 42],
  ['INTEGER 2^53 - 1', '9007199254740991', 9007199254740991],
  ['INTEGER -(2^53 - 1)', '-9007199254740991', -9007199254740991],
  ['INTEGER 2^53', '9007199254740992', big('9007199254740992')],
  ['INTEGER 2^53 + 1', '9007199254740993', big('9007199254740993')],
  ['INTEGER 2^63 - 1', '9223372036854775807', big('9223372036854775807')],
  ['INTEGER -2^63', '-9223372036854775807 - 1', big('-9223372036854775808')],
  ['REAL', '1.5', 1.5],
  ['REAL -0.0', '-0.0', -0],
  ['REAL 1e999 (infinity)', '1e999', Infinity],
  ['REAL -1e999', '-1e999', -Infinity],
  ['TEXT', "'héllo 😀'", 'héllo 😀'],
  ['TEXT empty', "''", ''],
  ['BLOB', "x'00ff'", bytes(0, 255)],
  ['BLOB empty', "x''", bytes()],
  ['zeroblob(3)', 'zeroblob(3)', bytes(0, 0, 0)],
];
// TEXT that is not UTF-8: no JavaScript string holds it; refused, naming the value.
const OUT_REFUSED = [
  ['char(55296) (a surrogate code point)', 'char(55296)'],
  ["CAST(x'ff' AS TEXT)", "CAST(x'ff' AS TEXT)"],
];

// A column of each declared type takes a value by SQLite's affinity rules:
// [value, {INTEGER, REAL, TEXT, BLOB, none: [typeof, value back]}].
const AFFINITY = [
  [-0, { INTEGER: ['integer', 0], REAL: ['real', 0], TEXT: ['text', '0.0'], BLOB: ['real', -0], none: ['real', -0] }],
  [2n ** 53n + 1n, {
    INTEGER: ['integer', 2n ** 53n + 1n], REAL: ['real', 2 ** 53], TEXT: ['text', '9007199254740993'],
    BLOB: ['integer', 2n ** 53n + 1n], none: ['integer', 2n ** 53n + 1n],
  }],
  ['12', { INTEGER: ['integer', 12], REAL: ['real', 12], TEXT: ['text', '12'], BLOB: ['text', '12'], none: ['text', '12'] }],
  [bytes(1), { INTEGER: ['blob', bytes(1)], REAL: ['blob', bytes(1)], TEXT: ['blob', bytes(1)], BLOB: ['blob', bytes(1)], none: ['blob', bytes(1)] }],
];

function detached() {
  const b = bytes(1, 2, 3);
  structuredClone(b, { transfer: [b.buffer] });
  return b;
}

function cyclic() {
  const o = { a: 1 };
  o.self = o;
  return o;
}

// 'resolved' or 'rejected' (with an Error), or 'pending' after ms.
function settled(promise, ms) {
  let timer;
  const late = new Promise((resolve) => { timer = setTimeout(resolve, ms, 'pending'); });
  const outcome = promise.then(() => 'resolved', (e) => (e instanceof Error ? 'rejected' : 'rejected with a non-error'));
  return Promise.race([outcome, late]).finally(() => clearTimeout(timer));
}

const refusedAs = (field) => (e) => e instanceof CampaignStoreError && e.code === 'INVALID_ARGUMENT' && e.details.field === field;

test('the request encoder: JSON.stringify where that is exact, exact digits and placeholders where not', () => {
  assert.deepEqual(encodeArgs({ a: [1, 'x', null, true, { b: 1.5 }], u: undefined }), { text: '{"a":[1,"x",null,true,{"b":1.5}]}', blobs: null });
  const { text, blobs } = encodeArgs({ params: [-0, 2 ** 60, 2 ** 63, -(2 ** 63), 1e21, 2n ** 63n - 1n, bytes(1), [new Date(0)]] });
  assert.equal(text, '{"params":[-0.0,1152921504606846976,9223372036854775808.0,-9223372036854775808,1000000000000000000000.0,9223372036854775807,null,["1970-01-01T00:00:00.000Z"]]}');
  assert.deepEqual(blobs, [{ path: ['params', 6], bytes: bytes(1) }]);
  // Seeded random JSON: the fast path and the encoder write the same text.
  let seed = 7;
  const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const tree = (depth) => {
    switch (depth > 3 ? rand(5) : rand(7)) {
      case 0: return null;
      case 1: return rand(2) === 0;
      case 2: return (rand(2000001) - 1000000) / (rand(3) === 0 ? 1 : 64);
      case 3: return ['', 'a"b\\c', '\n\u0001', 'é😀', 'x'.repeat(rand(40))][rand(5)];
      case 4: return rand(3) === 0 ? undefined : Number.MAX_SAFE_INTEGER - rand(3);
      case 5: return Array.from({ length: rand(5) }, () => tree(depth + 1));
      default: return Object.fromEntries(Array.from({ length: rand(5) }, (_, i) => [`k${i}`, tree(depth + 1)]));
    }
  };
  for (let i = 0; i < 500; i++) {
    const v = { v: tree(0) };
    assert.equal(encodeArgs(v).text, JSON.stringify(v));
    assert.equal(encodeArgs({ v: [v, bytes()] }).text, JSON.stringify({ v: [v, null] }));
  }
});

test('the answer decoder puts values in place; int64 chooses their form', () => {
  const text = '{"ok":true,"result":{"rows":[{"n":9007199254740993,"b":null}]},"values":[{"at":["rows",0,"n"],"int":"9007199254740993"},{"at":["rows",0,"b"],"blob":0}]}';
  assert.deepEqual(decodeAnswer(text, [bytes(7)]).result, { rows: [{ n: 9007199254740993n, b: bytes(7) }] });
  assert.equal(decodeAnswer(text, [bytes(7)], 'string').result.rows[0].n, '9007199254740993');
  assert.equal(decodeAnswer(text, [bytes(7)], 'number').result.rows[0].n, 9007199254740992);
  assert.throws(() => decodeAnswer(text, []), (e) => e.code === 'INTERNAL');
  assert.equal(decodeAnswer('{"ok":true,"result":null,"values":[{"at":[],"int":"-9223372036854775808"}]}').result, -(2n ** 63n));
});

for (const transport of TRANSPORTS) {
  test(`values table through the ${transport.name}`, async (t) => {
    const s = await transport.open();
    const query = (sql, params, options) => s.call('sql.query', params === undefined ? { sql } : { sql, params }, options);
    try {
      await t.test('JS values in: the storage class each binds as, and what comes back', async () => {
        for (const [label, value, type, back] of INTO) {
          const r = await query('SELECT typeof(?1) AS t, ?1 AS v', [value]);
          assert.deepEqual(r.rows[0], { t: type, v: back }, label);
          if (Object.is(back, -0)) assert.ok(Object.is(r.rows[0].v, -0), `${label}: the sign survives`);
        }
        const named = await query('SELECT :n AS n, :b AS b', { n: 2n ** 62n, b: bytes(5) });
        assert.deepEqual(named.rows[0], { n: 2n ** 62n, b: bytes(5) });
      });

      await t.test('JS values refused, naming the parameter; nothing written', async () => {
        await s.call('sql.exec', { sql: 'CREATE TABLE refused(v)' });
        for (const [label, value, field = 'params[0]'] of REFUSED) {
          await assert.rejects(s.call('sql.exec', { sql: 'INSERT INTO refused VALUES (?)', params: [value] }), refusedAs(field), label);
        }
        await assert.rejects(query('SELECT :x', { x: NaN }), refusedAs('params.x'));
        assert.deepEqual((await query('SELECT count(*) AS n FROM refused')).rows, [{ n: 0 }]);
      });

      await t.test('SQLite values out, each int64 mode', async () => {
        for (const [label, sql, expected] of OUT) {
          for (const int64 of ['bigint', 'string', 'number']) {
            const want = expected !== null && typeof expected === 'object' && !(expected instanceof Uint8Array) ? expected[int64] : expected;
            const r = await query(`SELECT ${sql} AS v`, undefined, { int64 });
            assert.deepEqual(r.rows, [{ v: want }], `${label} (${int64})`);
            if (Object.is(want, -0)) assert.ok(Object.is(r.rows[0].v, -0), `${label}: the sign survives`);
          }
        }
        // The default is bigint.
        assert.equal((await query('SELECT 9007199254740993 AS v')).rows[0].v, 9007199254740993n);
        for (const [label, sql] of OUT_REFUSED) {
          await assert.rejects(query(`SELECT 1 AS ok, ${sql} AS v`), (e) => refusedAs('rows[0].v')(e) && e.details.reason === 'invalid_utf8', label);
        }
        assert.deepEqual((await query("SELECT CAST(char(55296) AS BLOB) AS v")).rows[0].v, bytes(0xED, 0xA0, 0x80));
      });

      await t.test('through a column of each declared type (SQLite affinity)', async () => {
        await s.call('sql.exec', { sql: 'CREATE TABLE typed(i INTEGER, r REAL, t TEXT, b BLOB, n)' });
        for (const [value, want] of AFFINITY) {
          await s.call('sql.exec', { sql: 'DELETE FROM typed' });
          await s.call('sql.exec', { sql: 'INSERT INTO typed VALUES (?1, ?1, ?1, ?1, ?1)', params: [value] });
          const r = await query('SELECT typeof(i) AS ti, i, typeof(r) AS tr, r, typeof(t) AS tt, t, typeof(b) AS tb, b, typeof(n) AS tn, n FROM typed');
          const row = r.rows[0];
          const got = { INTEGER: [row.ti, row.i], REAL: [row.tr, row.r], TEXT: [row.tt, row.t], BLOB: [row.tb, row.b], none: [row.tn, row.n] };
          assert.deepEqual(got, want, String(value));
          for (const column of Object.keys(want)) {
            assert.equal(Object.is(got[column][1], -0), Object.is(want[column][1], -0), `${String(value)} in ${column}: sign of zero`);
          }
        }
      });

      await t.test('rowids, batches and the engine envelope keep them exact too', async () => {
        await s.call('sql.exec', { sql: 'CREATE TABLE rows_(v BLOB)' });
        const ins = await s.call('sql.exec', { sql: 'INSERT INTO rows_(rowid, v) VALUES (?, ?)', params: [2n ** 62n + 1n, bytes(1, 2)] });
        assert.deepEqual(ins, { changes: 1, lastInsertRowid: 2n ** 62n + 1n });
        const [step] = await s.call('batch', { ops: [{ op: 'sql.query', args: { sql: 'SELECT rowid AS id, v FROM rows_' } }] }, { int64: 'string' });
        assert.deepEqual(step.rows, [{ id: '4611686018427387905', v: bytes(1, 2) }]);
        assert.deepEqual(await s.call('ping', { echo: [bytes(3), -0, 2n ** 60n + 1n] }), { pong: true, echo: [bytes(3), -0, 2n ** 60n + 1n] });
      });

      await t.test('the data API: prices, ids and JSON columns follow the same rules', async () => {
        const c = await s.call('campaigns.create', { name: 'values', budget: 12n });
        assert.equal(c.budget, '12.00');
        await assert.rejects(s.call('campaigns.create', { name: 'x', budget: NaN }), refusedAs('budget'));
        await assert.rejects(s.call('campaigns.create', { name: 'x', budget: Infinity }), refusedAs('budget'));
        await assert.rejects(s.call('campaigns.get', { id: 5n }), refusedAs('id'));
        await assert.rejects(s.call('campaigns.create', { name: 'a\uD800' }), refusedAs('name'));
        await assert.rejects(s.call('campaigns.create', { name: bytes(1) }), refusedAs('name'));
        await assert.rejects(s.call('drafts.save', { campaignId: c.id, stepData: { n: NaN } }), refusedAs('stepData.n'));
        await assert.rejects(s.call('drafts.save', { campaignId: c.id, stepData: { n: 2n ** 60n + 1n } }), refusedAs('stepData.n'));
        await assert.rejects(s.call('drafts.save', { campaignId: c.id, stepData: { b: bytes(1) } }), refusedAs('stepData'));
        await assert.rejects(s.call('drafts.save', { campaignId: c.id, stepData: { s: '\uDC00' } }), refusedAs('stepData.s'));
        await assert.rejects(s.call('campaigns.update', { id: c.id, audienceConfig: { ages: [18, NaN] } }), refusedAs('audienceConfig.ages[1]'));
        const stepData = { z: -0, big: 2 ** 60, when: new Date(0), list: [1.5, 'x', null] };
        const saved = await s.call('drafts.save', { campaignId: c.id, stepData });
        const expected = { z: -0, big: 2 ** 60, when: '1970-01-01T00:00:00.000Z', list: [1.5, 'x', null] };
        assert.deepEqual(saved.stepData, expected);
        const read = await s.call('drafts.get', { campaignId: c.id });
        assert.deepEqual(read.stepData, expected);
        assert.ok(Object.is(read.stepData.z, -0), '-0 survives in a JSON column');
      });
    } finally {
      await s.close();
    }
  });

  test(`int64 per store and per query through the ${transport.name}`, async () => {
    const s = await transport.open({ int64: 'string' });
    try {
      const sql = 'SELECT 9223372036854775807 AS v';
      assert.deepEqual((await s.call('sql.query', { sql })).rows, [{ v: '9223372036854775807' }]);
      assert.deepEqual((await s.call('sql.query', { sql }, { int64: 'bigint' })).rows, [{ v: 9223372036854775807n }]);
      assert.deepEqual((await s.call('sql.query', { sql }, { int64: 'number' })).rows, [{ v: 9223372036854775807 }]);
      await assert.rejects(s.call('sql.query', { sql }, { int64: 'float' }), (e) => e.code === 'INVALID_ARGUMENT');
      if (s.store) {
        assert.deepEqual((await s.store.sql.query(sql, undefined, { int64: 'bigint' })).rows, [{ v: 9223372036854775807n }]);
        await s.store.sql.exec('CREATE TABLE ids(v)');
        const ins = await s.store.sql.exec('INSERT INTO ids(rowid, v) VALUES (?, 1)', [2n ** 62n], { int64: 'bigint' });
        assert.deepEqual(ins, { changes: 1, lastInsertRowid: 2n ** 62n });
        const [step] = await s.store.batch([{ op: 'sql.query', args: { sql: 'SELECT rowid AS r FROM ids' } }], { int64: 'number' });
        assert.deepEqual(step.rows, [{ r: 2 ** 62 }]);
      }
    } finally {
      await s.close();
    }
  });

  test(`every request settles, whatever it holds, through the ${transport.name}`, async () => {
    const s = await transport.open();
    const deep = [];
    let cur = deep;
    for (let i = 0; i < 100000; i++) cur = cur[0] = [];
    const sparse = [];
    sparse.length = 2 ** 32 - 1;
    const hostile = [
      ['a detached Uint8Array', detached()],
      ['a function', () => 1],
      ['a symbol', Symbol('s')],
      ['a cyclic object', cyclic()],
      ['a sparse array of 2^32 - 1 items', sparse],
      ['a million numbers', new Array(1e6).fill(1)],
      ['nesting 100000 deep', deep],
      ['a getter that throws', { get x() { throw new Error('boom'); } }],
      ['a Proxy', new Proxy({}, {})],
      ['a WeakMap', new WeakMap()],
      ['a string above 64 MiB', 'x'.repeat(65 * 2 ** 20)],
      ['a promise', Promise.resolve(1)],
    ];
    try {
      for (const [label, value] of hostile) {
        for (const args of [{ sql: 'SELECT ?', params: [value] }, { sql: 'SELECT 1', params: { v: value } }]) {
          const outcome = await settled(s.call('sql.query', args), 20000);
          assert.ok(outcome === 'resolved' || outcome === 'rejected', `${label}: ${outcome}`);
        }
        assert.deepEqual(await s.call('ping', { echo: label }), { pong: true, echo: label }, `${label}: the store still answers`);
      }
      // A buffer moved by transfer() is gone from the caller; passing it again is refused, not lost.
      const moved = bytes(1, 2, 3);
      const first = await s.call('sql.query', { sql: 'SELECT ? AS v', params: [transfer(moved)] });
      assert.deepEqual(first.rows[0].v, bytes(1, 2, 3));
      if (s.store) assert.equal(moved.byteLength, 0, 'moved to the worker');
      else assert.equal(moved.byteLength, 3, 'the engine in this thread copies it');
      if (s.store) await assert.rejects(s.call('sql.query', { sql: 'SELECT ?', params: [moved] }), refusedAs('params[0]'));
      // Without transfer() the caller keeps its bytes.
      const kept = bytes(4, 5);
      await s.call('sql.query', { sql: 'SELECT ?', params: [kept] });
      await s.call('sql.query', { sql: 'SELECT ?', params: [kept] });
      assert.deepEqual(kept, bytes(4, 5));
    } finally {
      await s.close();
    }
  });
}
