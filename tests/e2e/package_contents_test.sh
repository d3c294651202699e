#!/usr/bin/env bash
# The Debian package as built (scripts/package.sh), without installing it:
# control fields (Depends computed from the shared libraries), the exact file
# list with modes and owners, the conffiles, stripped and runnable binaries,
# and lintian (no error, no warning; infos are accepted in deploy/README.md).
#
#   tests/e2e/package_contents_test.sh DEB
set -euo pipefail
deb=${1:?usage: package_contents_test.sh DEB}
failed=0
fail() { echo "FAIL: $*" >&2; failed=1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

field() { dpkg-deb --field "$deb" "$1"; }
[[ $(field Package) == vms-exporters ]] || fail "Package is $(field Package)"
[[ $(field Architecture) == "$(dpkg --print-architecture)" ]] || fail "Architecture is $(field Architecture)"
version=$(field Version)
depends=$(field Depends)
# Shared libraries the exporters link (dpkg-shlibdeps), and systemd-sysusers
# for the postinst (dh_installsysusers).
for lib in libavformat59 libavcodec59 libavutil57 libssl3 libyaml-cpp0.7 libprometheus-cpp-core1.0 \
           libspdlog1.10-fmt9 libc6 libstdc++6 'systemd | systemd-standalone-sysusers'; do
  [[ ", $depends," == *", $lib"[\ ,]* ]] || fail "Depends lacks $lib: $depends"
done
echo "Depends: $depends"

# Every file, with its mode and owner. The secrets folder is not in the
# package: tmpfiles.d makes it on install, once its group exists.
dpkg-deb --contents "$deb" | awk '{print $1, $2, $6}' | sed 's#\./#/#' | grep -v ' /$' >"$tmp/contents"
cat >"$tmp/want" <<'EOF'
drwxr-xr-x root/root /etc/
drwxr-xr-x root/root /etc/vms-exporters/
-rw-r--r-- root/root /etc/vms-exporters/api_server.yml
-rw-r--r-- root/root /etc/vms-exporters/recording_node.yml
-rw-r--r-- root/root /etc/vms-exporters/streaming_gateway.yml
drwxr-xr-x root/root /lib/
drwxr-xr-x root/root /lib/systemd/
drwxr-xr-x root/root /lib/systemd/system/
-rw-r--r-- root/root /lib/systemd/system/vms-api-server-exporter.service
-rw-r--r-- root/root /lib/systemd/system/vms-recorder@.service
-rw-r--r-- root/root /lib/systemd/system/vms-recording-node-exporter.service
-rw-r--r-- root/root /lib/systemd/system/vms-streaming-gateway-exporter.service
drwxr-xr-x root/root /usr/
drwxr-xr-x root/root /usr/bin/
-rwxr-xr-x root/root /usr/bin/api_server_exporter
-rwxr-xr-x root/root /usr/bin/recording_node_exporter
-rwxr-xr-x root/root /usr/bin/streaming_gateway_exporter
drwxr-xr-x root/root /usr/lib/
drwxr-xr-x root/root /usr/lib/sysusers.d/
-rw-r--r-- root/root /usr/lib/sysusers.d/vms.conf
drwxr-xr-x root/root /usr/lib/tmpfiles.d/
-rw-r--r-- root/root /usr/lib/tmpfiles.d/vms.conf
drwxr-xr-x root/root /usr/share/
drwxr-xr-x root/root /usr/share/doc/
drwxr-xr-x root/root /usr/share/doc/vms-exporters/
-rw-r--r-- root/root /usr/share/doc/vms-exporters/README.md.gz
-rw-r--r-- root/root /usr/share/doc/vms-exporters/changelog.gz
-rw-r--r-- root/root /usr/share/doc/vms-exporters/copyright
drwxr-xr-x root/root /usr/share/doc/vms-exporters/examples/
-rw-r--r-- root/root /usr/share/doc/vms-exporters/examples/cam1.env.example
drwxr-xr-x root/root /usr/share/man/
drwxr-xr-x root/root /usr/share/man/man1/
-rw-r--r-- root/root /usr/share/man/man1/api_server_exporter.1.gz
-rw-r--r-- root/root /usr/share/man/man1/recording_node_exporter.1.gz
-rw-r--r-- root/root /usr/share/man/man1/streaming_gateway_exporter.1.gz
EOF
diff -u "$tmp/want" "$tmp/contents" >&2 || fail "file list (- wanted, + in the package)"

# Every file under /etc is a conffile, so an upgrade keeps the admin's edits.
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles >"$tmp/conffiles"
grep '^-.* /etc/' "$tmp/contents" | awk '{print $3}' | diff -u - "$tmp/conffiles" >&2 ||
  fail "conffiles are not exactly the files under /etc"
for script in postinst prerm postrm; do
  dpkg-deb --ctrl-tarfile "$deb" | tar -tv "./$script" | grep -q '^-rwxr-xr-x root/root' ||
    fail "$script is missing or not 0755 root:root"
done

dpkg-deb --extract "$deb" "$tmp/root"
for bin in recording_node_exporter streaming_gateway_exporter api_server_exporter; do
  path=$tmp/root/usr/bin/$bin
  if readelf --sections --wide "$path" | grep -qE '\.(symtab|debug_)'; then
    fail "$bin is not stripped"
  fi
  out=$("$path" --version 2>&1) || fail "$bin --version: $out"
  [[ $out == "$bin, version ${version%%[-+~]*} "* ]] || fail "$bin --version says '$out', the package is $version"
done
# The shipped configs pass each exporter's own check.
for role in recording_node streaming_gateway api_server; do
  out=$("$tmp/root/usr/bin/${role}_exporter" --config.file="$tmp/root/etc/vms-exporters/$role.yml" --config.check 2>&1) ||
    fail "$role.yml: $out"
done

if command -v lintian >/dev/null; then
  # (CI runs as root, which lintian only remarks on, on stderr.)
  if ! out=$(lintian --fail-on error,warning "$deb" 2>&1); then
    fail "lintian: $out"
  fi
  lintian --display-level '>=info' "$deb" 2>/dev/null | sed 's/^/lintian: /' >&2 || true
else
  fail "lintian is not installed (scripts/packages-test.txt)"
fi

((failed == 0)) && echo "package $version OK: $(wc -l <"$tmp/contents") entries, $(wc -l <"$tmp/conffiles") conffiles" >&2
exit "$failed"
