// A tiny static file server for Chromium tests and benches: the repository
// root on 127.0.0.1, an ephemeral port, no COOP/COEP headers (the pool VFS
// needs no SharedArrayBuffer). Only files under the root are served; the
// module's package imports are resolved as a web bundler would.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { resolvePackageImports } from './package-imports.mjs';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/**
 * `gzip`: answer gzip -9 bodies to clients that accept them, as a production
 * server would (the cold-start bench measures what crosses the network).
 * @returns {Promise<{url: string, close: () => Promise<void>}>}
 */
export async function startServer(root = REPO_ROOT, { gzip = false } = {}) {
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = path.join(root, path.normalize(pathname));
    if (!file.startsWith(root) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    const headers = { 'content-type': type, 'cache-control': 'no-store' };
    if (gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      const body = type.startsWith('text/javascript') ? resolvePackageImports(fs.readFileSync(file, 'utf8')) : fs.readFileSync(file);
      res.writeHead(200, { ...headers, 'content-encoding': 'gzip' }).end(zlib.gzipSync(body, { level: 9 }));
      return;
    }
    res.writeHead(200, headers);
    if (type.startsWith('text/javascript')) res.end(resolvePackageImports(fs.readFileSync(file, 'utf8')));
    else fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}
