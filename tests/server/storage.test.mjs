// Storage: upload under one's own prefix, ownership enforced by the bucket
// policies, 409 without upsert, public and owner reads.
import assert from 'node:assert/strict';
import http from 'node:http';
import { before, describe, test } from 'node:test';
import { useBackend, uuid } from './helpers.mjs';

const BUCKET = 'campaign-assets';
let be;
let db;

useBackend((env) => ({ be, db } = env));

function upload(token, name, bytes, { method = 'POST', upsert, type = 'image/png', apikey = be.anonKey } = {}) {
  const headers = { 'content-type': type };
  if (apikey) headers.apikey = apikey;
  if (token) headers.authorization = `Bearer ${token}`;
  if (upsert !== undefined) headers['x-upsert'] = String(upsert);
  return fetch(`${be.url}/storage/v1/object/${BUCKET}/${name}`, { method, headers, body: bytes });
}

const publicGet = (name) => fetch(`${be.url}/storage/v1/object/public/${BUCKET}/${name}`);

describe('upload', () => {
  const alice = uuid();
  const bob = uuid();
  let aliceToken;
  let bobToken;
  before(() => {
    aliceToken = be.mintToken({ sub: alice });
    bobToken = be.mintToken({ sub: bob });
  });

  test('own prefix: 200 {Key, Id}, ownership recorded, public read returns the bytes', async () => {
    const name = `${alice}/products/shoe.png`;
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 255, 0]);
    const res = await upload(aliceToken, name, bytes);
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.Key, `${BUCKET}/${name}`);
    assert.match(body.Id, /^[0-9a-f-]{36}$/);

    const { rows } = await db.query('select owner, owner_id from storage.objects where bucket_id = $1 and name = $2', [BUCKET, name]);
    assert.deepEqual(rows[0], { owner: alice, owner_id: alice });

    const got = await publicGet(name);
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), bytes);
  });

  test('existing object without upsert -> 409 Duplicate; with x-upsert -> replaced', async () => {
    const name = `${alice}/dup.txt`;
    assert.equal((await upload(aliceToken, name, 'one', { type: 'text/plain' })).status, 200);
    const again = await upload(aliceToken, name, 'two', { type: 'text/plain', upsert: false });
    assert.equal(again.status, 409);
    assert.deepEqual(await again.json(), { statusCode: '409', error: 'Duplicate', message: 'The resource already exists' });
    assert.equal(await (await publicGet(name)).text(), 'one');

    assert.equal((await upload(aliceToken, name, 'three', { type: 'text/plain', upsert: true })).status, 200);
    assert.equal(await (await publicGet(name)).text(), 'three');
    assert.equal((await upload(aliceToken, name, 'four', { type: 'text/plain', method: 'PUT' })).status, 200);
    assert.equal(await (await publicGet(name)).text(), 'four');
  });

  test('another user cannot write under the owner\'s prefix, not even with upsert', async () => {
    const name = `${alice}/guarded.txt`;
    assert.equal((await upload(aliceToken, name, 'mine', { type: 'text/plain' })).status, 200);
    for (const opts of [{}, { upsert: true }, { method: 'PUT' }]) {
      const res = await upload(bobToken, name, 'evil', { type: 'text/plain', ...opts });
      assert.equal(res.status, 403, JSON.stringify(opts));
      assert.equal((await res.json()).error, 'Unauthorized');
    }
    const fresh = await upload(bobToken, `${alice}/new-by-bob.txt`, 'evil', { type: 'text/plain' });
    assert.equal(fresh.status, 403);
    assert.equal(await (await publicGet(name)).text(), 'mine');
    assert.equal((await publicGet(`${alice}/new-by-bob.txt`)).status, 404);
  });

  test('anon cannot upload; invalid token is InvalidJWT; unknown bucket is 404', async () => {
    assert.equal((await upload(null, `${alice}/anon.txt`, 'x')).status, 403);
    const bad = await upload('not.a.jwt', `${alice}/bad.txt`, 'x');
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error, 'InvalidJWT');
    const res = await fetch(`${be.url}/storage/v1/object/no-such-bucket/${alice}/x.txt`, {
      method: 'POST', headers: { apikey: be.anonKey, authorization: `Bearer ${aliceToken}` }, body: 'x',
    });
    assert.equal(res.status, 404);
    assert.equal((await upload(aliceToken, `${alice}/x.txt`, 'x', { apikey: null })).status, 401);
  });

  test('path traversal is refused before touching the disk', async () => {
    // Raw requests: fetch would normalise the dot segments away itself.
    const { hostname, port } = new URL(be.url);
    const post = (path) => new Promise((resolve, reject) => {
      const req = http.request({
        hostname, port, path, method: 'POST',
        headers: { apikey: be.anonKey, authorization: `Bearer ${aliceToken}`, 'content-type': 'text/plain' },
      }, (res) => { res.resume(); resolve(res.statusCode); });
      req.on('error', reject);
      req.end('x');
    });
    // Encoded slashes survive URL parsing and decode to '..' segments.
    assert.equal(await post(`/storage/v1/object/${BUCKET}/${alice}/..%2F..%2F..%2Fescape.txt`), 400);
    // Plain dot segments resolve away from the storage routes entirely.
    assert.equal(await post(`/storage/v1/object/${BUCKET}/../../../escape.txt`), 404);
    const { rowCount } = await db.query("select 1 from storage.objects where name like '%escape%'");
    assert.equal(rowCount, 0);
  });

  test('owner read of a private path works, other users get 404', async () => {
    const name = `${alice}/private-read.txt`;
    await upload(aliceToken, name, 'secret-ish', { type: 'text/plain' });
    const own = await fetch(`${be.url}/storage/v1/object/authenticated/${BUCKET}/${name}`,
      { headers: { apikey: be.anonKey, authorization: `Bearer ${aliceToken}` } });
    assert.equal(own.status, 200);
    assert.equal(await own.text(), 'secret-ish');
    const other = await fetch(`${be.url}/storage/v1/object/authenticated/${BUCKET}/${name}`,
      { headers: { apikey: be.anonKey, authorization: `Bearer ${bobToken}` } });
    assert.equal(other.status, 404);
  });

  test('missing public object -> 404', async () => {
    assert.equal((await publicGet(`${alice}/nothing-here.png`)).status, 404);
  });
});
