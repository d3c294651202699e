# shellcheck shell=bash
# Shared by the end-to-end tests: a local stack (deploy/local-stack.sh) on free
# loopback ports, Prometheus queries, and cleanup that kills and reaps
# everything the test started, also when it fails.
#
# The sourcing script sets `name` (for messages) and calls e2e_init first.
# Environment: EXPORTER_BIN (built exporter; default: scripts/build.sh),
# GATEWAY_EXPORTER_BIN and API_EXPORTER_BIN (default: beside EXPORTER_BIN, else built),
# VMS_NO_INSTALL=1 (do not run scripts/install-deps.sh; ctest sets it),
# E2E_KEEP=1 (keep the work dir even when the test passes).

e2e_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
e2e_pids=()     # background processes started by the test, in start order
e2e_names=()
e2e_ok=0        # set to 1 by e2e_pass
stack_pid=""

say() { echo "[${name:-e2e} $(date -u +%H:%M:%S)] $*" >&2; }
fail() { say "FAIL: $*"; exit 1; }

e2e_alive() {  # running and not a zombie
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ "${stat:0:1}" != Z ]]
}

e2e_stop() {  # pid name [seconds]: TERM, then KILL after the grace time; reaped
  local pid=$1 what=$2 grace=${3:-10} i
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    e2e_alive "$pid" || break
    sleep 0.1
  done
  if e2e_alive "$pid"; then
    say "$what (pid $pid) still running after $grace s, killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

e2e_started() { e2e_pids+=("$1"); e2e_names+=("$2"); }
e2e_forget() {  # pid: no longer ours to stop (already reaped)
  local i
  for i in "${!e2e_pids[@]}"; do
    [[ "${e2e_pids[i]}" == "$1" ]] && unset 'e2e_pids[i]' 'e2e_names[i]'
  done
  return 0
}

e2e_cleanup() {
  local rc=$? i
  trap '' INT TERM
  # The stack stops (and reaps) its own children on SIGTERM; give it time.
  local idx=("${!e2e_pids[@]}")
  for ((i = ${#idx[@]} - 1; i >= 0; i--)); do
    local k=${idx[i]}
    e2e_stop "${e2e_pids[k]}" "${e2e_names[k]}" 30
  done
  if ((!e2e_ok)); then
    ((rc)) || rc=1
    say "failed; last lines of the logs (everything is in $work):"
    local f
    for f in "$work"/*.log "$work"/stack/logs/*.log; do
      [[ -f "$f" ]] || continue
      echo "---- $f" >&2
      tail -n 15 "$f" >&2
    done
    for f in "$work"/stack/notifications/*.jsonl; do
      [[ -f "$f" ]] || continue
      echo "---- $f" >&2
      cat "$f" >&2
    done
  elif [[ "${E2E_KEEP:-0}" == 1 ]]; then
    say "work dir kept: $work"
  else
    rm -rf "$work"
  fi
  exit "$rc"
}

free_ports() {  # N [TAKEN...]: N distinct free loopback ports on one line, none of TAKEN
  /usr/bin/python3 -c '
import socket, sys
taken, socks, ports = set(sys.argv[2:]), [], []
while len(ports) < int(sys.argv[1]):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)  # held until all are chosen, so none repeats
    if str(s.getsockname()[1]) not in taken:
        ports.append(str(s.getsockname()[1]))
print(" ".join(ports))
' "$@"
}

e2e_init() {
  work=$(mktemp -d "/tmp/vms-e2e-$name.XXXXXX")
  trap e2e_cleanup EXIT
  trap 'say "interrupted"; exit 130' INT
  trap 'say "terminated"; exit 143' TERM
  install_flag=()
  if [[ "${VMS_NO_INSTALL:-0}" != 1 ]]; then
    if [[ -z "${EXPORTER_BIN:-}" ]]; then
      "$e2e_root/scripts/install-deps.sh" packages-build.txt packages-test.txt
    else
      "$e2e_root/scripts/install-deps.sh" packages-test.txt
    fi
  fi
  install_flag=(--no-install)
  if [[ -z "${EXPORTER_BIN:-}" ]]; then
    "$e2e_root/scripts/build.sh" recording_node_exporter >&2
    EXPORTER_BIN="$e2e_root/build/exporters/recording_node_exporter"
  fi
  export EXPORTER_BIN
  [[ -x "$EXPORTER_BIN" ]] || fail "EXPORTER_BIN=$EXPORTER_BIN is not executable"

  # Until the camera collector exists the exporter rejects a `cameras:` section:
  # there is nothing to test end to end yet, which ctest reports as skipped.
  printf 'cameras:\n  - id: probe\n    url: rtsp://127.0.0.1:1/probe\n' >"$work/cameras-check.yml"
  if ! "$EXPORTER_BIN" --config.file="$work/cameras-check.yml" --config.check \
      >"$work/cameras-check.log" 2>&1; then
    if grep -q 'cameras: unknown key' "$work/cameras-check.log"; then
      say "SKIP: $EXPORTER_BIN has no camera support yet ($(cat "$work/cameras-check.log"))"
      e2e_ok=1
      exit 77
    fi
    fail "the exporter rejects a minimal cameras config: $(cat "$work/cameras-check.log")"
  fi

  # shellcheck disable=SC2034  # spare_port is for the test scripts
  read -r exporter_port prometheus_port alertmanager_port webhook_port node_exporter_port \
    camera_port spare_port < <(free_ports 7)
  PROM="http://127.0.0.1:$prometheus_port"

  # The stack's streaming gateway (deploy/local-stack.sh, its gateway block).
  if [[ -z "${GATEWAY_EXPORTER_BIN:-}" ]]; then
    GATEWAY_EXPORTER_BIN="$(dirname "$EXPORTER_BIN")/streaming_gateway_exporter"
    [[ -x "$GATEWAY_EXPORTER_BIN" ]] || "$e2e_root/scripts/build.sh" streaming_gateway_exporter >&2
  fi
  export GATEWAY_EXPORTER_BIN
  read -r gateway_port nginx_port < <(free_ports 2 "$exporter_port" "$prometheus_port" \
    "$alertmanager_port" "$webhook_port" "$node_exporter_port" "$camera_port" "$spare_port")
  gateway_flags=(--gateway-port "$gateway_port" --nginx-port "$nginx_port")

  # The stack's API server (deploy/local-stack.sh, its API server block).
  if [[ -z "${API_EXPORTER_BIN:-}" ]]; then
    API_EXPORTER_BIN="$(dirname "$EXPORTER_BIN")/api_server_exporter"
    [[ -x "$API_EXPORTER_BIN" ]] || "$e2e_root/scripts/build.sh" api_server_exporter >&2
  fi
  export API_EXPORTER_BIN
  read -r api_port api_nginx_port api_backend_port pg_port < <(free_ports 4 "$exporter_port" \
    "$prometheus_port" "$alertmanager_port" "$webhook_port" "$node_exporter_port" "$camera_port" \
    "$spare_port" "$gateway_port" "$nginx_port")
  gateway_flags+=(--api-port "$api_port" --api-nginx-port "$api_nginx_port" --api-backend-port "$api_backend_port"
                  --pg-port "$pg_port")
}

# e2e_start_stack [local-stack options...]: starts deploy/local-stack.sh on the
# ports chosen by e2e_init, work dir $work/stack, and waits until it is up.
e2e_start_stack() {
  # setpriv: should this test be killed outright, the stack still stops cleanly.
  setpriv --pdeathsig TERM -- "$e2e_root/deploy/local-stack.sh" "${install_flag[@]}" --workdir "$work/stack" \
    --exporter-port "$exporter_port" --prometheus-port "$prometheus_port" \
    --alertmanager-port "$alertmanager_port" --webhook-port "$webhook_port" \
    --node-exporter-port "$node_exporter_port" --camera-port "$camera_port" \
    "${gateway_flags[@]}" --for 600 "$@" >"$work/local-stack.log" 2>&1 &
  stack_pid=$!
  e2e_started "$stack_pid" local-stack
  local i
  for ((i = 0; i < 1200; i++)); do
    [[ -f "$work/stack/stack.env" ]] && break
    e2e_alive "$stack_pid" || fail "deploy/local-stack.sh exited while starting: $(tail -n 20 "$work/local-stack.log")"
    sleep 0.1
  done
  [[ -f "$work/stack/stack.env" ]] || fail "the stack was not up within 120 s"
  say "stack up in $work/stack (Prometheus $PROM)"
}

# e2e_rules_with_for ALERT=DURATION...: a copy of prometheus/rules in $work/rules
# with those alerts' `for` shortened (a test cannot wait minutes), checked by promtool.
e2e_rules_with_for() {
  local spec alert duration file
  cp -r "$e2e_root/prometheus/rules" "$work/rules"
  for spec in "$@"; do
    alert=${spec%%=*}
    duration=${spec#*=}
    file=$(grep -l "alert: $alert\$" "$work"/rules/*.yml) || fail "no rule file has the alert $alert"
    sed -i "/alert: $alert\$/,/for:/ s/^\( *\)for: .*/\1for: $duration/" "$file"
    /usr/bin/python3 - "$file" "$alert" "$duration" <<'EOF' || fail "could not shorten $alert's for"
import sys, yaml
path, name, duration = sys.argv[1:]
rules = [r for g in yaml.safe_load(open(path))["groups"] for r in g["rules"] if r.get("alert") == name]
assert len(rules) == 1 and rules[0]["for"] == duration, rules
EOF
  done
  promtool check rules "$work"/rules/*.yml >"$work/promtool-rules.log" 2>&1 ||
    fail "promtool rejects the shortened rules: $(cat "$work/promtool-rules.log")"
}

# e2e_alertmanager_config: a copy of the repo's alertmanager.yml in
# $work/alertmanager.yml with group timers of 1-2 s and every webhook sending
# resolved notifications (the stack points the webhooks at its sink), checked by amtool.
e2e_alertmanager_config() {
  /usr/bin/python3 - "$e2e_root/prometheus/alertmanager/alertmanager.yml" "$work/alertmanager.yml" <<'EOF' ||
import sys, yaml
src, dst = sys.argv[1:]
cfg = yaml.safe_load(open(src))
def shorten(route):
    for key, value in (("group_wait", "1s"), ("group_interval", "2s")):
        if key in route or route is cfg["route"]:
            route[key] = value
    for child in route.get("routes", []):
        shorten(child)
shorten(cfg["route"])
hooks = [h for r in cfg["receivers"] for h in r.get("webhook_configs", [])]
assert hooks, "no webhook receivers"
for hook in hooks:
    hook["send_resolved"] = True
yaml.safe_dump(cfg, open(dst, "w"), sort_keys=False)
EOF
    fail "could not write the test's alertmanager.yml"
  amtool check-config "$work/alertmanager.yml" >"$work/amtool.log" 2>&1 ||
    fail "amtool rejects the test's alertmanager.yml: $(cat "$work/amtool.log")"
}

# prom_query EXPR: prints one line per series, "labels-json value" (instant query);
# exits the test when Prometheus rejects the query.
prom_query() {
  local out
  out=$(curl -sS --max-time 10 --data-urlencode "query=$1" "$PROM/api/v1/query") ||
    fail "Prometheus did not answer the query $1"
  /usr/bin/python3 -c '
import json, sys
r = json.loads(sys.argv[1])
if r.get("status") != "success":
    sys.exit("query failed: %s" % r.get("error"))
for s in r["data"]["result"]:
    print(json.dumps(s["metric"], sort_keys=True), s["value"][1])
' "$out" || fail "Prometheus rejected $1: $out"
}

# wait_until SECONDS DESCRIPTION COMMAND...: polls COMMAND every second.
wait_until() {
  local seconds=$1 what=$2 start=$SECONDS
  shift 2
  while ! "$@"; do
    ((SECONDS - start < seconds)) || fail "not within $seconds s: $what"
    e2e_alive "$stack_pid" || fail "the stack died: $(tail -n 20 "$work/local-stack.log")"
    sleep 1
  done
  say "ok after $((SECONDS - start)) s: $what"
}

e2e_pass() { e2e_ok=1; say "PASS${1:+: $1}"; }
