#!/usr/bin/env bash
# End to end: a camera goes dark and the pager hears about it, then it comes back
# and the pager hears that too.
#
#   simulated cameras -> ffmpeg recorders -> recording_node_exporter -> Prometheus
#   (the repo's rules, CameraOffline's `for` cut to 10 s in a temp copy) ->
#   Alertmanager (the repo's routing in a temp copy: short group timers, the pager
#   webhook pointed at a local sink that appends each POST body to a file)
#
# The victim camera runs in a simulator instance of its own (the stack's simulator
# serves the other cameras from one process), so killing it kills only that camera.
# Asserts, each within a bounded time:
#   1. Prometheus sees camera_connection_status 1 for every camera;
#   2. after the victim dies: a CameraOffline notification reaches the pager with
#      status firing and labels camera_id=<victim>, severity=critical, site=local,
#      node=127.0.0.1, and no healthy camera in it;
#   3. after the victim is restarted on the same port: a resolved notification of
#      that alert reaches the pager.
# Everything started is stopped and reaped, also on failure (trap).
#
# Environment: EXPORTER_BIN, VMS_NO_INSTALL, E2E_KEEP (tests/e2e/lib.sh).
set -euo pipefail
name=camera_offline
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
e2e_init

victim=victim
offline_for=10s
victim_port=$spare_port
victim_url="rtsp://127.0.0.1:$victim_port/$victim"
pager="$work/stack/notifications/pager.jsonl"

# ---- rules and Alertmanager config: temp copies ----------------------------
e2e_rules_with_for "CameraOffline=$offline_for"
e2e_alertmanager_config

# ---- the victim camera, then the stack -------------------------------------
start_victim() {
  /usr/bin/python3 "$e2e_root/tests/camera_sim/rtsp_camera_sim.py" --port "$victim_port" \
    --mount "$victim" --size 320x240 --bitrate 300 >>"$work/victim.log" 2>&1 &
  victim_pid=$!
  e2e_started "$victim_pid" "victim camera"
  local i start_lines=$1
  for ((i = 0; i < 600; i++)); do
    (($(grep -c '^READY' "$work/victim.log" || true) > start_lines)) && return 0
    e2e_alive "$victim_pid" || fail "the victim camera did not start: $(tail -n 20 "$work/victim.log")"
    sleep 0.1
  done
  fail "the victim camera was not ready within 60 s"
}
: >"$work/victim.log"
start_victim 0

e2e_start_stack --cameras 1 --extra-camera "$victim=$victim_url" --camera-size 320x240 \
  --rules-dir "$work/rules" --alertmanager-config "$work/alertmanager.yml" \
  --scrape-interval 2s --eval-interval 2s --probe-interval 2s --probe-timeout 2s \
  --scan-interval 2s

status_of() {  # camera_id -> its camera_connection_status in Prometheus, or nothing
  prom_query "camera_connection_status{camera_id=\"$1\"}" | awk '{print $NF}'
}
status_is() { [[ "$(status_of "$1")" == "$2" ]]; }
cameras_online() {
  [[ "$(status_of cam1)" == 1 && "$(status_of "$victim")" == 1 ]]
}
wait_until 90 "Prometheus sees cam1 and $victim online" cameras_online
# The relabelling gave the series their site and node.
labels=$(prom_query "camera_connection_status{camera_id=\"$victim\"}")
[[ "$labels" == *'"site": "local"'* && "$labels" == *'"node": "127.0.0.1"'* ]] ||
  fail "camera series lack site=local/node=127.0.0.1: $labels"

# notified STATUS: a pager notification holds the victim's CameraOffline alert
# with that status and the expected labels, and no other camera.
notified() {
  [[ -f "$pager" ]] || return 1
  /usr/bin/python3 - "$pager" "$1" "$victim" <<'EOF'
import json, sys
path, status, victim = sys.argv[1:]
want = {"alertname": "CameraOffline", "camera_id": victim, "severity": "critical",
        "site": "local", "node": "127.0.0.1"}
for line in open(path):
    n = json.loads(line)
    if n.get("status") != status or n.get("receiver") != "pager":
        continue
    alerts = [a for a in n.get("alerts", []) if a["labels"].get("alertname") == "CameraOffline"]
    mine = [a for a in alerts if a["status"] == status
            and all(a["labels"].get(k) == v for k, v in want.items())]
    if mine:
        others = [a["labels"].get("camera_id") for a in alerts
                  if a["labels"].get("camera_id") != victim]
        if others:
            sys.exit(f"CameraOffline for healthy cameras too: {others}")
        print(json.dumps(mine[0]["labels"], sort_keys=True))
        sys.exit(0)
sys.exit(1)
EOF
}
notified_or_stop() {  # a notification naming other cameras fails at once
  local rc=0
  notified "$1" >/dev/null 2>"$work/notified.err" || rc=$?
  [[ -s "$work/notified.err" ]] && fail "$(cat "$work/notified.err")"
  return "$rc"
}

if [[ -f "$pager" ]] && grep -q CameraOffline "$pager"; then
  fail "CameraOffline notified before any camera went down: $(cat "$pager")"
fi

# ---- kill the victim --------------------------------------------------------
say "killing camera $victim (pid $victim_pid)"
e2e_stop "$victim_pid" "victim camera"
e2e_forget "$victim_pid"
t_down=$SECONDS
wait_until 30 "Prometheus sees $victim offline" status_is "$victim" 0
wait_until 90 "pager got CameraOffline firing for $victim" notified_or_stop firing
firing_after=$((SECONDS - t_down))
say "firing notification $firing_after s after the camera died: $(notified firing)"
[[ "$(status_of cam1)" == 1 ]] || fail "cam1 went offline too"

# ---- bring it back ----------------------------------------------------------
say "restarting camera $victim on port $victim_port"
start_victim 1
t_up=$SECONDS
wait_until 30 "Prometheus sees $victim online again" status_is "$victim" 1
wait_until 60 "pager got CameraOffline resolved for $victim" notified_or_stop resolved
resolved_after=$((SECONDS - t_up))
say "resolved notification $resolved_after s after the camera came back"

e2e_pass "camera down -> page in $firing_after s (for: $offline_for), back -> resolved in $resolved_after s"
