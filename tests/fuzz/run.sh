#!/usr/bin/env bash
# Builds the legacy import fuzzer (libFuzzer + ASan + UBSan, clang-14) and
# runs it for a bounded time. Exits non-zero when it finds a crash, a leak,
# undefined behaviour or a broken invariant (the reproducer is left in
# build/fuzz/artifacts/).
#
#   bash tests/fuzz/run.sh            # 60 s (FUZZ_SECONDS to change)
#   bash tests/fuzz/run.sh <file>     # replay one input
#
# Needs clang-14 and libclang-rt-14-dev (apt-get install -y clang-14
# libclang-rt-14-dev); installs them when missing and apt-get is there.
# The core is built with CMake's existing CS_SANITIZE option into
# build/fuzz (no fuzz target in CMakeLists.txt): only the fuzzer's own file
# is linked here.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${FUZZ_SECONDS:-60}
out=build/fuzz

have_libfuzzer() {
  command -v clang++-14 >/dev/null && ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1
}
if ! have_libfuzzer; then
  if command -v apt-get >/dev/null; then
    apt-get install -y -q clang-14 libclang-rt-14-dev >/dev/null
  fi
  if ! have_libfuzzer; then
    echo "tests/fuzz/run.sh: needs clang-14 with libFuzzer (apt-get install -y clang-14 libclang-rt-14-dev)" >&2
    exit 2
  fi
fi
# The SQLite amalgamation comes from the pinned npm package.
if [ ! -f node_modules/better-sqlite3/deps/sqlite3/sqlite3.c ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi

mkdir -p "$out"
exec 9>"$out/.lock"
flock 9
CC=clang-14 CXX=clang++-14 cmake -S . -B "$out" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCS_BUILD_TESTS=OFF \
  -DCS_SANITIZE=address,undefined,fuzzer-no-link >/dev/null
cmake --build "$out" -j"$(nproc 2>/dev/null || echo 2)" --target campaign_store_core >/dev/null
clang++-14 -std=c++17 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Iinclude -Isrc \
  tests/fuzz/legacy_import_fuzzer.cpp "$out/libcampaign_store_core.a" "$out/libcs_sqlite.a" -ldl -lpthread \
  -o "$out/legacy_import_fuzzer"

if [ $# -gt 0 ]; then
  exec "$out/legacy_import_fuzzer" "$@"
fi
rm -rf "$out/seeds" && node tests/fuzz/make_corpus.mjs "$out/seeds" >/dev/null
mkdir -p "$out/corpus" "$out/artifacts"
# -max_len: seeds are up to ~65 KB; -rss_limit_mb bounds memory; the detect_leaks
# default of ASan stays on.
"$out/legacy_import_fuzzer" "$out/corpus" "$out/seeds" -max_total_time="$seconds" -max_len=70000 \
  -timeout=20 -rss_limit_mb=2048 -artifact_prefix="$out/artifacts/" -print_final_stats=1
