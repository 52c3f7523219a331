// The legacy localStorage migration, watched through the demo app: the
// Storage screen seeds a near-quota dump of the old app's keys
// (tests/fixtures/generate.mjs, 94% of the 5 Mi-unit quota) and reloads; the
// store migrates it on open; the report shows every entity with the counts
// the fixture's manifest expects and what did not arrive (a draft cut short),
// the lists show the rows, and the legacy keys can be released: the whole
// ones at once, the cut draft only when asked. The seeding half always runs; the migration half
// runs once campaign-store has store.migration (until then the app says so
// and the test skips the rest).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generatePreset } from '../fixtures/generate.mjs';
import { isLegacyKey } from '../../web/src/lib/legacy.js';
import { go, openApp, ready, shot, startDemo, unavailable, waitForText } from './web-support.mjs';

const skip = unavailable() ?? false;
let demo;
const { dump, manifest } = generatePreset('near-quota');
const expected = manifest.expected;
const legacyKeys = Object.keys(dump).filter(isLegacyKey);

// The entities the report must show, by the manifest's names.
const ENTITIES = ['products', 'product_images', 'background_versions', 'legacy_campaigns', 'v2_campaigns', 'creatives',
  'drafts', 'ai_generations', 'sample_products', 'sample_campaigns', 'data_url_blobs'];

before(async () => {
  if (!skip) demo = await startDemo();
});
after(async () => {
  await demo?.close();
});

const number = (text) => Number(String(text).replace(/[^\d]/g, ''));

test('a near-quota legacy dump seeded into localStorage is migrated on reload, listed, and its keys released', { skip, timeout: 150_000 }, async (t) => {
  const context = await demo.newContext();
  try {
    const page = await openApp(context, demo.url, '#/storage');
    await page.getByRole('heading', { name: 'Legacy localStorage migration' }).waitFor();
    await waitForText(page.getByTestId('legacy-keys').locator('dd'), /^0$/);

    // Seed: the page fetches the dump, writes every key into localStorage and reloads itself.
    await page.getByLabel('Legacy dump').selectOption('near-quota');
    await Promise.all([
      page.waitForEvent('load', { timeout: 60_000 }),
      page.getByRole('button', { name: 'Seed legacy data and reload' }).click(),
    ]);
    await ready(page);
    const stored = await page.evaluate(() => {
      const out = {};
      for (let i = 0; i < localStorage.length; i++) out[localStorage.key(i)] = localStorage.getItem(localStorage.key(i));
      return out;
    });
    for (const [key, value] of Object.entries(dump)) assert.equal(stored[key], value, `localStorage[${key}] holds the dump's value`);

    await go(page, '#/storage');
    if (await page.getByTestId('migration-unavailable').count()) {
      await waitForText(page.getByTestId('legacy-keys').locator('dd'), new RegExp(`^${legacyKeys.length}$`));
      await shot(page, '20-storage-legacy-seeded');
      t.skip('campaign-store has no migration API yet (store.migration): seeding checked, migration not');
      return;
    }

    // The report: every entity, with the manifest's counts.
    const report = page.getByTestId('migration-report');
    await report.waitFor({ timeout: 90_000 });
    for (const name of ENTITIES) {
      const cell = report.getByTestId(`migrated-${name}`);
      assert.equal(await cell.count(), 1, `the report shows ${name}`);
      assert.equal(number(await cell.textContent()), expected[name], `${name}: migrated = expected`);
    }
    assert.equal(await report.locator('tr.mismatch').count(), 0, 'no count differs from the manifest');
    await shot(page, '20-storage-migrated');

    // The lists show the migrated rows.
    const firstProduct = JSON.parse(dump.products).find((p) => p && typeof p.name === 'string' && p.name.trim());
    await go(page, '#/products');
    const productCount = number(await waitForText(page.getByTestId('product-count'), /^\d[\d,]* products$/));
    assert.ok(productCount >= expected.products, `${productCount} products listed, ${expected.products} migrated`);
    await page.getByLabel('Search products').fill(firstProduct.name.split(/\s+/)[0]);
    await page.getByRole('list', { name: 'Search results' }).getByRole('link', { name: new RegExp(escape(firstProduct.name)) }).first().waitFor();
    await page.getByLabel('Search products').fill('');
    await shot(page, '21-products-migrated');
    await go(page, '#/campaigns');
    const campaignCount = number(await waitForText(page.getByTestId('campaign-count'), /^\d[\d,]* campaigns/));
    assert.ok(campaignCount >= expected.legacy_campaigns + expected.v2_campaigns,
      `${campaignCount} campaigns listed, ${expected.legacy_campaigns} legacy + ${expected.v2_campaigns} V2 migrated`);
    await shot(page, '22-campaigns-migrated');

    // The report says what did not arrive: the draft cut short when the quota ran out.
    await go(page, '#/storage');
    const unparsed = Object.keys(manifest.keys).filter((k) => manifest.keys[k].status === 'unparsed');
    assert.ok(unparsed.length > 0, 'the near-quota dump has a truncated draft');
    await page.getByTestId('migration-verdict').filter({ hasText: 'Not everything arrived' }).waitFor();
    for (const key of unparsed) await page.getByTestId('migration-losses').locator(`tr[data-code="UNPARSED"]`, { hasText: key }).waitFor();

    // Release the legacy keys: the whole ones leave localStorage, the truncated draft stays (and says why)
    // until asked explicitly; unrelated keys stay, the data stays.
    await page.getByRole('button', { name: 'Release legacy keys' }).click();
    await waitForText(page.getByTestId('legacy-keys').locator('dd'), new RegExp(`^${unparsed.length}$`), 30_000);
    for (const key of unparsed) await page.getByTestId('release-kept').locator('li[data-code="UNPARSED"]', { hasText: key }).waitFor();
    await page.getByLabel(/also those that did not fully arrive/).check();
    await page.getByRole('button', { name: 'Release legacy keys' }).click();
    await waitForText(page.getByTestId('legacy-keys').locator('dd'), /^0$/, 30_000);
    const left = await page.evaluate(() => Object.keys({ ...localStorage }));
    assert.deepEqual(left.filter(isLegacyKey), []);
    for (const key of Object.keys(dump).filter((k) => !isLegacyKey(k))) assert.ok(left.includes(key), `unrelated key ${key} stays`);
    await page.reload();
    await ready(page);
    await go(page, '#/products');
    await waitForText(page.getByTestId('product-count'), new RegExp(`^${productCount.toLocaleString('en-US')} products$`));
    await go(page, '#/storage');
    await shot(page, '23-storage-released');
  } finally {
    await context.close();
  }
});

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
