#!/usr/bin/env bash
# Installs build and test dependencies, builds everything, and runs the whole
# test suite (unit and integration). Extra arguments go to ctest (e.g. -L unit).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/install-deps.sh" packages-build.txt packages-test.txt
"$here/build.sh"
cd "$here/../build"
ctest --output-on-failure --timeout 900 -j2 "$@"
