// The module bundled by Vite, as the Campaign Builder ships it: Vite must
// find the worker (new Worker(new URL(...), {type: 'module'})) and the wasm
// (new URL(..., import.meta.url)), and the bundle must run in Chromium
// served without COOP/COEP headers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, ROOT, serveDir, unavailable } from './client/harness.mjs';

const skip = unavailable() ?? false;
const app = join(ROOT, 'tests/browser/client/vite-app');
let outDir;
let browser;

before(async () => {
  if (skip) return;
  outDir = mkdtempSync(join(tmpdir(), 'cs-vite-'));
  const { build } = await import('vite');
  const alias = [{ find: /^campaign-store$/, replacement: join(ROOT, 'js/index.js') }];
  await build({ root: app, configFile: false, logLevel: 'silent', resolve: { alias },
    build: { outDir, emptyOutDir: true } });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

test('a Vite bundle ships the worker and the wasm and runs them', { skip, timeout: 120000 }, async () => {
  const assets = readdirSync(join(outDir, 'assets'));
  assert.ok(assets.some((f) => f.endsWith('.wasm')), `no wasm in ${assets}`);
  assert.ok(assets.some((f) => f.startsWith('browser-entry')), `no worker chunk in ${assets}`);
  const server = await serveDir(outDir);
  const page = await browser.newPage();
  try {
    await page.goto(`${server.origin}/`);
    const result = await page.evaluate(() => window.result);
    assert.deepEqual(result, { rows: [{ x: 42 }], sqlite: '3.53.2', crossOriginIsolated: false });
  } finally {
    await page.close();
    await server.close();
  }
});
