// Builds the native and wasm helpers of the bench into bench/build/ (git-
// ignored), once per change of their inputs:
//   driver           bench/native/driver.cpp + build/native's libcampaign_store_core.a
//                    and libcs_sqlite.a (the same amalgamation and options);
//                    `bash tools/build.sh native` runs first if those are missing
//   speedtest1       SQLite's speedtest1.c, natively (gcc, the project's -O3 and SQLite options)
//   speedtest1.cjs   the same source and options compiled by our Emscripten (emcc -O2, like dist/)
// speedtest1.c comes from Debian's emscripten package (its tests/sqlite/,
// pinned below by SHA-256): no npm package ships SQLite's test sources.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BUILD_DIR, REPO } from '../lib/prepare.mjs';

const SQLITE_DIR = path.join(REPO, 'node_modules/better-sqlite3/deps/sqlite3');
const SPEEDTEST1 = '/usr/share/emscripten/tests/sqlite/speedtest1.c';
export const SPEEDTEST1_SHA256 = 'ba17bdc60be3db11f2850e349cf6ded1546a9d690e80ba022d6684e3d92d90bd';
// cmake/SqliteAmalgamation.cmake's definitions (native build).
export const SQLITE_DEFINES = ['SQLITE_THREADSAFE=0', 'SQLITE_DQS=0', 'SQLITE_OMIT_LOAD_EXTENSION', 'SQLITE_TEMP_STORE=3',
  'SQLITE_ENABLE_FTS5', 'SQLITE_DEFAULT_PAGE_SIZE=4096', 'SQLITE_DEFAULT_CACHE_SIZE=-8192', 'SQLITE_DEFAULT_FOREIGN_KEYS=1',
  'SQLITE_DEFAULT_MEMSTATUS=0', 'SQLITE_LIKE_DOESNT_MATCH_BLOBS', 'SQLITE_OMIT_DEPRECATED', 'SQLITE_OMIT_SHARED_CACHE',
  'SQLITE_USE_ALLOCA', 'SQLITE_MAX_EXPR_DEPTH=0', 'SQLITE_ENABLE_MATH_FUNCTIONS'].map((d) => `-D${d}`);

const hashOf = (parts) => crypto.createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);
const stamp = (file) => (fs.existsSync(file) ? `${fs.statSync(file).mtimeMs}:${fs.statSync(file).size}` : 'missing');

/** Runs `build` unless `out` was built from the same inputs; returns seconds spent (0 when cached). */
function cached(out, inputs, build) {
  const key = hashOf(inputs);
  const keyFile = `${out}.key`;
  if (fs.existsSync(out) && fs.existsSync(keyFile) && fs.readFileSync(keyFile, 'utf8') === key) return 0;
  const t0 = Date.now();
  build();
  fs.writeFileSync(keyFile, key);
  return (Date.now() - t0) / 1000;
}

export function buildDriver(log = () => {}) {
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  const lib = path.join(REPO, 'build/native/libcampaign_store_core.a');
  const sqliteLib = path.join(REPO, 'build/native/libcs_sqlite.a');
  if (!fs.existsSync(lib) || !fs.existsSync(sqliteLib)) {
    log('build/native libraries missing: bash tools/build.sh native');
    execFileSync('bash', ['tools/build.sh', 'native'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const src = path.join(REPO, 'bench/native/driver.cpp');
  const out = path.join(BUILD_DIR, 'driver');
  const seconds = cached(out, [stamp(src), stamp(lib), stamp(sqliteLib)], () => {
    log('compiling bench/native/driver.cpp');
    execFileSync('g++', ['-std=c++17', '-O2', '-g', '-DNDEBUG', `-I${path.join(REPO, 'include')}`, `-I${path.join(REPO, 'src')}`, `-I${SQLITE_DIR}`,
      src, lib, sqliteLib, '-o', out], { stdio: 'inherit' });
  });
  return { path: out, seconds, libBuilt: new Date(fs.statSync(lib).mtimeMs).toISOString() };
}

export function speedtest1Available() {
  if (!fs.existsSync(SPEEDTEST1)) return { ok: false, why: `${SPEEDTEST1} not found (Debian package emscripten)` };
  const sha = crypto.createHash('sha256').update(fs.readFileSync(SPEEDTEST1)).digest('hex');
  if (sha !== SPEEDTEST1_SHA256) return { ok: false, why: `${SPEEDTEST1} has SHA-256 ${sha}, expected ${SPEEDTEST1_SHA256}` };
  return { ok: true };
}

export function buildSpeedtest1(log = () => {}) {
  const shim = path.join(REPO, 'bench/native/speedtest1_trace.c');
  const common = [...SQLITE_DEFINES, `-I${SQLITE_DIR}`, shim, SPEEDTEST1, path.join(SQLITE_DIR, 'sqlite3.c')];
  const native = path.join(BUILD_DIR, 'speedtest1');
  const inputs = [stamp(SPEEDTEST1), stamp(shim), stamp(path.join(SQLITE_DIR, 'sqlite3.c'))];
  const nativeSeconds = cached(native, [...inputs, 'native-O3'], () => {
    log('compiling speedtest1 (gcc -O3)');
    execFileSync('gcc', ['-O3', '-DNDEBUG', '-w', ...common, '-lm', '-o', native], { stdio: 'inherit' });
  });
  const wasm = path.join(BUILD_DIR, 'speedtest1.cjs');  // a classic script: runs main() when loaded
  const emcc = process.env.CAMPAIGN_STORE_EMCC ?? '/usr/bin/emcc';
  let wasmSeconds = 0;
  let wasmError = null;
  try {
    wasmSeconds = cached(wasm, [...inputs, 'emcc-O2-sync', emcc], () => {
      log('compiling speedtest1 to wasm (emcc -O2; a minute or two)');
      execFileSync(emcc, ['-O2', '-DNDEBUG', '-w', ...common, '-sALLOW_MEMORY_GROWTH=1', '-sINITIAL_MEMORY=33554432',
        '-sENVIRONMENT=node', '-sEXIT_RUNTIME=1',
        // Synchronous instantiation reads the .wasm with fs: 3.1.6's async path would fetch() a file path, which Node 20 refuses.
        '-sWASM_ASYNC_COMPILATION=0', '-o', wasm],
      { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NODE_PATH: '/usr/share/nodejs' } });
    });
  } catch (e) {
    wasmError = String(e.message).split('\n')[0];
  }
  return { native, wasm: wasmError ? null : wasm, wasmError, seconds: nativeSeconds + wasmSeconds };
}
