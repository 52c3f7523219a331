// The demo Campaign Builder (web/) in Chromium, offline (no backend): what a
// user does through the UI lands in OPFS and is there after a reload; the
// builder autosaves every edit as a draft; every screen renders without an
// error boundary or console errors. Screenshots: test-results/web/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { assertHealthy, go, openApp, pngFile, ready, shot, startDemo, unavailable, waitForText } from './web-support.mjs';

const skip = unavailable() ?? false;
let demo;

before(async () => {
  if (!skip) demo = await startDemo();
});
after(async () => {
  await demo?.close();
});

async function createProduct(page, { name, brand, category, price, files = [] }) {
  await go(page, '#/products/new');
  await page.getByLabel('Name', { exact: true }).fill(name);
  if (brand) await page.getByLabel('Brand').fill(brand);
  if (category) await page.getByLabel('Category').fill(category);
  if (price) await page.getByLabel('Price (USD)').fill(price);
  if (files.length) await page.getByLabel('Images').setInputFiles(files);
  await page.getByRole('button', { name: 'Create product' }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

test('products with images and backgrounds, and a campaign made in the builder, survive a reload (OPFS)', { skip, timeout: 90_000 }, async () => {
  const context = await demo.newContext();
  try {
    const page = await openApp(context, demo.url, '#/products');
    await page.getByText('No products yet').waitFor();
    await shot(page, '01-products-empty');

    // A product with two images uploaded from disk; the first is primary.
    await createProduct(page, {
      name: 'Trail Runner 2', brand: 'Northpeak', category: 'Footwear', price: '129.99',
      files: [pngFile('trail-runner-side.png', 'side'), pngFile('trail-runner-top.png', 'top', 240, 240)],
    });
    const images = page.getByRole('article');
    await waitForText(page.getByRole('heading', { name: /^Images/ }), /\(2\)/);
    assert.equal(await images.count(), 2);
    const side = page.getByRole('article', { name: 'Image trail-runner-side.png' });
    await side.getByText('Primary').waitFor();
    const sideSrc = await side.getByRole('img').first().getAttribute('src');
    assert.match(sideSrc, /^(data:image\/png|blob:)/, 'the uploaded image is shown from the database');

    // Two background versions for the first image; the newest is active, then the first is made active again.
    for (const prompt of ['sunlit marble countertop', 'misty forest trail']) {
      await side.getByLabel('Background prompt').fill(prompt);
      await side.getByRole('button', { name: 'Generate background' }).click();
      await side.getByRole('listitem').filter({ hasText: prompt }).waitFor();
    }
    await waitForText(side.getByRole('heading', { name: /Background versions/ }), /\(2\)/);
    const first = side.getByRole('listitem').filter({ hasText: 'sunlit marble countertop' });
    await first.getByRole('button', { name: 'Use' }).click();
    await first.getByText('Active').waitFor();
    // The second image becomes primary.
    const top = page.getByRole('article', { name: 'Image trail-runner-top.png' });
    await top.getByRole('button', { name: 'Make primary' }).click();
    await top.getByText('Primary').waitFor();
    await shot(page, '02-product-detail');

    // Editing a field keeps the product.
    await page.getByLabel('Description').fill('A light trail shoe with a rock plate.');
    await page.getByRole('button', { name: 'Save product' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

    await createProduct(page, { name: 'Canvas Tote', brand: 'Harbor & Co', category: 'Bags', price: '34' });
    await go(page, '#/products/new');
    await page.getByRole('heading', { level: 1, name: 'New product' }).waitFor();
    await shot(page, '03-product-new');

    // The list, and full-text search.
    await go(page, '#/products');
    await waitForText(page.getByTestId('product-count'), /^2 products$/);
    await page.getByRole('list', { name: 'Products' }).getByRole('link', { name: /Trail Runner 2/ }).waitFor();
    await shot(page, '04-products');
    await page.getByLabel('Search products').fill('tote');
    const results = page.getByRole('list', { name: 'Search results' });
    await results.getByRole('link', { name: /Canvas Tote/ }).waitFor();
    assert.equal(await results.getByRole('listitem').count(), 1);
    await shot(page, '05-products-search');
    await page.getByLabel('Search products').fill('');

    // A campaign through all five builder steps.
    await go(page, '#/campaigns');
    await page.getByText('No campaigns yet').waitFor();
    await page.getByRole('button', { name: 'New campaign' }).click();
    await page.getByRole('heading', { name: '1. Product' }).waitFor();
    await page.getByLabel('Campaign name').fill('Spring trail launch');
    await page.getByLabel('Product', { exact: true }).selectOption({ label: 'Trail Runner 2 — Northpeak' });
    await shot(page, '06-builder-product');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Minimum age').fill('21');
    await page.getByLabel('Maximum age').fill('45');
    await page.getByLabel('Locations').fill('United States, Canada');
    await page.getByLabel('Interests').fill('trail running, hiking');
    await shot(page, '07-builder-audience');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('TikTok').check();
    await page.getByLabel('Stories').check();
    await shot(page, '08-builder-platforms');
    await page.getByRole('button', { name: 'Next' }).click();
    const creative1 = page.getByRole('group', { name: 'Creative 1' });
    await creative1.getByLabel('Headline').fill('Run further this spring');
    await creative1.getByLabel('Body text').fill('Grip for wet rock, cushioning for the long way home.');
    await page.getByRole('button', { name: 'Add creative' }).click();
    const creative2 = page.getByRole('group', { name: 'Creative 2' });
    await creative2.getByLabel('Format').selectOption('story');
    await creative2.getByLabel('Headline').fill('New: Trail Runner 2');
    await creative2.getByLabel('Call to action').selectOption('WHERE_TO_BUY');
    await shot(page, '09-builder-creatives');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Budget').fill('2500');
    await page.getByLabel('Currency').selectOption('EUR');
    await page.getByLabel('Start date', { exact: true }).fill('2030-03-01');
    await page.getByLabel('End date', { exact: true }).fill('2030-04-15');
    await page.getByLabel('Schedule for the start date').check();
    await shot(page, '10-builder-publish');
    await page.getByRole('button', { name: 'Save campaign' }).click();

    await page.getByRole('heading', { level: 1, name: 'Spring trail launch' }).waitFor();
    await page.getByText('scheduled', { exact: true }).first().waitFor();
    const creatives = page.getByRole('region', { name: /Creatives/ });
    await waitForText(creatives.getByRole('heading'), /\(2\)/);
    await shot(page, '11-campaign-detail');

    await go(page, '#/campaigns');
    await page.getByRole('table', { name: 'Campaigns' }).getByRole('link', { name: 'Spring trail launch' }).waitFor();
    await shot(page, '12-campaigns');

    // Everything comes back after a reload, from OPFS.
    await page.reload();
    await ready(page);
    const row = page.getByRole('table', { name: 'Campaigns' }).getByRole('row', { name: /Spring trail launch/ });
    await row.waitFor();
    const rowText = await row.textContent();
    assert.match(rowText, /scheduled/);
    assert.match(rowText, /Trail Runner 2/);
    assert.match(rowText, /€2,500\.00/);
    await page.getByLabel('Status').selectOption('draft');
    await page.getByText('No campaign matches these filters').waitFor();
    await page.getByLabel('Status').selectOption('scheduled');
    await row.waitFor();

    await go(page, '#/products');
    await waitForText(page.getByTestId('product-count'), /^2 products$/);
    await page.getByRole('link', { name: /Trail Runner 2/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Trail Runner 2' }).waitFor();
    await waitForText(page.getByRole('heading', { name: /^Images/ }), /\(2\)/);
    assert.equal(await page.getByLabel('Description').inputValue(), 'A light trail shoe with a rock plate.');
    const sideAgain = page.getByRole('article', { name: 'Image trail-runner-side.png' });
    await waitForText(sideAgain.getByRole('heading', { name: /Background versions/ }), /\(2\)/);
    await sideAgain.getByRole('listitem').filter({ hasText: 'sunlit marble countertop' }).getByText('Active').waitFor();
    await page.getByRole('article', { name: 'Image trail-runner-top.png' }).getByText('Primary').waitFor();
    await page.getByRole('link', { name: 'Spring trail launch' }).click();
    await page.getByRole('heading', { level: 1, name: 'Spring trail launch' }).waitFor();
    const settings = await page.getByRole('region', { name: 'Settings' }).textContent();
    assert.match(settings, /Ages 21–45/);
    assert.match(settings, /United States, Canada/);
    assert.match(settings, /TikTok/);
    assert.match(settings, /Meta \(Facebook & Instagram\) \(feed, stories\)/);

    // A status move from the detail view.
    await page.getByRole('button', { name: 'Launch' }).click();
    await page.getByRole('button', { name: 'Pause' }).waitFor();
    await assertHealthy(page, 'after reload');
  } finally {
    await context.close();
  }
});

test('the builder autosaves every edit as a draft; a reload mid-flow restores it', { skip, timeout: 60_000 }, async () => {
  const context = await demo.newContext();
  try {
    const page = await openApp(context, demo.url, '#/campaigns');
    await page.getByRole('button', { name: 'New campaign' }).click();
    await page.getByRole('heading', { name: '1. Product' }).waitFor();
    const autosave = page.getByTestId('autosave');

    await page.getByLabel('Campaign name').pressSequentially('Autumn city push', { delay: 15 });
    await waitForText(autosave, /^Draft saved at/);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Locations').pressSequentially('Berlin, Hamburg', { delay: 15 });
    await page.getByLabel('Gender').selectOption('female');
    await waitForText(autosave, /^Draft saved at/);

    // Reload in the middle of the flow: same step, same values.
    await page.reload();
    await ready(page);
    await page.getByRole('heading', { name: '2. Audience' }).waitFor();
    await waitForText(page.getByTestId('autosave'), /^Draft restored/);
    assert.equal(await page.getByLabel('Locations').inputValue(), 'Berlin, Hamburg');
    assert.equal(await page.getByLabel('Gender').inputValue(), 'female');
    await shot(page, '13-builder-restored');
    await page.getByRole('button', { name: /Product/ }).click();
    assert.equal(await page.getByLabel('Campaign name').inputValue(), 'Autumn city push');

    // Keep typing: still autosaved; the list marks the draft in progress.
    await page.getByLabel('Campaign name').press('End');
    await page.getByLabel('Campaign name').pressSequentially(' 2', { delay: 15 });
    await waitForText(page.getByTestId('autosave'), /^Draft saved at/);
    // The list shows the draft's name (the campaign row still has the placeholder).
    await go(page, '#/campaigns');
    const row = page.getByRole('row', { name: /Autumn city push 2/ });
    await row.getByRole('link', { name: 'draft in progress' }).click();
    await page.getByRole('heading', { name: '1. Product' }).waitFor();
    assert.equal(await page.getByLabel('Campaign name').inputValue(), 'Autumn city push 2');

    // Discarding the draft leaves the campaign as it was saved.
    await page.getByRole('button', { name: 'Discard draft' }).click();
    await page.getByRole('heading', { level: 1, name: 'Untitled campaign' }).waitFor();
    assert.equal(await page.getByText(/A draft of this campaign was autosaved/).count(), 0);
    await assertHealthy(page, 'autosave');
  } finally {
    await context.close();
  }
});

test('the storage and sync screens render offline, and the database exports as a SQLite file', { skip, timeout: 60_000 }, async () => {
  const context = await demo.newContext();
  try {
    const page = await openApp(context, demo.url, '#/products');
    await createProduct(page, { name: 'Export check', price: '1.50', files: [pngFile('export.png', 'export', 64, 64)] });

    await go(page, '#/storage');
    await page.getByRole('heading', { level: 1, name: 'Storage' }).waitFor();
    await waitForText(page.getByTestId('db-size').locator('dd'), /\d+(\.\d)? (KB|MB)/);
    await waitForText(page.getByTestId('opfs-usage').locator('dd'), / of /);
    const counts = page.getByLabel('Row counts');
    await waitForText(counts.locator('[data-table="products"] dd'), /^1$/);
    await waitForText(counts.locator('[data-table="product_images"] dd'), /^1$/);
    await shot(page, '14-storage');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export database' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^campaign-builder-\d{4}-\d{2}-\d{2}\.sqlite$/);
    const file = readFileSync(await download.path());
    assert.equal(file.subarray(0, 16).toString('latin1'), 'SQLite format 3\u0000');
    assert.ok(file.length >= 4096, `a whole database (${file.length} bytes)`);
    await page.getByText(/^Exported .* \(SQLite file\)\.$/).waitFor();

    await go(page, '#/sync');
    await page.getByRole('heading', { name: 'No backend configured' }).waitFor();
    await waitForText(page.getByTestId('sync-state').locator('dd'), /Local only/);
    // Nothing ever syncs here: no pending count, and no badge number.
    await page.getByTestId('sync-not-signed-in').waitFor();
    assert.equal(await page.getByTestId('sync-pending').count(), 0);
    assert.doesNotMatch(await page.getByTestId('sync-badge').textContent(), /\d/);
    await shot(page, '15-sync-offline');
  } finally {
    await context.close();
  }
});

test('platforms and publishing (simulated), a picture per creative, duplicating a campaign, and what search and the builder say', { skip, timeout: 120_000 }, async () => {
  const context = await demo.newContext();
  try {
    const page = await openApp(context, demo.url, '#/products');
    await createProduct(page, { name: 'Summit Pack', brand: 'Northpeak', price: '149', files: [pngFile('summit-pack.png', 'pack')] });
    const photo = page.getByRole('article', { name: 'Image summit-pack.png' });
    await photo.getByLabel('Background prompt').fill('alpine meadow at dawn');
    await photo.getByRole('button', { name: 'Generate background' }).click();
    await photo.getByRole('listitem').filter({ hasText: 'alpine meadow at dawn' }).waitFor();

    // A search that finds nothing says so, without the catalogue's count.
    await go(page, '#/products');
    await page.getByLabel('Search products').fill('zzzz');
    await page.getByText('No products match “zzzz”').waitFor();
    assert.equal((await page.getByTestId('product-count').textContent()).trim(), '');
    await page.getByLabel('Search products').fill('');

    await go(page, '#/platforms');
    await page.getByRole('heading', { name: 'Connected accounts' }).waitFor();
    const meta = page.getByRole('article', { name: 'Meta (Facebook & Instagram)' });
    await meta.getByLabel('Meta (Facebook & Instagram) account name').fill('Northpeak Outdoor');
    await meta.getByRole('button', { name: 'Connect Meta (Facebook & Instagram)' }).click();
    await meta.getByText('Northpeak Outdoor').waitFor();

    // The builder: saving without a name lists the problem; typing one clears it at once.
    await go(page, '#/campaigns');
    await page.getByRole('button', { name: 'New campaign' }).click();
    await page.getByRole('heading', { name: '1. Product' }).waitFor();
    await page.getByLabel('Product', { exact: true }).selectOption({ label: 'Summit Pack — Northpeak' });
    for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Save campaign' }).click();
    const problems = page.getByRole('alert').filter({ hasText: 'Before saving' });
    await problems.getByText('Give the campaign a name.').waitFor();
    await problems.getByRole('button', { name: 'Give the campaign a name.' }).click();
    await page.getByLabel('Campaign name').fill('Summit launch');
    await problems.waitFor({ state: 'detached' });

    // Each creative picks its picture: the generated background for the first.
    await page.getByRole('button', { name: /Creatives/ }).click();
    const creative = page.getByRole('group', { name: 'Creative 1' });
    await creative.getByLabel('Picture').selectOption({ label: 'Background: alpine meadow at dawn' });
    await creative.getByLabel('Headline').fill('Higher, lighter');
    const preview = creative.getByRole('figure');
    const box = await preview.boundingBox();
    assert.ok(Math.abs(box.width - box.height) <= 2, `a feed square preview is square (${box.width}×${box.height})`);
    const backgroundSrc = await preview.getByRole('img').getAttribute('src');
    await shot(page, '16-builder-creative-picture');
    await page.getByRole('button', { name: /Publish/ }).click();
    await page.getByRole('button', { name: 'Save campaign' }).click();
    await page.getByRole('heading', { level: 1, name: 'Summit launch' }).waitFor();
    const settings = await page.getByRole('region', { name: 'Settings' }).textContent();
    assert.doesNotMatch(settings, /Source|v2/, 'no internal source line for campaigns made here');
    const saved = page.getByRole('region', { name: /Creatives/ }).getByRole('img').first();
    await waitForAttribute(saved, 'src', backgroundSrc);

    // Publishing to the connected account: pending, then the platform's answer.
    const publications = page.getByRole('region', { name: /Publications/ });
    await publications.getByRole('button', { name: 'Publish to Meta (Facebook & Instagram) · Northpeak Outdoor' }).click();
    await publications.locator('li[data-status="published"]').waitFor();
    await shot(page, '17-campaign-published');

    // Duplicating: a draft copy with the same creatives.
    await page.getByRole('button', { name: 'Duplicate' }).click();
    await page.getByRole('heading', { level: 1, name: 'Summit launch (copy)' }).waitFor();
    await page.getByText('draft', { exact: true }).first().waitFor();
    await waitForText(page.getByRole('region', { name: /Creatives/ }).getByRole('heading'), /\(1\)/);

    await go(page, '#/platforms');
    const table = page.getByRole('table', { name: 'Publications' });
    const row = table.getByRole('row', { name: /Summit launch/ });
    await row.getByRole('button', { name: 'Refresh metrics' }).click();
    await waitForText(row.locator('td.num').first(), /^[1-9][\d,]*$/);
    await shot(page, '18-platforms');
  } finally {
    await context.close();
  }
});

async function waitForAttribute(locator, name, value, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await locator.getAttribute(name).catch(() => null);
    if (last === value) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} stayed ${last}, expected ${value}`);
}
