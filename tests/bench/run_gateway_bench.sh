#!/usr/bin/env bash
# The streaming gateway's benchmarks (docs/benchmarks.md "Streaming gateway"):
# 1. access-log lines per CPU-second and RSS beside Debian's mtail running an
#    equivalent program (tests/bench/mtail/gateway.mtail) on the same log, in
#    the same run (tests/bench/log_bench.py);
# 2. scrape latency with 200 streams: 200 live HLS playlists on disk
#    (fake_hls_packager.py), polled every 2 s, and an access log with traffic
#    for all of them, 1000 sequential scrapes (scrape_bench).
#
#   tests/bench/run_gateway_bench.sh [LINES] [SCRAPES]
# Needs a Release build in build/ (./scripts/build.sh); installs mtail
# (scripts/packages-bench.txt).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
lines=${1:-2000000}
scrapes=${2:-1000}
bin=$root/build/exporters/streaming_gateway_exporter
"$root/scripts/install-deps.sh" packages-bench.txt

echo "== access log: $lines lines, exporter and mtail one after the other, twice"
python3 "$here/log_bench.py" --exporter "$bin" --role gateway --lines "$lines" --runs 2

echo "== scrape latency with 200 streams"
work=$(mktemp -d /var/tmp/gw-bench.XXXXXX)
cleanup() {
  [[ -n ${packager:-} ]] && kill "$packager" 2>/dev/null && wait "$packager" 2>/dev/null
  [[ -n ${exporter:-} ]] && kill "$exporter" 2>/dev/null && wait "$exporter" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
python3 "$here/fake_hls_packager.py" --dir "$work/hls" --streams 200 &
packager=$!
python3 "$here/gen_access_log.py" --role gateway --lines 200000 --cameras 200 > "$work/access.log"
{
  echo "streams:"
  for i in $(seq -f '%03g' 0 199); do
    printf '  - camera_id: cam%s\n    hls: %s/hls/cam%s/index.m3u8\n' "$i" "$work" "$i"
  done
  printf 'access_logs:\n  - path: %s/access.log\n    name: bench\n' "$work"
  printf "    camera_id: '^/(?:hls/)?([^/]+)/'\n    start_at: beginning\n    state_dir: ''\n"
} > "$work/gateway.yml"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" --config.file="$work/gateway.yml" --web.listen-address=127.0.0.1:$port > "$work/exporter.out" 2>&1 &
exporter=$!
sleep 12  # every playlist polled a few times, the log read
curl -s 127.0.0.1:$port/metrics | grep -c '^stream_up{.*protocol="hls"} 1' | sed 's/^/streams up: /'
curl -s 127.0.0.1:$port/metrics | grep -c '^' | sed 's/^/series: /'
"$root/build/tests/bench/scrape_bench" --port "$port" --pid "$exporter" --count "$scrapes" --label gateway-200
"$root/build/tests/bench/scrape_bench" --port "$port" --pid "$exporter" --count "$scrapes" --label gateway-200-gzip --gzip
