#!/usr/bin/env bash
# Everything a fresh Debian machine with Node 20 needs before building or
# testing: the C++/wasm toolchain (emsdk-setup.sh), Chromium and Firefox ESR
# for browser tests, PostgreSQL 15 for the local Supabase stand-in, and the
# npm packages pinned in package-lock.json. Idempotent: it only installs what
# is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*"; }

bash ./emsdk-setup.sh

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/firefox-esr ] || need+=(firefox-esr)
[ -x /usr/lib/postgresql/15/bin/postgres ] || need+=(postgresql-15)
# The sanitizer build (tools/build.sh sanitize): clang and its sanitizer runtimes.
command -v clang++-14 >/dev/null 2>&1 || need+=(clang-14)
dpkg-query -W -f='${Status}' libclang-rt-14-dev 2>/dev/null | grep -q 'ok installed' || need+=(libclang-rt-14-dev)
if [ ${#need[@]} -gt 0 ]; then
  runner=()
  [ "$(id -u)" -eq 0 ] || runner=(sudo)
  say "installing ${need[*]}"
  "${runner[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${runner[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# npm ci only when the lockfile changed since the last install, so repeated
# runs stay fast; scripts of dependencies never run (.npmrc: ignore-scripts).
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
say "ready: $(node --version), chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), firefox $(/usr/bin/firefox-esr --version 2>/dev/null | awk '{print $3}'), postgres $(/usr/lib/postgresql/15/bin/postgres --version | awk '{print $3}')"
