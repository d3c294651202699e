#!/usr/bin/env python3
"""Replays recorded MPEG-TS segments for many cameras in real time.

Stands in for N ffmpeg recorders in the 64-camera benchmark without N x264
encoders: one H.264 MPEG-TS source (1280x720, 25 fps, 4 Mbit/s, one keyframe a
second, SEGMENT_SECONDS long) is made once with ffmpeg and cached; then each
camera directory DIR/camNN gets a growing segment file named
%Y%m%d-%H%M%S.ts (local time of the segment's start, as ffmpeg's segment muxer
with -strftime 1 writes it). Every TICK seconds each camera's current file is
appended 188-byte-aligned bytes of the source at the source's own byte rate,
so a segment holds the whole source after SEGMENT_SECONDS and the next one
starts. Cameras are staggered across the segment length, as independent
recorders are. Only the newest KEEP segments per camera are kept (retention),
so disk use stays bounded (64 x 3 x 5 MB ~ 1 GB: put DIR on tmpfs, /dev/shm,
so the benchmark does not measure the disk).

  segment_replayer.py --dir /dev/shm/bench/rec --cameras 64 [--segment-seconds 10]
      [--keep 3] [--tick 0.25] [--source FILE] [--duration S] [--ready-file F]

Touches --ready-file once every camera has its first segment. Runs
--duration seconds (3600 by default) or until SIGTERM/SIGINT, then prints
what it wrote as JSON. Standard library plus the ffmpeg binary.
"""

import argparse
import json
import math
import os
import signal
import subprocess
import sys
import time


def make_source(path, seconds, size, fps, kbps):
    """Encodes the source once. Noise keeps the encoder at its bitrate: a
    clean test pattern compresses far below what a real camera sends."""
    if os.path.exists(path):
        return
    tmp = path + ".tmp.ts"
    cmd = ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
           f"testsrc2=size={size}:rate={fps},noise=alls=24:allf=t",
           "-t", str(seconds), "-c:v", "libx264", "-preset", "veryfast",
           "-b:v", f"{kbps}k", "-maxrate", f"{kbps}k", "-bufsize", f"{2 * kbps}k",
           "-g", str(fps), "-pix_fmt", "yuv420p", "-f", "mpegts", tmp]
    print("making source:", " ".join(cmd), file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True)
    os.replace(tmp, path)


class Camera:
    def __init__(self, directory, phase):
        self.dir = directory
        self.phase = phase  # seconds into its segment at start
        self.index = None   # current segment number
        self.file = None
        self.written = 0    # bytes of the source in the current file
        self.segments = []  # paths, oldest first


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", required=True)
    parser.add_argument("--cameras", type=int, default=64)
    parser.add_argument("--segment-seconds", type=int, default=10)
    parser.add_argument("--keep", type=int, default=3)
    parser.add_argument("--tick", type=float, default=0.25)
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--fps", type=int, default=25)
    parser.add_argument("--kbps", type=int, default=4000)
    parser.add_argument("--source", help="cached source; made with ffmpeg when missing")
    parser.add_argument("--duration", type=float, default=3600)
    parser.add_argument("--ready-file")
    args = parser.parse_args()

    seg = args.segment_seconds
    source_path = args.source or os.path.join(
        args.dir, f"source_{args.size}_{args.fps}fps_{args.kbps}k_{seg}s.ts")
    os.makedirs(os.path.dirname(os.path.abspath(source_path)), exist_ok=True)
    make_source(source_path, seg, args.size, args.fps, args.kbps)
    with open(source_path, "rb") as f:
        source = memoryview(f.read())
    packets = len(source) // 188
    rate = len(source) / seg  # bytes per second, container overhead included
    width = max(2, len(str(args.cameras)))
    cameras = []
    for i in range(args.cameras):
        d = os.path.join(args.dir, f"cam{i + 1:0{width}d}")
        os.makedirs(d, exist_ok=True)
        for name in os.listdir(d):  # a previous run's leftovers
            if name.endswith(".ts"):
                os.unlink(os.path.join(d, name))
        cameras.append(Camera(d, seg * i / args.cameras))

    stop = False

    def on_signal(_sig, _frame):
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    stats = {"cameras": args.cameras, "source_bytes": len(source),
             "source_kbit_per_s": round(rate * 8 / 1000, 1), "bytes_written": 0,
             "segments_started": 0, "segments_deleted": 0, "ticks": 0, "late_ticks": 0}
    t0 = time.time()
    end = t0 + args.duration
    ready = False
    next_tick = t0
    while not stop and time.time() < end:
        now = time.time()
        for cam in cameras:
            start = t0 - cam.phase  # wall time the camera's segment 0 began
            index = int((now - start) // seg)
            if index != cam.index:
                if cam.file is not None:
                    cam.file.write(source[cam.written:])  # finish the old segment
                    stats["bytes_written"] += len(source) - cam.written
                    cam.file.close()
                seg_start = start + index * seg
                name = time.strftime("%Y%m%d-%H%M%S", time.localtime(seg_start)) + ".ts"
                path = os.path.join(cam.dir, name)
                cam.file = open(path, "wb", buffering=0)
                cam.index, cam.written = index, 0
                cam.segments.append(path)
                stats["segments_started"] += 1
                while len(cam.segments) > args.keep:
                    try:
                        os.unlink(cam.segments.pop(0))
                        stats["segments_deleted"] += 1
                    except FileNotFoundError:
                        pass
            into = now - (start + cam.index * seg)
            target = min(packets, int(into * rate / 188)) * 188
            if target > cam.written:
                cam.file.write(source[cam.written:target])
                stats["bytes_written"] += target - cam.written
                cam.written = target
        if not ready:
            # The first tick back-fills the staggered cameras' current segments.
            stats["backfill_bytes"] = stats["bytes_written"]
            if args.ready_file:
                open(args.ready_file, "w").close()
            ready = True
        stats["ticks"] += 1
        next_tick += args.tick
        delay = next_tick - time.time()
        if delay > 0:
            time.sleep(delay)
        else:
            stats["late_ticks"] += 1
            next_tick = time.time()
    for cam in cameras:
        if cam.file is not None:
            cam.file.close()
    stats["seconds"] = round(time.time() - t0, 1)
    stats["mbit_per_s_per_camera"] = round(
        (stats["bytes_written"] - stats.get("backfill_bytes", 0)) * 8 / 1e6
        / max(stats["seconds"], 1e-9) / args.cameras, 3)
    print(json.dumps(stats), flush=True)


if __name__ == "__main__":
    sys.exit(main())
