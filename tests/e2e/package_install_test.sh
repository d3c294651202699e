#!/usr/bin/env bash
# Installs the Debian package for real with apt, in a throwaway copy of this
# machine (throwaway_root.sh: an overlay of / in a mount namespace of its own;
# the machine is not changed), and checks what an operator relies on:
#   install: the maintainer scripts succeed with no systemd running, the system
#     users exist, tmpfiles.d made the credential folders with their owners,
#     the three exporter units are enabled (the recorder template is not),
#     systemd-analyze verify passes on the installed units, their
#     systemd-analyze security exposure stays at most 2.0, and the vms-exporter
#     user can check its configs while other users cannot read its secrets;
#   upgrade (reinstall): an admin's edit of a conffile stays, a unit the admin
#     disabled stays disabled;
#   purge: nothing of the package is left but the system users (kept on
#     purge, deploy/README.md) and the recordings, which are footage.
#
#   tests/e2e/package_install_test.sh DEB      (as root; 77 = skipped)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
deb=$(realpath "${1:?usage: package_install_test.sh DEB}")
# shellcheck source=tests/e2e/throwaway_root.sh
source "$here/throwaway_root.sh"
throwaway_root_enter "$@"
throwaway_root_setup

failed=0
fail() { echo "FAIL: $*" >&2; failed=1; }
exporters=(vms-recording-node-exporter vms-streaming-gateway-exporter vms-api-server-exporter)
wants=/etc/systemd/system/multi-user.target.wants

# Whatever the machine itself has of the package would make this an upgrade.
if [[ -n $(package_status vms-exporters) ]]; then
  echo "skipped: vms-exporters is installed on this machine" >&2
  exit 77
fi
cp "$deb" "$THROWAWAY_ROOT/tmp/"
pkg=/tmp/$(basename "$deb")
throwaway_root_changes >"$THROWAWAY_ROOT/tmp/before.txt"
# Recommends (prometheus-node-exporter) could need a download; the test must not.
apt_install() {
  in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" "$pkg"
}

echo "== install: apt-get install $pkg" >&2
if ! out=$(apt_install 2>&1); then
  echo "$out" >&2
  fail "apt-get install failed"
  exit 1
fi
status=$(package_status vms-exporters "$THROWAWAY_ROOT")
[[ $status == installed ]] || fail "package status after install: $status"

for user in vms-exporter vms-recorder; do
  if entry=$(in_root getent passwd "$user"); then
    IFS=: read -r _ _ uid _ _ _ shell <<<"$entry"
    ((uid < 1000)) || fail "$user is not a system user (uid $uid)"
    [[ $shell == */nologin ]] || fail "$user has a login shell ($shell)"
    in_root getent group "$user" >/dev/null || fail "no group $user"
  else
    fail "no user $user after install"
  fi
done

# path mode owner:group
check_dir() {
  local got
  got=$(in_root stat -c '%a %U:%G' "$1" 2>&1) || { fail "$1: $got"; return; }
  [[ $got == "$2 $3" ]] || fail "$1 is $got, want $2 $3"
}
check_dir /etc/vms-exporters/secrets 750 root:vms-exporter
check_dir /etc/vms/recorders 750 root:vms-recorder
check_dir /var/lib/vms/recordings 750 vms-recorder:vms-recorder

for unit in "${exporters[@]}"; do
  [[ $(in_root readlink "$wants/$unit.service") == /lib/systemd/system/$unit.service ]] ||
    fail "$unit is not enabled after install"
done
[[ -z $(in_root find /etc/systemd/system -name 'vms-recorder@*') ]] || fail "a recorder unit is enabled on install"

if ! out=$(cd "$THROWAWAY_ROOT" && in_root systemd-analyze verify --man=no \
  "${exporters[@]/%/.service}" vms-recorder@cam1.service 2>&1) || [[ -n $out ]]; then
  fail "systemd-analyze verify of the installed units: $out"
fi
for unit in "${exporters[@]}" vms-recorder@cam1; do
  line=$(in_root systemd-analyze security --offline=yes --no-pager "$unit.service" 2>&1 | tail -n 1)
  score=$(sed -n 's/.*exposure level for .*: \([0-9.]*\) .*/\1/p' <<<"$line")
  echo "systemd-analyze security: $unit: ${score:-?} ($line)" >&2
  if [[ -z $score ]]; then
    fail "systemd-analyze security $unit: $line"
  elif [[ $unit != vms-recorder@* ]] && ! awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }'; then
    fail "$unit: exposure $score, want at most 2.0"
  fi
done

# The exporters' user reads its configs and secrets; nobody else reads secrets.
echo "cam1-password" >"$THROWAWAY_ROOT/etc/vms-exporters/secrets/cam1.pass"
chmod 0640 "$THROWAWAY_ROOT/etc/vms-exporters/secrets/cam1.pass"
in_root chgrp vms-exporter /etc/vms-exporters/secrets/cam1.pass
as() { in_root setpriv --reuid="$1" --regid="$1" --init-groups -- "${@:2}"; }
for role in recording_node streaming_gateway api_server; do
  out=$(as vms-exporter "/usr/bin/${role}_exporter" --config.file="/etc/vms-exporters/$role.yml" --config.check 2>&1) ||
    fail "$role.yml as vms-exporter: $out"
done
as vms-exporter cat /etc/vms-exporters/secrets/cam1.pass >/dev/null 2>&1 || fail "vms-exporter cannot read its secrets"
if as nobody cat /etc/vms-exporters/secrets/cam1.pass >/dev/null 2>&1; then
  fail "user nobody reads /etc/vms-exporters/secrets"
fi

echo "== files the install added or changed" >&2
throwaway_root_changes | LC_ALL=C comm -13 "$THROWAWAY_ROOT/tmp/before.txt" - | sed 's/^/  /' >&2

echo "== upgrade: reinstall over an edited conffile and a disabled unit" >&2
echo "# edited by the admin" >>"$THROWAWAY_ROOT/etc/vms-exporters/api_server.yml"
in_root systemctl disable vms-api-server-exporter.service
[[ ! -L $THROWAWAY_ROOT$wants/vms-api-server-exporter.service ]] || fail "systemctl disable did not disable"
out=$(apt_install --reinstall 2>&1) || { echo "$out" >&2; fail "apt-get install --reinstall failed"; }
grep -q '^# edited by the admin$' "$THROWAWAY_ROOT/etc/vms-exporters/api_server.yml" ||
  fail "reinstall overwrote the admin's api_server.yml"
[[ ! -L $THROWAWAY_ROOT$wants/vms-api-server-exporter.service ]] || fail "reinstall re-enabled a unit the admin disabled"
[[ -L $THROWAWAY_ROOT$wants/vms-recording-node-exporter.service ]] || fail "reinstall disabled an enabled unit"

echo "== purge" >&2
# What the running services and the admin would have made by now.
mkdir -p "$THROWAWAY_ROOT/var/lib/vms-exporters" "$THROWAWAY_ROOT/var/lib/vms/recordings/cam1"
echo '{}' >"$THROWAWAY_ROOT/var/lib/vms-exporters/checkpoints.json"
echo "RTSP_URL=rtsp://admin:pw@127.0.0.1/cam1" >"$THROWAWAY_ROOT/etc/vms/recorders/cam1.env"
echo footage >"$THROWAWAY_ROOT/var/lib/vms/recordings/cam1/20260101-000000.ts"
in_root systemctl enable vms-api-server-exporter.service >/dev/null 2>&1
if out=$(in_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q vms-exporters 2>&1); then
  # e.g. dpkg's "directory ... not empty so not removed"
  if grep -iE 'warning|error' <<<"$out" >&2; then fail "apt-get purge warns"; fi
else
  echo "$out" >&2
  fail "apt-get purge failed"
fi
[[ -z $(package_status vms-exporters "$THROWAWAY_ROOT") ]] || fail "dpkg still knows vms-exporters"

# Left: the users (their entries and the backups systemd-sysusers makes),
# the footage, and what apt and dpkg log and keep of any package.
throwaway_root_changes | LC_ALL=C comm -13 "$THROWAWAY_ROOT/tmp/before.txt" - >"$THROWAWAY_ROOT/tmp/after.txt"
echo "== left after purge" >&2
sed 's/^/  /' "$THROWAWAY_ROOT/tmp/after.txt" >&2
leftover=$(grep -vxE 'etc/(passwd|group|shadow|gshadow)-?|etc/\.pwd\.lock|var/lib/vms/|var/lib/vms/recordings/|var/lib/vms/recordings/cam1/(20260101-000000\.ts)?|var/log/(dpkg\.log|apt/.*)|var/lib/dpkg/.*|var/lib/apt/extended_states|var/cache/(apt|debconf|man|ldconfig)/.*' \
  "$THROWAWAY_ROOT/tmp/after.txt" || true)
[[ -z $leftover ]] || fail "purge left: $leftover"
# The user database gained exactly the two users.
added=$(cut -d: -f1 "$THROWAWAY_ROOT/etc/passwd" | grep -vxF -f <(cut -d: -f1 /etc/passwd) | sort | tr '\n' ' ' || true)
[[ $added == "vms-exporter vms-recorder " ]] || fail "users added: $added"

((failed == 0)) && echo "install, upgrade and purge OK" >&2
exit "$failed"
