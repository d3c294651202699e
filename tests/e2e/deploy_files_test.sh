#!/usr/bin/env bash
# The shipped deployment files stay valid as the exporters evolve:
#   deploy/etc/vms-exporters/ROLE.yml passes ROLE_exporter --config.check;
#   deploy/systemd/*.service pass systemd-analyze verify (binaries pointed at this
#   build), and every exporter unit keeps its hardening and reload settings.
#
#   tests/e2e/deploy_files_test.sh BIN_DIR     (BIN_DIR holds the *_exporter binaries)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin_dir=$(cd "${1:-$root/build/exporters}" && pwd)
failed=0
fail() { echo "FAIL: $*" >&2; failed=1; }

for role in recording_node streaming_gateway api_server; do
  config="$root/deploy/etc/vms-exporters/$role.yml"
  out=$("$bin_dir/${role}_exporter" --config.file="$config" --config.check 2>&1) ||
    fail "$role.yml: $out"
done

# shellcheck disable=SC2016  # $MAINPID is systemd's, literal here
for unit in "$root"/deploy/systemd/vms-*-exporter.service; do
  for line in 'CapabilityBoundingSet=' 'ProtectSystem=strict' 'ProtectHome=yes' 'NoNewPrivileges=yes' \
              'PrivateTmp=yes' 'PrivateDevices=yes' 'ProtectKernelTunables=yes' 'ProtectKernelModules=yes' \
              'ProtectControlGroups=yes' 'LockPersonality=yes' 'MemoryDenyWriteExecute=yes' \
              'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' 'SystemCallFilter=@system-service' \
              'StateDirectory=vms-exporters' \
              'Restart=on-failure' 'ExecReload=/bin/kill -HUP $MAINPID' 'ReadOnlyPaths=/etc/vms-exporters'; do
    grep -qxF "$line" "$unit" || fail "$(basename "$unit") lacks $line"
  done
  grep -qE '^(User=vms-exporter|DynamicUser=yes)$' "$unit" || fail "$(basename "$unit") runs as root"
  # The package installs the binaries in /usr/bin (scripts/package.sh).
  grep -qE '^ExecStart=/usr/bin/[a-z_]+_exporter ' "$unit" || fail "$(basename "$unit"): ExecStart is not /usr/bin/*_exporter"
done
recorder="$root/deploy/systemd/vms-recorder@.service"
for line in 'Restart=always' 'StartLimitIntervalSec=0' 'EnvironmentFile=/etc/vms/recorders/%i.env'; do
  grep -qxF "$line" "$recorder" || fail "vms-recorder@.service lacks $line"
done
grep -q -- '-timeout [0-9]' "$recorder" || fail "vms-recorder@.service runs ffmpeg without -timeout"

if command -v systemd-analyze >/dev/null; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  for unit in "$root"/deploy/systemd/*.service; do
    sed "s#/usr/bin/\([a-z_]*_exporter\)#$bin_dir/\1#" "$unit" >"$tmp/$(basename "$unit")"
  done
  mv "$tmp/vms-recorder@.service" "$tmp/vms-recorder@cam1.service"
  # Missing ffmpeg is a missing package, not a broken unit.
  command -v ffmpeg >/dev/null || rm "$tmp/vms-recorder@cam1.service"
  if ! out=$(cd "$tmp" && systemd-analyze verify --man=no ./*.service 2>&1); then
    fail "systemd-analyze verify: $out"
  elif [[ -n "$out" ]]; then
    fail "systemd-analyze verify warns: $out"
  fi
else
  echo "note: no systemd-analyze here; unit syntax not verified" >&2
fi

((failed == 0)) && echo "deploy files OK" >&2
exit "$failed"
