// campaign-store as its users get it: `npm pack` of this checkout, put into
// apps built by the bundlers in use — Vite 6, 7 and 8 and webpack 5 with
// their default configurations, and Next.js (client component, Turbopack) —
// and by Vite's dev servers. Each build must run in Chromium on OPFS without
// COOP/COEP, and no browser output may hold Node-only code: no specifier of a
// Node built-in and none of the module's Node-only files.
//
// The bundlers come from the npm registry, pinned by this directory's
// package-lock.json, installed by this test into a cache directory
// ($CAMPAIGN_STORE_CACHE or ~/.cache/campaign-store) keyed by the lockfile's
// hash, so later runs reuse it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, serveDir, unavailable } from '../browser/client/harness.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO = join(HERE, '..', '..');
const skip = unavailable() ?? (existsSync(join(REPO, 'dist/campaign_store.wasm')) ? false : 'no dist/ (bash tools/build.sh wasm)');

// Files only Node may load (js/platform/README.md), and Node built-in
// specifiers: any `node:` one, or a bare built-in in an ES import. (The wasm
// loader Emscripten generates keeps its own Node branch, CommonJS require()
// calls behind a runtime check, which no bundler resolves.)
const NODE_ONLY_FILES = /(transport-node|node-lock|node-entry|platform\/node)/;
const NODE_SPECIFIER = /(?:(?:from\s*|import\s*\(\s*|require\s*\(\s*)["']node:[\w/]+["'])|(?:(?:from\s*|import\s*\(\s*)["'](?:fs|fs\/promises|path|worker_threads|module|url)["'])/;

let cache;
let work;
let browser;

before(async () => {
  if (skip) return;
  cache = installBundlers();
  work = mkdtempSync(join(cache, 'apps-'));
  const tarball = execFileSync('npm', ['pack', '--pack-destination', work, '--loglevel=error'], { cwd: REPO, encoding: 'utf8' }).trim().split('\n').at(-1);
  cpSync(join(HERE, 'app'), join(work, 'app'), { recursive: true });
  const pkg = join(work, 'node_modules', 'campaign-store');  // the app and the Next app both find it
  mkdirSync(pkg, { recursive: true });
  execFileSync('tar', ['-xzf', join(work, tarball), '-C', pkg, '--strip-components=1']);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** npm ci of the pinned bundlers into the cache (once per lockfile); returns the directory. */
function installBundlers() {
  const lock = readFileSync(join(HERE, 'package-lock.json'));
  const hash = createHash('sha256').update(lock).update(readFileSync(join(HERE, 'package.json'))).digest('hex').slice(0, 16);
  const root = process.env.CAMPAIGN_STORE_CACHE ?? join(homedir(), '.cache', 'campaign-store');
  const dir = join(root, `consumer-${hash}`);
  if (existsSync(join(dir, 'node_modules', '.package-lock.json'))) return dir;
  const staging = `${dir}.${process.pid}`;
  mkdirSync(staging, { recursive: true });
  cpSync(join(HERE, 'package.json'), join(staging, 'package.json'));
  cpSync(join(HERE, 'package-lock.json'), join(staging, 'package-lock.json'));
  execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: staging, stdio: 'inherit' });
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return dir;
}

function build(bundler, outDir, cwd = join(work, 'app')) {
  execFileSync(process.execPath, [join(work, 'app', 'build.mjs'), bundler, outDir], { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
}

function files(dir) {
  return readdirSync(dir, { recursive: true }).map((f) => join(dir, f)).filter((f) => statSync(f).isFile());
}

/** No Node-only file and no Node built-in specifier anywhere in a browser build. */
function assertBrowserOnly(dir) {
  const all = files(dir);
  assert.deepEqual(all.filter((f) => NODE_ONLY_FILES.test(f)), [], 'no Node-only file');
  for (const file of all.filter((f) => /\.(m?js|html)$/.test(f))) {
    const m = NODE_SPECIFIER.exec(readFileSync(file, 'utf8'));
    assert.equal(m, null, `${file} imports a Node built-in: ${m?.[0]}`);
  }
  const text = all.filter((f) => /\.m?js$/.test(f)).map((f) => readFileSync(f, 'utf8')).join('\n');
  assert.doesNotMatch(text, /worker_threads|releaseOrphanLock|openNodePool\s*\(\s*\{/, 'no Node-only code');
  assert.ok(all.some((f) => f.endsWith('.wasm')), 'the wasm ships');
}

/** Loads `url` in a fresh Chromium context and returns window.result and the rendered list. */
async function run(url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const log = [];
  page.on('pageerror', (e) => log.push(e.message));
  try {
    await page.goto(url);
    await page.waitForFunction(() => window.result !== undefined, null, { timeout: 60_000 });
    const result = await page.evaluate(() => window.result);
    if (!result.error) await page.locator('#products li', { hasText: 'Bundled sneaker' }).waitFor({ timeout: 15_000 });
    return { ...result, log };
  } finally {
    await context.close();
  }
}

const WORKS = { sqlite: '3.53.2', storage: 'opfs', crossOriginIsolated: false };

test('the packed package ships what a user needs: its license, the Supabase migrations, and every file its exports and imports name', { skip }, () => {
  const pkgDir = join(work, 'node_modules', 'campaign-store');
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  assert.match(readFileSync(join(pkgDir, 'LICENSE'), 'utf8'), /^MIT License/);
  const migrations = readdirSync(join(pkgDir, 'supabase', 'migrations'));
  assert.deepEqual(migrations, readdirSync(join(REPO, 'supabase', 'migrations')));
  const targets = [];
  const collect = (value) => {
    if (typeof value === 'string') targets.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect(pkg.exports);
  for (const [pattern, conditions] of Object.entries(pkg.imports)) {
    for (const target of Object.values(conditions)) {
      for (const file of readdirSync(join(pkgDir, target.slice(0, target.indexOf('*'))))) targets.push(target.replace('*', file.replace(/\.js$/, '')));
      assert.ok(pattern.startsWith('#'));
    }
  }
  for (const target of targets) assert.ok(existsSync(join(pkgDir, target)), `${target} is in the package`);
  // What the README tells package users to open ships too.
  const readme = readFileSync(join(pkgDir, 'README.md'), 'utf8');
  // (The sections for package users, README's second paragraph says: Install … Limits, less The one door.)
  const userPart = readme.slice(readme.indexOf('## Install'), readme.indexOf('## The one door'))
    + readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Build'));
  for (const [, path] of userPart.matchAll(/`((?:js|dist|supabase)\/[\w./-]*)`/g)) {
    assert.ok(existsSync(join(pkgDir, path)), `README names ${path}, which the package lacks`);
  }
  assert.doesNotMatch(userPart.replace(/For development and tests the repository[^]*?alone\./, ''), /`(?:src|bench|include)\//);
});

/** A build holds no Node-only code, and served as it is, runs on OPFS. */
async function assertRuns(out) {
  assertBrowserOnly(out);
  const server = await serveDir(out);
  try {
    const { log, ...result } = await run(`${server.origin}/`);
    assert.deepEqual(result, WORKS, log.join('\n'));
  } finally {
    await server.close();
  }
}

for (const bundler of ['vite6', 'vite7', 'vite8', 'webpack']) {
  test(`${bundler} (default config) bundles the packed module; it runs on OPFS with no Node-only code in the output`, { skip, timeout: 240_000 }, async () => {
    const out = join(work, `dist-${bundler}`);
    build(bundler, out);
    if (bundler === 'webpack') writeFileSync(join(out, 'index.html'), '<!doctype html><meta charset="utf-8"><div id="root"></div><script src="main.js"></script>');
    await assertRuns(out);
  });
}

test('Next.js 16 (client component, Turbopack) builds and runs it; the static export holds no Node-only code', { skip, timeout: 300_000 }, async () => {
  const app = join(work, 'next');
  cpSync(join(work, 'app', 'next'), app, { recursive: true });
  execFileSync(process.execPath, [join(cache, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
    cwd: app, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  await assertRuns(join(app, 'out'));
});

/** A Vite dev server of the app; resolves with {url, close}. */
function devServer(vite, exclude) {
  const child = spawn(process.execPath, [join(work, 'app', 'build.mjs'), `${vite}-dev`, exclude ? 'exclude' : ''],
    { cwd: join(work, 'app'), stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => { child.kill(); reject(new Error(`${vite} dev server did not start: ${out}`)); }, 60_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const url = /URL (\S+)/.exec(out)?.[1];
      if (!url) return;
      clearTimeout(timer);
      resolve({ url, close: () => new Promise((done) => { child.once('exit', done); child.stdin.end(); }) });
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${vite} dev server exited (${code}): ${out}`)); });
  });
}

test('Vite dev servers: 8 as configured by default; 6 and 7 with README\'s optimizeDeps line, and without it a message that names the line', { skip, timeout: 240_000 }, async () => {
  for (const [vite, exclude] of [['vite8', false], ['vite7', true], ['vite6', true], ['vite7', false]]) {
    rmSync(join(work, 'app', 'node_modules'), { recursive: true, force: true });  // Vite's dep cache
    const server = await devServer(vite, exclude);
    try {
      const { log, ...result } = await run(`${server.url}/`);
      if (vite === 'vite8' || exclude) assert.deepEqual(result, WORKS, `${vite} dev: ${log.join('\n')}`);
      else assert.match(result.error, /optimizeDeps: \{ exclude: \['campaign-store'\] \}/, `${vite} dev without the line`);
    } finally {
      await server.close();
    }
  }
});
