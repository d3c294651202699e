#!/usr/bin/env bash
# 64-camera benchmark of recording_node_exporter (DESIGN.md, "Performance
# budgets"), side by side with Debian's node_exporter. Not part of the test
# suite: speed and memory are measured, never asserted.
#
#   tests/bench/run_camera_bench.sh [MINUTES]          (default 5)
#
# What runs, all on 127.0.0.1 free ports:
#   fake_rtsp_cameras.py  /cam01../cam64 answering OPTIONS and DESCRIBE with an
#                         SDP recorded from the real gst-rtsp-server camera
#   segment_replayer.py   64 camera directories (REC_DIR, on disk), each with a growing
#                         1280x720 25 fps ~4 Mbit/s H.264 MPEG-TS segment, a new
#                         one every 10 s, the newest 3 kept
#   64 idle stand-in recorders, shell processes named ffmpeg whose command
#                         lines carry each camera's URL and output directory, so
#                         the exporter matches recorders as on a real node
#   one real ffmpeg       remuxing the source into segments of its own, so the
#                         libav libraries' pages are shared as on a real node
#   recording_node_exporter with a generated 64-camera config (probes every
#                         10 s, timeout 5 s, concurrency 8; scan every 5 s)
#   node_exporter         --collector.disable-defaults diskstats netdev filesystem
#
# Then: WARMUP seconds (30) for the first probes and analysis passes; MINUTES
# of scrapes every 15 s (as Prometheus, gzip) while the exporter's CPU time
# (utime+stime of /proc/PID/stat, and per thread) is taken at both ends; USS
# and RSS from /proc/PID/smaps_rollup; SCRAPES (1000) sequential scrapes of
# each exporter with scrape_bench, interleaved in two rounds; STORM (30)
# seconds of back-to-back scrapes to show that probe load does not follow
# scrapes; a check that the camera metrics are real; the fake cameras' request
# counts (probe load).
# Prints JSON and Markdown tables for docs/benchmarks.md.
#
# Environment: CAMERAS (64), SCRAPES (1000), WARMUP (30), BUILD_DIR (build/
# via scripts/build.sh; another directory is configured Release and built with
# ninja; SKIP_BUILD=1 uses what is there), BENCH_DIR (/dev/shm/vms-camera-bench when tmpfs has room; keeps the
# encoded source between runs), REC_DIR (where the cameras record:
# /var/tmp/vms-camera-bench-rec, a disk file system as on a recording node),
# BENCH_REVISION (what to report as the revision; default git describe --dirty).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/tests/bench"
minutes=${1:-5}
cameras=${CAMERAS:-64}
scrapes=${SCRAPES:-1000}
warmup=${WARMUP:-30}
interval=15
[[ "$minutes" =~ ^[0-9]+$ && "$minutes" -ge 1 && "$minutes" -le 120 ]] || {
  echo "MINUTES must be 1..120" >&2; exit 2; }

"$root/scripts/install-deps.sh" packages-build.txt packages-test.txt
dpkg-query -W prometheus-node-exporter >/dev/null 2>&1 || {
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo=sudo
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq prometheus-node-exporter
}
build=${BUILD_DIR:-$root/build}
if [[ -n "${SKIP_BUILD:-}" ]]; then
  :
elif [[ "$build" == "$root/build" ]]; then
  "$root/scripts/build.sh" recording_node_exporter scrape_bench >/dev/null
else
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  ninja -C "$build" recording_node_exporter scrape_bench >/dev/null
fi
exporter="$build/exporters/recording_node_exporter"
bench="$build/tests/bench/scrape_bench"
revision=${BENCH_REVISION:-$(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown)}

# 64 cameras x 3 segments x ~5.5 MB plus the source: ~1.1 GB.
if [[ -z "${BENCH_DIR:-}" ]]; then
  if [[ -d /dev/shm ]] && (($(df --output=avail -k /dev/shm | tail -1) > 2 * 1024 * 1024)); then
    BENCH_DIR=/dev/shm/vms-camera-bench
  else
    BENCH_DIR=${TMPDIR:-/tmp}/vms-camera-bench
  fi
fi
work=$BENCH_DIR
mkdir -p "$work"
run="$work/run"
# Recordings go to a disk file system as on a recording node (the page cache
# of ext4 and of tmpfs cost differently to read); REC_DIR=/dev/shm/... for tmpfs.
rec=${REC_DIR:-/var/tmp/vms-camera-bench-rec}
rm -rf "$run" "$rec" "$work/real"
mkdir -p "$run" "$rec" "$work/bin" "$work/real"

pids=()
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$rec" "$work/real"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 200); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }
wait_line() {  # FILE PATTERN SECONDS
  for _ in $(seq $(($3 * 10))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$2' in $1" >&2; return 1
}
ticks() {  # utime+stime of PID in clock ticks (fields after the ')' of comm)
  local s; s=$(<"/proc/$1/stat"); s=${s##*) }
  read -r -a f <<<"$s"; echo $((f[11] + f[12]))
}
threads() {  # one JSON object: tid -> [comm, ticks]
  local pid=$1 t out="{" sep=""
  for t in /proc/"$pid"/task/*; do
    local s comm; read -r s 2>/dev/null <"$t/stat" || continue
    comm=${s#*(}; comm=${comm%)*}; s=${s##*) }
    read -r -a f <<<"$s"
    out+="$sep\"${t##*/}\":[\"$comm\",$((f[11] + f[12]))]"; sep=","
  done
  echo "$out}"
}
memory() {  # RSS, USS (Private_*), and where the private pages are, in kB, from smaps
  awk '/^[0-9a-f]+-[0-9a-f]+ /{lib = ($6 ~ /\.so/); anon = ($6 == "" || $6 ~ /^\[(heap|stack|anon)/)}
       /^Rss:/{r += $2} /^Private_Clean:/{pc += $2; if (lib) lpc += $2}
       /^Private_Dirty:/{pd += $2; if (anon) apd += $2; else if (lib) lpd += $2}
       /^Private_Hugetlb:/{pd += $2}
       END{printf "{\"rss_kb\":%d,\"uss_kb\":%d,\"private_clean_kb\":%d,\"private_dirty_kb\":%d,", r, pc + pd, pc, pd;
           printf "\"lib_private_clean_kb\":%d,\"lib_private_dirty_kb\":%d,\"anon_private_dirty_kb\":%d}", lpc, lpd, apd}' \
    "/proc/$1/smaps"
}
cam_stats() {  # ask the fake cameras for their counts, print them
  rm -f "$run/fake_stats.json"; kill -USR1 "$fake"
  for _ in $(seq 50); do [[ -s "$run/fake_stats.json" ]] && break; sleep 0.1; done
  cat "$run/fake_stats.json"
}
snapshot() {  # NAME: CPU, threads, machine load, fake camera counts at this moment
  {
    echo "{\"time\":$(date +%s.%N),\"clk_tck\":$(getconf CLK_TCK),"
    echo "\"exporter_ticks\":$(ticks "$ours"),\"node_exporter_ticks\":$(ticks "$theirs"),"
    echo "\"fake_ticks\":$(ticks "$fake"),\"replayer_ticks\":$(ticks "$replayer"),"
    echo "\"threads\":$(threads "$ours"),\"loadavg\":\"$(cut -d' ' -f1-3 /proc/loadavg)\","
    echo "\"proc_stat_cpu\":\"$(head -1 /proc/stat)\",\"cameras\":$(cam_stats)}"
  } >"$run/$1.json"
}

# Fake cameras and recordings first, so the exporter starts on a running node.
python3 "$here/fake_rtsp_cameras.py" --cameras "$cameras" --stats-file "$run/fake_stats.json" \
  --duration $((minutes * 60 + 3600)) >"$run/fake_cameras.out" 2>"$run/fake_cameras.err" &
pids+=($!); fake=$!
wait_line "$run/fake_cameras.out" READY 30
cam_port=$(awk '/^READY/{print $2}' "$run/fake_cameras.out")
python3 "$here/segment_replayer.py" --dir "$rec" --cameras "$cameras" \
  --source "$work/source_1280x720_25fps_4000k_10s.ts" --ready-file "$run/replayer.ready" \
  --duration $((minutes * 60 + 3600)) >"$run/replayer.out" 2>"$run/replayer.err" &
pids+=($!); replayer=$!
for _ in $(seq 3000); do [[ -e "$run/replayer.ready" ]] && break; sleep 0.1; done  # ffmpeg once
[[ -e "$run/replayer.ready" ]] || { echo "segment replayer did not start" >&2; cat "$run/replayer.err" >&2; exit 1; }

# Idle stand-ins for the 64 ffmpeg recorders: comm "ffmpeg" (a script's comm
# is its file name), the real recorder's command line. They record nothing.
cat >"$work/bin/ffmpeg" <<'SH'
#!/bin/sh
c=
trap '[ -n "$c" ] && kill "$c" 2>/dev/null; wait; exit 0' TERM INT
while :; do sleep 3600 & c=$!; wait "$c"; done
SH
chmod +x "$work/bin/ffmpeg"
width=$(( ${#cameras} > 2 ? ${#cameras} : 2 ))
config="$run/cameras.yml"
{
  echo "probes: {interval: 10s, timeout: 5s, concurrency: 8}"
  echo "recordings: {scan_interval: 5s}"
  echo "cameras:"
} >"$config"
for i in $(seq 1 "$cameras"); do
  id=$(printf "cam%0${width}d" "$i")
  url="rtsp://127.0.0.1:$cam_port/$id"
  printf '  - id: %s\n    url: %s\n    recording_dir: %s\n' "$id" "$url" "$rec/$id" >>"$config"
  "$work/bin/ffmpeg" -nostdin -rtsp_transport tcp -timeout 5000000 -i "$url" -c copy -f segment \
    -segment_time 10 -strftime 1 "$rec/$id/%Y%m%d-%H%M%S.ts" &
  pids+=($!)
done

# One real ffmpeg recorder (the source remuxed in real time into segments of
# its own, not a camera's): on a recording node the recorders map the same
# libavformat/libavcodec pages as the exporter, so those count as shared
# there, not as the exporter's private memory.
ffmpeg -nostdin -loglevel error -re -stream_loop -1 -i "$work/source_1280x720_25fps_4000k_10s.ts" \
  -c copy -f segment -segment_time 10 -segment_wrap 3 "$work/real/%d.ts" 2>"$run/real_ffmpeg.err" &
pids+=($!)

p1=$(free_port)
"$exporter" --web.listen-address=127.0.0.1:"$p1" --config.file="$config" --log.level=warn \
  2>"$run/exporter.log" &
pids+=($!); ours=$!
p2=$(free_port)
prometheus-node-exporter --web.listen-address=127.0.0.1:"$p2" --collector.disable-defaults \
  --collector.diskstats --collector.netdev --collector.filesystem --log.level=warn \
  2>"$run/node_exporter.log" &
pids+=($!); theirs=$!
wait_port "$p1"; wait_port "$p2"
node_version=$(prometheus-node-exporter --version 2>&1 | awk 'NR==1{print $3}')

echo "warm-up ${warmup}s: first probes and analysis passes" >&2
sleep "$warmup"

# The soak: what Prometheus does, one scrape every 15 s.
scrape() {  # PORT FILE: like Prometheus, gzip; prints seconds taken
  curl -sS --compressed -o "$2" -w '%{time_total}' \
    -H 'X-Prometheus-Scrape-Timeout-Seconds: 10' "http://127.0.0.1:$1/metrics"
}
n=$((minutes * 60 / interval))
echo "soak: $n scrapes every ${interval}s (${minutes} min)" >&2
snapshot soak_start
start=$(date +%s.%N)
: >"$run/soak_scrapes.txt"
for i in $(seq 0 "$n"); do
  if ((i > 0)); then
    wake=$(python3 -c "print(max(0, $start + $i * $interval - __import__('time').time()))")
    sleep "$wake"
  fi
  t_ours=$(scrape "$p1" "$run/ours_$i.txt")
  t_theirs=$(scrape "$p2" "$run/theirs_$i.txt")
  echo "$i $(date +%s.%N) $t_ours $t_theirs" >>"$run/soak_scrapes.txt"
  if ((i > 0 && i < n)); then rm -f "$run/ours_$i.txt" "$run/theirs_$i.txt"; fi
done
snapshot soak_end
memory "$ours" >"$run/memory_ours.json"
memory "$theirs" >"$run/memory_theirs.json"
ps -o nlwp=,rss=,vsz= -p "$ours" >"$run/ps_ours.txt"

echo "latency: $scrapes sequential scrapes of each, interleaved in 2 rounds" >&2
: >"$run/scrape_bench.jsonl"
for _ in 1 2; do
  "$bench" --port "$p1" --pid "$ours" --count $((scrapes / 2)) \
    --label "recording_node_exporter ($cameras cameras)" >>"$run/scrape_bench.jsonl"
  "$bench" --port "$p2" --pid "$theirs" --count $((scrapes / 2)) \
    --label "node_exporter $node_version" >>"$run/scrape_bench.jsonl"
done
snapshot bench_end

# Probe load must not depend on scrapes: STORM seconds of back-to-back scrapes.
storm=${STORM:-30}
echo "scrape storm: ${storm}s of back-to-back scrapes" >&2
: >"$run/storm.jsonl"
storm_end=$((SECONDS + storm))
for _ in $(seq 1000); do
  ((SECONDS < storm_end)) || break
  "$bench" --port "$p1" --pid "$ours" --count 200 --label storm >>"$run/storm.jsonl"
done
snapshot storm_end

python3 - "$run" "$cameras" "$minutes" "$revision" "$node_version" <<'PY'
import glob, json, os, re, statistics, sys

run, cameras, minutes, revision, node_version = sys.argv[1:6]
cameras = int(cameras)
load = lambda name: json.load(open(os.path.join(run, name)))
s0, s1, s2 = load("soak_start.json"), load("soak_end.json"), load("bench_end.json")
s3 = load("storm_end.json")
storm_scrapes = sum(json.loads(l)["scrapes"] for l in open(os.path.join(run, "storm.jsonl")))
tck = s0["clk_tck"]
soak_s = s1["time"] - s0["time"]

def cpu_pct(key, a=s0, b=s1):
    return (b[key] - a[key]) / tck / (b["time"] - a["time"]) * 100

def machine_busy(a, b):
    fa = [int(x) for x in a["proc_stat_cpu"].split()[1:]]
    fb = [int(x) for x in b["proc_stat_cpu"].split()[1:]]
    d = [y - x for x, y in zip(fa, fb)]
    idle = d[3] + d[4]
    return (sum(d) - idle) / sum(d) * 100

def parse(path):
    series = {}
    for line in open(path):
        if not line.strip() or line.startswith("#"):
            continue
        m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)', line)
        if m:
            series[(m.group(1), m.group(2) or "")] = float(m.group(3))
    return series

def per_camera(series, name):
    out = {}
    for (n, labels), v in series.items():
        if n == name:
            m = re.search(r'camera_id="([^"]+)"', labels)
            if m:
                out[m.group(1)] = v
    return out

scr = [l.split() for l in open(os.path.join(run, "soak_scrapes.txt"))]
first_i, last_i = scr[0][0], scr[-1][0]
dt = float(scr[-1][1]) - float(scr[0][1])
a = parse(os.path.join(run, f"ours_{first_i}.txt"))
b = parse(os.path.join(run, f"ours_{last_i}.txt"))
theirs = parse(os.path.join(run, f"theirs_{last_i}.txt"))
status = per_camera(b, "camera_connection_status")
fps = per_camera(b, "camera_fps")
def rate(name, scale=1.0):
    x, y = per_camera(a, name), per_camera(b, name)
    return {k: (y[k] - x.get(k, 0)) / dt * scale for k in y}
frames_rate = rate("camera_frames_total")
mbit = rate("camera_bytes_total", 8 / 1e6)
probes_rate = rate("camera_probes_total", 10.0)  # per 10 s
def total(series, name):
    return sum(v for (n, _), v in series.items() if n == name)
def delta(name):
    return total(b, name) - total(a, name)
recorders_up = sum(1 for v in per_camera(b, "ffmpeg_process_up").values() if v == 1)
collector = {re.search(r'collector="([^"]+)"', l).group(1): v
             for (n, l), v in b.items() if n == "vms_exporter_collector_duration_seconds"}
families = lambda s: len({n for n, _ in s})

c0, c1, c2, c3 = s0["cameras"], s1["cameras"], s2["cameras"], s3["cameras"]
def probe_load(x, y):
    secs = y["time"] - x["time"]
    req = {m: y["by_method"].get(m, 0) - x["by_method"].get(m, 0) for m in ("OPTIONS", "DESCRIBE")}
    other = (y["requests"] - x["requests"]) - sum(req.values())
    return {"seconds": round(secs, 1), **req, "other": other,
            "per_camera_per_10s": round(sum(req.values()) / cameras / secs * 10, 3),
            "connections": y["connections"] - x["connections"]}

threads = []
for tid, (comm, t1) in s1["threads"].items():
    t0 = s0["threads"].get(tid, [comm, 0])[1]
    threads.append((tid, comm, (t1 - t0) / tck / soak_s * 100))
threads.sort(key=lambda t: -t[2])

bench = [json.loads(l) for l in open(os.path.join(run, "scrape_bench.jsonl"))]
runs = {}
for r in bench:
    runs.setdefault(r["label"], []).append(r)
mem_ours, mem_theirs = load("memory_ours.json"), load("memory_theirs.json")
replayer = {}
summary = {
    "revision": revision, "cameras": cameras, "soak_minutes": int(minutes),
    "soak_seconds": round(soak_s, 1),
    "exporter_cpu_pct_of_one_core": round(cpu_pct("exporter_ticks"), 3),
    "exporter_cpu_s_per_min": round(cpu_pct("exporter_ticks") * 0.6, 3),
    "exporter_threads_cpu_pct": [(t, c, round(p, 3)) for t, c, p in threads],
    "node_exporter_cpu_pct": round(cpu_pct("node_exporter_ticks"), 3),
    "fake_cameras_cpu_pct": round(cpu_pct("fake_ticks"), 3),
    "replayer_cpu_pct": round(cpu_pct("replayer_ticks"), 3),
    "machine_busy_pct_soak": round(machine_busy(s0, s1), 1),
    "loadavg": [s0["loadavg"], s1["loadavg"], s2["loadavg"]],
    "memory_after_soak": {"ours": mem_ours, "node_exporter": mem_theirs},
    "cameras_status_1": sum(1 for v in status.values() if v == 1),
    "camera_fps": [min(fps.values()), statistics.median(fps.values()), max(fps.values())] if fps else None,
    "fps_from_frames_total": [min(frames_rate.values()), statistics.median(frames_rate.values()),
                              max(frames_rate.values())] if frames_rate else None,
    "mbit_per_s_from_bytes_total": [min(mbit.values()), statistics.median(mbit.values()),
                                    max(mbit.values())] if mbit else None,
    "probes_per_camera_per_10s": [min(probes_rate.values()), max(probes_rate.values())] if probes_rate else None,
    "frames_dropped_delta": delta("camera_frames_dropped_total"),
    "corrupt_delta": delta("camera_corrupt_frames_total"),
    "segments_delta": delta("recording_segments_total"),
    "unreadable_delta": delta("recording_segments_unreadable_total"),
    "gap_seconds_delta": delta("recording_gap_seconds_total"),
    "recorders_up": recorders_up,
    "collector_duration_s": collector,
    "series": {"ours": len(b), "node_exporter": len(theirs)},
    "families": {"ours": families(b), "node_exporter": families(theirs)},
    "soak_scrape_s": {"ours": statistics.median(float(x[2]) for x in scr),
                      "node_exporter": statistics.median(float(x[3]) for x in scr)},
    "probe_load_soak": probe_load(c0, c1),
    "probe_load_scrape_bench": probe_load(c1, c2),
    "probe_load_storm": probe_load(c2, c3),
    "storm_scrapes": storm_scrapes,
    "rtsp_status": c2["by_status"],
    "exporter_log_lines": sum(1 for _ in open(os.path.join(run, "exporter.log"))),
}
print(json.dumps(summary, indent=1))
for r in bench:
    print(json.dumps(r))

print(f"\nRevision {revision}; {cameras} cameras; soak {soak_s:.0f} s; load average "
      f"{s0['loadavg']} -> {s1['loadavg']}; machine busy {summary['machine_busy_pct_soak']}% "
      "of all cores during the soak.\n")
print("| exporter | series | scrapes | body bytes | median ms | p99 ms | CPU ms/scrape "
      "| CPU % of one core (soak) | RSS MiB | USS MiB |")
print("|---|---|---|---|---|---|---|---|---|---|")
for label, rs in runs.items():
    n = sum(r["scrapes"] for r in rs)
    ours = label.startswith("recording")
    mem = mem_ours if ours else mem_theirs
    cpu = summary["exporter_cpu_pct_of_one_core"] if ours else summary["node_exporter_cpu_pct"]
    print(f"| {label} | {summary['series']['ours' if ours else 'node_exporter']} | {n} "
          f"| {rs[-1]['body_bytes']} | {sum(r['median_ms'] for r in rs) / len(rs):.3f} "
          f"| {max(r['p99_ms'] for r in rs):.3f} | {sum(r['cpu_ms_per_scrape'] for r in rs) / len(rs):.3f} "
          f"| {cpu:.2f} | {mem['rss_kb'] / 1024:.1f} | {mem['uss_kb'] / 1024:.2f} |")

med = {label: sum(r["median_ms"] for r in rs) / len(rs) for label, rs in runs.items()}
ours_med = next(v for k, v in med.items() if k.startswith("recording"))
their_med = next(v for k, v in med.items() if not k.startswith("recording"))
ok = lambda c: "met" if c else "**missed**"
print("\n| budget | measured | |")
print("|---|---|---|")
print(f"| CPU < 2% of one core | {summary['exporter_cpu_pct_of_one_core']:.2f}% "
      f"({summary['exporter_cpu_s_per_min']:.2f} CPU s/min) | {ok(summary['exporter_cpu_pct_of_one_core'] < 2)} |")
print(f"| USS < 8 MiB | {mem_ours['uss_kb'] / 1024:.2f} MiB (RSS {mem_ours['rss_kb'] / 1024:.1f} MiB) "
      f"| {ok(mem_ours['uss_kb'] < 8 * 1024)} |")
print(f"| median scrape < 1/2 of node_exporter's | {ours_med:.3f} ms vs {their_med:.3f} ms "
      f"(ratio {ours_med / their_med:.2f}) | {ok(ours_med < their_med / 2)} |")

pl, pb, ps = summary["probe_load_soak"], summary["probe_load_scrape_bench"], summary["probe_load_storm"]
print("\n| check | value |")
print("|---|---|")
print(f"| cameras with camera_connection_status 1 | {summary['cameras_status_1']} of {cameras} |")
if fps:
    print("| camera_fps min / median / max | " + " / ".join(f"{x:.2f}" for x in summary["camera_fps"]) + " |")
if frames_rate:
    print("| frames/s from camera_frames_total over the soak | "
          + " / ".join(f"{x:.2f}" for x in summary["fps_from_frames_total"]) + " |")
    print("| Mbit/s from camera_bytes_total over the soak | "
          + " / ".join(f"{x:.2f}" for x in summary["mbit_per_s_from_bytes_total"]) + " |")
print(f"| segments completed / unreadable / dropped frames / gap s over the soak | "
      f"{summary['segments_delta']:.0f} / {summary['unreadable_delta']:.0f} / "
      f"{summary['frames_dropped_delta']:.0f} / {summary['gap_seconds_delta']:.1f} |")
print(f"| recorders matched (ffmpeg_process_up 1) | {recorders_up} |")
print(f"| RTSP requests per camera per 10 s, soak ({pl['seconds']} s, scrape every 15 s) | "
      f"{pl['per_camera_per_10s']} ({pl['OPTIONS']} OPTIONS, {pl['DESCRIBE']} DESCRIBE, {pl['other']} other) |")
print(f"| RTSP requests per camera per 10 s during {storm_scrapes} back-to-back scrapes "
      f"({ps['seconds']} s, {storm_scrapes / ps['seconds']:.0f} scrapes/s) | {ps['per_camera_per_10s']} "
      f"({ps['OPTIONS']} OPTIONS, {ps['DESCRIBE']} DESCRIBE, {ps['other']} other) |")
print(f"| memory after the soak: private clean / private dirty (anonymous, libraries' relocations) "
      f"| {mem_ours['private_clean_kb'] / 1024:.1f} MiB ({mem_ours['lib_private_clean_kb'] / 1024:.1f} MiB of it "
      f"shared-library pages no other process maps) / {mem_ours['private_dirty_kb'] / 1024:.1f} MiB "
      f"({mem_ours['anon_private_dirty_kb'] / 1024:.1f}, {mem_ours['lib_private_dirty_kb'] / 1024:.1f}) |")
print(f"| processes on the machine (the recorder match reads /proc of each) | {len(os.listdir('/proc')) and sum(1 for d in os.listdir('/proc') if d.isdigit())} |")
print(f"| exporter threads, % of one core over the soak | "
      + ", ".join(f"{t} {c} {p:.2f}" for t, c, p in threads if p > 0.005) + " |")
print(f"| collector durations in the last soak scrape, ms | "
      + ", ".join(f"{k} {v * 1e3:.2f}" for k, v in sorted(collector.items())) + " |")
print(f"| stand-ins' CPU, % of one core: fake cameras / replayer / node_exporter | "
      f"{summary['fake_cameras_cpu_pct']:.2f} / {summary['replayer_cpu_pct']:.2f} / "
      f"{summary['node_exporter_cpu_pct']:.2f} |")
PY
echo "fake cameras' totals:" >&2
kill "$fake"; wait "$fake" 2>/dev/null || true
tail -1 "$run/fake_cameras.out" >&2
[[ -s "$run/exporter.log" ]] && { echo "exporter log (last lines):" >&2; tail -5 "$run/exporter.log" >&2; }
exit 0
