#!/usr/bin/env bash
# Builds everything the tests and the demo need:
#   build/native   the core + Catch2 tests with g++ (Release)
#   build/wasm     the ES module + .wasm with emcmake (and the lean .wasm, without
#                  the legacy migration), copied to dist/, and the
#                  test build (plus storage.selfTest) as dist/campaign_store_test.*;
#                  then the JS made from its op table (tools/gen-ops.mjs)
#   build/sanitize the core + tests with clang, ASan and UBSan (sanitize, all)
# Usage: tools/build.sh [native|wasm|sanitize|all]   (default: native + wasm)
# Set-up (toolchain, npm packages) is done first, so this works on a fresh clone.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-default}
jobs=$(nproc 2>/dev/null || echo 2)

# One build at a time per checkout: concurrent builds into the same tree
# would race on CMake's files.
mkdir -p build
exec 9>build/.build.lock
flock 9

bash ./emsdk-setup.sh >/dev/null
# shellcheck disable=SC1091
source build/toolchain.env

# The SQLite amalgamation comes from the pinned npm package, the JS minifier
# (tools/minify.mjs) from rolldown.
if [ ! -f node_modules/better-sqlite3/deps/sqlite3/sqlite3.c ] || [ ! -d node_modules/rolldown ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi

native() {
  cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build/native -j"$jobs"
}
# With clang: its -fsanitize=undefined checks float-cast-overflow too (a
# double converted to an integer type that cannot hold it), which GCC's
# leaves out, so it is named here for both.
sanitize() {
  cmake -S . -B build/sanitize -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
    -DCS_SANITIZE=address,undefined,float-cast-overflow >/dev/null
  cmake --build build/sanitize -j"$jobs"
}
wasm() {
  "$CAMPAIGN_STORE_EMCMAKE" cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build/wasm -j"$jobs" --target campaign_store_wasm campaign_store_lean_wasm campaign_store_test_wasm
  mkdir -p dist
  # The lean module loads through the full module's glue (js/engine/load.js).
  cp build/wasm/campaign_store.mjs build/wasm/campaign_store.wasm build/wasm/campaign_store_lean.wasm dist/
  cp build/wasm/campaign_store_test.mjs build/wasm/campaign_store_test.wasm dist/
  # The glue is loaded as it is (bundlers copy it, they do not minify it).
  node tools/minify.mjs dist/campaign_store.mjs dist/campaign_store_test.mjs
  # The store's methods and their types, from this module's op table.
  node tools/gen-ops.mjs
}

case "$what" in
  native) native ;;
  wasm) wasm ;;
  sanitize) sanitize ;;
  all) native; wasm; sanitize ;;
  default) native; wasm ;;
  *) echo "usage: tools/build.sh [native|wasm|sanitize|all]" >&2; exit 2 ;;
esac
