#!/usr/bin/env python3
"""Writes a synthetic nginx access log in the shipped `vms` log_format
(deploy/nginx/vms-log-format.conf) for benchmarks: the traffic of a
streaming gateway (HLS playlists and segments of many cameras, WHEP offers)
or of an API server (REST routes with ids, a login route, 401s with
WWW-Authenticate). Deterministic for a seed. The fields are those nginx
writes with escape=json, tab-separated, ending in `end`.

  gen_access_log.py --role gateway --lines 2000000 --cameras 200 > access.log
"""
import argparse
import random
import sys


def gateway_line(rng, t, cameras, clients):
    cam = 'cam%03d' % rng.randrange(cameras)
    client = rng.randrange(clients)
    addr = '10.%d.%d.%d' % (client >> 16 & 255, client >> 8 & 255, client & 255)
    ua = rng.choice(['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36',
                     'AppleCoreMedia/1.0.0.21E236 (iPhone; U; CPU OS 17_4 like Mac OS X; en_us)',
                     'ExoPlayerLib/2.19.1', 'VLC/3.0.20 LibVLC/3.0.20'])
    session = 's%06d' % client if rng.random() < 0.3 else ''
    r = rng.random()
    if r < 0.25:
        method, uri, status, size = 'GET', '/hls/%s/index.m3u8' % cam, 200, 420
    elif r < 0.97:
        seq = int(t) // 2
        method, uri = 'GET', '/hls/%s/seg%07d.ts' % (cam, seq)
        status, size = rng.choice([(200, 480000), (200, 520000), (206, 65536), (404, 153)])
    else:
        method, uri = 'POST', '/%s/whep' % cam
        status, size = rng.choice([(201, 1800), (201, 1800), (400, 120)])
    return method, uri, status, size, addr, ua, session, '', '', ''


def api_line(rng, t, cameras, clients):
    client = rng.randrange(clients)
    addr = '172.16.%d.%d' % (client >> 8 & 255, client & 255)
    ua = rng.choice(['vms-web/4.2', 'vms-mobile/2.9 (Android 14)', 'python-requests/2.31'])
    r = rng.random()
    scheme, challenge = 'Bearer', ''
    if r < 0.5:
        method, uri, status, size = 'GET', '/api/cameras/%d' % rng.randrange(cameras), 200, 900
    elif r < 0.7:
        method, uri, status, size = 'GET', '/api/cameras/%d/recordings?from=%d' % (
            rng.randrange(cameras), int(t) - 3600), 200, 12000
    elif r < 0.8:
        method, uri, status, size = 'GET', '/api/cameras', 200, 40000
    elif r < 0.85:
        method, uri, scheme = 'POST', '/api/login', ''
        status, size = rng.choice([(200, 600), (401, 90)])
    elif r < 0.9:
        method, uri, status, size = 'GET', '/health', 200, 80
    elif r < 0.95:
        method, uri, status, size = 'GET', '/api/cameras/%d' % rng.randrange(cameras), 401, 90
        # escape=json writes a quote as \"
        challenge = 'Bearer error=\\"invalid_token\\", error_description=\\"The access token expired\\"'
    else:
        method, uri, status, size = rng.choice(['GET', 'DELETE', 'PUT']), '/api/unknown/%d' % rng.randrange(1000), 404, 60
    return method, uri, status, size, addr, ua, '', scheme, challenge, '0.0%02d' % rng.randrange(100)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--role', choices=['gateway', 'api'], default='gateway')
    ap.add_argument('--lines', type=int, default=1000000)
    ap.add_argument('--cameras', type=int, default=200)
    ap.add_argument('--clients', type=int, default=5000)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--start', type=float, default=1767225600.0)  # 2026-01-01
    args = ap.parse_args()
    rng = random.Random(args.seed)
    make = gateway_line if args.role == 'gateway' else api_line
    out = sys.stdout
    t = args.start
    buf = []
    for i in range(args.lines):
        t += 0.001
        method, uri, status, size, addr, ua, session, scheme, challenge, upstream = make(
            rng, t, args.cameras, args.clients)
        request_time = '%.3f' % (rng.random() * 0.05)
        buf.append('\t'.join(['vms1', '%.3f' % t, addr, method, uri, 'HTTP/1.1', str(status),
                              str(size + 180), str(size), request_time, upstream, '443', session,
                              scheme, challenge, '', ua, 'end']) + '\n')
        if len(buf) >= 10000:
            out.write(''.join(buf))
            buf = []
    out.write(''.join(buf))


if __name__ == '__main__':
    main()
