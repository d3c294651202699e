#!/usr/bin/env bash
# Builds the Debian package dist/vms-exporters_VERSION_ARCH.deb from this tree.
#
#   scripts/package.sh [--no-build] [--out DIR]
#
# The exporters come from the normal build (scripts/build.sh into BUILD_DIR,
# default build/), so the package holds the binaries the test suite tested and
# nothing is compiled twice. deploy/debian/ is the packaging (debhelper); it is
# staged as debian/ beside deploy/ in a temporary source tree under BUILD_DIR,
# so the checkout gets no debian/ and no build debris. --no-build packs what
# BUILD_DIR already holds. Needs the Debian packages of scripts/packages-build.txt.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
out=$root/dist
run_build=1
while (($#)); do
  case $1 in
    --no-build) run_build=0 ;;
    --out) out=${2:?--out needs a folder}; shift ;;
    -h | --help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "package.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

exporters=(recording_node_exporter streaming_gateway_exporter api_server_exporter)
if ((run_build)); then
  BUILD_DIR=$build "$root/scripts/build.sh" "${exporters[@]}"
fi
for bin in "${exporters[@]}"; do
  [[ -x $build/exporters/$bin ]] || { echo "package.sh: $build/exporters/$bin is not built" >&2; exit 1; }
done

# One version: the package's (deploy/debian/changelog) is the project's.
project=$(sed -n 's/^project(vms_exporters VERSION \([^ )]*\).*/\1/p' "$root/CMakeLists.txt")
package=$(dpkg-parsechangelog -l "$root/deploy/debian/changelog" -S Version)
if [[ ${package%%[-+~]*} != "$project" ]]; then
  echo "package.sh: deploy/debian/changelog is at $package, CMakeLists.txt at $project: add a changelog entry (dch -c deploy/debian/changelog -v $project)" >&2
  exit 1
fi

stage=$(mktemp -d "$build/package.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/src"
cp -a "$root/deploy/debian" "$stage/src/debian"
ln -s "$root/deploy" "$stage/src/deploy"
(cd "$stage/src" && VMS_BUILD_DIR=$build dpkg-buildpackage --build=binary --no-sign >"$stage/build.log" 2>&1) || {
  cat "$stage/build.log" >&2
  echo "package.sh: dpkg-buildpackage failed" >&2
  exit 1
}
mkdir -p "$out"
for deb in "$stage"/*.deb; do
  mv "$deb" "$out/"
  echo "$out/$(basename "$deb")"
done
