#!/usr/bin/env bash
# End to end: a gateway's HLS packager dies and the monitoring sees it, then it
# comes back and that is seen too.
#
#   simulated cameras -> ffmpeg HLS packagers -> nginx (vms access log) <- curl
#   viewers; streaming_gateway_exporter (playlist files and URLs, RTSP, the
#   access log) -> Prometheus (the repo's rules; HLSStale's and StreamDown's
#   `for` cut to 10 s in a temp copy) -> Alertmanager (the repo's routing and
#   inhibitions in a temp copy: short group timers, webhooks to a local sink)
#
# The victim is cam2's packager: the stack's packager loop kills its ffmpeg as a
# crash would (SIGUSR1: no EXT-X-ENDLIST written) and keeps it down. Asserts,
# each within a bounded time:
#   1. Prometheus sees stream_up 1 for every stream (cam1 rtsp and hls, cam2 hls);
#   2. after the kill: stream_up{camera_id="cam2",protocol="hls"} 0, HLSStale
#      pending then firing for cam2 only, StreamDown firing for cam2's HLS but
#      inhibited in Alertmanager by HLSStale (one ticket, not two), an HLSStale
#      notification on the tickets webhook and nothing on the pager; cam1 stays up;
#   3. after the packager is let go (SIGUSR2): cam2's stream_up 1 again and
#      HLSStale resolved.
# Everything started is stopped and reaped, also on failure (trap).
#
# Environment: EXPORTER_BIN, GATEWAY_EXPORTER_BIN, VMS_NO_INSTALL, E2E_KEEP
# (tests/e2e/lib.sh).
set -euo pipefail
name=stream_down
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
e2e_init

victim=cam2
short_for=10s
tickets="$work/stack/notifications/tickets.jsonl"
pager="$work/stack/notifications/pager.jsonl"
AM="http://127.0.0.1:$alertmanager_port"

# ---- rules and Alertmanager config: temp copies ----------------------------
e2e_rules_with_for "HLSStale=$short_for" "StreamDown=$short_for"
e2e_alertmanager_config

# One viewer is enough here; 1 s segments make the stale point (3 target
# durations) come within seconds of the kill.
e2e_start_stack --cameras 2 --camera-size 320x240 --viewers 1 --hls-time 1 \
  --rules-dir "$work/rules" --alertmanager-config "$work/alertmanager.yml" \
  --scrape-interval 2s --eval-interval 2s --probe-interval 2s --probe-timeout 2s \
  --scan-interval 2s

packager_pid=$(sed -n "s/^PID_packager_$victim=//p" "$work/stack/stack.env")
[[ -n "$packager_pid" ]] || fail "no PID_packager_$victim in stack.env: $(cat "$work/stack/stack.env")"

up_of() {  # camera_id protocol -> its stream_up in Prometheus, or nothing
  prom_query "stream_up{camera_id=\"$1\",protocol=\"$2\"}" | awk '{print $NF}'
}
up_is() { [[ "$(up_of "$1" "$2")" == "$3" ]]; }
all_up() { up_is cam1 rtsp 1 && up_is cam1 hls 1 && up_is "$victim" hls 1; }
wait_until 90 "Prometheus sees every stream up (cam1 rtsp and hls, $victim hls)" all_up
labels=$(prom_query "stream_up{camera_id=\"$victim\"}")
[[ "$labels" == *'"site": "local"'* && "$labels" == *'"node": "127.0.0.1"'* &&
   "$labels" == *'"job": "streaming-gateways"'* ]] ||
  fail "stream series lack job=streaming-gateways/site=local/node=127.0.0.1: $labels"

alert_state() {  # alertname camera_id -> pending, firing or nothing (Prometheus' ALERTS)
  prom_query "ALERTS{alertname=\"$1\",camera_id=\"$2\"}" |
    /usr/bin/python3 -c 'import json, sys; print(" ".join(sorted({json.loads(l.rsplit(" ", 1)[0])["alertstate"] for l in sys.stdin})))'
}
no_stream_alerts() {
  local out
  out=$(prom_query 'ALERTS{component="streaming"}')
  [[ -z "$out" ]] || fail "streaming alerts before anything broke: $out"
}
no_stream_alerts

# ---- kill the packager --------------------------------------------------------
say "killing the HLS packager of $victim (SIGUSR1 to its loop, pid $packager_pid)"
kill -USR1 "$packager_pid"
t_down=$SECONDS
wait_until 30 "stream_up{camera_id=\"$victim\",protocol=\"hls\"} 0" up_is "$victim" hls 0
down_after=$((SECONDS - t_down))
stale_pending_or_firing() { [[ -n "$(alert_state HLSStale "$victim")" ]]; }
wait_until 30 "HLSStale pending for $victim" stale_pending_or_firing
say "HLSStale is $(alert_state HLSStale "$victim") $((SECONDS - t_down)) s after the kill"
stale_firing() { [[ "$(alert_state HLSStale "$victim")" == firing ]]; }
wait_until 60 "HLSStale firing for $victim" stale_firing
firing_after=$((SECONDS - t_down))

# Alertmanager: HLSStale active, StreamDown of the same HLS stream inhibited by it.
am_status() {  # alertname camera_id -> active, suppressed or nothing; fails on a duplicate
  curl -sS --max-time 5 "$AM/api/v2/alerts" | /usr/bin/python3 -c '
import json, sys
name, camera = sys.argv[1:]
mine = [a for a in json.load(sys.stdin)
        if a["labels"].get("alertname") == name and a["labels"].get("camera_id") == camera]
print(" ".join(a["status"]["state"] + ("/" + ",".join(a["status"]["inhibitedBy"]) if a["status"]["inhibitedBy"] else "") for a in mine))
' "$1" "$2"
}
streamdown_inhibited() { [[ "$(am_status StreamDown "$victim")" == suppressed/* ]]; }
wait_until 60 "StreamDown of $victim's HLS inhibited in Alertmanager" streamdown_inhibited
[[ "$(am_status HLSStale "$victim")" == active ]] ||
  fail "HLSStale of $victim is not active in Alertmanager: $(am_status HLSStale "$victim")"

ticketed() {  # STATUS: a tickets notification holds HLSStale of the victim with that status
  [[ -f "$tickets" ]] || return 1
  /usr/bin/python3 - "$tickets" "$1" "$victim" <<'EOF'
import json, sys
path, status, victim = sys.argv[1:]
want = {"alertname": "HLSStale", "camera_id": victim, "severity": "warning",
        "site": "local", "node": "127.0.0.1", "quality": "default"}
for line in open(path):
    n = json.loads(line)
    if n.get("receiver") != "tickets":
        continue
    for a in n.get("alerts", []):
        if a["labels"].get("alertname") == "StreamDown" and a["labels"].get("camera_id") == victim:
            sys.exit("StreamDown was notified although HLSStale inhibits it: %s" % a["labels"])
        if a["status"] == status and all(a["labels"].get(k) == v for k, v in want.items()):
            sys.exit(0)
sys.exit(1)
EOF
}
ticketed_or_stop() {
  local rc=0
  ticketed "$1" 2>"$work/ticketed.err" || rc=$?
  [[ -s "$work/ticketed.err" ]] && fail "$(cat "$work/ticketed.err")"
  return "$rc"
}
wait_until 30 "tickets got HLSStale firing for $victim" ticketed_or_stop firing
if [[ -f "$pager" ]] && grep -q '"component": *"streaming"' "$pager"; then
  fail "a streaming alert paged: $(cat "$pager")"
fi
if ! up_is cam1 hls 1 || ! up_is cam1 rtsp 1; then
  fail "cam1 went down too: hls $(up_of cam1 hls), rtsp $(up_of cam1 rtsp)"
fi
[[ -z "$(alert_state HLSStale cam1)" ]] || fail "HLSStale for healthy cam1: $(alert_state HLSStale cam1)"

# ---- let it come back ---------------------------------------------------------
say "letting the packager of $victim start again (SIGUSR2)"
kill -USR2 "$packager_pid"
t_up=$SECONDS
wait_until 60 "stream_up{camera_id=\"$victim\",protocol=\"hls\"} 1 again" up_is "$victim" hls 1
stale_gone() { [[ -z "$(alert_state HLSStale "$victim")" ]]; }
wait_until 30 "HLSStale gone for $victim" stale_gone
wait_until 30 "tickets got HLSStale resolved for $victim" ticketed_or_stop resolved
up_after=$((SECONDS - t_up))

e2e_pass "packager killed -> stream_up 0 in $down_after s, HLSStale firing in $firing_after s (for: $short_for), StreamDown inhibited; back -> up and resolved in $up_after s"
