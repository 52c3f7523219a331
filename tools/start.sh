#!/usr/bin/env bash
# The README's main command (npm start): set up a fresh machine, build the
# wasm module, then build and serve the demo Campaign Builder with the local
# backend (tools/demo.mjs). Arguments go to tools/demo.mjs (--port, --offline).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bash tools/build.sh wasm
exec node tools/demo.mjs "$@"
