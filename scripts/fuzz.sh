#!/usr/bin/env bash
# Runs each fuzz target (tests/fuzz) for SECONDS on its seeds and prints the
# executions per target. TARGETS are names without the fuzz_ prefix (all by
# default). Builds them in build-asan/ first (FUZZ=1 scripts/build.sh, the
# ASan+UBSan tree the sanitizer tests use too) unless FUZZ_NO_BUILD is set.
# New corpus entries go to build-asan/fuzz/corpus/, crashes to
# build-asan/fuzz/artifacts/; the exit status is 1 if any target found one.
# FUZZ_SEED fixes libFuzzer's random seed (ctest sets 1, so a CI run
# mutates the same way every time; without it each run differs).
#   scripts/fuzz.sh 60                 every target for a minute
#   scripts/fuzz.sh 5 json sdp         two of them, five seconds each
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:?usage: fuzz.sh SECONDS [TARGET...]}; shift
build=${BUILD_DIR:-$root/build-asan}
export BUILD_DIR=$build
if [[ -z "${FUZZ_NO_BUILD:-}" ]]; then FUZZ=1 "$root/scripts/build.sh" vms_fuzzers >/dev/null; fi
targets=("$@")
if ((${#targets[@]} == 0)); then
  for bin in "$build"/tests/fuzz/fuzz_*; do targets+=("$(basename "$bin" | sed 's/^fuzz_//')"); done
fi
work=$build/fuzz
# Under ctest (FUZZ_NO_BUILD) the fuzz_seeds test has built the seeds once
# for all targets, which run in parallel.
if [[ -z "${FUZZ_NO_BUILD:-}" || ! -d "$work/seeds" ]]; then "$root/scripts/fuzz-seeds.sh" >/dev/null; fi
mkdir -p "$work/artifacts" "$work/logs"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=0
printf '%-28s %12s %8s %s\n' target executions exec/s result
for t in "${targets[@]}"; do
  bin=$build/tests/fuzz/fuzz_$t
  [[ -x "$bin" ]] || { echo "no fuzz target $t ($bin)" >&2; exit 2; }
  mkdir -p "$work/corpus/$t" "$work/seeds/$t"
  log=$work/logs/$t.log
  rc=0
  "$bin" -max_total_time="$seconds" ${FUZZ_SEED:+-seed="$FUZZ_SEED"} -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$work/artifacts/$t-" \
    "$work/corpus/$t" "$work/seeds/$t" >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  if ((rc == 0)); then result=ok; else result="FAILED (rc $rc, see $log)"; failed=1; fi
  printf '%-28s %12s %8s %s\n' "$t" "${execs:-?}" "${speed:-?}" "$result"
  if ((rc != 0)); then grep -m3 -E 'ERROR|SUMMARY|runtime error|==[0-9]+==' "$log" >&2 || tail -5 "$log" >&2; fi
done
exit $failed
