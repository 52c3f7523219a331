// The demo Campaign Builder's own server: builds the app with Vite and serves
// the production bundle on loopback, plain headers (no COOP/COEP: the store
// needs no SharedArrayBuffer), plus two small demo routes:
//
//   GET /config.json                       which backend to sync with (or null: offline)
//   GET /demo/legacy-dump.json?preset=P    a realistic legacy localStorage dump
//                                          (tests/fixtures/generate.mjs) and its manifest
//
//   import { buildWeb, startWebServer } from './web/server.mjs';
//   const outDir = await buildWeb();
//   const web = await startWebServer({ root: outDir, backend: { url, anonKey, users } });
//   // web.url ... await web.close();
//
// CLI (serves an existing build, offline): node web/server.mjs [--port 5173] [--build]
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const WEB_DIR = path.dirname(fileURLToPath(import.meta.url));
export const DIST_DIR = path.join(WEB_DIR, 'dist');
const PRESETS = ['small', 'medium', 'near-quota'];

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** Builds the app with web/vite.config.mjs; resolves with the output directory. */
export async function buildWeb({ outDir = DIST_DIR, logLevel = 'warn' } = {}) {
  const { build } = await import('vite');
  await build({
    configFile: path.join(WEB_DIR, 'vite.config.mjs'),
    logLevel,
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}

/**
 * The demo routes, shared by the static server and Vite's dev server.
 * @param {{backend?: {url: string, anonKey: string, users: Array<{email: string, password: string}>} | null}} options
 * @returns {(req: http.IncomingMessage, res: http.ServerResponse) => Promise<boolean>} true when it answered
 */
export function demoRoutes({ backend = null } = {}) {
  const config = {
    backend: backend && {
      url: backend.url,
      anonKey: backend.anonKey,
      // Demo accounts of the local backend (tools/backend/auth.mjs): shown as sign-in buttons.
      users: backend.users.map(({ email, password }) => ({ email, password })),
    },
  };
  const dumps = new Map();  // preset -> JSON text (generated once, ~5 MB for near-quota)
  return async (req, res) => {
    const url = new URL(req.url, 'http://local');
    if (url.pathname === '/config.json') {
      send(res, 200, JSON.stringify(config), TYPES['.json']);
      return true;
    }
    if (url.pathname === '/demo/legacy-dump.json') {
      const preset = url.searchParams.get('preset') ?? 'near-quota';
      if (!PRESETS.includes(preset)) {
        send(res, 400, JSON.stringify({ error: `preset must be one of ${PRESETS.join(', ')}` }), TYPES['.json']);
        return true;
      }
      if (!dumps.has(preset)) {
        const { generatePreset } = await import('../tests/fixtures/generate.mjs');
        const { dump, manifest } = generatePreset(preset);
        dumps.set(preset, JSON.stringify({ preset, dump, manifest }));
      }
      send(res, 200, dumps.get(preset), TYPES['.json']);
      return true;
    }
    return false;
  };
}

/**
 * Serves the built app (index.html for unknown paths: the app routes itself)
 * and the demo routes on 127.0.0.1.
 * @returns {Promise<{url: string, port: number, close: () => Promise<void>}>}
 */
export async function startWebServer({ root = DIST_DIR, host = '127.0.0.1', port = 0, backend = null } = {}) {
  const base = path.resolve(root) + path.sep;
  if (!fs.existsSync(path.join(base, 'index.html'))) {
    throw new Error(`no build in ${base} (run buildWeb() first)`);
  }
  const routes = demoRoutes({ backend });
  const server = http.createServer(async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(res, 405, 'method not allowed');
        return;
      }
      if (await routes(req, res)) return;
      const pathname = decodeURIComponent(new URL(req.url, 'http://local').pathname);
      let file = path.normalize(path.join(base, pathname));
      if (!file.startsWith(base) || !isFile(file)) file = path.join(base, 'index.html');
      const hashed = file.includes(`${path.sep}assets${path.sep}`);
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-store',
        'x-content-type-options': 'nosniff',
      });
      if (req.method === 'HEAD') res.end();
      else fs.createReadStream(file).pipe(res);
    } catch (err) {
      if (!res.headersSent) send(res, 500, String(err?.message ?? err));
      else res.destroy();
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  const actual = server.address().port;
  return {
    url: `http://${host}:${actual}`,
    port: actual,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

function isFile(file) {
  try { return fs.statSync(file).isFile(); } catch { return false; }
}

function send(res, status, body, type = 'text/plain; charset=utf-8') {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '5173' },
      build: { type: 'boolean', default: false },
    },
  });
  if (values.build || !fs.existsSync(path.join(DIST_DIR, 'index.html'))) await buildWeb();
  const web = await startWebServer({ port: Number(values.port) });
  console.log(`Campaign Builder (offline, no backend): ${web.url}/`);
  const stop = () => web.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
