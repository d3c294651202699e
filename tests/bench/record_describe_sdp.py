#!/usr/bin/env python3
"""Records the SDP that a real simulated camera answers to DESCRIBE.

Starts tests/camera_sim/rtsp_camera_sim.py (gst-rtsp-server, x264) with Debian's
/usr/bin/python3, sends OPTIONS then DESCRIBE as the exporter's probe does, and
writes the DESCRIBE body byte for byte to the output file (CRLF line endings as
received). fake_rtsp_cameras.py replays it for the 64-camera benchmark, so the
exporter parses exactly what a camera of that size, rate and bitrate sends.

  tests/bench/record_describe_sdp.py [--out tests/bench/fixtures/describe_1280x720_h264.sdp]

Needs only the standard library itself; the simulator needs python3-gi and the
GStreamer packages of scripts/packages-test.txt.
"""

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def rtsp(sock, method, url, cseq):
    sock.sendall(f"{method} {url} RTSP/1.0\r\nCSeq: {cseq}\r\n"
                 "User-Agent: vms-exporters-bench\r\nAccept: application/sdp\r\n\r\n".encode())
    buf = b""
    deadline = time.monotonic() + 10
    while b"\r\n\r\n" not in buf:
        if time.monotonic() > deadline:
            raise SystemExit(f"{method}: no answer")
        chunk = sock.recv(65536)
        if not chunk:
            raise SystemExit(f"{method}: connection closed")
        buf += chunk
    head, _, body = buf.partition(b"\r\n\r\n")
    m = re.search(rb"^Content-Length:\s*(\d+)", head, re.I | re.M)
    length = int(m.group(1)) if m else 0
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise SystemExit(f"{method}: body cut short")
        body += chunk
    return head.decode("latin-1"), body[:length]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join(HERE, "fixtures", "describe_1280x720_h264.sdp"))
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--fps", default="25")
    parser.add_argument("--bitrate", default="4000", help="kbit/s")
    args = parser.parse_args()

    sim = subprocess.Popen(
        ["/usr/bin/python3", os.path.join(ROOT, "tests", "camera_sim", "rtsp_camera_sim.py"),
         "--port", "0", "--mount", "cam", "--size", args.size, "--fps", args.fps,
         "--bitrate", args.bitrate],
        stdout=subprocess.PIPE, text=True)
    try:
        line = sim.stdout.readline()
        if not line.startswith("READY "):
            raise SystemExit(f"simulator did not start: {line!r}")
        port = int(line.split()[1])
        url = f"rtsp://127.0.0.1:{port}/cam"
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            head, _ = rtsp(sock, "OPTIONS", url, 1)
            print(head, file=sys.stderr)
            head, body = rtsp(sock, "DESCRIBE", url, 2)
            print(head, file=sys.stderr)
        if not head.startswith("RTSP/1.0 200") or b"m=video" not in body:
            raise SystemExit("DESCRIBE did not answer 200 with a video track")
        os.makedirs(os.path.dirname(args.out), exist_ok=True)
        with open(args.out, "wb") as f:
            f.write(body)
        print(f"wrote {len(body)} bytes to {args.out}", file=sys.stderr)
    finally:
        sim.send_signal(signal.SIGTERM)
        try:
            sim.wait(timeout=10)
        except subprocess.TimeoutExpired:
            sim.kill()
            sim.wait()


if __name__ == "__main__":
    main()
