// Blobs to Supabase Storage end to end: in-thread wasm engines (binary path
// included) driven by js/sync/loop.js against the real local backend
// (PostgreSQL 15 + the gateway's Storage routes) over loopback HTTP. The
// gateway's request log counts every upload that reached it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createEngine } from '../../js/core.js';
import { engineCaller } from '../../js/legacy/index.js';
import { SyncLoop } from '../../js/sync/loop.js';
import { startBackend } from '../../tools/backend/backend.mjs';

let be;
let db;
const dirs = [];
before(async () => {
  be = await startBackend({ port: 0 });
  db = new pg.Client({ connectionString: be.pg.connectionString });
  await db.connect();
});
after(async () => {
  await db?.end();
  await be?.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
// Distinct bytes per call that still look like the type they claim.
const png = () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(300)]);
const jpeg = () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(200)]);
const dataUrl = (bytes, mime) => `data:${mime};base64,${bytes.toString('base64')}`;
const publicUrl = (bucket, userId, hash) => `${be.url}/storage/v1/object/public/${bucket}/${userId}/${hash}`;

/** An engine of `userId` with a SyncLoop; `dir` makes it a real file database that can be reopened. */
async function device(userId, { dir, tokenFor = userId, options } = {}) {
  const engine = await createEngine(dir ? { storage: { kind: 'node', dir } } : undefined);
  if (!dir) engine.call('open');
  const call = engineCaller(engine);  // sync.next's upload bytes come through the binary path
  call('sync.configure', { userId, url: be.url });
  const loop = new SyncLoop({
    call,
    url: be.url,
    anonKey: be.anonKey,
    getAccessToken: () => be.mintToken({ sub: tokenFor }),
    options: { baseBackoffMs: 5, maxBackoffMs: 40, maxAttempts: 12, ...options },
  });
  return { engine, call, loop, close: () => engine.dispose() };
}

/** The uploads (POSTs to Storage objects) the gateway saw, optionally of one hash. */
function uploads(hash) {
  return be.requests.list({ method: 'POST', pathPrefix: '/storage/v1/object/' })
    .filter((r) => !r.path.startsWith('/storage/v1/object/public/') && (!hash || r.path.endsWith(`/${hash}`)));
}

async function serverRows(table, userId) {
  const { rows } = await db.query(`select id, url, storage_path from public.${table} where user_id = $1 and not deleted order by id`, [userId]);
  return rows;
}

async function objectNames(bucket, userId) {
  const { rows } = await db.query("select name, owner::text from storage.objects where bucket_id = $1 and name like $2 || '/%' order by name", [bucket, userId]);
  return rows;
}

async function publicBytes(url) {
  const res = await fetch(url);
  assert.equal(res.status, 200, url);
  return { type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

test('migrated data: URLs and new uploads reach Storage at their content hash before the rows; rows carry path and public URL everywhere', async () => {
  const userId = crypto.randomUUID();
  const a = await device(userId);
  const b = await device(userId);
  try {
    // The legacy app's products, images inline as data: URLs, one background version.
    const photo = png();
    const background = jpeg();
    const report = a.call('legacy.import', { entries: [{ key: 'products', value: JSON.stringify([{
      id: 1, name: 'Trail Runner', price: '89.00',
      images: [{ id: 'img-1', url: dataUrl(photo, 'image/png'), isPrimary: true,
        backgroundVersions: [{ id: 'bg-1', url: dataUrl(background, 'image/jpeg'), prompt: 'beach' }] }],
    }]) }] });
    assert.equal(report.ok, true, JSON.stringify(report.errors));
    // A new upload through the blob store, and a creative asset.
    const fresh = png();
    const put = a.call('blobs.put', { bytes: new Uint8Array(fresh), mime: 'image/png' });
    a.call('products.create', { name: 'New shoe', images: [{ url: put.ref }] });
    const banner = png();
    const bannerRef = a.call('blobs.put', { bytes: new Uint8Array(banner) }).ref;
    const campaign = a.call('campaigns.create', { name: 'Spring' });
    a.call('creatives.create', { campaignId: campaign.id, name: 'Banner', assets: [{ type: 'image', url: bannerRef }] });
    assert.equal(a.call('sync.status').blobsPending, 4);

    be.requests.clear();
    const summary = await a.loop.now();
    assert.equal(summary.uploaded, 4);
    assert.equal(summary.blobsRejected, 0);
    const status = a.call('sync.status');
    assert.deepEqual([status.pending, status.blobsPending, status.blobsRejected], [0, 0, 0]);

    // Every upload happened before the first push of the cycle.
    const log = be.requests.list();
    const lastUpload = log.findLastIndex((r) => r.method === 'POST' && r.path.startsWith('/storage/v1/object/'));
    const firstPush = log.findIndex((r) => r.path === '/rest/v1/rpc/sync_push');
    assert.ok(lastUpload >= 0 && firstPush > lastUpload, JSON.stringify(log));
    assert.equal(uploads().length, 4);

    // At the content-hash path, owned by the user, the same bytes readable by URL.
    const expected = [
      ['product-images', photo, 'image/png'], ['product-images', background, 'image/jpeg'],
      ['product-images', fresh, 'image/png'], ['creative-assets', banner, 'image/png'],
    ];
    for (const [bucket, bytes, type] of expected) {
      const names = (await objectNames(bucket, userId)).map((o) => o.name);
      assert.ok(names.includes(`${userId}/${sha256(bytes)}`), `${bucket}: ${names}`);
      const got = await publicBytes(publicUrl(bucket, userId, sha256(bytes)));
      assert.equal(got.type, type);
      assert.ok(got.bytes.equals(bytes), `${bucket} bytes differ`);
    }
    assert.ok((await objectNames('product-images', userId)).every((o) => o.owner === userId));

    // The server's rows carry the storage path and the public URL.
    const want = (bucket, bytes) => ({ url: publicUrl(bucket, userId, sha256(bytes)), storage_path: `${userId}/${sha256(bytes)}` });
    const strip = (rows) => rows.map(({ url, storage_path }) => ({ url, storage_path }));
    const byUrl = (x, y) => x.url.localeCompare(y.url);
    assert.deepEqual(strip(await serverRows('product_images', userId)).sort(byUrl),
      [want('product-images', photo), want('product-images', fresh)].sort(byUrl));
    assert.deepEqual(strip(await serverRows('background_versions', userId)), [want('product-images', background)]);
    assert.deepEqual(strip(await serverRows('creative_assets', userId)), [want('creative-assets', banner)]);

    // A second device pulls rows whose images it can fetch, and uploads nothing.
    be.requests.clear();
    await b.loop.now();
    assert.equal(uploads().length, 0);
    const pulled = b.call('sql.query', { sql: 'SELECT url, storage_path FROM product_images ORDER BY url' }).rows;
    assert.deepEqual(pulled, [want('product-images', photo), want('product-images', fresh)].sort(byUrl));
    for (const row of pulled) assert.equal((await fetch(row.url)).status, 200);
    assert.equal(b.call('sync.status').blobsPending, 0);

    // The first device keeps its local copy, found from the row's new URL.
    const local = a.call('blobs.get', { hash: sha256(photo) });
    assert.ok(Buffer.from(local.bytes).equals(photo));
  } finally {
    a.close();
    b.close();
  }
});

test('a dropped upload, a 503 and a lost answer resume on the next cycle; acknowledged blobs are never uploaded again, restarts included', async () => {
  const userId = crypto.randomUUID();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-sync-blobs-'));
  dirs.push(dir);
  // maxAttempts 1: a failed request ends the cycle, so each fault costs one cycle.
  let a = await device(userId, { dir, options: { maxAttempts: 1 } });
  try {
    const bytes = png();
    const hash = sha256(bytes);
    const { ref } = a.call('blobs.put', { bytes: new Uint8Array(bytes), mime: 'image/png' });
    const product = a.call('products.create', { name: 'Flaky', images: [{ url: ref }] });

    for (const fault of [{ drop: 1 }, { fail503: 1 }, { dropResponse: 1 }]) {
      be.faults.set(fault);
      await assert.rejects(a.loop.now(), (e) => e.code === 'NETWORK', JSON.stringify(fault));
      assert.equal(a.call('sync.status').blobsPending, 1, JSON.stringify(fault));
      // Uploads come first: nothing of this user was pushed yet.
      assert.equal((await db.query('select count(*)::int as n from public.products where user_id = $1', [userId])).rows[0].n, 0);
    }
    be.faults.reset();
    const summary = await a.loop.now();
    assert.equal(summary.uploaded, 1);
    // Three failed tries, then the one idempotent retry after the lost answer:
    // the object was already there (409 Duplicate), which acknowledges it.
    assert.deepEqual(uploads(hash).map((r) => [r.status, r.fault ?? null]),
      [[0, 'drop'], [503, 'fail503'], [200, 'dropResponse'], [409, null]]);
    assert.equal((await objectNames('product-images', userId)).length, 1);
    const [row] = await serverRows('product_images', userId);
    assert.equal(row.storage_path, `${userId}/${hash}`);
    const state = a.call('sync.blobs', {});
    assert.deepEqual(state.map((s) => [s.hash, s.state, s.attempts]), [[hash, 'acknowledged', 4]]);

    // Within one cycle a lost answer is retried at once, still only once.
    a.close();
    a = await device(userId, { dir });
    const second = png();
    const secondRef = a.call('blobs.put', { bytes: new Uint8Array(second) }).ref;
    a.call('images.add', { productId: product.id, url: secondRef });
    be.faults.set({ dropResponse: 1 });
    assert.equal((await a.loop.now()).uploaded, 1);
    assert.deepEqual(uploads(sha256(second)).map((r) => r.status), [200, 409]);

    // After a restart, the same image used again is not uploaded again: the
    // row is rewritten from the recorded acknowledgement.
    a.close();
    a = await device(userId, { dir });
    const before = uploads().length;
    const again = a.call('images.add', { productId: product.id, url: ref });
    await a.loop.now();
    await a.loop.now();
    assert.equal(uploads().length, before);
    const stored = (await serverRows('product_images', userId)).find((r) => r.id === again.id);
    assert.equal(stored.url, publicUrl('product-images', userId, hash));
  } finally {
    be.faults.reset();
    a.close();
  }
});

test("an upload under another user's path is refused by RLS, kept as rejected with the reason, and not retried", async () => {
  const alice = crypto.randomUUID();
  const mallory = crypto.randomUUID();
  // Alice's database, carried with Mallory's token: Storage sees Mallory
  // writing under alice/…, which the bucket policies refuse.
  const a = await device(alice, { tokenFor: mallory });
  try {
    const bytes = png();
    const hash = sha256(bytes);
    const { ref } = a.call('blobs.put', { bytes: new Uint8Array(bytes), mime: 'image/png' });
    const product = a.call('products.create', { name: 'Not uploaded', images: [{ url: ref }] });
    const summary = await a.loop.now();
    assert.equal(summary.blobsRejected, 1);
    assert.equal(summary.uploaded, 0);
    assert.deepEqual(uploads(hash).map((r) => r.status), [403]);
    const status = a.call('sync.status');
    assert.deepEqual([status.blobsPending, status.blobsRejected], [0, 1]);
    const [rejected] = a.call('sync.blobs', { state: 'rejected' });
    assert.equal(rejected.hash, hash);
    assert.match(rejected.lastError, /^403 Unauthorized: new row violates row-level security policy/);
    assert.deepEqual(await objectNames('product-images', alice), []);
    // The row keeps its local reference, and the bytes stay.
    const image = a.call('products.get', { id: product.id }).images[0];
    assert.equal(image.url, ref);
    assert.equal(image.storagePath, null);

    // Not retried by later cycles.
    await a.loop.now();
    await a.loop.now();
    assert.equal(uploads(hash).length, 1);

    // Until the app asks, with the right account this time.
    assert.deepEqual(a.call('sync.retryBlobs', { hash }), { retried: 1 });
    const fixed = new SyncLoop({ call: a.call, url: be.url, anonKey: be.anonKey,
      getAccessToken: () => be.mintToken({ sub: alice }), options: { baseBackoffMs: 5, maxBackoffMs: 40 } });
    assert.equal((await fixed.now()).uploaded, 1);
    assert.equal(a.call('products.get', { id: product.id }).images[0].storagePath, `${alice}/${hash}`);
  } finally {
    a.close();
  }
});

test('an expired token on an upload is refreshed once and the upload goes through', async () => {
  const userId = crypto.randomUUID();
  const a = await device(userId);
  let refreshed = 0;
  a.loop.getAccessToken = ({ refresh }) => {
    if (refresh) refreshed++;
    return be.mintToken({ sub: userId, expiresIn: refresh ? 3600 : -60 });
  };
  try {
    const bytes = png();
    a.call('products.create', { name: 'Late token', images: [{ url: a.call('blobs.put', { bytes: new Uint8Array(bytes) }).ref }] });
    const summary = await a.loop.now();
    assert.equal(summary.uploaded, 1);
    assert.equal(refreshed, 1);
    // Storage answers an expired token 400 InvalidJWT, then the refreshed one 200.
    assert.deepEqual(uploads(sha256(bytes)).map((r) => r.status), [400, 200]);
  } finally {
    a.close();
  }
});

test('a loop wired to the bare door (no binary path) refuses to send an upload without its bytes', async () => {
  const userId = crypto.randomUUID();
  const a = await device(userId);
  try {
    const bytes = png();
    a.call('products.create', { name: 'x', images: [{ url: a.call('blobs.put', { bytes: new Uint8Array(bytes) }).ref }] });
    const bare = new SyncLoop({ call: (op, args) => a.engine.call(op, args), url: be.url, anonKey: be.anonKey,
      getAccessToken: () => be.mintToken({ sub: userId }) });
    await assert.rejects(bare.now(), (e) => e.code === 'INTERNAL' && /binary/.test(e.message));
    assert.deepEqual(uploads(sha256(bytes)), []);
    assert.equal(a.call('sync.status').blobsPending, 1);
  } finally {
    a.close();
  }
});
