#!/usr/bin/env bash
# The README's main command: set up, build, and start the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bash tools/build.sh wasm
exec node tools/demo.mjs "$@"
