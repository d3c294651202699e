#!/usr/bin/env bash
# Checks everything under prometheus/: the Prometheus configs (main and
# examples), target relabelling against the example inventory, the rule files,
# the rule unit tests (and that every alert has one that fires and one that
# stays quiet), the Alertmanager configs, the route of every alert, and the
# inhibitions against a real Alertmanager on loopback.
# Needs promtool, amtool and prometheus-alertmanager (Debian: prometheus,
# prometheus-alertmanager) and python3 with PyYAML. Exits non-zero on any failure.
set -uo pipefail
tests=$(cd "$(dirname "$0")" && pwd)
prom=$(dirname "$tests")
am="$prom/alertmanager"
failed=0
passed=0

step() {
  local name=$1
  shift
  local out
  if out=$("$@" 2>&1); then
    passed=$((passed + 1))
    echo "ok   $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name"
    echo "$out" | sed 's/^/     /'
  fi
}

for tool in promtool amtool python3; do
  command -v "$tool" >/dev/null || { echo "FAIL $tool is not installed"; exit 1; }
done

# Prometheus configs. The sharding example is checked in a copy beside the real
# targets/ and rules/, where it is meant to be installed.
cd "$prom"
step "promtool check config prometheus.yml" promtool check config prometheus.yml
for f in examples/remote-write/*.yml; do
  step "promtool check config $f" promtool check config "$f"
done
shard_dir=$(mktemp -d)
trap 'rm -rf "$shard_dir"' EXIT
ln -s "$prom/targets" "$prom/rules" "$shard_dir/"
cp examples/sharding/prometheus-shard-0.yml "$shard_dir/"
step "promtool check config examples/sharding/prometheus-shard-0.yml" \
  promtool check config "$shard_dir/prometheus-shard-0.yml"
step "target relabelling and sharding (check_targets.py)" python3 "$tests/check_targets.py" "$prom"

# Rules and their unit tests.
step "promtool check rules rules/*.yml" promtool check rules rules/*.yml
for f in "$tests"/*_test.yml; do
  step "promtool test rules $(basename "$f")" promtool test rules "$f"
done

# check_metric_names.py (rules and dashboards read only metrics something
# produces) is a ctest of its own: metric_names.

# Every alert has a test case where it fires (exp_alerts with entries) and one
# where it must stay quiet (exp_alerts: []).
coverage() {
  local alerts fires quiet missing=0
  alerts=$(sed -n 's/^ *- alert: *\([A-Za-z0-9_]*\).*/\1/p' rules/*.yml | sort -u)
  fires=$(awk '/alertname:/ {a=$2} /exp_alerts: *$/ {print a}' "$tests"/*_test.yml | sort -u)
  quiet=$(awk '/alertname:/ {a=$2} /exp_alerts: *\[\]/ {print a}' "$tests"/*_test.yml | sort -u)
  for a in $alerts; do
    grep -qx "$a" <<<"$fires" || { echo "$a: no test where it fires"; missing=1; }
    grep -qx "$a" <<<"$quiet" || { echo "$a: no test where it stays quiet"; missing=1; }
  done
  echo "$(wc -w <<<"$alerts") alerts"
  return $missing
}
step "every alert is tested firing and quiet" coverage

# Every alert links the section of docs/runbooks.md named after it, and has the
# labels and annotations routing and notifications rely on.
alert_metadata() {
  local runbooks="$prom/../docs/runbooks.md" bad=0 alert anchor
  for alert in $(sed -n 's/^ *- alert: *\([A-Za-z0-9_]*\).*/\1/p' rules/*.yml); do
    anchor=$(tr '[:upper:]' '[:lower:]' <<<"$alert")
    grep -qx "### $alert" "$runbooks" || { echo "$alert: no section in docs/runbooks.md"; bad=1; }
    # The rule's block: from its "- alert:" line to the next rule.
    block=$(awk -v a="$alert" '$0 ~ "- alert: "a"$" {on=1; print; next} on && /^ *- (alert|record):/ {on=0} on' rules/*.yml)
    grep -q "runbook_url: .*/docs/runbooks.md#$anchor\$" <<<"$block" || { echo "$alert: runbook_url is not .../docs/runbooks.md#$anchor"; bad=1; }
    grep -qE "severity: (critical|warning)\$" <<<"$block" || { echo "$alert: severity is not critical or warning"; bad=1; }
    for key in summary description; do
      grep -q "^ *$key:" <<<"$block" || { echo "$alert: no $key annotation"; bad=1; }
    done
  done
  return $bad
}
step "every alert has severity, summary, description and its runbook section" alert_metadata

# Alertmanager: the main config and its receiver variants share the routes and
# inhibitions, so the same cases apply to all of them.
configs=("$am/alertmanager.yml" "$am"/examples/*.yml)
for c in "${configs[@]}"; do
  step "amtool check-config ${c#"$prom"/}" amtool check-config "$c"
done
same_policy() {
  local ref
  ref=$(sed -n '/^route:/,/^receivers:/p; /^inhibit_rules:/,$p' "$am/alertmanager.yml")
  for c in "$am"/examples/*.yml; do
    diff <(echo "$ref") <(sed -n '/^route:/,/^receivers:/p; /^inhibit_rules:/,$p' "$c") ||
      { echo "${c#"$prom"/}: routes or inhibitions differ from alertmanager.yml"; return 1; }
  done
}
step "examples route and inhibit like alertmanager.yml" same_policy

route_is() {
  local config=$1 want=$2
  shift 2
  amtool config routes test --config.file="$config" --verify.receivers="$want" "$@" 2>/dev/null
}
# The route of every alert in rules/ follows its severity: critical pages.
alert_severities=$(awk '/^ *- alert:/ {a=$3} /^ *severity:/ && a {print a, $2; a=""}' rules/*.yml)
for c in "${configs[@]}"; do
  name=${c#"$prom"/}
  step "$name: CameraOffline pages" route_is "$c" pager alertname=CameraOffline severity=critical site=hcm node=rec-01 camera_id=cam-001
  while read -r alert severity; do
    case $severity in
      critical) want=pager ;;
      *) want=tickets ;;
    esac
    step "$name: $alert ($severity) -> $want" route_is "$c" "$want" alertname="$alert" severity="$severity" site=hcm node=rec-01
  done <<<"$alert_severities"
  step "$name: an alert without severity does not page" route_is "$c" tickets alertname=SomethingNew site=hcm
done

step "inhibitions against a running Alertmanager (check_inhibitions.py)" \
  python3 "$tests/check_inhibitions.py" "$am/alertmanager.yml"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
