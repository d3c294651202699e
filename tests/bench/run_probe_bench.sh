#!/usr/bin/env bash
# The API server exporter's health and database probes beside Debian's
# prometheus-blackbox-exporter and prometheus-postgres-exporter doing the same
# checks at the same rate (docs/benchmarks.md "Health and database probes beside
# blackbox_exporter and postgres_exporter"), on 127.0.0.1 with a real nginx and
# a real PostgreSQL 15 (tests/bench/probe_bench.py).
#
#   tests/bench/run_probe_bench.sh [probe_bench.py options]
#   e.g. --targets 16,64 --interval 1 --window 30 --db-window 60
# Needs a Release build in build/ (./scripts/build.sh api_server_exporter); run
# as root (PostgreSQL is started as the postgres user). Takes about 6 minutes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
"$root/scripts/install-deps.sh" packages-test.txt packages-bench.txt
bin=${EXPORTER:-$root/build/exporters/api_server_exporter}
[[ -x $bin ]] || { echo "$bin is missing: ./scripts/build.sh api_server_exporter" >&2; exit 1; }
echo "== $(git -C "$root" rev-parse --short HEAD), $(nproc) CPUs, $(date -u '+%F %H:%M UTC')"
exec /usr/bin/python3 "$here/probe_bench.py" --exporter "$bin" "$@"
