// PostgREST's table insert/upsert on the gateway (tools/backend/rest-tables.mjs):
// what supabase-js `from(t).upsert(row)` sends, run as the caller under RLS,
// with PostgREST's status codes and error JSON. Checked through supabase-js
// and raw fetch, and against what PostgreSQL really stored.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createClient } from '@supabase/supabase-js';
import { useBackend, uuid } from './helpers.mjs';

let be;
let db;

class NoRealtime {
  constructor() { throw new Error('Realtime is not part of the local backend'); }
}
const clientFor = (token) => createClient(be.url, be.anonKey, {
  auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  realtime: { transport: NoRealtime },
  global: token ? { headers: { Authorization: `Bearer ${token}` } } : {},
});

useBackend((env) => ({ be, db } = env));

/** POST /rest/v1/<table> with raw fetch. */
async function post(table, body, { token, prefer, query = '', apikey = be.anonKey, raw } = {}) {
  const headers = { 'content-type': 'application/json' };
  if (apikey) headers.apikey = apikey;
  if (token) headers.authorization = `Bearer ${token}`;
  if (prefer) headers.prefer = prefer;
  const res = await fetch(`${be.url}/rest/v1/${table}${query}`, { method: 'POST', headers, body: raw ?? JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, text, body: text ? JSON.parse(text) : null, headers: res.headers };
}

async function stored(id) {
  const { rows } = await db.query('select user_id::text, name, price::text, metadata, hlc, deleted from public.products where id = $1', [id]);
  return rows[0] ?? null;
}

describe('upsert as the owner', () => {
  const alice = uuid();
  let token;
  let supabase;
  before(() => {
    token = be.mintToken({ sub: alice });
    supabase = clientFor(token);
  });

  test('supabase-js upsert inserts, then merges into the same row; the server stamps the clock', async () => {
    const id = uuid();
    const first = await supabase.from('products').upsert({ id, user_id: alice, name: 'Shoe', price: '12.50', metadata: { tags: ['a'] } });
    assert.equal(first.error, null);
    assert.equal(first.status, 201);
    assert.equal(first.data, null);  // return=minimal
    const row = await stored(id);
    assert.deepEqual({ ...row, hlc: undefined }, { user_id: alice, name: 'Shoe', price: '12.50', metadata: { tags: ['a'] }, hlc: undefined, deleted: false });
    assert.match(row.hlc, /^\d{13}-\d{5}-server$/);

    const second = await supabase.from('products').upsert({ id, user_id: alice, name: 'Boot' }).select();
    assert.equal(second.error, null);
    assert.equal(second.status, 201);
    assert.equal(second.data.length, 1);
    assert.equal(second.data[0].name, 'Boot');
    assert.equal(second.data[0].price, 12.5, 'columns left out of the upsert keep their value');
    const after = await stored(id);
    assert.equal(after.name, 'Boot');
    assert.ok(after.hlc > row.hlc, 'an update without a clock gets a newer server clock');
  });

  test('raw PostgREST semantics: 201, Preference-Applied, on_conflict, select, arrays, ignore-duplicates', async () => {
    const [a, b] = [uuid(), uuid()];
    const minimal = await post('products', { id: a, user_id: alice, name: 'A' }, { token, prefer: 'resolution=merge-duplicates, return=minimal' });
    assert.equal(minimal.status, 201);
    assert.equal(minimal.text, '');
    assert.equal(minimal.headers.get('preference-applied'), 'resolution=merge-duplicates, return=minimal');

    const both = await post('products', [{ id: a, user_id: alice, name: 'A2' }, { id: b, user_id: alice, name: 'B' }],
      { token, prefer: 'resolution=merge-duplicates,return=representation', query: '?on_conflict=id&select=id,name' });
    assert.equal(both.status, 201);
    assert.deepEqual(both.body.sort((x, y) => x.name.localeCompare(y.name)), [{ id: a, name: 'A2' }, { id: b, name: 'B' }]);

    const ignored = await post('products', { id: a, user_id: alice, name: 'not applied' }, { token, prefer: 'resolution=ignore-duplicates,return=representation' });
    assert.equal(ignored.status, 201);
    assert.deepEqual(ignored.body, []);
    assert.equal((await stored(a)).name, 'A2');

    // Without a resolution it is a plain insert: an existing id conflicts.
    const dup = await post('products', { id: a, user_id: alice, name: 'again' }, { token });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.code, '23505');

    // ?columns with missing=default: absent keys take the column default.
    const c = uuid();
    const withDefaults = await post('products', [{ id: c, user_id: alice, name: 'C' }],
      { token, prefer: 'missing=default,return=representation', query: '?columns=id,user_id,name,status&select=status' });
    assert.equal(withDefaults.status, 201);
    assert.deepEqual(withDefaults.body, [{ status: 'active' }]);
    const d = uuid();
    const withNulls = await post('products', [{ id: d, user_id: alice, name: 'D' }],
      { token, prefer: 'return=representation', query: '?columns=id,user_id,name,status&select=status' });
    assert.deepEqual(withNulls.body, [{ status: null }]);
  });

  test('numbers arrive with every digit, as PostgREST passes JSON to PostgreSQL as text', async () => {
    const [a, b] = [uuid(), uuid()];
    // An integer no double holds, and a price whose shortest double text differs from what was sent.
    const row = (id) => `{ "id": "${id}", "user_id": "${alice}", "name": "Big",\n "price": 12345678.91,`
      + ` "metadata": {"big": 1152921504606846977, "list": [-1152921504606846977, 0.1]} }`;
    for (const raw of [row(a), `[${row(b)}]`]) {
      const res = await post('products', null, { token, raw, prefer: 'return=minimal' });
      assert.equal(res.status, 201, res.text);
    }
    for (const id of [a, b]) {
      const { rows } = await db.query(
        "select price::text, metadata->>'big' as big, metadata->'list'->>0 as neg from public.products where id = $1", [id]);
      assert.deepEqual(rows[0], { price: '12345678.91', big: '1152921504606846977', neg: '-1152921504606846977' });
    }
  });
});

describe('refusals, as PostgREST answers them', () => {
  const alice = uuid();
  const bob = uuid();
  let aliceToken;
  let bobToken;
  let alicesRow;
  before(async () => {
    aliceToken = be.mintToken({ sub: alice });
    bobToken = be.mintToken({ sub: bob });
    alicesRow = uuid();
    const r = await post('products', { id: alicesRow, user_id: alice, name: "Alice's" }, { token: aliceToken, prefer: 'resolution=merge-duplicates' });
    assert.equal(r.status, 201);
  });

  test("another user cannot upsert over the owner's row (RLS), nor write rows in the owner's name", async () => {
    const bobJs = clientFor(bobToken);
    const over = await bobJs.from('products').upsert({ id: alicesRow, user_id: bob, name: 'Bob was here' });
    assert.equal(over.status, 403);
    assert.equal(over.error.code, '42501');
    assert.match(over.error.message, /row-level security/);
    const asAlice = await bobJs.from('products').upsert({ id: uuid(), user_id: alice, name: 'in her name' });
    assert.equal(asAlice.status, 403);
    assert.equal(asAlice.error.code, '42501');
    const row = await stored(alicesRow);
    assert.deepEqual([row.name, row.user_id], ["Alice's", alice]);
    assert.equal((await db.query('select count(*)::int as n from public.products where user_id = $1', [bob])).rows[0].n, 0);
  });

  test('anon gets 401, no or a bad API key 401, a bad token 401 PGRST301', async () => {
    const anon = await clientFor(null).from('products').upsert({ id: uuid(), user_id: alice, name: 'anon' });
    assert.equal(anon.status, 401);
    assert.equal(anon.error.code, '42501');
    const noKey = await post('products', { id: uuid(), name: 'x' }, { apikey: null, token: aliceToken });
    assert.equal(noKey.status, 401);
    assert.equal(noKey.body.message, 'No API key found in request');
    const badToken = await post('products', { id: uuid(), name: 'x' }, { token: 'not.a.jwt' });
    assert.equal(badToken.status, 401);
    assert.equal(badToken.body.code, 'PGRST301');
  });

  test('unknown columns, tables and bad bodies are refused before anything is written', async () => {
    const id = uuid();
    const colour = await post('products', { id, user_id: alice, name: 'x', colour: 'red' }, { token: aliceToken, prefer: 'resolution=merge-duplicates' });
    assert.deepEqual([colour.status, colour.body.code, colour.body.message],
      [400, 'PGRST204', "Could not find the 'colour' column of 'products' in the schema cache"]);
    // A column name is only ever one of the table's: no way to smuggle SQL in.
    const sneaky = await post('products', { id, user_id: alice, 'name") values (1); drop table products; --': 'x' }, { token: aliceToken });
    assert.equal(sneaky.status, 400);
    assert.equal(sneaky.body.code, 'PGRST204');
    const viaColumns = await post('products', [{ id, user_id: alice, name: 'x' }], { token: aliceToken, query: '?columns=id,name,bogus' });
    assert.equal(viaColumns.body.code, 'PGRST204');
    const badTarget = await post('products', { id, user_id: alice, name: 'x' }, { token: aliceToken, prefer: 'resolution=merge-duplicates', query: '?on_conflict=nope' });
    assert.equal(badTarget.body.code, 'PGRST204');
    const notUnique = await post('products', { id, user_id: alice, name: 'x' }, { token: aliceToken, prefer: 'resolution=merge-duplicates', query: '?on_conflict=name' });
    assert.deepEqual([notUnique.status, notUnique.body.code], [400, '42P10']);
    assert.equal(await stored(id), null);

    const table = await post('nope', { id }, { token: aliceToken });
    assert.deepEqual([table.status, table.body.code], [404, 'PGRST205']);
    const notSynced = await post('sync_mutations', { user_id: alice }, { token: aliceToken });
    assert.deepEqual([notSynced.status, notSynced.body.code], [404, 'PGRST205']);
    const json = await post('products', null, { token: aliceToken, raw: '{"id": ' });
    assert.deepEqual([json.status, json.body.code, json.body.message], [400, 'PGRST102', 'Empty or invalid json']);
    const mixed = await post('products', [{ id: uuid(), user_id: alice, name: 'a' }, { id: uuid(), name: 'b' }], { token: aliceToken });
    assert.deepEqual([mixed.status, mixed.body.message], [400, 'All object keys must match']);
    // A live row needs its name (a tombstone does not: 0005's check).
    const noName = await post('products', { id: uuid(), user_id: alice }, { token: aliceToken });
    assert.deepEqual([noName.status, noName.body.code], [400, '23514']);
    const badValue = await post('products', { id: 'not-a-uuid', user_id: alice, name: 'x' }, { token: aliceToken });
    assert.deepEqual([badValue.status, badValue.body.code], [400, '22P02']);
    const get = await fetch(`${be.url}/rest/v1/products`, { headers: { apikey: be.anonKey, authorization: `Bearer ${aliceToken}` } });
    assert.equal(get.status, 405);
  });

  test("the secrets of an integration stay unreadable through return=representation", async () => {
    const id = uuid();
    const written = await post('platform_integrations', { id, user_id: alice, platform_id: 'meta', access_token: 'secret' },
      { token: aliceToken, prefer: 'return=representation' });
    assert.equal(written.status, 403);
    assert.equal(written.body.code, '42501');
    const minimal = await post('platform_integrations', { id, user_id: alice, platform_id: 'meta', access_token: 'secret' }, { token: aliceToken });
    assert.equal(minimal.status, 201);
    const picked = await post('platform_integrations', { id, user_id: alice, platform_id: 'tiktok' },
      { token: aliceToken, prefer: 'resolution=merge-duplicates,return=representation', query: '?select=id,platform_id' });
    assert.deepEqual(picked.body, [{ id, platform_id: 'tiktok' }]);
  });
});
