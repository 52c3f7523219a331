// store.sync through the public API: two stores (a worker_threads one and an
// in-thread one) of one user converge through the real local backend, and
// status/conflict events reach the app.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openCampaignStore } from '../../js/index.js';
import { startBackend } from '../../tools/backend/backend.mjs';

let be;
before(async () => { be = await startBackend({ port: 0 }); });
after(async () => { await be?.stop(); });

function syncFor(userId, extra = {}) {
  return { url: be.url, anonKey: be.anonKey, userId, autoStart: false,
    getAccessToken: () => be.mintToken({ sub: userId }), ...extra };
}

test('two stores of one user converge through store.sync, with status events', async () => {
  const userId = crypto.randomUUID();
  const a = await openCampaignStore({ storage: 'memory', sync: syncFor(userId) });
  const b = await openCampaignStore({ storage: 'memory', worker: false, sync: syncFor(userId) });
  try {
    const states = [];
    a.sync.onStatus((s) => states.push(s.state));
    const p = await a.products.create({ name: 'Synced via the worker', price: '12.50' });
    assert.equal((await a.sync.status()).pending >= 1, true);
    const summary = await a.sync.now();
    assert.ok(summary.pushed >= 1);
    assert.ok(states.includes('syncing') && states.at(-1) === 'idle');
    assert.equal((await a.sync.status()).pending, 0);

    await b.sync.now();
    const got = await b.products.get(p.id);
    assert.equal(got.name, 'Synced via the worker');
    assert.equal(got.price, '12.50');

    // A conflict: both rename, B's rename is newer, A pushes last and loses.
    await b.products.update(p.id, { name: 'B' });
    await new Promise((r) => setTimeout(r, 5));
    await a.products.update(p.id, { name: 'A (newest)' });
    const conflicts = [];
    b.sync.onConflict((c) => conflicts.push(c));
    await a.sync.now();
    await b.sync.now();
    assert.equal((await b.products.get(p.id)).name, 'A (newest)');
    assert.ok(conflicts.some((c) => c.id === p.id && c.winner === 'remote'));
    assert.ok((await b.sync.conflicts()).length >= 1);
  } finally {
    await a.close();
    await b.close();
  }
});

test('sync options are checked up front', async () => {
  await assert.rejects(openCampaignStore({ storage: 'memory', worker: false, sync: { url: be.url } }),
    /sync needs/);
});

test('store.sync uploads a blob through the worker before its row; objectUrl shows the local copy, or Storage elsewhere', async () => {
  const userId = crypto.randomUUID();
  const a = await openCampaignStore({ storage: 'memory', sync: syncFor(userId) });
  // Downloads off: this device shows what one without a local copy does.
  const b = await openCampaignStore({ storage: 'memory', worker: false, sync: syncFor(userId, { blobDownloads: false }) });
  try {
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...crypto.getRandomValues(new Uint8Array(64))]);
    const put = await a.blobs.put(bytes.slice(), 'image/png');  // its buffer moves to the worker
    const product = await a.products.create({ name: 'With photo', images: [{ url: put.ref }] });
    const statuses = [];
    a.sync.onStatus((s) => statuses.push(s));
    assert.equal((await a.sync.status()).blobsPending, 1);
    const summary = await a.sync.now();
    assert.equal(summary.uploaded, 1);
    assert.deepEqual([statuses.at(-1).state, statuses.at(-1).blobsPending, statuses.at(-1).blobsRejected], ['idle', 0, 0]);

    const image = (await a.products.get(product.id)).images[0];
    const url = `${be.url}/storage/v1/object/public/product-images/${userId}/${put.hash}`;
    assert.equal(image.url, url);
    assert.equal(image.storagePath, `${userId}/${put.hash}`);
    const remote = await fetch(url);
    assert.deepEqual(new Uint8Array(await remote.arrayBuffer()), bytes);
    // Offline display: the row's public URL resolves to the bytes kept locally.
    const local = await a.blobs.objectUrl(image.url);
    assert.match(local, /^blob:/);
    assert.deepEqual(new Uint8Array(await (await fetch(local)).arrayBuffer()), bytes);
    assert.deepEqual(await a.sync.blobs(), [{ bucket: 'product-images', hash: put.hash, state: 'acknowledged', attempts: 1,
      lastStatus: 200, lastError: null, storagePath: `${userId}/${put.hash}`, updatedAt: (await a.sync.blobs())[0].updatedAt }]);

    // The other device has no local copy (it does not download): the URL is Storage's.
    await b.sync.now();
    const pulled = (await b.products.get(product.id)).images[0];
    assert.equal(pulled.url, url);
    assert.equal(await b.blobs.objectUrl(pulled.url), url);
  } finally {
    await a.close();
    await b.close();
  }
});
