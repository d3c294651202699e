#!/usr/bin/env python3
"""Keeps N live HLS streams on disk the way an ffmpeg packager leaves them,
without encoding: every --segment seconds each stream gets a new segment file
(--size bytes) and its index.m3u8 (written to a temp file and renamed, as
ffmpeg's temp_file flag does) slides a --window of segments with
EXT-X-PROGRAM-DATE-TIME; segments that leave the window are deleted. For
benchmarks of the streaming gateway with many streams, where 200 real ffmpeg
encoders would measure the encoders.

  fake_hls_packager.py --dir /tmp/hls --streams 200 [--segment 2] [--window 6]
"""
import argparse
import datetime
import os
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--dir', required=True)
    ap.add_argument('--streams', type=int, default=200)
    ap.add_argument('--segment', type=float, default=2.0)
    ap.add_argument('--window', type=int, default=6)
    ap.add_argument('--size', type=int, default=4096)
    args = ap.parse_args()
    names = ['cam%03d' % i for i in range(args.streams)]
    for n in names:
        os.makedirs(os.path.join(args.dir, n), exist_ok=True)
    payload = b'\x47' + b'\x00' * (args.size - 1)
    seq = 0
    start = time.time()
    while True:
        now = time.time()
        for n in names:
            d = os.path.join(args.dir, n)
            with open(os.path.join(d, 'seg%d.ts' % seq), 'wb') as f:
                f.write(payload)
            old = seq - args.window
            if old >= 0:
                try:
                    os.remove(os.path.join(d, 'seg%d.ts' % old))
                except FileNotFoundError:
                    pass
            first = max(0, seq - args.window + 1)
            lines = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-TARGETDURATION:%d' % round(args.segment),
                     '#EXT-X-MEDIA-SEQUENCE:%d' % first]
            for s in range(first, seq + 1):
                when = datetime.datetime.fromtimestamp(now - (seq - s + 1) * args.segment,
                                                       datetime.timezone.utc)
                lines.append('#EXT-X-PROGRAM-DATE-TIME:' + when.isoformat(timespec='milliseconds')
                             .replace('+00:00', 'Z'))
                lines.append('#EXTINF:%.3f,' % args.segment)
                lines.append('seg%d.ts' % s)
            tmp = os.path.join(d, 'index.m3u8.tmp')
            with open(tmp, 'w') as f:
                f.write('\n'.join(lines) + '\n')
            os.rename(tmp, os.path.join(d, 'index.m3u8'))
        seq += 1
        time.sleep(max(0.0, start + seq * args.segment - time.time()))


if __name__ == '__main__':
    main()
