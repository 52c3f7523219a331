// Cross-check with a client nobody here wrote: @supabase/supabase-js against
// the gateway gets the same answers as raw fetch, for sign-in, RPC and
// Storage uploads.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient } from '@supabase/supabase-js';
import { startBackend } from '../../tools/backend/backend.mjs';
import { hlc, rpc, upsert, uuid } from './helpers.mjs';

let be;
let supabase;
let session;
const BUCKET = 'campaign-assets';

// Node 20 has no global WebSocket and these tests never use Realtime: a
// transport that refuses to connect keeps supabase-js from insisting on `ws`.
class NoRealtime {
  constructor() { throw new Error('Realtime is not part of the local backend'); }
}
const client = (key, auth = {}) => createClient(be.url, key, {
  auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false, ...auth },
  realtime: { transport: NoRealtime },
});

before(async () => {
  be = await startBackend();
  supabase = client(be.anonKey);
  const [demo] = be.users;
  const { data, error } = await supabase.auth.signInWithPassword({ email: demo.email, password: demo.password });
  assert.equal(error, null);
  session = data.session;
});

after(async () => {
  await supabase?.auth.signOut().catch(() => {});
  await be?.stop();
});

test('signInWithPassword yields the demo user', () => {
  assert.equal(session.user.id, be.users[0].id);
  assert.equal(session.user.email, be.users[0].email);
});

test('rpc sync_push and sync_pull: same results as raw fetch', async () => {
  const id = uuid();
  const changes = [
    upsert(1, 'products', id, hlc(100), { name: 'via supabase-js', price: 5.25, metadata: { tags: ['a'] } }),
    upsert(2, 'products', id, hlc(50), { name: 'older' }),
    upsert(3, 'nope', uuid(), hlc(100), {}),
  ];
  const viaJs = await supabase.rpc('sync_push', { client_id: 'js-client', changes });
  assert.equal(viaJs.error, null);
  assert.deepEqual(viaJs.data.results.map((r) => r.status), ['applied', 'superseded', 'rejected']);

  // Same client and mutation ids through raw fetch: the recorded results.
  const viaFetch = await rpc(be, 'sync_push', { client_id: 'js-client', changes }, { token: session.access_token });
  assert.equal(viaFetch.status, 200);
  assert.deepEqual(viaFetch.body, viaJs.data);

  const pullJs = await supabase.rpc('sync_pull', { cursor: null, limit: 100 });
  const pullFetch = await rpc(be, 'sync_pull', { cursor: null, limit: 100 }, { token: session.access_token });
  assert.equal(pullJs.error, null);
  assert.deepEqual(pullJs.data, pullFetch.body);
  const row = pullJs.data.changes.find((c) => c.id === id).row;
  assert.equal(row.name, 'via supabase-js');
  assert.equal(row.price, 5.25);
  assert.deepEqual(row.metadata, { tags: ['a'] });
});

test('rpc errors surface as PostgREST errors in supabase-js', async () => {
  const missing = await supabase.rpc('no_such_function', {});
  assert.equal(missing.status, 404);
  assert.equal(missing.error.code, 'PGRST202');

  const anon = client(be.anonKey);
  const denied = await anon.rpc('sync_pull', {});
  assert.equal(denied.status, 401);
  assert.equal(denied.error.code, '42501');

  const bad = await supabase.rpc('sync_pull', { cursor: 'nonsense' });
  assert.equal(bad.status, 400);
  assert.equal(bad.error.code, '22023');
});

test('storage upload: Buffer and Blob bodies, duplicate and upsert, public URL', async () => {
  const uid = session.user.id;
  const bucket = supabase.storage.from(BUCKET);

  const raw = Buffer.from('raw bytes \u00e9');
  const up = await bucket.upload(`${uid}/js/raw.txt`, raw, { contentType: 'text/plain' });
  assert.equal(up.error, null);
  assert.equal(up.data.path, `${uid}/js/raw.txt`);
  assert.equal(up.data.fullPath, `${BUCKET}/${uid}/js/raw.txt`);

  // A Blob goes as multipart/form-data.
  const blobBytes = new Uint8Array([1, 2, 3, 4, 250]);
  const blobUp = await bucket.upload(`${uid}/js/blob.bin`, new Blob([blobBytes], { type: 'application/octet-stream' }));
  assert.equal(blobUp.error, null);

  const { data: { publicUrl } } = bucket.getPublicUrl(`${uid}/js/blob.bin`);
  const got = await fetch(publicUrl);
  assert.equal(got.status, 200);
  assert.deepEqual(new Uint8Array(await got.arrayBuffer()), blobBytes);
  assert.equal(got.headers.get('content-type'), 'application/octet-stream');

  const dup = await bucket.upload(`${uid}/js/raw.txt`, raw, { contentType: 'text/plain' });
  assert.ok(dup.error);
  assert.equal(String(dup.error.statusCode), '409');

  const replaced = await bucket.upload(`${uid}/js/raw.txt`, Buffer.from('v2'), { contentType: 'text/plain', upsert: true });
  assert.equal(replaced.error, null);
  assert.equal(await (await fetch(bucket.getPublicUrl(`${uid}/js/raw.txt`).data.publicUrl)).text(), 'v2');

  const foreign = await bucket.upload(`${be.users[1].id}/js/x.txt`, raw, { contentType: 'text/plain' });
  assert.ok(foreign.error);
  assert.equal(String(foreign.error.statusCode), '403');

  // Raw fetch sees the same duplicate answer.
  const rawDup = await fetch(`${be.url}/storage/v1/object/${BUCKET}/${uid}/js/raw.txt`, {
    method: 'POST', headers: { apikey: be.anonKey, authorization: `Bearer ${session.access_token}`, 'content-type': 'text/plain' },
    body: 'x',
  });
  assert.equal(rawDup.status, 409);
});
