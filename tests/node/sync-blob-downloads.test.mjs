// Images on every device: blob references inside JSON columns upload like
// the URL columns' (rewritten in place to the public URL, #label kept), and
// a device that never had the bytes downloads every referenced blob into its
// local store after a pull (hash-checked, within a size budget, resumed from
// the database after a restart), so objectUrl serves local bytes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCampaignStore } from '../../js/index.js';
import { startBackend } from '../../tools/backend/backend.mjs';

let be;
const dirs = [];
before(async () => { be = await startBackend({ port: 0 }); });
after(async () => {
  await be?.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const png = () => new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(400)]));
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const publicUrl = (bucket, userId, hash) => `${be.url}/storage/v1/object/public/${bucket}/${userId}/${hash}`;
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-blob-dl-'));
  dirs.push(d);
  return d;
};

function open(userId, { dir, blobDownloads } = {}) {
  return openCampaignStore({
    storage: dir ? { node: dir } : 'memory',
    worker: false,
    sync: {
      url: be.url, anonKey: be.anonKey, userId, autoStart: false,
      getAccessToken: () => be.mintToken({ sub: userId }),
      ...(blobDownloads === undefined ? {} : { blobDownloads }),
    },
  });
}

/** A user whose first device uploaded a product photo, a campaign's legacy image and a draft's image. */
async function seed() {
  const userId = crypto.randomUUID();
  const a = await open(userId, { blobDownloads: false });
  const photo = png();
  const legacyImage = png();
  const draftImage = png();
  const p = await a.blobs.put(photo.slice(), 'image/png');
  const l = await a.blobs.put(legacyImage.slice(), 'image/png');
  const d = await a.blobs.put(draftImage.slice(), 'image/png');
  const product = await a.products.create({ name: 'Shoe', images: [{ url: p.ref }] });
  const campaign = await a.campaigns.create({
    name: 'Legacy', legacyData: { id: 7, adData: { hero: `${l.ref}#hero`, gallery: [l.ref, 'https://example.com/x.png'] } },
  });
  await a.drafts.save(campaign.id, { step: 2, creative: { image: d.ref } });
  const summary = await a.sync.now();
  await a.close();
  return { userId, summary, product, campaign, blobs: { photo: [photo, p.hash], legacy: [legacyImage, l.hash], draft: [draftImage, d.hash] } };
}

test('references inside JSON columns upload to campaign-assets and become public URLs in place', async () => {
  const s = await seed();
  assert.equal(s.summary.uploaded, 3, 'the product photo, the legacy image and the draft image');
  const b = await open(s.userId, { blobDownloads: false });
  try {
    await b.sync.now();
    const legacyUrl = publicUrl('campaign-assets', s.userId, s.blobs.legacy[1]);
    const campaign = await b.campaigns.get(s.campaign.id);
    assert.deepEqual(campaign.legacyData, {
      id: 7, adData: { hero: `${legacyUrl}#hero`, gallery: [legacyUrl, 'https://example.com/x.png'] },
    });
    const draft = await b.drafts.get(s.campaign.id);
    assert.deepEqual(draft.stepData, { step: 2, creative: { image: publicUrl('campaign-assets', s.userId, s.blobs.draft[1]) } });
    for (const [bytes, hash] of [s.blobs.legacy, s.blobs.draft]) {
      const remote = await fetch(publicUrl('campaign-assets', s.userId, hash));
      assert.equal(remote.status, 200);
      assert.equal(sha256(new Uint8Array(await remote.arrayBuffer())), sha256(bytes));
    }
    assert.equal((await b.sync.status()).blobsToDownload, 0, 'downloads are off on this device');
  } finally {
    await b.close();
  }
});

test('a device that never had the bytes downloads every referenced blob; objectUrl then serves them locally', async () => {
  const s = await seed();
  const dir = tempDir();
  let b = await open(s.userId, { dir, blobDownloads: false });
  await b.sync.now();
  await b.close();
  // Reopened with downloads on: the work list comes from the rows already pulled.
  b = await open(s.userId, { dir });
  try {
    assert.equal(await b.blobs.info(s.blobs.photo[1]), null);
    await b.sync.downloadBlobs();
    const status = await b.sync.status();
    assert.equal(status.blobsToDownload, 0);
    const product = await b.products.get(s.product.id);
    const campaign = await b.campaigns.get(s.campaign.id);
    const urls = [product.images[0].url, campaign.legacyData.adData.hero, (await b.drafts.get(s.campaign.id)).stepData.creative.image];
    for (const [i, [bytes]] of [s.blobs.photo, s.blobs.legacy, s.blobs.draft].entries()) {
      const local = await b.blobs.objectUrl(urls[i]);
      assert.match(local, /^blob:/, `${urls[i]} resolves to a local copy`);
      assert.deepEqual(new Uint8Array(await (await fetch(local)).arrayBuffer()), bytes);
    }
    assert.equal((await b.blobs.info(s.blobs.photo[1])).mime, 'image/png');
  } finally {
    await b.close();
  }
});

test('downloads stay within maxBytes and count what is left; a blob whose bytes do not match is not kept', async () => {
  const s = await seed();
  const small = await open(s.userId, { blobDownloads: { maxBytes: 100 } });
  try {
    await small.sync.now();
    await small.sync.downloadBlobs();
    assert.equal((await small.sync.status()).blobsToDownload, 3, 'nothing fits in 100 bytes');
    for (const [, hash] of Object.values(s.blobs)) assert.equal(await small.blobs.info(hash), null);
  } finally {
    await small.close();
  }

  // A row naming an object under a hash its bytes do not have (a hostile or
  // broken writer): the download is refused, the rest arrive.
  const c = await open(s.userId);
  try {
    const wrong = sha256(new Uint8Array([1, 2, 3]));
    const upload = await fetch(`${be.url}/storage/v1/object/product-images/${s.userId}/${wrong}`, {
      method: 'POST', body: new Uint8Array([9, 9, 9]),
      headers: { apikey: be.anonKey, authorization: `Bearer ${be.mintToken({ sub: s.userId })}`, 'content-type': 'image/png' },
    });
    assert.equal(upload.status, 200);
    const product = await c.products.create({ name: 'Mislabelled', images: [{ url: publicUrl('product-images', s.userId, wrong) }] });
    await c.sync.now();
    // The bytes hash to something else: not kept, counted, not retried in this session.
    await c.sync.downloadBlobs();
    assert.equal((await c.sync.status()).blobsToDownload, 1);
    assert.equal(await c.blobs.info(wrong), null);
    for (const [bytes, hash] of Object.values(s.blobs)) {
      assert.deepEqual(await c.blobs.get(hash), bytes);
    }
    assert.equal(await c.blobs.objectUrl((await c.products.get(product.id)).images[0].url),
      publicUrl('product-images', s.userId, wrong));
  } finally {
    await c.close();
  }
});
