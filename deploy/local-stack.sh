#!/usr/bin/env bash
# One command for a local monitoring stack on 127.0.0.1:
#
#   simulated RTSP cameras (tests/camera_sim, gst-rtsp-server)
#   one real ffmpeg recorder per camera, restarted in a loop when it exits
#   recording_node_exporter with a generated config listing the cameras
#   prometheus-node-exporter (the repo's NodeDown rule needs it)
#   a streaming gateway: nginx (the shipped `vms` log format) serving HLS that one
#     ffmpeg packager per camera makes from its RTSP stream, a few curl viewer
#     loops (playlists, segments, WHEP offers), and streaming_gateway_exporter
#     watching the streams and the access log (--no-gateway leaves it out)
#   an API server: tests/support/api_backend.py behind nginx (the `vms` format),
#     a curl loop of API clients, and api_server_exporter reading the access log
#     (routes, JWT results, logins) and nginx's connections, probing the backend's
#     health endpoint and a real PostgreSQL 15 of its own (--no-api leaves it all out,
#     --no-db only PostgreSQL)
#   Prometheus with the repo's rules and relabelling (file_sd targets in the workdir)
#   Alertmanager with the repo's routing, its webhooks sent to a local sink
#     that appends every notification to WORKDIR/notifications/<receiver>.jsonl
#
#   deploy/local-stack.sh                  # 4 cameras, until Ctrl-C
#   deploy/local-stack.sh --cameras 8 --workdir /tmp/stack
#   deploy/local-stack.sh --help
#
# Ports stay off the exporters' defaults (9090-9092), Alertmanager's 9093/9094 and
# node_exporter's 9100. Everything started is stopped and reaped on Ctrl-C, SIGTERM,
# after --for SECONDS, or when a part of the stack dies.
#
# EXPORTER_BIN=path/to/recording_node_exporter skips the build (CI builds once);
# GATEWAY_EXPORTER_BIN and API_EXPORTER_BIN likewise for streaming_gateway_exporter
# and api_server_exporter (default: the one beside EXPORTER_BIN, else built).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)

cameras=4
workdir=""
run_for=0
rules_dir="$root/prometheus/rules"
am_config="$root/prometheus/alertmanager/alertmanager.yml"
scrape_interval=15s
eval_interval=15s
probe_interval=10s
probe_timeout=""
scan_interval=5s
segment_time=10
exporter_port=19090
prometheus_port=19190
alertmanager_port=19193
webhook_port=19195
node_exporter_port=19100
camera_port=18554
camera_size=640x360
camera_fps=25
camera_bitrate=1000
install=1
discover=0
extra_cameras=()
# streaming gateway
gateway=1
gateway_port=19091
nginx_port=18080
hls_time=2
viewers=3
# API server
api=1
api_port=19092
api_nginx_port=18081
api_backend_port=18082
db=1
pg_port=15432

usage() {
  cat <<EOF
Usage: deploy/local-stack.sh [options]

  --cameras N               simulated cameras cam1..camN (default $cameras)
  --extra-camera ID=URL     also record and watch a camera served elsewhere (repeatable);
                            tests use it for a camera they can kill on its own
  --workdir DIR             data, configs, logs (default: a new mktemp dir, removed on exit)
  --for SECONDS             stop by itself after SECONDS once everything is up
  --rules-dir DIR           Prometheus rule files (default prometheus/rules)
  --alertmanager-config F   Alertmanager config (default prometheus/alertmanager/alertmanager.yml);
                            its http://127.0.0.1:5001/ webhooks go to the local sink
  --scrape-interval D       Prometheus scrape interval (default $scrape_interval)
  --eval-interval D         rule evaluation interval (default $eval_interval)
  --probe-interval D        camera probe interval (default $probe_interval)
  --probe-timeout D         camera probe timeout (default 5s, half the interval below 10s)
  --scan-interval D         recordings scan interval (default $scan_interval)
  --segment-time S          ffmpeg segment length in seconds (default $segment_time)
  --camera-size WxH         simulated picture size (default $camera_size)
  --camera-fps N            simulated frame rate (default $camera_fps)
  --exporter-port P         recording_node_exporter (default $exporter_port)
  --prometheus-port P       Prometheus (default $prometheus_port)
  --alertmanager-port P     Alertmanager (default $alertmanager_port)
  --webhook-port P          notification sink (default $webhook_port)
  --node-exporter-port P    prometheus-node-exporter, 0 to run none (default $node_exporter_port)
  --camera-port P           camera simulator (default $camera_port)
  --discover                give the exporter no cameras: it finds them from the running
                            ffmpeg command lines (the zero-config mode of a systemd node;
                            it also finds any other ffmpeg recorder on this machine)
  --no-gateway              run no streaming gateway (nginx, packagers, viewers, its exporter)
  --gateway-port P          streaming_gateway_exporter (default $gateway_port)
  --nginx-port P            the gateway's nginx (default $nginx_port)
  --hls-time S              HLS segment length in seconds (default $hls_time)
  --viewers N               curl viewer loops, spread over the cameras (default $viewers)
  --no-api                  run no API server (backend, nginx, traffic loop, its exporter)
  --api-port P              api_server_exporter (default $api_port)
  --api-nginx-port P        the API's nginx (default $api_nginx_port)
  --api-backend-port P      tests/support/api_backend.py behind it (default $api_backend_port)
  --no-db                   the API server watches no PostgreSQL
  --pg-port P               the API's PostgreSQL 15 (default $pg_port)
  --no-install              do not install missing Debian packages

Environment: EXPORTER_BIN (a built recording_node_exporter; default: build it
with scripts/build.sh and use build/exporters/recording_node_exporter),
GATEWAY_EXPORTER_BIN (streaming_gateway_exporter; default: beside EXPORTER_BIN,
else built the same way), API_EXPORTER_BIN (api_server_exporter, likewise).
Signals to a packager loop (PID_packager_<camera> in stack.env): SIGUSR1 kills its
ffmpeg as a crash would (no EXT-X-ENDLIST) and keeps it down, SIGUSR2 lets it
start again.
When everything is up, WORKDIR/stack.env holds the URLs, ports and PIDs.
EOF
}

need_arg() { [[ $# -ge 2 && -n "$2" ]] || { echo "local-stack: $1 needs a value" >&2; exit 2; }; }
while (($#)); do
  case "$1" in
    --cameras) need_arg "$@"; cameras=$2; shift ;;
    --extra-camera) need_arg "$@"; extra_cameras+=("$2"); shift ;;
    --workdir) need_arg "$@"; workdir=$2; shift ;;
    --for) need_arg "$@"; run_for=$2; shift ;;
    --rules-dir) need_arg "$@"; rules_dir=$2; shift ;;
    --alertmanager-config) need_arg "$@"; am_config=$2; shift ;;
    --scrape-interval) need_arg "$@"; scrape_interval=$2; shift ;;
    --eval-interval) need_arg "$@"; eval_interval=$2; shift ;;
    --probe-interval) need_arg "$@"; probe_interval=$2; shift ;;
    --probe-timeout) need_arg "$@"; probe_timeout=$2; shift ;;
    --scan-interval) need_arg "$@"; scan_interval=$2; shift ;;
    --segment-time) need_arg "$@"; segment_time=$2; shift ;;
    --camera-size) need_arg "$@"; camera_size=$2; shift ;;
    --camera-fps) need_arg "$@"; camera_fps=$2; shift ;;
    --exporter-port) need_arg "$@"; exporter_port=$2; shift ;;
    --prometheus-port) need_arg "$@"; prometheus_port=$2; shift ;;
    --alertmanager-port) need_arg "$@"; alertmanager_port=$2; shift ;;
    --webhook-port) need_arg "$@"; webhook_port=$2; shift ;;
    --node-exporter-port) need_arg "$@"; node_exporter_port=$2; shift ;;
    --camera-port) need_arg "$@"; camera_port=$2; shift ;;
    --no-gateway) gateway=0 ;;
    --gateway-port) need_arg "$@"; gateway_port=$2; shift ;;
    --nginx-port) need_arg "$@"; nginx_port=$2; shift ;;
    --hls-time) need_arg "$@"; hls_time=$2; shift ;;
    --viewers) need_arg "$@"; viewers=$2; shift ;;
    --no-api) api=0 ;;
    --api-port) need_arg "$@"; api_port=$2; shift ;;
    --api-nginx-port) need_arg "$@"; api_nginx_port=$2; shift ;;
    --api-backend-port) need_arg "$@"; api_backend_port=$2; shift ;;
    --no-db) db=0 ;;
    --pg-port) need_arg "$@"; pg_port=$2; shift ;;
    --no-install) install=0 ;;
    --discover) discover=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "local-stack: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

[[ "$cameras" =~ ^[0-9]+$ ]] || { echo "local-stack: --cameras takes a number" >&2; exit 2; }
[[ "$run_for" =~ ^[0-9]+$ ]] || { echo "local-stack: --for takes whole seconds" >&2; exit 2; }
((cameras + ${#extra_cameras[@]} > 0)) || { echo "local-stack: no cameras" >&2; exit 2; }
[[ -d "$rules_dir" ]] || { echo "local-stack: no rules dir $rules_dir" >&2; exit 2; }
[[ -f "$am_config" ]] || { echo "local-stack: no Alertmanager config $am_config" >&2; exit 2; }
rules_dir=$(cd "$rules_dir" && pwd)
if [[ -z "$probe_timeout" ]]; then  # the exporter wants timeout <= interval
  probe_timeout=5s
  if [[ "$probe_interval" =~ ^([0-9]+)s$ ]] && ((BASH_REMATCH[1] < 10)); then
    probe_timeout=$(( BASH_REMATCH[1] > 1 ? BASH_REMATCH[1] / 2 : 1 ))s
  fi
fi
am_config=$(cd "$(dirname "$am_config")" && pwd)/$(basename "$am_config")

log() { echo "local-stack: $*" >&2; }

# ---- dependencies ---------------------------------------------------------
if ((install)); then
  if [[ -z "${EXPORTER_BIN:-}" ]]; then
    "$root/scripts/install-deps.sh" packages-build.txt packages-test.txt
  else
    "$root/scripts/install-deps.sh" packages-test.txt
  fi
fi
if [[ -z "${EXPORTER_BIN:-}" ]]; then
  log "building recording_node_exporter (scripts/build.sh)"
  "$root/scripts/build.sh" recording_node_exporter >&2
  EXPORTER_BIN="$root/build/exporters/recording_node_exporter"
fi
[[ -x "$EXPORTER_BIN" ]] || { log "EXPORTER_BIN=$EXPORTER_BIN is not an executable"; exit 2; }
for tool in /usr/bin/python3 /usr/bin/prometheus /usr/bin/prometheus-alertmanager ffmpeg curl; do
  command -v "$tool" >/dev/null || { log "missing $tool (scripts/install-deps.sh packages-test.txt)"; exit 2; }
done
if ((node_exporter_port)) && [[ ! -x /usr/bin/prometheus-node-exporter ]]; then
  log "missing /usr/bin/prometheus-node-exporter (or pass --node-exporter-port 0)"; exit 2
fi

# ---- work dir -------------------------------------------------------------
remove_workdir=0
if [[ -z "$workdir" ]]; then
  workdir=$(mktemp -d /tmp/vms-local-stack.XXXXXX)
  remove_workdir=1
fi
mkdir -p "$workdir"
workdir=$(cd "$workdir" && pwd)
mkdir -p "$workdir"/{logs,rec,targets,prometheus-data,alertmanager-data,notifications,config}
rm -f "$workdir/stack.env"

# ---- process bookkeeping --------------------------------------------------
# Every child is a direct child of this shell; each recorder loop reaps its own
# ffmpeg. PID 1 here does not reap, so everything is waited for.
pids=()    # in start order
names=()
stopping=0

alive() {  # running and not a zombie
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ "${stat:0:1}" != Z ]]
}

stop_one() {  # pid name: TERM, up to 10 s, then KILL; always reaped
  local pid=$1 name=$2 i
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    alive "$pid" || break
    sleep 0.1
  done
  if alive "$pid"; then
    log "$name (pid $pid) ignored SIGTERM for 10 s, killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  ((stopping)) && return
  stopping=1
  trap '' INT TERM
  local i
  if [[ -n "$sleeper" ]]; then kill "$sleeper" 2>/dev/null || true; wait "$sleeper" 2>/dev/null || true; fi
  # Reverse start order: recorders and Prometheus go before the cameras and
  # Alertmanager they talk to.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    stop_one "${pids[i]}" "${names[i]}"
  done
  [[ -n "$pgdir" ]] && rm -rf "$pgdir"
  # A temporary workdir goes, unless the stack failed: then its logs are the story.
  if ((remove_workdir)) && [[ "$rc" =~ ^(0|130|143)$ ]]; then
    rm -rf "$workdir"
  else
    log "logs and data kept in $workdir"
  fi
  log "stopped"
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted, stopping"; exit 130' INT
trap 'log "terminated, stopping"; exit 143' TERM
sleeper=""  # the main loop's sleep, reaped on exit too
pgdir=""    # the API's PostgreSQL cluster, removed on exit

started() { pids+=("$1"); names+=("$2"); }
# Should this shell be killed outright (SIGKILL, a test runner's timeout), each
# child gets SIGTERM from the kernel instead of running on unwatched.
guard=(setpriv --pdeathsig TERM --)

wait_for_line() {  # file pattern seconds pid name
  local file=$1 pattern=$2 seconds=$3 pid=$4 name=$5 i
  for ((i = 0; i < seconds * 10; i++)); do
    grep -q "$pattern" "$file" 2>/dev/null && return 0
    alive "$pid" || { log "$name exited while starting:"; tail -n 20 "$file" >&2; return 1; }
    sleep 0.1
  done
  log "$name did not get ready within $seconds s:"; tail -n 20 "$file" >&2
  return 1
}

wait_for_http() {  # url seconds pid name log
  local url=$1 seconds=$2 pid=$3 name=$4 logf=$5 i
  for ((i = 0; i < seconds * 10; i++)); do
    curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
    alive "$pid" || { log "$name exited while starting:"; tail -n 20 "$logf" >&2; return 1; }
    sleep 0.1
  done
  log "$name did not answer $url within $seconds s:"; tail -n 20 "$logf" >&2
  return 1
}

port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
for port in "$exporter_port" "$prometheus_port" "$alertmanager_port" "$webhook_port" \
            "$camera_port" $( ((node_exporter_port)) && echo "$node_exporter_port"); do
  port_free "$port" || { log "127.0.0.1:$port is in use (choose other ports, see --help)"; exit 1; }
done

# ---- cameras --------------------------------------------------------------
# ids and URLs of every camera the stack records and watches
cam_ids=()
cam_urls=()
for ((i = 1; i <= cameras; i++)); do
  cam_ids+=("cam$i")
  cam_urls+=("rtsp://127.0.0.1:$camera_port/cam$i")
done
for spec in "${extra_cameras[@]}"; do
  [[ "$spec" == *=rtsp://* ]] || { log "--extra-camera wants ID=rtsp://..., got $spec"; exit 2; }
  cam_ids+=("${spec%%=*}")
  cam_urls+=("${spec#*=}")
done

if ((cameras)); then
  /usr/bin/python3 "$root/tests/camera_sim/rtsp_camera_sim.py" --port "$camera_port" \
    --mounts "$cameras" --size "$camera_size" --fps "$camera_fps" --bitrate "$camera_bitrate" \
    >"$workdir/logs/camera_sim.log" 2>&1 &
  started $! camera_sim
  wait_for_line "$workdir/logs/camera_sim.log" "^READY" 60 $! "camera simulator"
fi

# ---- recorders ------------------------------------------------------------
# supervise NAME LOG COMMAND...: runs COMMAND (an ffmpeg) until the stack stops.
# ffmpeg exits 0 when a camera drops, so any exit is a failure: log it and
# restart after a backoff (1 s doubling to 10 s, reset after a minute of running).
# SIGUSR1 kills the command as a crash would and holds it down; SIGUSR2 releases it.
supervise() {
  local what=$1 logf=$2
  shift 2
  local child="" stop=0 hold=0 backoff=1 rc start
  trap 'stop=1; [[ -n "$child" ]] && kill -TERM "$child" 2>/dev/null' TERM INT
  trap 'hold=1; echo "$what: held down (SIGUSR1)" >>"$logf"; [[ -n "$child" ]] && kill -KILL "$child" 2>/dev/null' USR1
  trap 'hold=0; echo "$what: released (SIGUSR2)" >>"$logf"' USR2
  while ((!stop)); do
    while ((hold && !stop)); do
      sleep 1 &
      child=$!
      wait "$child" 2>/dev/null || true
      child=""
    done
    ((stop)) && break
    start=$SECONDS
    echo "$what: starting ffmpeg" >>"$logf"
    "${guard[@]}" "$@" </dev/null >>"$logf" 2>&1 &
    child=$!
    rc=0; wait "$child" || rc=$?
    # A trapped signal interrupts wait: wait again until the child is gone.
    while kill -0 "$child" 2>/dev/null; do wait "$child" 2>/dev/null || true; done
    if ((stop)); then break; fi
    child=""
    kill -0 $$ 2>/dev/null || break  # the stack is gone
    ((hold)) && continue
    echo "$what: ffmpeg exited with $rc after $((SECONDS - start)) s; restarting in $backoff s" >>"$logf"
    ((SECONDS - start >= 60)) && backoff=1
    sleep "$backoff" &
    child=$!
    wait "$child" 2>/dev/null || true
    if ((stop)); then wait "$child" 2>/dev/null || true; break; fi
    child=""
    backoff=$((backoff * 2 > 10 ? 10 : backoff * 2))
  done
  exit 0
}

recorder_loop() {
  local id=$1 url=$2 dir=$3 logf=$4
  mkdir -p "$dir"
  supervise "recorder $id" "$logf" ffmpeg -nostdin -hide_banner -loglevel warning \
    -rtsp_transport tcp -timeout 5000000 -i "$url" \
    -c copy -f segment -segment_time "$segment_time" -reset_timestamps 1 -strftime 1 \
    "$dir/%Y%m%d-%H%M%S.ts"
}

for i in "${!cam_ids[@]}"; do
  id=${cam_ids[i]}
  recorder_loop "$id" "${cam_urls[i]}" "$workdir/rec/$id" "$workdir/logs/recorder-$id.log" &
  started $! "recorder $id"
done

# ---- recording node exporter ---------------------------------------------
config_head() {  # what every exporter's generated config starts with, up to host.services
  echo "# Generated by deploy/local-stack.sh"
  echo "probes:"
  echo "  interval: $probe_interval"
  echo "  timeout: $probe_timeout"
  echo "  concurrency: 8"
  echo "host:"
  echo "  services:"
}
exporter_config="$workdir/config/recording_node.yml"
{
  config_head
  echo "    - name: prometheus"
  echo "      comm: '^prometheus\$'"
  echo "    - name: alertmanager"
  echo "      comm: '^prometheus-aler'"
  if ((!discover)); then
    echo "cameras:"
    for i in "${!cam_ids[@]}"; do
      echo "  - id: ${cam_ids[i]}"
      echo "    url: ${cam_urls[i]}"
      echo "    recording_dir: $workdir/rec/${cam_ids[i]}"
      echo "    probe_interval: $probe_interval"
      echo "    probe_timeout: $probe_timeout"
    done
  fi
  echo "recordings:"
  echo "  scan_interval: $scan_interval"
} >"$exporter_config"
if ! "$EXPORTER_BIN" --config.file="$exporter_config" --config.check >"$workdir/logs/config-check.log" 2>&1; then
  log "the exporter rejects the generated config $exporter_config:"
  cat "$workdir/logs/config-check.log" >&2
  exit 3
fi
"${guard[@]}" "$EXPORTER_BIN" --web.listen-address="127.0.0.1:$exporter_port" --config.file="$exporter_config" \
  >"$workdir/logs/exporter.log" 2>&1 &
started $! recording_node_exporter
wait_for_http "http://127.0.0.1:$exporter_port/-/ready" 30 $! recording_node_exporter "$workdir/logs/exporter.log"

if ((node_exporter_port)); then
  "${guard[@]}" /usr/bin/prometheus-node-exporter --web.listen-address="127.0.0.1:$node_exporter_port" \
    >"$workdir/logs/node_exporter.log" 2>&1 &
  started $! node_exporter
  wait_for_http "http://127.0.0.1:$node_exporter_port/metrics" 30 $! node_exporter "$workdir/logs/node_exporter.log"
fi

# ==== streaming gateway ======================================================
# Everything of the gateway is in this block (and in its options above): nginx
# serving HLS with the shipped `vms` access log format, one ffmpeg packager per
# camera (RTSP in, HLS out, no re-encoding), curl viewer loops, and
# streaming_gateway_exporter, scraped through its own target file.
gateway_ids=()
if ((gateway)); then
  if [[ -z "${GATEWAY_EXPORTER_BIN:-}" ]]; then
    GATEWAY_EXPORTER_BIN="$(dirname "$EXPORTER_BIN")/streaming_gateway_exporter"
    if [[ ! -x "$GATEWAY_EXPORTER_BIN" ]]; then
      log "building streaming_gateway_exporter (scripts/build.sh)"
      "$root/scripts/build.sh" streaming_gateway_exporter >&2
      GATEWAY_EXPORTER_BIN="$root/build/exporters/streaming_gateway_exporter"
    fi
  fi
  [[ -x "$GATEWAY_EXPORTER_BIN" ]] || { log "GATEWAY_EXPORTER_BIN=$GATEWAY_EXPORTER_BIN is not an executable"; exit 2; }
  [[ -x /usr/sbin/nginx ]] || { log "missing /usr/sbin/nginx (scripts/install-deps.sh packages-test.txt)"; exit 2; }
  [[ "$hls_time" =~ ^[1-9][0-9]*$ ]] || { log "--hls-time takes whole seconds"; exit 2; }
  [[ "$viewers" =~ ^[0-9]+$ ]] || { log "--viewers takes a number"; exit 2; }
  for port in "$gateway_port" "$nginx_port"; do
    port_free "$port" || { log "127.0.0.1:$port is in use (choose other ports, see --help)"; exit 1; }
  done
  gw=$workdir/gateway
  mkdir -p "$gw"/{hls,nginx-temp,state}
  gateway_ids=("${cam_ids[@]}")
  nginx_url="http://127.0.0.1:$nginx_port"

  # nginx as one process (master_process off): it stays this shell's child, is
  # stopped by SIGTERM and reaped like the rest, and reads the work dir as the
  # user who runs the stack. /hls/ is what viewers fetch (logged); /internal/hls/
  # serves the same files to the exporter's own polls without logging them, so
  # the exporter does not count itself as a viewer. The WHEP endpoint stands in
  # for a WebRTC server behind nginx (MediaMTX is not in Debian): an offer with
  # an SDP body is accepted (201), anything else refused (415).
  cat >"$gw/nginx.conf" <<NGINX
# Generated by deploy/local-stack.sh
daemon off;
master_process off;
worker_processes 1;
pid $gw/nginx.pid;
error_log $workdir/logs/nginx-error.log warn;
events { worker_connections 256; }
http {
  types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }
  default_type application/octet-stream;
  client_body_temp_path $gw/nginx-temp;
  proxy_temp_path $gw/nginx-temp;
  fastcgi_temp_path $gw/nginx-temp;
  uwsgi_temp_path $gw/nginx-temp;
  scgi_temp_path $gw/nginx-temp;
  include $root/deploy/nginx/vms-log-format.conf;
  access_log $workdir/logs/nginx-access.log vms;
  server {
    listen 127.0.0.1:$nginx_port;
    location /hls/ { alias $gw/hls/; add_header Cache-Control no-cache; }
    location /internal/hls/ { alias $gw/hls/; access_log off; }
    location = /-/ready { access_log off; return 200; }
    location ~ ^/webrtc/[^/]+/whep\$ {
      if (\$http_content_type != "application/sdp") { return 415; }
      return 201;
    }
  }
}
NGINX
  "${guard[@]}" /usr/sbin/nginx -e "$workdir/logs/nginx-error.log" -p "$gw" -c "$gw/nginx.conf" \
    >"$workdir/logs/nginx.log" 2>&1 &
  started $! nginx
  wait_for_http "$nginx_url/-/ready" 30 $! nginx "$workdir/logs/nginx-error.log"

  # Packagers: the camera's H.264 copied into 2 s (--hls-time) MPEG-TS segments
  # (the simulator sends a keyframe every second). The media sequence starts
  # from the clock, so a restarted packager continues it instead of going back
  # to 0, as a live packager should; program_date_time gives the latency.
  for i in "${!gateway_ids[@]}"; do
    id=${gateway_ids[i]}
    mkdir -p "$gw/hls/$id"
    supervise "packager $id" "$workdir/logs/packager-$id.log" ffmpeg -nostdin -hide_banner \
      -loglevel warning -rtsp_transport tcp -timeout 5000000 -i "${cam_urls[i]}" \
      -c copy -f hls -hls_time "$hls_time" -hls_list_size 6 -hls_start_number_source epoch \
      -hls_flags delete_segments+program_date_time+temp_file \
      -hls_segment_filename "$gw/hls/$id/seg_%d.ts" "$gw/hls/$id/index.m3u8" &
    started $! "packager $id"
  done

  # Viewers: each watches one camera like a player does (the playlist, then its
  # newest segment, every segment length), with a session id the access log
  # records; every 5th round it offers WebRTC (WHEP), one offer in 20 broken
  # (no SDP: refused), and every 10th round it asks for a segment long gone (404).
  viewer_loop() {
    local id=$1 session=$2 n=0 playlist segment child=""
    trap '[[ -n "$child" ]] && kill -TERM "$child" 2>/dev/null; exit 0' TERM INT
    while :; do
      n=$((n + 1))
      playlist=$(curl -sS --max-time 5 "$nginx_url/hls/$id/index.m3u8?session=$session" 2>/dev/null) || playlist=""
      segment=$(grep -v '^#' <<<"$playlist" | tail -n 1) || true
      if [[ -n "$segment" ]]; then
        curl -sS -o /dev/null --max-time 5 "$nginx_url/hls/$id/$segment?session=$session" 2>/dev/null || true
      fi
      if ((n % 10 == 0)); then
        curl -sS -o /dev/null --max-time 5 "$nginx_url/hls/$id/seg_0.ts?session=$session" 2>/dev/null || true
      fi
      if ((n % 5 == 0)); then
        local type=(-H "Content-Type: application/sdp")
        ((n % 100 == 0)) && type=()
        curl -sS -o /dev/null --max-time 5 -X POST "${type[@]}" --data-binary $'v=0\r\n' \
          "$nginx_url/webrtc/$id/whep?session=$session" 2>/dev/null || true
      fi
      sleep "$hls_time" &
      child=$!
      wait "$child" 2>/dev/null || true
      child=""
    done
  }
  for ((k = 0; k < viewers; k++)); do
    id=${gateway_ids[k % ${#gateway_ids[@]}]}
    viewer_loop "$id" "viewer$k" &
    started $! "viewer $k"
  done

  # The exporter: RTSP and a playlist file for every other camera, the playlist
  # over HTTP from nginx for the rest, and nginx's access log.
  gateway_config="$workdir/config/streaming_gateway.yml"
  {
    config_head
    echo "    - name: nginx"
    echo "      comm: '^nginx\$'"
    echo "streams:"
    for i in "${!gateway_ids[@]}"; do
      id=${gateway_ids[i]}
      echo "  - camera_id: $id"
      if ((i % 2 == 0)); then
        echo "    rtsp: ${cam_urls[i]}"
        echo "    probe_interval: $probe_interval"
        echo "    probe_timeout: $probe_timeout"
        echo "    hls: $gw/hls/$id/index.m3u8"
      else
        echo "    hls: $nginx_url/internal/hls/$id/index.m3u8"
      fi
      echo "    hls_interval: 1s"
    done
    echo "access_logs:"
    echo "  - path: $workdir/logs/nginx-access.log"
    echo "    format: vms"
    echo "    name: gateway"
    echo "    camera_id: '^/(?:hls|webrtc)/([^/]+)/'"
    echo "    start_at: beginning"
    echo "    state_dir: $gw/state"
    echo "    poll_interval: 1s"
  } >"$gateway_config"
  if ! "$GATEWAY_EXPORTER_BIN" --config.file="$gateway_config" --config.check >"$workdir/logs/gateway-config-check.log" 2>&1; then
    log "the gateway exporter rejects the generated config $gateway_config:"
    cat "$workdir/logs/gateway-config-check.log" >&2
    exit 3
  fi
  "${guard[@]}" "$GATEWAY_EXPORTER_BIN" --web.listen-address="127.0.0.1:$gateway_port" \
    --config.file="$gateway_config" >"$workdir/logs/gateway_exporter.log" 2>&1 &
  started $! streaming_gateway_exporter
  wait_for_http "http://127.0.0.1:$gateway_port/-/ready" 30 $! streaming_gateway_exporter "$workdir/logs/gateway_exporter.log"

  # Its own target file, with the site named: the same host as the recording
  # node (node 127.0.0.1), as a gateway and a recorder in one box would be.
  cat >"$workdir/targets/gateway.yml" <<TARGETS
# Generated by deploy/local-stack.sh: this host is also the streaming gateway of site "local".
- targets: ['127.0.0.1']
  labels:
    roles: streaming-gateway
    site: local
TARGETS
fi
# ==== end of streaming gateway ===============================================

# ==== API server =============================================================
# Everything of the API server is in this block (and in its options above):
# tests/support/api_backend.py behind nginx with the shipped `vms` access log
# format, a curl loop of API clients (cameras with good and expired tokens,
# logins that pass and fail, health), and api_server_exporter reading the
# access log and counting the connections to nginx, scraped through its own
# target file.
if ((api)); then
  if [[ -z "${API_EXPORTER_BIN:-}" ]]; then
    API_EXPORTER_BIN="$(dirname "$EXPORTER_BIN")/api_server_exporter"
    if [[ ! -x "$API_EXPORTER_BIN" ]]; then
      log "building api_server_exporter (scripts/build.sh)"
      "$root/scripts/build.sh" api_server_exporter >&2
      API_EXPORTER_BIN="$root/build/exporters/api_server_exporter"
    fi
  fi
  [[ -x "$API_EXPORTER_BIN" ]] || { log "API_EXPORTER_BIN=$API_EXPORTER_BIN is not an executable"; exit 2; }
  [[ -x /usr/sbin/nginx ]] || { log "missing /usr/sbin/nginx (scripts/install-deps.sh packages-test.txt)"; exit 2; }
  for port in "$api_port" "$api_nginx_port" "$api_backend_port" $( ((db)) && echo "$pg_port"); do
    port_free "$port" || { log "127.0.0.1:$port is in use (choose other ports, see --help)"; exit 1; }
  done
  apidir=$workdir/api
  mkdir -p "$apidir"/{nginx-temp,state}
  api_url="http://127.0.0.1:$api_nginx_port"

  "${guard[@]}" /usr/bin/python3 "$root/tests/support/api_backend.py" "$api_backend_port" \
    >"$workdir/logs/api_backend.log" 2>&1 &
  started $! api_backend
  wait_for_line "$workdir/logs/api_backend.log" "^listening on" 30 $! api_backend

  # One nginx process as for the gateway; /-/ready is not logged.
  cat >"$apidir/nginx.conf" <<NGINX
# Generated by deploy/local-stack.sh
daemon off;
master_process off;
worker_processes 1;
pid $apidir/nginx.pid;
error_log $workdir/logs/api-nginx-error.log warn;
events { worker_connections 256; }
http {
  client_body_temp_path $apidir/nginx-temp;
  proxy_temp_path $apidir/nginx-temp;
  fastcgi_temp_path $apidir/nginx-temp;
  uwsgi_temp_path $apidir/nginx-temp;
  scgi_temp_path $apidir/nginx-temp;
  include $root/deploy/nginx/vms-log-format.conf;
  access_log $workdir/logs/api-nginx-access.log vms;
  server {
    listen 127.0.0.1:$api_nginx_port;
    location = /-/ready { access_log off; return 200; }
    location / {
      proxy_pass http://127.0.0.1:$api_backend_port;
      proxy_http_version 1.1;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection \$http_connection;
    }
  }
}
NGINX
  "${guard[@]}" /usr/sbin/nginx -e "$workdir/logs/api-nginx-error.log" -p "$apidir" -c "$apidir/nginx.conf" \
    >"$workdir/logs/api-nginx.log" 2>&1 &
  started $! "api-nginx"
  wait_for_http "$api_url/-/ready" 30 $! api-nginx "$workdir/logs/api-nginx-error.log"

  # Clients: mostly good requests, some expired or missing tokens, a failed
  # login now and then: every result has series, no alert fires.
  api_traffic_loop() {
    local n=0 auth=(-H 'Authorization: Bearer good') c=(curl -sS -o /dev/null --max-time 5)
    while :; do
      n=$((n + 1))
      "${c[@]}" "${auth[@]}" "$api_url/api/cameras" 2>/dev/null || true
      "${c[@]}" "${auth[@]}" "$api_url/api/cameras/cam$((n % 12 + 1))" 2>/dev/null || true
      "${c[@]}" "${auth[@]}" "$api_url/api/cameras/cam1/recordings?delay_ms=$((n % 5 * 40))" 2>/dev/null || true
      "${c[@]}" "$api_url/health" 2>/dev/null || true
      if ((n % 5 == 0)); then
        "${c[@]}" -H 'Authorization: Bearer expired' "$api_url/api/cameras" 2>/dev/null || true
        "${c[@]}" "$api_url/api/cameras" 2>/dev/null || true
        "${c[@]}" -H 'Content-Type: application/json' -d '{"user": "admin", "password": "secret"}' \
          "$api_url/api/login" 2>/dev/null || true
        "${c[@]}" -H 'Content-Type: application/json' -d '{"user": "admin", "password": "wrong"}' \
          "$api_url/api/login" 2>/dev/null || true
      fi
      sleep 0.5
    done
  }
  api_traffic_loop &
  started $! "api traffic"

  # The API's PostgreSQL: a cluster of its own in the work dir, run as the
  # postgres user (the server refuses root), a `monitor` role with pg_monitor
  # and a password the exporter reads from a file, a `vms` database with a
  # cameras table for the probe query, and one long application query.
  if ((db)); then
    pg_bin=/usr/lib/postgresql/15/bin
    [[ -x $pg_bin/postgres ]] || { log "missing $pg_bin/postgres (scripts/install-deps.sh packages-test.txt)"; exit 2; }
    pg_uid=$(id -u postgres 2>/dev/null) || { log "no postgres user (the postgresql-15 package makes it)"; exit 2; }
    pg_gid=$(id -g postgres)
    # Its own directory under /tmp (the work dir may sit where the postgres
    # user cannot go), removed on exit; the server's log is in logs/.
    pgdir=$(mktemp -d /tmp/vms-local-stack-pg.XXXXXX)
    chown "$pg_uid:$pg_gid" "$pgdir"
    as_pg=(setpriv --reuid="$pg_uid" --regid="$pg_gid" --clear-groups)
    "${as_pg[@]}" "$pg_bin/initdb" -D "$pgdir/data" -U postgres --auth-local=trust \
      --auth-host=scram-sha-256 -E UTF8 --locale=C --no-sync --no-instructions \
      >"$workdir/logs/pg-initdb.log" 2>&1 || { log "initdb failed:"; tail -n 20 "$workdir/logs/pg-initdb.log" >&2; exit 3; }
    "${guard[@]}" "${as_pg[@]}" "$pg_bin/postgres" -D "$pgdir/data" -c listen_addresses=127.0.0.1 \
      -c port="$pg_port" -c unix_socket_directories="$pgdir" -c fsync=off \
      >"$workdir/logs/postgres.log" 2>&1 &
    started $! postgres
    pg_psql() { "${as_pg[@]}" psql -X -q -v ON_ERROR_STOP=1 -h "$pgdir" -p "$pg_port" -U postgres "$@"; }
    for ((i = 0; i < 300; i++)); do
      pg_psql -d postgres -c 'SELECT 1' >/dev/null 2>&1 && break
      alive "${pids[-1]}" || { log "postgres exited while starting:"; tail -n 20 "$workdir/logs/postgres.log" >&2; exit 3; }
      sleep 0.1
    done
    pg_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    pg_psql -d postgres -c "CREATE ROLE monitor LOGIN PASSWORD '$pg_password' IN ROLE pg_monitor" \
      -c "CREATE DATABASE vms" >"$workdir/logs/pg-setup.log" 2>&1 &&
      pg_psql -d vms -c "CREATE TABLE cameras (id text PRIMARY KEY)" \
        -c "INSERT INTO cameras SELECT 'cam' || g FROM generate_series(1, 12) g" >>"$workdir/logs/pg-setup.log" 2>&1 ||
      { log "setting up PostgreSQL failed:"; cat "$workdir/logs/pg-setup.log" >&2; exit 3; }
    (umask 077 && printf '%s\n' "$pg_password" >"$apidir/pg.pass")
    # An application session busy in a long query: database_connections{state="active"}.
    "${guard[@]}" "${as_pg[@]}" psql -X -q -h "$pgdir" -p "$pg_port" -U postgres -d vms \
      -c 'SELECT pg_sleep(2147483)' >/dev/null 2>&1 &
    started $! "postgres client"
  fi

  api_config="$workdir/config/api_server.yml"
  {
    config_head
    echo "    - name: nginx"
    echo "      comm: '^nginx\$'"
    echo "connections:"
    echo "  ports: [$api_nginx_port]"
    echo "access_logs:"
    echo "  - path: $workdir/logs/api-nginx-access.log"
    echo "    name: api"
    echo "    routes: ['/api/cameras', '/api/cameras/:id', '/api/cameras/:id/recordings', '/api/login', '/health']"
    echo "    login_route: /api/login"
    echo "    start_at: beginning"
    echo "    state_dir: $apidir/state"
    echo "    poll_interval: 1s"
    echo "health_checks:"
    echo "  - target: api"
    echo "    url: $api_url/health"
    echo "    body_regex: '\"status\"'"
    echo "    checks: [database, cache, storage]"
    if ((db)); then
      echo "databases:"
      echo "  - name: vms"
      echo "    conninfo: host=127.0.0.1 port=$pg_port dbname=vms user=monitor sslmode=disable"
      echo "    password_file: $apidir/pg.pass"
      echo "    queries:"
      echo "      - query_type: camera_list"
      echo "        sql: SELECT count(*) FROM cameras"
    fi
  } >"$api_config"
  if ! "$API_EXPORTER_BIN" --config.file="$api_config" --config.check >"$workdir/logs/api-config-check.log" 2>&1; then
    log "the API server exporter rejects the generated config $api_config:"
    cat "$workdir/logs/api-config-check.log" >&2
    exit 3
  fi
  "${guard[@]}" "$API_EXPORTER_BIN" --web.listen-address="127.0.0.1:$api_port" \
    --config.file="$api_config" >"$workdir/logs/api_server_exporter.log" 2>&1 &
  started $! api_server_exporter
  wait_for_http "http://127.0.0.1:$api_port/-/ready" 30 $! api_server_exporter "$workdir/logs/api_server_exporter.log"

  cat >"$workdir/targets/api.yml" <<TARGETS
# Generated by deploy/local-stack.sh: this host is also the API server of site "local".
- targets: ['127.0.0.1']
  labels:
    roles: api-server
    site: local
TARGETS
fi
# ==== end of API server ======================================================

# ---- notification sink and Alertmanager -----------------------------------
"${guard[@]}" /usr/bin/python3 "$root/deploy/webhook_sink.py" --port "$webhook_port" --dir "$workdir/notifications" \
  >"$workdir/logs/webhook_sink.log" 2>&1 &
started $! webhook_sink
wait_for_line "$workdir/logs/webhook_sink.log" "^READY" 30 $! "webhook sink"

sed "s#http://127\.0\.0\.1:5001/#http://127.0.0.1:$webhook_port/#g" "$am_config" \
  >"$workdir/config/alertmanager.yml"
"${guard[@]}" /usr/bin/prometheus-alertmanager --config.file="$workdir/config/alertmanager.yml" \
  --storage.path="$workdir/alertmanager-data" \
  --web.listen-address="127.0.0.1:$alertmanager_port" --cluster.listen-address= \
  --web.external-url="http://127.0.0.1:$alertmanager_port/" \
  >"$workdir/logs/alertmanager.log" 2>&1 &
started $! alertmanager
wait_for_http "http://127.0.0.1:$alertmanager_port/-/ready" 30 $! alertmanager "$workdir/logs/alertmanager.log"

# ---- Prometheus -----------------------------------------------------------
# The repo's prometheus.yml with the local ports, rules and target files; its
# relabelling is kept as is, so site comes from the target file's name (local)
# and node from the address (127.0.0.1).
cat >"$workdir/targets/local.yml" <<EOF
# Generated by deploy/local-stack.sh: this host is a recording node of site "local".
- targets: ['127.0.0.1']
  labels:
    roles: recording-node
EOF
/usr/bin/python3 - "$root/prometheus/prometheus.yml" "$workdir/config/prometheus.yml" <<EOF
import sys, yaml
src, dst = sys.argv[1], sys.argv[2]
with open(src) as f:
    cfg = yaml.safe_load(f)
cfg["global"]["scrape_interval"] = "$scrape_interval"
cfg["global"]["evaluation_interval"] = "$eval_interval"
def seconds(d):
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    for unit in ("ms", "s", "m", "h"):
        if d.endswith(unit) and d[: -len(unit)].isdigit():
            return int(d[: -len(unit)]) * units[unit]
    raise SystemExit("local-stack: cannot read the duration " + d)
# Prometheus wants scrape_timeout <= scrape_interval.
if seconds("$scrape_interval") < 10:
    cfg["global"]["scrape_timeout"] = "$scrape_interval"
cfg["global"]["external_labels"] = {"cluster": "local-stack"}
cfg["alerting"]["alertmanagers"] = [{"static_configs": [{"targets": ["127.0.0.1:$alertmanager_port"]}]}]
cfg["rule_files"] = ["$rules_dir/*.yml"]
ports = {"9090": "$exporter_port", "9100": "$node_exporter_port", "9091": "$gateway_port",
         "9092": "$api_port"}
jobs = []
for job in cfg["scrape_configs"]:
    for sd in job.get("file_sd_configs", []):
        sd["files"] = ["$workdir/targets/*.yml"]
    for step in job.get("relabel_configs", []):
        if step.get("target_label") == "__address__":
            old = step.get("replacement", "").rsplit(":", 1)[-1]
            if old in ports:
                step["replacement"] = "\${1}:" + ports[old]
            if old == "9100" and ports["9100"] == "0":
                job = None
                break
    if job is not None:
        jobs.append(job)
cfg["scrape_configs"] = jobs
with open(dst, "w") as f:
    f.write("# Generated by deploy/local-stack.sh from prometheus/prometheus.yml\n")
    yaml.safe_dump(cfg, f, sort_keys=False)
EOF
if ! promtool check config "$workdir/config/prometheus.yml" >"$workdir/logs/promtool.log" 2>&1; then
  log "promtool rejects the generated $workdir/config/prometheus.yml:"; cat "$workdir/logs/promtool.log" >&2
  exit 3
fi
"${guard[@]}" /usr/bin/prometheus --config.file="$workdir/config/prometheus.yml" \
  --storage.tsdb.path="$workdir/prometheus-data" \
  --web.listen-address="127.0.0.1:$prometheus_port" \
  --web.external-url="http://127.0.0.1:$prometheus_port/" --web.enable-lifecycle \
  >"$workdir/logs/prometheus.log" 2>&1 &
started $! prometheus
wait_for_http "http://127.0.0.1:$prometheus_port/-/ready" 60 $! prometheus "$workdir/logs/prometheus.log"

# ---- up -------------------------------------------------------------------
{
  echo "WORKDIR=$workdir"
  echo "EXPORTER_URL=http://127.0.0.1:$exporter_port"
  echo "PROMETHEUS_URL=http://127.0.0.1:$prometheus_port"
  echo "ALERTMANAGER_URL=http://127.0.0.1:$alertmanager_port"
  echo "WEBHOOK_URL=http://127.0.0.1:$webhook_port"
  ((node_exporter_port)) && echo "NODE_EXPORTER_URL=http://127.0.0.1:$node_exporter_port"
  echo "NOTIFICATIONS_DIR=$workdir/notifications"
  echo "CAMERA_IDS='${cam_ids[*]}'"
  if ((gateway)); then
    echo "GATEWAY_URL=http://127.0.0.1:$gateway_port"
    echo "NGINX_URL=$nginx_url"
    echo "HLS_DIR=$gw/hls"
    echo "STREAM_IDS='${gateway_ids[*]}'"
  fi
  if ((api)); then
    echo "API_EXPORTER_URL=http://127.0.0.1:$api_port"
    echo "API_URL=$api_url"
  fi
  for i in "${!pids[@]}"; do
    echo "PID_$(echo "${names[i]}" | tr -c 'A-Za-z0-9\n' '_')=${pids[i]}"
  done
} >"$workdir/stack.env.tmp"
mv "$workdir/stack.env.tmp" "$workdir/stack.env"

gateway_line=""
((gateway)) && printf -v gateway_line '\n  gateway        http://127.0.0.1:%s/  (nginx: %s/hls/CAMERA/index.m3u8, %s viewer(s))' \
  "$gateway_port" "$nginx_url" "$viewers"
api_line=""
((api)) && printf -v api_line '\n  api server     http://127.0.0.1:%s/  (nginx: %s/api/cameras, backend :%s)' \
  "$api_port" "$api_url" "$api_backend_port"
cat >&2 <<EOF
local-stack: up with ${#cam_ids[@]} camera(s): ${cam_ids[*]}
  cameras        $( ((cameras)) && echo "rtsp://127.0.0.1:$camera_port/cam1 .. /cam$cameras" || echo "(extra only)")
  exporter       http://127.0.0.1:$exporter_port/  (metrics: /metrics)
  prometheus     http://127.0.0.1:$prometheus_port/  (alerts: /alerts, targets: /targets)
  alertmanager   http://127.0.0.1:$alertmanager_port/
  notifications  $workdir/notifications/{pager,tickets}.jsonl
  recordings     $workdir/rec/
  logs           $workdir/logs/${gateway_line}${api_line}
$( ((run_for)) && echo "  stopping by itself in $run_for s" || echo "  Ctrl-C stops everything")
EOF

# Watch the stack; a dead part ends it (recorder loops never end on their own).
deadline=$((SECONDS + run_for))
while :; do
  if ((run_for)) && ((SECONDS >= deadline)); then
    log "--for $run_for s elapsed"
    exit 0
  fi
  for i in "${!pids[@]}"; do
    if ! alive "${pids[i]}"; then
      log "${names[i]} (pid ${pids[i]}) died; its log:"
      tail -n 20 "$workdir/logs/"*"$(echo "${names[i]}" | cut -d' ' -f1)"*.log >&2 2>/dev/null || true
      exit 1
    fi
  done
  sleep 1 &
  sleeper=$!
  wait "$sleeper" || true
  sleeper=""
done
