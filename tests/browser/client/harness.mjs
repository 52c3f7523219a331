// Browser test plumbing: a static file server for the repository on
// 127.0.0.1 (plain headers: no COOP/COEP, as a user's site would serve
// the module; package imports resolved as a web bundler would) and headless
// Chromium through playwright-core.
import { after, before } from 'node:test';
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolvePackageImports } from '../support/package-imports.mjs';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/** Serves ROOT; resolves with {origin, close}. */
export function serveRepo() {
  return serveDir(ROOT);
}

/** Serves the files under dir (index.html for /). */
export async function serveDir(dir) {
  const base = dir.endsWith(sep) ? dir : dir + sep;
  const server = createServer(async (req, res) => {
    try {
      let path = normalize(join(base, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
      if (path === base) path = join(base, 'index.html');
      if (!path.startsWith(base) || !(await stat(path)).isFile()) {
        res.writeHead(404).end();
        return;
      }
      const type = TYPES[extname(path)];
      const body = type?.startsWith('text/javascript') ? resolvePackageImports(await readFile(path, 'utf8')) : await readFile(path);
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}

/** Why the browser tests cannot run here, or null. Outside CI a missing Chromium skips them. */
export function unavailable() {
  if (existsSync(CHROMIUM)) return null;
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing (tools/setup.sh installs it)`);
  return `no Chromium at ${CHROMIUM}`;
}

export async function launch() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page of the test app, its console and errors collected for failure messages. */
export async function openPage(context, origin) {
  const page = await context.newPage();
  const log = [];
  page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
  await page.goto(`${origin}/tests/browser/client/app.html`);
  await page.waitForFunction(() => window.app !== undefined);
  page.log = log;
  return page;
}

/** The paths of the .wasm files the context's pages and workers request, as they are made. */
export function wasmRequestsOf(context) {
  const paths = [];
  context.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.endsWith('.wasm')) paths.push(pathname);
  });
  return paths;
}

/**
 * This repository served over HTTP and a Chromium, started before the
 * file's tests and closed after them. `skip`: why they cannot run here, or false.
 * @returns {{skip: string | false, server: any, browser: any}}
 */
export function chromiumOnRepo() {
  const env = { skip: unavailable() ?? false, server: null, browser: null };
  before(async () => {
    if (env.skip) return;
    env.server = await serveRepo();
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}
