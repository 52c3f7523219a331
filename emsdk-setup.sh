#!/usr/bin/env bash
# Provides everything the build needs, idempotently: an Emscripten toolchain,
# a native C++ toolchain, CMake, nlohmann_json and Catch2.
#
# Order of preference for Emscripten:
#   1. an `emcc` already on PATH,
#   2. an emsdk checkout in $EMSDK (its emsdk_env.sh is sourced),
#   3. Debian's `emscripten` package (emsdk's own download needs internet).
#
# It writes build/toolchain.env, which tools/build.sh sources, so the fixes for
# Debian's Emscripten 3.1.6 live in one place:
#   - emcc runs its JS tools with /usr/bin/node, which does not search Debian's
#     /usr/share/nodejs, so `acorn` is not found without NODE_PATH.
#   - (the ES-module `__dirname`/`require` and Node `fetch(file:)` pitfalls are
#     handled in src/bindings/node_esm_prelude.js and js/engine/load.js.)
#
# Exit status: 0 when every tool is usable; 1 with a message naming what is
# missing otherwise.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
env_file="$here/build/toolchain.env"
mkdir -p "$here/build"

say() { printf '[emsdk-setup] %s\n' "$*"; }
die() { printf '[emsdk-setup] ERROR: %s\n' "$*" >&2; exit 1; }

apt_updated=0
apt_install() {
  # Installs Debian packages only when we are allowed to (root or sudo).
  local runner=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "need root or sudo to install: $*"
    runner=(sudo)
  fi
  command -v apt-get >/dev/null 2>&1 || die "no apt-get; install these yourself: $*"
  if [ "$apt_updated" -eq 0 ]; then
    say "apt-get update"
    "${runner[@]}" apt-get update -qq
    apt_updated=1
  fi
  say "installing: $*"
  DEBIAN_FRONTEND=noninteractive "${runner[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# --- native toolchain, CMake, libraries -------------------------------------
missing=()
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
command -v make >/dev/null 2>&1 || missing+=(make)
[ -f /usr/include/nlohmann/json.hpp ] || missing+=(nlohmann-json3-dev)
[ -f /usr/include/catch2/catch.hpp ] || missing+=(catch2)
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi

# --- Emscripten ---------------------------------------------------------------
emcc_source=""
if command -v emcc >/dev/null 2>&1; then
  emcc_source="PATH"
elif [ -n "${EMSDK:-}" ] && [ -f "$EMSDK/emsdk_env.sh" ]; then
  # shellcheck disable=SC1091
  source "$EMSDK/emsdk_env.sh" >/dev/null 2>&1 || true
  command -v emcc >/dev/null 2>&1 && emcc_source="\$EMSDK ($EMSDK)"
fi
if [ -z "$emcc_source" ]; then
  apt_install emscripten
  command -v emcc >/dev/null 2>&1 || die "could not provide emcc (no PATH emcc, no \$EMSDK, apt install failed)"
  emcc_source="Debian package"
fi

emcc_path=$(command -v emcc)
# sed reads all of it: `head` closing the pipe early made emcc die of SIGPIPE,
# which pipefail turned into a failed setup now and then.
emcc_version=$(emcc --version 2>/dev/null | sed -nE '1s/.* ([0-9]+\.[0-9]+\.[0-9]+).*/\1/p')
emcmake_path=$(command -v emcmake || true)
[ -n "$emcmake_path" ] || die "emcc found at $emcc_path but emcmake is missing"

node_path="${NODE_PATH:-}"
if [ -d /usr/share/nodejs ]; then
  case ":$node_path:" in *:/usr/share/nodejs:*) ;; *) node_path="/usr/share/nodejs${node_path:+:$node_path}" ;; esac
fi

# Prove the toolchain works end to end on a one-line program; this catches the
# acorn/NODE_PATH failure here instead of deep inside the build.
probe_dir=$(mktemp -d)
trap 'rm -rf "$probe_dir"' EXIT
printf 'int main(){return 0;}\n' > "$probe_dir/p.c"
if ! NODE_PATH="$node_path" emcc -O2 "$probe_dir/p.c" -o "$probe_dir/p.js" >"$probe_dir/log" 2>&1; then
  cat "$probe_dir/log" >&2
  die "emcc ($emcc_source, $emcc_path) cannot link a trivial program; see the log above"
fi

cat > "$env_file" <<EOF
# Written by emsdk-setup.sh; sourced by tools/build.sh.
export PATH="$(dirname "$emcc_path"):\$PATH"
export NODE_PATH="$node_path"
export CAMPAIGN_STORE_EMCC="$emcc_path"
export CAMPAIGN_STORE_EMCMAKE="$emcmake_path"
EOF

say "emcc $emcc_version from $emcc_source ($emcc_path)"
say "g++ $(g++ -dumpfullversion), $(cmake --version | head -n1), nlohmann_json and Catch2 present"
say "wrote ${env_file#"$here"/}"
