#!/usr/bin/env bash
# Every Grafana panel query against a live Prometheus fed by the local stack
# (deploy/local-stack.sh: simulated cameras, ffmpeg recorders, the recording
# exporter, a streaming gateway with HLS packagers, viewers and its exporter, an
# API server behind nginx with its client loop and exporter,
# node_exporter, the repo's recording rules).
#
# Waits until Prometheus has scraped the exporter a few times and every recording
# rule group has evaluated, then runs each query of grafana/dashboards/*.json
# (tests/e2e/dashboard_queries.py, which says how variables are expanded) and fails
# when a query does not parse, or returns nothing although the stack produces what
# it reads; the allow-lists for what legitimately stays empty here (TLS expiry, WebSockets,
# alerts) are in dashboard_queries.py with a reason each.
#
# Environment: EXPORTER_BIN, VMS_NO_INSTALL, E2E_KEEP (tests/e2e/lib.sh), GRAFANA_DIR.
set -euo pipefail
name=dashboards_live
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

shopt -s nullglob
grafana_dir=${GRAFANA_DIR:-$e2e_root/grafana}  # GRAFANA_DIR: try dashboards from elsewhere
dashboards=("$grafana_dir"/dashboards/*.json)
shopt -u nullglob
if ((${#dashboards[@]} == 0)); then
  say "SKIP: no $grafana_dir/dashboards/*.json yet"
  exit 77
fi

e2e_init

# Segments of 4 s so that completed segments (recording_segments_total, the
# duration histogram, retention depth) exist within the test's first minute.
e2e_start_stack --cameras 2 --camera-size 320x240 \
  --scrape-interval 2s --eval-interval 2s --probe-interval 2s --probe-timeout 2s \
  --scan-interval 2s --segment-time 4

scraped_enough() {  # JOB: Prometheus scraped it 5 times
  local n
  n=$(prom_query "count_over_time(up{job=\"$1\"}[1m])" | awk '{print $NF}')
  [[ -n "$n" ]] && ((n >= 5))
}
wait_until 90 "Prometheus scraped the recording exporter 5 times" scraped_enough recording-nodes

cameras_known() {
  [[ "$(prom_query 'count(camera_connection_status == 1)' | awk '{print $NF}')" == 2 ]]
}
wait_until 60 "both cameras online in Prometheus" cameras_known

segments_done() {
  [[ "$(prom_query 'count(recording_segments_total > 0)' | awk '{print $NF}')" == 2 ]]
}
wait_until 60 "completed segments of both cameras" segments_done

wait_until 60 "Prometheus scraped the gateway exporter 5 times" scraped_enough streaming-gateways
# Both HLS streams up with new segments, viewers counted from the access log, and
# WebRTC offers seen twice (a rate needs two samples that differ).
streams_live() {
  [[ "$(prom_query 'count(stream_up{protocol="hls"} == 1)' | awk '{print $NF}')" == 2 &&
     "$(prom_query 'count(increase(hls_segments_total[30s]) > 0)' | awk '{print $NF}')" == 2 &&
     -n "$(prom_query 'camera_protocol:stream_viewers:max > 0')" &&
     -n "$(prom_query 'instance_source:webrtc_connection_success:ratio_rate5m')" ]]
}
wait_until 90 "both HLS streams live, with viewers and WebRTC offers" streams_live

rules_evaluated() {
  curl -sS --max-time 10 "$PROM/api/v1/rules?type=record" | /usr/bin/python3 -c '
import json, sys
groups = json.load(sys.stdin)["data"]["groups"]
bad = [r["name"] for g in groups for r in g["rules"] if r.get("health") != "ok"]
never = [g["name"] for g in groups if g.get("lastEvaluation", "").startswith("0001")]
sys.exit(1 if (bad or never or not groups) else 0)
'
}
wait_until 60 "every recording rule group evaluated, all rules healthy" rules_evaluated
# Rates over 5m windows need a few samples after the rules' first evaluation; the
# queries then look at the last 20 s only, so what held data only while the stack
# started (a camera at 0 before its first probe) does not count.
sleep 10

extractor="$grafana_dir/tests/extract_queries.py"
/usr/bin/python3 "$e2e_root/tests/e2e/dashboard_queries.py" --prometheus "$PROM" --window 20 \
  --extractor "$extractor" "${dashboards[@]}" | tee "$work/dashboard_queries.log" >&2 ||
  fail "dashboard queries failed (above)"

e2e_pass "every panel query runs; the empty ones are on the allow-list"
