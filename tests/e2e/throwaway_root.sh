# shellcheck shell=bash
# Sourced by the package and rollout tests: a throwaway copy of this machine
# to install the package into for real, leaving the machine itself untouched.
#
# throwaway_root_enter "$@" re-executes the calling script in a mount namespace
# of its own (unshare -m), so every mount below vanishes with the script, even
# when it is killed. throwaway_root_setup then mounts an overlay whose lower
# layer is this machine's / (read-only to it) and whose upper layer is a tmpfs:
# everything written in the root lands in $THROWAWAY_UPPER, which is therefore
# the exact list of what an install changed. apt and dpkg run in it with
# chroot, against this machine's packages and apt lists: no network, no
# debootstrap, the same Debian 12 the package was built on. PID 1 is not
# systemd there either, so maintainer scripts run as on an image build:
# deb-systemd-helper enables, deb-systemd-invoke starts nothing.
#
# Needs root (mount). Exit code 77 (skipped) without it.

throwaway_root_enter() {
  if [[ ${THROWAWAY_NAMESPACE:-} != 1 ]]; then
    if [[ $(id -u) -ne 0 ]]; then
      echo "skipped: a throwaway root needs root (mount namespaces, overlayfs)" >&2
      exit 77
    fi
    THROWAWAY_NAMESPACE=1 exec unshare --mount --propagation private -- bash "$0" "$@"
  fi
}

# Sets THROWAWAY_ROOT (the merged root) and THROWAWAY_UPPER (what changed).
throwaway_root_setup() {
  local base
  base=$(mktemp -d /tmp/throwaway-root.XXXXXX)
  mount -t tmpfs -o mode=0755 tmpfs "$base"
  mkdir "$base/upper" "$base/work" "$base/root"
  if ! mount -t overlay overlay -o "lowerdir=/,upperdir=$base/upper,workdir=$base/work" "$base/root"; then
    echo "skipped: cannot mount an overlay on /" >&2
    exit 77
  fi
  THROWAWAY_ROOT=$base/root
  THROWAWAY_UPPER=$base/upper
  mount -t proc proc "$THROWAWAY_ROOT/proc"
  mount --rbind /dev "$THROWAWAY_ROOT/dev"
  mount --rbind /sys "$THROWAWAY_ROOT/sys"
  # Fresh /run and /tmp: no /run/systemd/system, no other test's files.
  mount -t tmpfs tmpfs "$THROWAWAY_ROOT/run"
  mount -t tmpfs tmpfs "$THROWAWAY_ROOT/tmp"
  # Mount points are directories of the lower layer; they are no change.
  # The tmpfs holding upper/ is freed with the namespace.
}

in_root() { chroot "$THROWAWAY_ROOT" "$@"; }

# What the root holds beyond this machine: regular files, symlinks and
# whiteouts (files this machine has that the root deleted, shown as "deleted"),
# one path per line, relative to /, sorted.
throwaway_root_changes() {
  {
    (cd "$THROWAWAY_UPPER" && find . -mindepth 1 \( -type d -o -printf '%y %p\n' \) | sed 's#^\(.\) \./#\1 #' |
      sed 's#^c #deleted #; s#^[fl] ##')
    # Folders the root has and this machine does not.
    (cd "$THROWAWAY_UPPER" && find . -mindepth 1 -type d -printf '%P\n' | while read -r dir; do
      [[ -e /$dir ]] || echo "$dir/"
    done)
  } | LC_ALL=C sort
}

# dpkg's status of package $1 ("installed", "config-files", ...; nothing when
# dpkg has no files of it), on this machine or, with $2 = a root, in it.
package_status() {
  local status
  # shellcheck disable=SC2016  # ${db:Status-Status} is dpkg-query's field
  status=$(${2:+chroot "$2"} dpkg-query --show --showformat='${db:Status-Status}' "$1" 2>/dev/null || true)
  [[ $status == not-installed ]] || echo "$status"
}
