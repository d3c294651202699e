#!/usr/bin/env bash
# Builds the seed corpora of the fuzz targets (tests/fuzz) into
# $BUILD_DIR/fuzz/seeds/TARGET from tests/fixtures and a few hand-written
# inputs. Seeds are rebuilt every time (cheap); nothing here is committed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fx=$root/tests/fixtures
seeds=${BUILD_DIR:-$root/build-asan}/fuzz/seeds
rm -rf "$seeds"
mkdir -p "$seeds"

# seed TARGET NAME [PREFIX_BYTE] < content
seed() {
  local dir=$seeds/$1; mkdir -p "$dir"
  if [[ -n "${3:-}" ]]; then { printf "\\x$3"; cat; } > "$dir/$2"; else cat > "$dir/$2"; fi
}
copy() {  # copy TARGET FILE... (each file becomes a seed of at most 64 KiB)
  local target=$1; shift
  mkdir -p "$seeds/$target"
  for f in "$@"; do head -c 65536 "$f" > "$seeds/$target/$(echo "${f#"$fx"/}" | tr / _)"; done
}

printf 'RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Base: rtsp://127.0.0.1/live/\r\nContent-Type: application/sdp\r\nContent-Length: %d\r\n\r\n' \
  "$(wc -c < "$root/tests/bench/fixtures/describe_1280x720_h264.sdp")" | seed rtsp_response describe
cat "$root/tests/bench/fixtures/describe_1280x720_h264.sdp" >> "$seeds/rtsp_response/describe"
printf 'RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\nWWW-Authenticate: Digest realm="cam", nonce="abc"\r\nWWW-Authenticate: Basic realm="cam"\r\n\r\n' \
  | seed rtsp_response unauthorized
copy sdp "$root/tests/bench/fixtures/describe_1280x720_h264.sdp"
printf 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=cam\r\na=framerate:25\r\nm=video 0 RTP/AVP 98\r\na=rtpmap:98 H265/90000\r\na=fmtp:98 sprop-vps=QAEMAf//AWAAAAMAkAAAAwAAAwBdlZgJ;sprop-sps=QgEBAWAAAAMAkAAAAwAAAwBdoAKAgC0WWVmkkyvAQEAAAAMAQAAABkI=\r\na=x-dimensions:1280,720\r\na=control:trackID=1\r\nm=audio 0 RTP/AVP 0\r\n' \
  | seed sdp h265
printf 'Digest realm="IP Camera", nonce="5ce3a1f0", qop="auth,auth-int", opaque="x", algorithm=MD5, stale=FALSE' | seed rtsp_auth digest
printf 'Basic realm="cam", Digest realm="cam", nonce="n", algorithm=SHA-256' | seed rtsp_auth both
for f in "$fx"/rtsp/*.hex; do
  /usr/bin/python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex("".join(open(sys.argv[1]).read().split())))' "$f" \
    | seed sps "$(basename "$f" .hex)"
done

seed procfs mountinfo 00 < "$fx/host/proc/self/mountinfo"
seed procfs diskstats 01 < "$fx/host/proc/diskstats"
seed procfs net_dev 02 < "$fx/host/proc/net/dev"
for p in "$fx"/host/proc/[0-9]*/stat; do seed procfs "pid_$(basename "$(dirname "$p")")" 03 < "$p"; done
seed procfs stat 04 < "$fx/host/proc/stat"
seed procfs net_tcp 05 < "$fx/procfs/net_tcp.txt"
seed procfs net_tcp6 06 < "$fx/procfs/net_tcp6.txt"

for n in 20250101-000000.ts 2025-01-01_00-00-02.mp4 cam1_20250101T000010Z.ts 1735689600.ts 2025/01/01/00-00-00.ts; do
  printf '%s' "$n" | seed segment_name "$(echo "$n" | tr / _)"
done
for f in "$fx"/recordings/cam1/*.ts; do
  { printf '\x00\x01\xbc'; head -c 16384 "$f"; } | seed ts_scanner "$(basename "$f")"
done

copy hls_playlist $(find "$fx/hls" -name '*.m3u8')

for f in vms combined vms_json; do
  head -n 20 "$fx/accesslog/nginx-$f.log" | split -l 1 - "$seeds/access_line/$f." 2>/dev/null \
    || { mkdir -p "$seeds/access_line"; head -n 20 "$fx/accesslog/nginx-$f.log" | split -l 1 - "$seeds/access_line/$f."; }
done

copy json $(find "$fx/janus" "$fx/mediamtx" -name '*.json')
copy http_response "$fx"/httpclient/*.http
for f in "$seeds"/http_response/*; do { printf '\x00'; cat "$f"; } > "$f.p"; mv "$f.p" "$f"; done

for f in "$fx"/janus/*.json; do seed janus_mediamtx "janus_$(basename "$f")" 00 < "$f"; done
for f in $(find "$fx/mediamtx" -name '*.json'); do
  case "$f" in
    *info*) b=01 ;; *paths*) b=02 ;; *session*) b=03 ;; *muxer*) b=04 ;; *) continue ;;
  esac
  seed janus_mediamtx "mtx_$(echo "${f#"$fx"/mediamtx/}" | tr / _)" $b < "$f"
done

printf '{"status": "ok", "checks": {"database": "ok", "cache": {"status": "DOWN"}, "storage": [{"status": "pass"}, {"status": "warn"}]}}' \
  | seed api_server health 00
printf 'Bearer realm="vms", error="invalid_token", error_description="The access token expired"' \
  | seed api_server bearer 05
printf 'Basic realm="x", Bearer error=insufficient_scope, Negotiate abc==' | seed api_server challenges 01
printf '/api/cameras/cam-7/recordings' | seed api_server path 02
printf 'openapi: 3.0.0\npaths:\n  /cameras/{id}:\n    get: {}\n  /login:\n    post: {}\n' | seed api_server openapi 03

for role in recording_node streaming_gateway api_server; do
  copy config_$role "$root/tests/golden/$role.yml" $(find "$root/deploy" -name "*$role*.yml" 2>/dev/null)
done

printf 'basic_auth_users:\n  alice: $2y$10$X3hB0bBTvjP.9CbZ3JbxXeXjFkJ3PjHxJbP1lS8Bq0q0wrJYVQJ2a\n' | seed web_config users
printf 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  min_version: TLS12\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\nbasic_auth_users: {}\n' | seed web_config tls
echo "seeds in $seeds: $(find "$seeds" -type f | wc -l) files"
