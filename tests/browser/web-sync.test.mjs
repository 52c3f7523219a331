// The demo app syncing through the local backend (PostgreSQL 15 + the
// Supabase gateway, started in-process): two browser contexts signed in as
// the same user see each other's changes; edits made while a context is
// offline sync when it is back online; a conflict resolves the same way on
// both and is counted. Then accounts in one browser: data made signed out
// stays apart until moved into an account, signing out shows the signed-out
// database, and another user signs in to their own.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBackend } from '../../tools/backend/backend.mjs';
import { assertHealthy, go, openApp, shot, signIn, startDemo, unavailable, waitForText } from './web-support.mjs';

const skip = unavailable() ?? false;
let backend;
let demo;

before(async () => {
  if (skip) return;
  backend = await startBackend({ port: 0 });
  demo = await startDemo({ backend });
});
after(async () => {
  await demo?.close();
  await backend?.stop();
});

const pending = (page) => page.getByTestId('sync-badge');

/** Syncs now from the header; waits for that cycle to finish with nothing pending. */
async function syncNow(page) {
  const button = page.getByRole('banner').getByRole('button', { name: 'Sync now' });
  await button.click();
  await page.getByRole('banner').locator('button[aria-busy="false"]').waitFor({ timeout: 20_000 });
  await waitForText(pending(page), /^Synced(?!\s*\d)/, 20_000);
}

async function renameProduct(page, from, to) {
  await go(page, '#/products');
  await page.getByRole('link', { name: new RegExp(from) }).click();
  await page.getByRole('heading', { level: 1, name: from }).waitFor();
  await page.getByLabel('Name', { exact: true }).fill(to);
  await page.getByRole('button', { name: 'Save product' }).click();
  await page.getByRole('heading', { level: 1, name: to }).waitFor();
}

test('two browsers of one user: changes cross over through sync, offline edits sync when back online, conflicts resolve alike', { skip, timeout: 120_000 }, async () => {
  const contextA = await demo.newContext();
  const contextB = await demo.newContext();
  try {
    const a = await openApp(contextA, demo.url, '#/sync');
    const b = await openApp(contextB, demo.url, '#/sync');
    await signIn(a);
    await shot(a, '30-sync-signed-in');
    await signIn(b);

    // A creates a product; B, watching its product list, sees it after syncing.
    await go(a, '#/products/new');
    await a.getByLabel('Name', { exact: true }).fill('Shared sneaker');
    await a.getByLabel('Price (USD)').fill('89');
    await a.getByRole('button', { name: 'Create product' }).click();
    await a.getByRole('heading', { level: 1, name: 'Shared sneaker' }).waitFor();
    await syncNow(a);
    await go(b, '#/products');  // (B's background sync may already have pulled it)
    await syncNow(b);
    await b.getByRole('link', { name: /Shared sneaker/ }).waitFor();

    // B renames it; A sees the new name.
    await renameProduct(b, 'Shared sneaker', 'Shared sneaker v2');
    await syncNow(b);
    await go(a, '#/products');
    await syncNow(a);
    await a.getByRole('link', { name: /Shared sneaker v2/ }).waitFor();

    // A goes offline and keeps working; back online, its edits go out by themselves.
    await contextA.setOffline(true);
    await waitForText(pending(a), /^Offline/);
    await go(a, '#/products/new');
    await a.getByLabel('Name', { exact: true }).fill('Made on the train');
    await a.getByRole('button', { name: 'Create product' }).click();
    await a.getByRole('heading', { level: 1, name: 'Made on the train' }).waitFor();
    await waitForText(pending(a), /^Offline\s*\d+/);
    await shot(a, '31-sync-offline-pending');
    await contextA.setOffline(false);
    await waitForText(pending(a), /^Synced(?!\s*\d)/, 30_000);
    await go(b, '#/products');
    await syncNow(b);
    await b.getByRole('link', { name: /Made on the train/ }).waitFor();

    // Both offline edit the same product; B writes last, so B's name wins on both, and A counts a conflict.
    await contextA.setOffline(true);
    await contextB.setOffline(true);
    await renameProduct(a, 'Made on the train', 'Renamed by A');
    await new Promise((r) => setTimeout(r, 50));
    await renameProduct(b, 'Made on the train', 'Renamed by B');
    await contextB.setOffline(false);
    await waitForText(pending(b), /^Synced(?!\s*\d)/, 30_000);
    await contextA.setOffline(false);
    await waitForText(pending(a), /^Synced(?!\s*\d)/, 30_000);
    await syncNow(b);
    for (const page of [a, b]) {
      await go(page, '#/products');
      await page.getByRole('link', { name: /Renamed by B/ }).waitFor();
      assert.equal(await page.getByRole('link', { name: /Renamed by A/ }).count(), 0);
    }
    await go(a, '#/sync');
    await waitForText(a.getByTestId('sync-conflicts').locator('dd'), /^[1-9]/);
    await waitForText(a.getByTestId('sync-pending').locator('dd'), /^0$/);
    await waitForText(a.getByTestId('sync-last').locator('dd'), /\d/);
    await shot(a, '32-sync-status');
    await assertHealthy(b, 'sync (B)');
  } finally {
    await contextA.close();
    await contextB.close();
  }
});

test('one browser, several accounts: signed-out data stays apart until moved in; sign-out and another user each get their own database', { skip, timeout: 120_000 }, async () => {
  const context = await demo.newContext();
  try {
    const page = await openApp(context, demo.url, '#/products');
    await createProductNamed(page, 'Made before signing in');
    await signIn(page, 'bob@example.com');
    // Bob's database: not the signed-out rows; the app asks what to do with them.
    const offer = page.getByRole('region', { name: 'Data made while signed out' });
    await offer.getByText(/1 product made while nobody was signed in/).waitFor();
    await go(page, '#/products');
    await page.getByText('No products yet').waitFor();
    await shot(page, '33-account-signed-out-data');
    await offer.getByRole('button', { name: 'Move into my account' }).click();
    await offer.waitFor({ state: 'detached' });
    await page.getByRole('link', { name: /Made before signing in/ }).waitFor();
    await createProductNamed(page, 'Bob only');
    await syncNow(page);

    // Signing out: the signed-out database (now empty), never bob's rows.
    await go(page, '#/sync');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in as alice@example.com' }).waitFor({ timeout: 30_000 });
    await waitForText(page.getByTestId('sync-state').locator('dd'), /Not signed in/);
    await waitForText(page.getByTestId('database-name'), /^campaign-builder$/);
    await go(page, '#/products');
    await page.getByText('No products yet').waitFor();
    await shot(page, '34-account-signed-out');

    // Alice: her own database, none of bob's rows (locally or pulled).
    await signIn(page, 'alice@example.com');
    await waitForText(page.getByTestId('database-name'), /user-a11ce/);
    await syncNow(page);
    await go(page, '#/products');
    await page.getByRole('heading', { level: 1, name: 'Products' }).waitFor();
    assert.equal(await page.getByRole('link', { name: /Bob only|Made before signing in/ }).count(), 0);
    await assertHealthy(page, 'alice');

    // Bob again, in the same browser: his rows are there.
    await go(page, '#/sync');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, 'bob@example.com');
    await go(page, '#/products');
    await page.getByRole('link', { name: /Bob only/ }).waitFor();
    await page.getByRole('link', { name: /Made before signing in/ }).waitFor();
    await shot(page, '35-account-bob-again');
  } finally {
    await context.close();
  }
});

async function createProductNamed(page, name) {
  await go(page, '#/products/new');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Create product' }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}
