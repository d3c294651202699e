#!/usr/bin/env python3
"""Many fake RTSP cameras on one port, for the 64-camera benchmark.

Answers OPTIONS and DESCRIBE for /cam01../camNN with an SDP recorded from the
real simulated camera (fixtures/describe_1280x720_h264.sdp, see
record_describe_sdp.py); 404 for any other path; 454 Session Not Found for a
request that names a session and 405 Method Not Allowed for any other method
(the exporter never sends SETUP or PLAY: DESCRIBE proves a camera without taking
a stream slot). CSeq is echoed, connections are kept alive, nothing is encoded,
so 64 cameras cost the machine next to nothing and the exporter is measured
alone.

  fake_rtsp_cameras.py --cameras 64 [--port 0] [--sdp FILE] [--stats-file F] [--duration S]

Prints "READY <port>" once listening. Counts requests per method and camera:
SIGUSR1 writes the counts as JSON to --stats-file (so a benchmark can take the
probe load over a window), and the totals are printed as JSON on exit
(SIGTERM, SIGINT or after --duration seconds, 3600 by default). Standard
library only: any python3.
"""

import argparse
import asyncio
import collections
import email.utils
import json
import os
import re
import signal
import sys
import time
from urllib.parse import urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SDP = os.path.join(HERE, "fixtures", "describe_1280x720_h264.sdp")
MAX_HEADER = 16 * 1024


class Cameras:
    def __init__(self, count, sdp):
        width = max(2, len(str(count)))
        self.paths = {f"/cam{i:0{width}d}" for i in range(1, count + 1)}
        self.sdp = sdp
        self.by_method = collections.Counter()
        self.by_status = collections.Counter()
        self.by_camera = collections.defaultdict(collections.Counter)
        self.connections = 0
        self.started = time.time()

    def stats(self):
        return {
            "time": time.time(),
            "uptime_s": round(time.time() - self.started, 3),
            "cameras": len(self.paths),
            "connections": self.connections,
            "requests": sum(self.by_method.values()),
            "by_method": dict(self.by_method),
            "by_status": {str(k): v for k, v in self.by_status.items()},
            "cameras_asked": len(self.by_camera),
            "by_camera": {k: dict(v) for k, v in sorted(self.by_camera.items())},
        }

    def answer(self, method, uri, headers, port):
        """Returns (status line, extra headers, body) for one request."""
        path = "*" if uri == "*" else urlsplit(uri).path.rstrip("/")
        known = path in self.paths
        if known:
            self.by_camera[path][method] += 1
        if method == "OPTIONS" and (known or path == "*"):
            return "200 OK", [("Public", "OPTIONS, DESCRIBE")], b""
        if method == "DESCRIBE" and known:
            return "200 OK", [("Content-Type", "application/sdp"),
                              ("Content-Base", f"rtsp://127.0.0.1:{port}{path}/")], self.sdp
        if method in ("OPTIONS", "DESCRIBE"):
            return "404 Not Found", [], b""
        if "session" in headers:
            return "454 Session Not Found", [], b""
        return "405 Method Not Allowed", [("Allow", "OPTIONS, DESCRIBE")], b""


async def serve_connection(cams, reader, writer, port):
    cams.connections += 1
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                return
            lines = head.decode("latin-1").split("\r\n")
            parts = lines[0].split(" ")
            if len(parts) != 3 or not parts[2].startswith("RTSP/"):
                return  # not RTSP (or interleaved data): hang up
            method, uri = parts[0].upper(), parts[1]
            headers = {}
            for line in lines[1:]:
                key, sep, value = line.partition(":")
                if sep:
                    headers[key.strip().lower()] = value.strip()
            length = int(headers.get("content-length", "0") or 0)
            if length:
                await reader.readexactly(length)
            status, extra, body = cams.answer(method, uri, headers, port)
            cams.by_method[method] += 1
            cams.by_status[int(status.split()[0])] += 1
            out = [f"RTSP/1.0 {status}"]
            if "cseq" in headers:
                out.append(f"CSeq: {headers['cseq']}")
            out += [f"{k}: {v}" for k, v in extra]
            out.append("Server: GStreamer RTSP server (replayed by fake_rtsp_cameras.py)")
            out.append(f"Date: {email.utils.formatdate(usegmt=True)}")
            if body:
                out.append(f"Content-Length: {len(body)}")
            writer.write(("\r\n".join(out) + "\r\n\r\n").encode("latin-1") + body)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def run(args, cams):
    port_box = {}
    server = await asyncio.start_server(
        lambda r, w: serve_connection(cams, r, w, port_box["port"]),
        args.address, args.port, limit=MAX_HEADER)
    port_box["port"] = server.sockets[0].getsockname()[1]
    print(f"READY {port_box['port']}", flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    def dump():
        if args.stats_file:
            tmp = args.stats_file + ".tmp"
            with open(tmp, "w") as f:
                json.dump(cams.stats(), f)
            os.replace(tmp, args.stats_file)

    loop.add_signal_handler(signal.SIGUSR1, dump)
    try:
        await asyncio.wait_for(stop.wait(), timeout=args.duration)
    except asyncio.TimeoutError:
        pass
    server.close()
    await server.wait_closed()
    dump()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cameras", type=int, default=64)
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--sdp", default=DEFAULT_SDP)
    parser.add_argument("--stats-file")
    parser.add_argument("--duration", type=float, default=3600, help="exit after this many seconds")
    args = parser.parse_args()
    with open(args.sdp, "rb") as f:
        # As recorded, CRLF; normalised in case an editor changed the endings.
        sdp = re.sub(rb"\r?\n", b"\r\n", f.read())
    cams = Cameras(args.cameras, sdp)
    asyncio.run(run(args, cams))
    totals = cams.stats()
    del totals["by_camera"]
    print(json.dumps(totals), flush=True)


if __name__ == "__main__":
    sys.exit(main())
