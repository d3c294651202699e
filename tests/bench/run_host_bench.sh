#!/usr/bin/env bash
# Host-collector benchmark: recording_node_exporter (host collectors, embedded
# default config) against Debian's node_exporter limited to the equivalent
# collectors, on the same machine in the same run. Not part of the test suite.
#
#   tests/bench/run_host_bench.sh [SCRAPES]     (default 1000)
#
# Prints one JSON line per exporter plus a Markdown table for docs/benchmarks.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
count=${1:-1000}
"$root/scripts/install-deps.sh" packages-build.txt packages-test.txt
dpkg-query -W prometheus-node-exporter >/dev/null 2>&1 || {
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo=sudo
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq prometheus-node-exporter
}
"$root/scripts/build.sh" recording_node_exporter scrape_bench >/dev/null
bench="$root/build/tests/bench/scrape_bench"
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_port() { for _ in $(seq 100); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }

p1=$(free_port)
"$root/build/exporters/recording_node_exporter" --web.listen-address=127.0.0.1:"$p1" \
  --log.level=warn 2>/dev/null &
pids+=($!); ours=$!
p2=$(free_port)
prometheus-node-exporter --web.listen-address=127.0.0.1:"$p2" --collector.disable-defaults \
  --collector.diskstats --collector.netdev --collector.filesystem --log.level=warn 2>/dev/null &
pids+=($!); theirs=$!
wait_port "$p1"; wait_port "$p2"

results=$(mktemp)
# Interleaved rounds so drift in machine load hits both alike.
for round in 1 2; do
  "$bench" --port "$p1" --pid "$ours" --count $((count / 2)) --label "recording_node_exporter" >>"$results"
  "$bench" --port "$p2" --pid "$theirs" --count $((count / 2)) --label "node_exporter 1.5.0" >>"$results"
done
cat "$results"
/usr/bin/python3 - "$results" <<'PY'
import json, sys, collections
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    r = json.loads(line); runs[r["label"]].append(r)
print("\n| exporter | scrapes | body bytes | median ms | p99 ms | CPU ms/scrape | RSS MiB | USS MiB |")
print("|---|---|---|---|---|---|---|---|")
for label, rs in runs.items():
    n = sum(r["scrapes"] for r in rs)
    med = sorted(r["median_ms"] for r in rs)[len(rs) // 2]
    print(f"| {label} | {n} | {rs[-1]['body_bytes']} | {sum(r['median_ms'] for r in rs)/len(rs):.3f} | "
          f"{max(r['p99_ms'] for r in rs):.3f} | {sum(r['cpu_ms_per_scrape'] for r in rs)/len(rs):.3f} | "
          f"{rs[-1]['rss_mib']:.1f} | {rs[-1]['uss_mib']:.1f} |")
PY
