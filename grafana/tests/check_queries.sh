#!/usr/bin/env bash
# Checks every Grafana panel and variable query parses and evaluates in a real
# Prometheus: starts `prometheus` on a free loopback port with an empty
# temporary TSDB (no scrape targets, the repo's recording rules loaded so their
# names are known), sends each query of extract_queries.py to
# /api/v1/query, and fails on any error (a parse error is HTTP 400 bad_data).
# Empty results are expected here (there is no data); the live end-to-end test
# runs the same queries against real exporters.
# Also runs extract_queries.py --lint (datasource variable, no import
# placeholders, regex-only variables). Needs prometheus, python3.
# Usage: check_queries.sh [DASHBOARD.json...]   (default: grafana/dashboards/*.json)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

command -v prometheus >/dev/null || { echo "FAIL prometheus is not installed"; exit 1; }

queries=$(mktemp)
python3 "$here/extract_queries.py" --lint --json "$@" >"$queries"

work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work" "$queries"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$work/prometheus.yml" <<CONF
global:
  evaluation_interval: 15s
rule_files:
  - $repo/prometheus/rules/*.yml
CONF
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="127.0.0.1:$port" >"$work/prometheus.log" 2>&1 &
pid=$!

base="http://127.0.0.1:$port"
for _ in $(seq 100); do
  if curl -sf "$base/-/ready" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "FAIL prometheus exited:"; tail -20 "$work/prometheus.log"; exit 1
  fi
  sleep 0.2
done
curl -sf "$base/-/ready" >/dev/null || { echo "FAIL prometheus not ready"; tail -20 "$work/prometheus.log"; exit 1; }

python3 - "$base" "$queries" <<'PY'
import json, sys, urllib.error, urllib.parse, urllib.request
base, path = sys.argv[1], sys.argv[2]
queries = json.load(open(path))
failed = 0
for q in queries:
    url = base + '/api/v1/query?' + urllib.parse.urlencode({'query': q['expr']})
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            body = json.load(resp)
    except urllib.error.HTTPError as e:
        body = json.load(e)
    if body.get('status') == 'success':
        print('ok   %s / %s %s' % (q['dashboard'], q['panel'], q['ref']))
    else:
        failed += 1
        print('FAIL %s / %s %s: %s: %s\n     %s' % (q['dashboard'], q['panel'], q['ref'],
              body.get('errorType'), body.get('error'), ' '.join(q['expr'].split())))
print('%d queries, %d failed' % (len(queries), failed))
sys.exit(1 if failed else 0)
PY
