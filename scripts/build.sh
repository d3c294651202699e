#!/usr/bin/env bash
# Configures and builds into build/ (Release by default; BUILD_TYPE=Debug).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" >/dev/null
ninja -C "$root/build" "$@"
