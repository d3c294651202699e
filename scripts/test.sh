#!/usr/bin/env bash
# Installs build and test dependencies, builds everything, and runs the whole
# test suite (unit and integration). Extra arguments go to ctest (e.g. -L unit).
#
# Then, with VMS_HARDENING=1 (not yet on by default: docs/fuzzing.md), the hardening stages:
#   build-asan  unit and integration suites under ASan+UBSan
#   build-tsan  the threaded parts under TSan (HTTP server, probe schedulers,
#               segment worker)
#   build-fuzz  every libFuzzer target a few seconds on its seeds (ctest -L fuzz)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
"$here/install-deps.sh" packages-build.txt packages-test.txt packages-sanitize.txt
"$here/build.sh"
(cd "$root/build" && ctest --output-on-failure --timeout 900 -j2 "$@")
[[ "${VMS_HARDENING:-}" == 1 ]] || exit 0

stage() { echo "== $1 ($(date -u +%H:%M:%S))"; }

stage "ASan+UBSan build"
SANITIZE=address,undefined "$here/build.sh"
stage "ASan+UBSan unit and integration suites"
(cd "$root/build-asan" &&
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --output-on-failure --timeout 1800 -j2 -L 'unit|integration' -E "$(cat "$here/asan-exclude.txt" | grep -v '^#' | paste -sd'|')")

tsan_targets=(http_server_test probe_scheduler_test blocking_runner_test http_probe_scheduler_test
              segment_robustness_test recording_node_exporter streaming_gateway_exporter
              api_server_exporter)
stage "TSan build (${tsan_targets[*]})"
SANITIZE=thread "$here/build.sh" "${tsan_targets[@]}"
stage "TSan subset"
(cd "$root/build-tsan" &&
  TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
  ctest --output-on-failure --timeout 1800 -j2 \
    -R '^(AllRoles/HttpServerTest|ProbeSchedulerTest|BlockingRunnerTest|HttpProbeSchedulerTest|SegmentRobustnessTest)\.')

stage "fuzz build"
FUZZ=1 "$here/build.sh" vms_fuzzers
stage "fuzz targets, a few seconds each"
(cd "$root/build-fuzz" && ctest --output-on-failure -j2 -L fuzz)
stage "done"
