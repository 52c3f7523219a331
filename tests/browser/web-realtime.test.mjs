// Realtime in the demo app: two browser contexts signed in as one user. A
// change made in one appears in the other with nobody clicking "Sync now"
// (their poll interval is 30 s; the change comes through the gateway's
// Realtime socket, realtime-js in the page), a second tab of a context uses
// its leader's socket instead of opening one, and a context that goes
// offline shows the images the other one uploaded from its own blob store,
// with no network request.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBackend } from '../../tools/backend/backend.mjs';
import { assertHealthy, go, openApp, pngFile, signIn, startDemo, unavailable, waitForText } from './web-support.mjs';

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

const live = (page) => page.getByTestId('sync-realtime').locator('dd');

test('a change in one browser appears in the other without a click; offline, the other shows the uploaded image from its own copy', { skip, timeout: 150_000 }, async () => {
  const contextA = await demo.newContext();
  const contextB = await demo.newContext();
  try {
    const a = await openApp(contextA, demo.url, '#/sync');
    const b = await openApp(contextB, demo.url, '#/sync');
    await signIn(a);
    await signIn(b);
    await waitForText(live(a), /^connected/, 30_000);
    await waitForText(live(b), /^connected/, 30_000);

    // A second tab of B follows B's leader: it shows 'off' and opens no socket of its own.
    const b2 = await openApp(contextB, demo.url, '#/sync');
    await waitForText(b2.getByTestId('signed-in-as'), /Signed in as alice@example.com/, 30_000);
    await waitForText(live(b2), /^off/, 30_000);
    assert.equal(backend.realtimeSockets, 2, 'one Realtime socket per browser, in its leader tab');
    await b2.close();

    // A creates a product with a photo; B, watching its list, sees it come in.
    await go(b, '#/products');
    await go(a, '#/products/new');
    await a.getByLabel('Name', { exact: true }).fill('Live sneaker');
    await a.getByLabel('Images').setInputFiles([pngFile('live-sneaker.png', 'live')]);
    await a.getByRole('button', { name: 'Create product' }).click();
    await a.getByRole('heading', { level: 1, name: 'Live sneaker' }).waitFor();
    await b.getByRole('link', { name: /Live sneaker/ }).waitFor({ timeout: 20_000 });

    // B downloads the photo in the background; then, offline, it shows it from OPFS.
    await go(b, '#/sync');
    await waitForText(b.getByTestId('sync-downloads').locator('dd'), /^0$/, 30_000);
    await contextB.setOffline(true);
    const failed = [];
    b.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
    await go(b, '#/products');
    await b.getByRole('link', { name: /Live sneaker/ }).click();
    await b.getByRole('heading', { level: 1, name: 'Live sneaker' }).waitFor();
    const img = b.locator('main img').first();
    await img.waitFor();
    await b.waitForFunction((el) => el.src.startsWith('blob:') && el.complete && el.naturalWidth > 0,
      await img.elementHandle(), { timeout: 20_000 });
    assert.deepEqual(failed, [], 'nothing was fetched from the network offline');
    await assertHealthy(b, 'offline B');
    await assertHealthy(a, 'A');
  } finally {
    await contextA.close();
    await contextB.close();
  }
});
