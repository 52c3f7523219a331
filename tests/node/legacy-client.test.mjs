// The migration through the store client, as an app uses it: a worker
// (worker_threads), openCampaignStore({localStorage}) migrating on open with
// progress events, blobs as bytes and object URLs, the compat facade with
// its flags (useDatabase, dualWrite), release and rollback export.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';

import { openCampaignStore, createLegacyFacade } from '../../js/index.js';
import { generatePreset } from '../fixtures/generate.mjs';
import { loadDump, loadManifest, MemoryStorage } from './legacy-support.mjs';

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

test('openCampaignStore migrates localStorage on open, with progress, and reports it', async () => {
  const { dump, manifest } = generatePreset('small');
  const storage = new MemoryStorage(dump);
  const events = [];
  const store = await openCampaignStore({ storage: 'memory', localStorage: storage, onMigrationProgress: (e) => events.push(e) });
  try {
    const report = store.migration.lastReport;
    assert.equal(report.ok, true, JSON.stringify(report.errors));
    assert.deepEqual(report.source.products, manifest.expected.products);
    assert.deepEqual(report.source.data_url_blobs, manifest.expected.data_url_blobs);
    // Between calls; and from inside the last one, the report being made.
    assert.deepEqual(events.map((e) => e.phase).filter((p, i, a) => a.indexOf(p) === i), ['collected', 'migrating', 'items', 'done']);
    assert.deepEqual(events.filter((e) => e.phase === 'items').map((e) => e.step), ['report']);
    // localStorage is untouched until release.
    assert.deepEqual(storage.toObject(), dump);
    // The data API sees the rows.
    const products = await store.products.list({ limit: 500 });
    assert.equal(products.items.length, manifest.expected.products + manifest.expected.sample_products);
    assert.deepEqual((await store.migration.report()).source, report.source);
  } finally {
    await store.close();
  }
});

test('migrateLocalStorage: false leaves localStorage alone; no localStorage is no migration', async () => {
  const storage = new MemoryStorage(loadDump('drafts'));
  const off = await openCampaignStore({ storage: 'memory', localStorage: storage, migrateLocalStorage: false });
  try {
    assert.equal(off.migration.lastReport, null);
    assert.equal((await off.sql.query('SELECT count(*) AS n FROM products')).rows[0].n, 0);
  } finally {
    await off.close();
  }
  const none = await openCampaignStore({ storage: 'memory' });  // Node has no globalThis.localStorage
  try {
    assert.equal(none.migration.lastReport, null);
    assert.equal(none.migration.lastError, null);
  } finally {
    await none.close();
  }
});

test('blobs: bytes through the binary path (SHA-256 matches), object URLs, put', async () => {
  const storage = new MemoryStorage(loadDump('data-urls'));
  const store = await openCampaignStore({ storage: 'memory', localStorage: storage });
  try {
    const { rows } = await store.sql.query("SELECT url FROM product_images WHERE url LIKE 'blob:sha256:%'");
    assert.ok(rows.length >= 5);
    for (const { url } of rows) {
      const bytes = await store.blobs.get(url);
      assert.ok(bytes instanceof Uint8Array);
      assert.equal(sha256(bytes), url.slice(12, 76));
    }
    const info = await store.blobs.info(rows[0].url);
    assert.equal(info.mime, 'image/png');
    const objectUrl = await store.blobs.objectUrl(rows[0].url);
    assert.match(objectUrl, /^blob:/);
    assert.equal(await store.blobs.objectUrl(rows[0].url), objectUrl);  // one URL per blob
    const fetched = new Uint8Array(await (await fetch(objectUrl)).arrayBuffer());
    assert.equal(sha256(fetched), rows[0].url.slice(12, 76));
    const put = await store.blobs.put(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml');
    assert.equal(put.mime, 'image/svg+xml');
    assert.equal(put.ref, `blob:sha256:${put.hash}`);
    assert.equal(new TextDecoder().decode(await store.blobs.get(put.ref)), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await assert.rejects(store.blobs.get('0'.repeat(64)), (e) => e.code === 'NOT_FOUND');
  } finally {
    await store.close();
  }
});

test('the compat facade: saveAd, getCampaigns, getProducts/getProduct in the legacy shape', async () => {
  const storage = new MemoryStorage(loadDump('strings-for-numbers'));
  const store = await openCampaignStore({ storage: 'memory', localStorage: storage });
  try {
    const legacy = createLegacyFacade({ store, localStorage: storage, images: 'objectUrl' });
    const before = await legacy.getCampaigns();
    assert.deepEqual(before.map((c) => c.id), JSON.parse(storage.getItem('campaigns')).filter((c) => c && typeof c === 'object').map((c) => c.id));
    const saved = await legacy.saveAd({ campaignName: 'Spring', ctaType: 'WHERE_TO_BUY', productId: 42, budget: '$1,000' });
    assert.equal(saved.success, true);
    assert.equal(saved.campaign.name, 'Spring');
    assert.equal(saved.campaign.type, 'Where to Buy');
    assert.equal(typeof saved.campaign.id, 'number');
    const after = await legacy.getCampaigns();
    assert.equal(after.length, before.length + 1);
    assert.equal(after.at(-1).adData.productId, 42);
    // Lookups by legacy id: 42 and "42" are the same product.
    const p42 = await legacy.getProduct(42);
    assert.equal(p42.id, '42');
    assert.deepEqual(await legacy.getProduct('42'), p42);
    assert.equal(await legacy.getProduct('nope'), null);
    const products = await legacy.getProducts();
    assert.equal(products.length, loadManifest('strings-for-numbers').expected.products);
    // Images come back as object URLs in this mode.
    const withImage = products.find((p) => Array.isArray(p.images) && p.images.length);
    if (withImage) assert.match(withImage.images[0].url ?? withImage.images[0], /^(blob:|https?:)/);
    const failed = await legacy.saveAd(null);
    assert.equal(failed.success, false);
    assert.match(failed.error, /adData/);
    // The rows are real campaigns for the data API.
    const found = await store.campaigns.list({ source: 'legacy', limit: 500 });
    assert.ok(found.items.some((c) => c.name === 'Spring'));
  } finally {
    await store.close();
  }
});

test('useDatabase: false reads and writes localStorage only, as the old app did', async () => {
  const storage = new MemoryStorage(loadDump('duplicate-ids'));
  const legacy = createLegacyFacade({ useDatabase: false, localStorage: storage });
  const saved = await legacy.saveAd({ campaignName: 'Local only', ctaType: 'ADD_TO_CART' });
  assert.equal(saved.success, true);
  assert.equal(JSON.parse(storage.getItem('campaigns')).at(-1).name, 'Local only');
  assert.equal((await legacy.getCampaigns()).at(-1).id, saved.campaign.id);
  assert.equal((await legacy.getProduct('prod_x')).name, 'Exact duplicate');
  // Quota errors come back the old way.
  const full = new MemoryStorage(loadDump('duplicate-ids'), { quota: 10 });
  const failed = await createLegacyFacade({ useDatabase: false, localStorage: full }).saveAd({ campaignName: 'x' });
  assert.equal(failed.success, false);
});

test('dualWrite writes the legacy key back (our echo is not re-migrated); release frees the quota; rollback restores', async () => {
  const { dump } = generatePreset('small');
  const storage = new MemoryStorage(dump);
  const store = await openCampaignStore({ storage: 'memory', localStorage: storage });
  try {
    const legacy = createLegacyFacade({ store, localStorage: storage, dualWrite: true });
    const saved = await legacy.saveAd({ campaignName: 'Dual', ctaType: 'ADD_TO_CART' });
    assert.equal(saved.success, true);
    const written = JSON.parse(storage.getItem('campaigns'));
    assert.equal(written.at(-1).name, 'Dual');
    assert.doesNotMatch(storage.getItem('campaigns'), /blob:sha256:/);  // images inlined for the old app, quota allowing
    // The next run on open sees our own echo, not a change.
    const rerun = await store.migration.run({ localStorage: storage });
    assert.ok(rerun.run.groups.every((g) => g.outcome === 'unchanged'), JSON.stringify(rerun.run.groups));

    const unitsBefore = storage.units();
    const released = await store.migration.releaseLegacyKeys({ localStorage: storage });
    assert.ok(released.released.includes('products'));
    assert.ok(released.released.includes('campaigns'), 'our own echo holds nothing the database lacks');
    assert.deepEqual(released.kept, []);
    assert.ok(storage.units() < unitsBefore / 2);
    for (const key of ['theme', 'i18nextLng']) assert.equal(storage.getItem(key), dump[key]);  // other keys untouched
    assert.ok((await store.migration.report()).released.includes('products'));

    // Rollback: the keys come back from the database, images inlined when asked.
    const rollback = await store.migration.exportLegacy({ write: true, inlineImages: true, localStorage: storage });
    assert.deepEqual(rollback.failed, []);
    assert.ok(rollback.written.includes('products'));
    const products = JSON.parse(storage.getItem('products'));
    assert.deepEqual(products.map((p) => p.id), JSON.parse(dump.products).filter((p) => p && typeof p === 'object').map((p) => p.id));
    assert.match(storage.getItem('products'), /data:image\/png;base64,/);
  } finally {
    await store.close();
  }
});

test('dual write stays within the quota: without images when they do not fit, and reports what failed', async () => {
  const { dump } = generatePreset('small');
  const storage = new MemoryStorage(dump);
  const store = await openCampaignStore({ storage: 'memory', localStorage: storage });
  try {
    const tight = new MemoryStorage(storage.toObject(), { quota: storage.units() + 1500 });
    const results = [];
    const legacy = createLegacyFacade({ store, localStorage: tight, dualWrite: true, onWriteBack: (r) => results.push(r) });
    assert.equal((await legacy.saveAd({ campaignName: 'Tight', imageUrl: `data:image/png;base64,${'A'.repeat(4000)}` })).success, true);
    assert.equal(results.length, 1);
    assert.equal(results[0].inlineImages, false);  // the inlined version did not fit
    assert.deepEqual(results[0].failed, []);
    assert.match(tight.getItem('campaigns'), /blob:sha256:/);
  } finally {
    await store.close();
  }
});

test('a large key reports its items while the worker migrates it (onMigrationProgress items)', { timeout: 120_000 }, async () => {
  const { dump } = generatePreset('10k-products');
  const storage = new MemoryStorage(dump);
  const events = [];
  const store = await openCampaignStore({ storage: 'memory', localStorage: storage, onMigrationProgress: (e) => events.push(e) });
  try {
    const items = events.filter((e) => e.phase === 'items' && e.key === 'products' && e.itemsTotal !== undefined);
    // Each step of the products key in order, each counting its items up to all of them.
    const steps = [...new Set(items.map((e) => e.step))];
    assert.deepEqual(steps, ['start', 'parse', 'rows', 'images', 'versions', 'save', 'done']);
    for (const step of ['parse', 'rows', 'save']) {
      const of = items.filter((e) => e.step === step);
      assert.ok(of.length >= 50, `${of.length} events in step ${step}`);
      for (let i = 1; i < of.length; i++) assert.ok(of[i].itemsDone >= of[i - 1].itemsDone, 'done never goes back');
    }
    assert.ok(items.every((e) => e.itemsTotal === JSON.parse(dump.products).length));  // products and the null items among them
    assert.equal(items.at(-1).itemsDone, items.at(-1).itemsTotal);
    assert.ok(items.every((e) => e.group === 'products' && e.total === events[0].total));
    // The commit of the products group and the report are announced too, before the run ends.
    assert.ok(events.some((e) => e.phase === 'items' && e.key === 'products' && e.step === 'commit'));
    const report = events.findIndex((e) => e.phase === 'items' && e.step === 'report');
    assert.ok(report > events.indexOf(items.at(-1)) && report < events.findIndex((e) => e.phase === 'done'));
    assert.deepEqual(store.migration.lastReport.errors, []);
  } finally {
    await store.close();
  }
});

// In a sandboxed frame or with storage disabled for the site, reading
// window.localStorage itself throws (SecurityError). Node has no
// localStorage, so a throwing getter stands in for the browser's here: the
// store must open, with nothing to migrate, on the lean module.
test('a page whose localStorage property throws still opens the store: nothing to migrate', async () => {
  Object.defineProperty(globalThis, 'localStorage', {
    configurable: true,
    get() { throw new DOMException('The document is sandboxed and lacks the allow-same-origin flag', 'SecurityError'); },
  });
  try {
    const store = await openCampaignStore({ storage: 'memory' });
    try {
      assert.equal(store.migration.lastReport, null);
      assert.equal(store.migration.lastError, null);
      assert.equal(await store.migration.run(), null);
      assert.ok((await store.call('ops')).some((o) => o.absent), 'opened on the lean module');
      assert.equal((await store.products.create({ name: 'still works' })).name, 'still works');
    } finally {
      await store.close();
    }
  } finally {
    delete globalThis.localStorage;
  }
});
