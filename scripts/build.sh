#!/usr/bin/env bash
# Configures and builds into build/ (Release by default; BUILD_TYPE=Debug).
# BUILD_DIR picks another build directory. ccache is used when installed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" "${launcher[@]}" >/dev/null
ninja -C "$build" "$@"
