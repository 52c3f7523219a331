// Plumbing of the demo app's browser tests (web-*.test.mjs): the app built
// with Vite into a temp dir, served by web/server.mjs on 127.0.0.1, driven in
// Debian's Chromium through playwright-core; screenshots go to
// test-results/web/ (git-ignored).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWeb, startWebServer } from '../../web/server.mjs';
import { createRng } from '../fixtures/generate.mjs';
import { encodePng } from '../fixtures/images.mjs';
import { launch, ROOT, unavailable } from './client/harness.mjs';

export { unavailable };
export const SHOTS = join(ROOT, 'test-results', 'web');
export const VIEWPORT = { width: 1280, height: 860 };

/**
 * Builds and serves the app (with `backend` in /config.json, or offline) and
 * launches Chromium. close() stops both and removes the build.
 */
export async function startDemo({ backend = null } = {}) {
  const outDir = mkdtempSync(join(tmpdir(), 'cs-web-'));
  let web;
  let browser;
  try {
    await buildWeb({ outDir, logLevel: 'error' });
    web = await startWebServer({ root: outDir, backend });
    browser = await launch();
  } catch (err) {
    await web?.close();
    rmSync(outDir, { recursive: true, force: true });
    throw err;
  }
  return {
    url: web.url,
    browser,
    /** A fresh context: its own OPFS, localStorage and network conditions. */
    newContext: (options = {}) => browser.newContext({ viewport: VIEWPORT, acceptDownloads: true, ...options }),
    async close() {
      await browser.close();
      await web.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the app at `hash` and waits for the database to be open (the main
 * navigation renders only then). Console errors and page errors are kept in
 * page.appErrors for assertHealthy.
 */
export async function openApp(context, url, hash = '#/products') {
  const page = await context.newPage();
  page.appErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.appErrors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => page.appErrors.push(`pageerror: ${e.message}`));
  await page.goto(`${url}/${hash}`);
  await ready(page);
  return page;
}

/** Waits until the app shell is up (after goto or reload). */
export async function ready(page) {
  await page.getByRole('navigation', { name: 'Main' }).waitFor({ timeout: 30_000 });
}

/** Goes to a route of the app (hash navigation: no reload). */
export async function go(page, hash) {
  await page.evaluate((h) => { window.location.hash = h; }, hash);
}

/** Signs the page in (supabase-js in the app); the store opens that user's database and syncs. */
export async function signIn(page, email = 'alice@example.com') {
  await go(page, '#/sync');
  await page.getByRole('button', { name: `Sign in as ${email}` }).click();
  await waitForText(page.getByTestId('signed-in-as'), new RegExp(`Signed in as ${email}`), 30_000);
  await waitForText(page.getByTestId('sync-state').locator('dd'), /^Synced$/, 30_000);
}

/** The screen rendered: no error boundary, no console or page errors so far. */
export async function assertHealthy(page, where) {
  assert.equal(await page.getByTestId('error-boundary').count(), 0, `${where}: the error boundary is showing`);
  assert.equal(await page.getByText('The database could not be opened').count(), 0, `${where}: the database did not open`);
  assert.deepEqual(page.appErrors, [], `${where}: errors in the console`);
}

/** A full-page screenshot into test-results/web/<name>.png, after checking the screen is healthy. */
export async function shot(page, name) {
  await assertHealthy(page, name);
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.png`);
  await page.evaluate(() => window.scrollTo(0, 0));  // the sticky header belongs at the top of a full-page shot
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A real PNG file for an <input type=file>. */
export function pngFile(name, seed, width = 320, height = 240) {
  return { name, mimeType: 'image/png', buffer: encodePng(createRng(seed), width, height) };
}

/** The text of a locator, trimmed, once it matches `re`. */
export async function waitForText(locator, re, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  let text = '';
  while (Date.now() < deadline) {
    text = ((await locator.textContent().catch(() => '')) ?? '').trim();
    if (re.test(text)) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${re} (last text: "${text}")`);
}
