#!/usr/bin/env bash
# Installs build dependencies, builds, and runs the recording node exporter
# with its embedded default config on :9090. Extra arguments go to the exporter.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/install-deps.sh" packages-build.txt
"$here/build.sh" recording_node_exporter
exec "$here/../build/exporters/recording_node_exporter" "$@"
