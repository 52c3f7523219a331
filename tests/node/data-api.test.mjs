// The data API through the wasm module: one test per op group and
// one per class of bad input, each rejected write checked to leave every
// table as it was. The native Catch2 suites (tests/native/test_products.cpp
// and friends) cover the same ops in more depth; this proves the behaviour
// survives the JS <-> wasm boundary (money strings, parsed JSON columns,
// error envelopes, change notifications).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine, CampaignStoreError } from '../../js/core.js';

async function open() {
  const e = await createEngine();
  e.call('open');
  return e;
}

// Every row of every table, as JSON: equal snapshots, unchanged database.
function snapshot(e) {
  const tables = e.call('sql.query', {
    sql: "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  }).rows.map((r) => r.name);
  return JSON.stringify(tables.map((t) => [t, e.call('sql.query', { sql: `SELECT * FROM "${t}"` }).rows]));
}

// The call must fail with `code` naming `field`, change nothing and report
// no change.
function rejects(e, op, args, code, field) {
  const before = snapshot(e);
  assert.throws(() => e.call(op, args), (err) => {
    assert.ok(err instanceof CampaignStoreError, `${op}: not a CampaignStoreError`);
    assert.equal(err.code, code, `${op} ${JSON.stringify(args).slice(0, 120)}: ${err.message}`);
    if (field !== undefined) assert.equal(err.details.field, field, err.message);
    return true;
  });
  assert.deepEqual(e.lastChanges, []);
  assert.equal(snapshot(e), before, `${op} changed the database although it failed`);
}

const userTables = (e) => e.lastChanges.filter((t) => !t.startsWith('sync_'));
const count = (e, table) => e.call('sql.query', { sql: `SELECT count(*) AS n FROM "${table}"` }).rows[0].n;

test('products: create with images, get the tree, list, update, delete', async () => {
  const e = await open();
  const user = e.call('users.create', { email: 'ana@example.com' });
  const p = e.call('products.create', {
    userId: user.id, name: 'Trail Runner', brand: 'Acme', price: 129.99,
    utmCodes: { utm_source: 'meta' }, images: [{ url: 'https://cdn/1.png' }, { url: 'https://cdn/2.png' }],
  });
  assert.deepEqual(userTables(e), ['product_images', 'products']);
  assert.equal(p.price, '129.99');  // exact decimal string, never a float
  assert.deepEqual(p.utmCodes, { utm_source: 'meta' });  // JSON columns come back parsed
  assert.deepEqual(p.images.map((i) => i.isPrimary), [true, false]);

  e.call('backgrounds.add', { productImageId: p.images[0].id, url: 'https://fal/b.png', prompt: 'beach' });
  e.call('campaigns.create', { name: 'Spring', productId: p.id });
  const got = e.call('products.get', { id: p.id });
  assert.equal(got.images[0].backgrounds[0].prompt, 'beach');
  assert.deepEqual(got.campaigns.map((c) => [c.name, c.status]), [['Spring', 'draft']]);
  assert.deepEqual(e.lastChanges, []);

  for (let i = 0; i < 7; i += 1) e.call('products.create', { userId: user.id, name: `P${i}`, status: i % 2 ? 'archived' : 'active' });
  const first = e.call('products.list', { userId: user.id, status: 'active', limit: 3 });
  assert.equal(first.items.length, 3);
  assert.equal(typeof first.nextCursor, 'string');
  const second = e.call('products.list', { userId: user.id, status: 'active', limit: 3, cursor: first.nextCursor });
  assert.equal(second.items.length, 2);
  assert.equal(second.nextCursor, null);
  assert.equal(new Set([...first.items, ...second.items].map((i) => i.id)).size, 5);

  const up = e.call('products.update', { id: p.id, price: '99', brand: null });
  assert.equal(up.price, '99.00');
  assert.equal(up.brand, null);
  assert.equal(up.name, 'Trail Runner');
  assert.deepEqual(e.call('products.delete', { id: p.id }), { id: p.id, deleted: true });
  assert.equal(count(e, 'product_images'), 0);
  assert.equal(count(e, 'background_versions'), 0);
  e.dispose();
});

test('images and background versions keep one primary and one active', async () => {
  const e = await open();
  const p = e.call('products.create', { name: 'Lamp' });
  const a = e.call('images.add', { productId: p.id, url: 'a' });
  const b = e.call('images.add', { productId: p.id, url: 'b' });
  assert.equal(a.isPrimary, true);
  assert.equal(b.isPrimary, false);
  e.call('images.setPrimary', { productId: p.id, imageId: b.id });
  const primaries = () => e.call('sql.query', { sql: 'SELECT id FROM product_images WHERE is_primary = 1' }).rows;
  assert.deepEqual(primaries(), [{ id: b.id }]);
  assert.equal(e.call('images.list', { productId: p.id }).items.length, 2);
  assert.equal(e.call('images.delete', { id: b.id }).primaryImageId, a.id);

  const v1 = e.call('backgrounds.add', { productImageId: a.id, url: 'v1' });
  const v2 = e.call('backgrounds.add', { productImageId: a.id, url: 'v2' });
  assert.equal(v1.isActive, true);
  assert.equal(v2.isActive, true);
  e.call('backgrounds.activate', { id: v1.id });
  const active = e.call('backgrounds.list', { productImageId: a.id }).items.filter((v) => v.isActive);
  assert.deepEqual(active.map((v) => v.id), [v1.id]);
  e.dispose();
});

test('campaigns: get with product, creatives and draft; status transitions', async () => {
  const e = await open();
  const p = e.call('products.create', { name: 'Shoe' });
  const c = e.call('campaigns.create', {
    name: 'Summer', productId: p.id, budget: '1500.5', startsAt: '2024-06-01', legacyData: { id: 42 },
  });
  assert.equal(c.budget, '1500.50');
  assert.equal(c.startsAt, '2024-06-01T00:00:00.000Z');
  e.call('creatives.create', { campaignId: c.id, name: 'Story', assets: [{ type: 'text', content: 'Hi' }] });
  e.call('drafts.save', { campaignId: c.id, stepData: { step: 3 } });
  const got = e.call('campaigns.get', { id: c.id });
  assert.equal(got.product.id, p.id);
  assert.equal(got.creatives[0].assets[0].content, 'Hi');
  assert.deepEqual(got.draft.stepData, { step: 3 });
  assert.equal(e.call('campaigns.list', { legacyId: 42 }).items[0].id, c.id);

  assert.equal(e.call('campaigns.setStatus', { id: c.id, status: 'scheduled' }).status, 'scheduled');
  const live = e.call('campaigns.setStatus', { id: c.id, status: 'active' });
  assert.equal(typeof live.launchedAt, 'string');
  e.call('campaigns.setStatus', { id: c.id, status: 'completed' });
  rejects(e, 'campaigns.setStatus', { id: c.id, status: 'active' }, 'CONFLICT', 'status');
  assert.equal(e.call('campaigns.update', { id: c.id, name: 'Summer 2' }).name, 'Summer 2');
  e.call('campaigns.delete', { id: c.id });
  for (const t of ['creatives', 'creative_assets', 'campaign_drafts']) assert.equal(count(e, t), 0);
  e.dispose();
});

test('drafts: upsert, expiry, cleanup', async () => {
  const e = await open();
  const c = e.call('campaigns.create', { name: 'C' });
  const d1 = e.call('drafts.save', { campaignId: c.id, stepData: { step: 1 } });
  const d2 = e.call('drafts.save', { campaignId: c.id, stepData: '{"step":2}' });
  assert.equal(d2.id, d1.id);
  assert.deepEqual(d2.stepData, { step: 2 });
  assert.ok(d2.autoSavedAt >= d1.autoSavedAt);
  const week = Date.parse(d2.expiresAt) - Date.parse(d2.autoSavedAt);
  assert.equal(week, 7 * 24 * 3600 * 1000);
  assert.equal(e.call('drafts.get', { campaignId: c.id }).id, d1.id);

  const old = e.call('campaigns.create', { name: 'Old' });
  e.call('drafts.save', { campaignId: old.id, stepData: {}, expiresAt: Date.now() - 1000 });
  assert.equal(e.call('drafts.get', { campaignId: old.id }), null);
  assert.deepEqual(e.call('drafts.cleanup'), { removed: 1 });
  assert.equal(count(e, 'campaign_drafts'), 1);
  e.dispose();
});

test('creatives and assets', async () => {
  const e = await open();
  const c = e.call('campaigns.create', { name: 'Ads' });
  const cr = e.call('creatives.create', { campaignId: c.id, formatId: 'feed', width: 1080, height: 1080 });
  const v2 = e.call('creatives.update', { id: cr.id, elements: [{ kind: 'img' }], expectedVersion: 1 });
  assert.equal(v2.version, 2);
  rejects(e, 'creatives.update', { id: cr.id, elements: [], expectedVersion: 1 }, 'CONFLICT', 'expectedVersion');
  const a = e.call('assets.create', { creativeId: cr.id, type: 'button', content: 'Buy', styles: { color: 'red' } });
  assert.deepEqual(e.call('assets.get', { id: a.id }).styles, { color: 'red' });
  assert.equal(e.call('assets.update', { id: a.id, content: 'Shop' }).content, 'Shop');
  assert.equal(e.call('assets.list', { creativeId: cr.id }).items.length, 1);
  assert.equal(e.call('creatives.get', { id: cr.id }).assets.length, 1);
  assert.equal(e.call('creatives.list', { campaignId: c.id }).items.length, 1);
  e.call('assets.delete', { id: a.id });
  e.call('creatives.delete', { id: cr.id });
  assert.equal(count(e, 'creatives'), 0);
  e.dispose();
});

test('users, integrations (no secrets), publications, AI generations', async () => {
  const e = await open();
  const u = e.call('users.create', { email: 'bo@example.com', name: 'Bo' });
  assert.equal(e.call('users.update', { id: u.id, name: 'Bob' }).name, 'Bob');
  const i = e.call('integrations.create', { userId: u.id, platformId: 'tiktok', platformAccountId: 'acc' });
  rejects(e, 'integrations.create', { platformId: 'meta', accessToken: 'EAAB' }, 'INVALID_ARGUMENT', 'accessToken');
  assert.equal(e.call('integrations.list', { userId: u.id }).items.length, 1);
  const c = e.call('campaigns.create', { name: 'C' });
  const pub = e.call('publications.create', { campaignId: c.id, platformIntegrationId: i.id });
  const up = e.call('publications.update', { id: pub.id, status: 'published', metrics: { clicks: 5 } });
  assert.deepEqual(up.metrics, { clicks: 5 });
  const g = e.call('ai.create', { userId: u.id, type: 'copy', service: 'openai', costCredits: 0.0125 });
  assert.equal(g.costCredits, '0.0125');
  assert.equal(e.call('ai.list', { userId: u.id }).items.length, 1);
  assert.equal(e.call('ai.get', { id: g.id }).type, 'copy');
  e.call('integrations.delete', { id: i.id });
  assert.equal(e.call('publications.get', { id: pub.id }).platformIntegrationId, null);
  e.call('users.delete', { id: u.id });
  rejects(e, 'users.get', { id: u.id }, 'NOT_FOUND', 'id');
  e.dispose();
});

test('search, cache, health, metrics', async () => {
  const e = await open();
  e.call('products.create', { name: 'Trail Running Shoe', brand: 'Acme' });
  e.call('products.create', { name: 'Wool Sock', description: 'for running' });
  e.call('campaigns.create', { name: 'Running season' });
  const r = e.call('search.query', { q: 'runn' });
  assert.equal(r.items.length, 3);
  assert.equal(r.items[0].name, 'Trail Running Shoe');  // name beats description
  assert.equal(e.call('search.query', { q: '"unbalanced (quotes' }).items.length, 0);

  e.call('cache.set', { key: 'scrape:a', value: { title: 'A' }, ttlMs: 500 });  // room for a loaded machine between set and get
  e.call('cache.set', { key: 'scrape:b', value: [1] });
  assert.deepEqual(e.call('cache.get', { key: 'scrape:a' }).value, { title: 'A' });
  await new Promise((resolve) => setTimeout(resolve, 600));
  assert.equal(e.call('cache.get', { key: 'scrape:a' }).hit, false);  // expired: never returned
  assert.deepEqual(e.call('cache.invalidate', { pattern: 'scrape:*' }), { removed: 2 });

  const h = e.call('health');
  assert.equal(h.ok, true);
  assert.equal(h.quickCheck, 'ok');
  const m = e.call('metrics');
  assert.equal(m.tables.products, 2);
  assert.equal(m.bytes, m.pageSize * m.pageCount);
  e.dispose();
});

test('a batch of data ops commits together or not at all', async () => {
  const e = await open();
  const ok = e.call('batch', { ops: [
    { op: 'products.create', args: { name: 'A', images: [{ url: 'x' }] } },
    { op: 'products.create', args: { name: 'B' } },
  ] });
  assert.equal(ok.length, 2);
  rejects(e, 'batch', { ops: [
    { op: 'products.create', args: { name: 'C' } },
    { op: 'images.add', args: { productId: 'ghost', url: 'y' } },
  ] }, 'CONSTRAINT', 'productId');
  assert.equal(count(e, 'products'), 2);
  e.dispose();
});

test('every class of bad input has its code and field, and writes nothing', async () => {
  const e = await open();
  const p = e.call('products.create', { name: 'Base' });
  e.call('users.create', { email: 'taken@example.com' });
  assert.throws(() => e.call('products.explode', {}), (err) => err.code === 'NOT_FOUND');      // unknown op
  rejects(e, 'products.create', {}, 'INVALID_ARGUMENT', 'name');                                // missing field
  rejects(e, 'products.create', { name: 7 }, 'INVALID_ARGUMENT', 'name');                       // wrong type
  rejects(e, 'products.create', { name: 'x', price: '1.999' }, 'INVALID_ARGUMENT', 'price');   // money precision
  rejects(e, 'products.create', { name: 'x', metadata: '{"a":' }, 'INVALID_ARGUMENT', 'metadata');  // invalid JSON
  rejects(e, 'products.create', { name: 'x', userId: 'nobody' }, 'CONSTRAINT', 'userId');      // FK to nothing
  rejects(e, 'users.create', { email: 'TAKEN@example.com' }, 'CONFLICT', 'email');              // duplicate unique
  rejects(e, 'products.create', { id: p.id, name: 'dup' }, 'CONFLICT', 'id');                   // duplicate id
  rejects(e, 'products.create', { name: 'n'.repeat(256) }, 'INVALID_ARGUMENT', 'name');         // oversized
  rejects(e, 'products.create', { name: 'x', metadata: { big: 'z'.repeat(1 << 20) } }, 'INVALID_ARGUMENT', 'metadata');
  rejects(e, 'products.create', { name: 'x', images: [{ url: 'ok' }, { url: '' }] }, 'INVALID_ARGUMENT', 'images[1].url');
  rejects(e, 'products.create', { name: 'x', colour: 'red' }, 'INVALID_ARGUMENT', 'colour');    // unknown field
  rejects(e, 'products.list', { limit: 501 }, 'INVALID_ARGUMENT', 'limit');                     // page size
  rejects(e, 'products.get', { id: 'missing' }, 'NOT_FOUND', 'id');
  rejects(e, 'campaigns.create', { name: 'x', startsAt: 'tomorrow' }, 'INVALID_ARGUMENT', 'startsAt');
  rejects(e, 'assets.create', { creativeId: 'ghost', type: 'gif' }, 'INVALID_ARGUMENT', 'type');
  // Raw SQL writes meet the schema's own checks.
  rejects(e, 'sql.exec', { sql: "UPDATE products SET metadata = '{bad'" }, 'CONSTRAINT');
  rejects(e, 'sql.exec', { sql: 'UPDATE products SET price = 29.99' }, 'CONSTRAINT');
  assert.equal(e.call('health').ok, true);
  e.dispose();
});
