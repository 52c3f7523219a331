#!/usr/bin/env bash
# The README's test command: sets up a fresh machine, builds, and runs every
# test — Catch2 natively (plain, and built with clang under ASan/UBSan), then
# node:test on the wasm module, the JS client, the local Supabase backend and
# real Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export CI="${CI:-}"

step() { printf '\n==== %s\n' "$*"; }

step "setup"
bash tools/setup.sh

step "build (native, wasm, clang with ASan/UBSan)"
bash tools/build.sh all

step "C++ tests (Catch2 via CTest)"
ctest --test-dir build/native --output-on-failure

step "C++ tests under AddressSanitizer + UndefinedBehaviorSanitizer (clang, float-cast-overflow included)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/sanitize --output-on-failure

step "JS tests (node:test: wasm engine, client, fixtures, server, Chromium)"
mapfile -t suites < <(find tests -name '*.test.mjs' -not -path '*/node_modules/*' | sort)
node --test --test-reporter=spec "${suites[@]}"
