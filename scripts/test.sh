#!/usr/bin/env bash
# Installs build and test dependencies, builds everything, and runs the whole
# test suite (unit and integration). Extra arguments go to that ctest run
# (e.g. -L unit).
#
# Then the hardening stages (docs/fuzzing.md; VMS_HARDENING=0 skips them,
# VMS_HARDENING=only runs only them):
#   build-asan  one clang build with ASan+UBSan: the unit and integration
#               suites (not the packaging tests, label deploy), then every
#               libFuzzer target a few seconds on its seeds (ctest -L fuzz)
#   build-tsan  the threaded parts under TSan (HTTP server, probe schedulers,
#               blocking runner, segment worker, mount watcher, disk latency
#               sampler, log follower)
# Each stage header prints the clock, the time since the start and how long
# the stage before it took.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

started=$SECONDS stage_started=$SECONDS stage_name=""
stage() {
  [[ -n $stage_name ]] && echo "== $stage_name: $((SECONDS - stage_started)) s"
  stage_name=$1 stage_started=$SECONDS
  [[ -n $stage_name ]] && echo "== $stage_name ($(date -u +%H:%M:%S), $((SECONDS - started)) s in)"
  return 0
}

hardening=${VMS_HARDENING:-1}
stage "install packages"
"$here/install-deps.sh" packages-build.txt packages-test.txt packages-sanitize.txt
if [[ $hardening != only ]]; then
  stage "build"
  "$here/build.sh"
  stage "unit and integration suites"
  (cd "$root/build" && ctest --output-on-failure --timeout 900 -j2 "$@")
fi
if [[ $hardening == 0 ]]; then stage ""; exit 0; fi

stage "ASan+UBSan+libFuzzer build (clang)"
SANITIZE=address,undefined "$here/build.sh"
stage "ASan+UBSan unit and integration suites"
excluded=$(grep -v '^#' "$here/asan-exclude.txt" | paste -sd'|')
(cd "$root/build-asan" &&
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --output-on-failure --timeout 1800 -j2 -L 'unit|integration' -LE deploy -E "$excluded")
stage "fuzz targets, a few seconds each"
(cd "$root/build-asan" && ctest --output-on-failure -j2 -L fuzz)

# The tests of every part that starts threads (http_server_test and
# stuck_mount_test start the exporters).
tsan_targets=(http_server_test probe_scheduler_test blocking_runner_test http_probe_scheduler_test
              segment_robustness_test mount_watcher_test disk_io_collector_test stuck_mount_test
              log_follower_test recording_node_exporter streaming_gateway_exporter
              api_server_exporter)
tsan_tests='AllRoles/HttpServerTest|ProbeSchedulerTest|BlockingRunnerTest|HttpProbeSchedulerTest'
tsan_tests+='|SegmentRobustnessTest|MountWatcherTest|DiskIoCollectorTest|StuckMountTest|LogFollowerTest'
stage "TSan build (${#tsan_targets[@]} targets)"
SANITIZE=thread "$here/build.sh" "${tsan_targets[@]}"
stage "TSan subset"
# atexit_sleep_ms=0: TSan otherwise sleeps 1 s at exit while any thread is
# left (the mount watcher's detached statvfs threads are, by design), and
# the SIGTERM test asserts the exporter is gone within a second.
(cd "$root/build-tsan" &&
  TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:atexit_sleep_ms=0 \
  ctest --output-on-failure --timeout 1800 -j2 -R "^($tsan_tests)\.")
stage ""
echo "== all stages passed in $((SECONDS - started)) s"
