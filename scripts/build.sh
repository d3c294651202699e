#!/usr/bin/env bash
# Configures and builds into build/ (Release by default; BUILD_TYPE=Debug).
# BUILD_DIR picks another build directory. ccache is used when installed.
#
# SANITIZE=address,undefined (or FUZZ=1, the same build) builds with clang-14,
# ASan+UBSan and libFuzzer's coverage instrumentation into build-asan/: the
# unit and integration tests, the exporters they start and the libFuzzer
# targets of tests/fuzz, one tree for both (-O1, line tables, assertions on,
# every finding fatal; no benchmarks). SANITIZE=thread builds with GCC's TSan
# into build-tsan/. BUILD_DIR overrides either directory.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
args=()
if command -v ccache >/dev/null; then args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
[[ -n "${FUZZ:-}" && -z "${SANITIZE:-}" ]] && SANITIZE=address,undefined
if [[ -n "${SANITIZE:-}" ]]; then
  case "$SANITIZE" in
    address,undefined|undefined,address|address) suffix=asan ;;
    thread) suffix=tsan ;;
    *) echo "SANITIZE must be address,undefined or thread" >&2; exit 2 ;;
  esac
  build=${BUILD_DIR:-$root/build-$suffix}
  args+=(-DCMAKE_BUILD_TYPE=None -DVMS_BUILD_BENCH=OFF)
  if [[ $suffix == asan ]]; then
    # VMS_FUZZ adds -fsanitize=fuzzer-no-link,address,undefined to everything
    # (CMakeLists.txt); the tests link ASan's and UBSan's runtimes only.
    args+=(-DVMS_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++-14
           "-DCMAKE_CXX_FLAGS=-O1 -gline-tables-only")
  else
    flags="-O1 -g1 -fno-omit-frame-pointer -fsanitize=$SANITIZE -fno-sanitize-recover=all"
    # GCC's flow analysis sees sanitizer checks as paths to uninitialized
    # reads, and warns that TSan does not model std::atomic_thread_fence
    # (Asio's, not ours).
    flags+=" -Wno-maybe-uninitialized -Wno-tsan"
    args+=("-DCMAKE_CXX_FLAGS=$flags"
           "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=$SANITIZE"
           "-DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=$SANITIZE")
  fi
else
  build=${BUILD_DIR:-$root/build}
  args+=(-DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}")
fi
cmake -S "$root" -B "$build" -G Ninja "${args[@]}" >/dev/null
ninja -C "$build" "$@"
