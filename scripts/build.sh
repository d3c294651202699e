#!/usr/bin/env bash
# Configures and builds into build/ (Release by default; BUILD_TYPE=Debug).
# BUILD_DIR picks another build directory. ccache is used when installed.
#
# SANITIZE=address,undefined or SANITIZE=thread builds with those sanitizers
# (-O1, line tables, assertions on, every finding fatal) into build-asan/ or
# build-tsan/ unless BUILD_DIR says otherwise. FUZZ=1 builds the libFuzzer
# targets of tests/fuzz with clang-14 (ASan+UBSan) into build-fuzz/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
args=()
if command -v ccache >/dev/null; then args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
if [[ -n "${FUZZ:-}" ]]; then
  build=${BUILD_DIR:-$root/build-fuzz}
  args+=(-DVMS_FUZZ=ON -DVMS_BUILD_TESTS=OFF -DCMAKE_CXX_COMPILER=clang++-14
         -DCMAKE_BUILD_TYPE=None "-DCMAKE_CXX_FLAGS=-O1 -gline-tables-only")
elif [[ -n "${SANITIZE:-}" ]]; then
  case "$SANITIZE" in
    address,undefined|undefined,address|address) suffix=asan ;;
    thread) suffix=tsan ;;
    *) echo "SANITIZE must be address,undefined or thread" >&2; exit 2 ;;
  esac
  build=${BUILD_DIR:-$root/build-$suffix}
  flags="-O1 -g1 -fno-omit-frame-pointer -fsanitize=$SANITIZE -fno-sanitize-recover=all"
  # GCC's flow analysis sees sanitizer checks as paths to uninitialized reads
  # (false positives in libstdc++'s <regex>), and warns that TSan does not
  # model std::atomic_thread_fence (Asio's, not ours).
  flags+=" -Wno-maybe-uninitialized"
  [[ $suffix == tsan ]] && flags+=" -Wno-tsan"
  args+=(-DCMAKE_BUILD_TYPE=None "-DCMAKE_CXX_FLAGS=$flags"
         "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=$SANITIZE"
         "-DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=$SANITIZE")
else
  build=${BUILD_DIR:-$root/build}
  args+=(-DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}")
fi
cmake -S "$root" -B "$build" -G Ninja "${args[@]}" >/dev/null
ninja -C "$build" "$@"
