#!/usr/bin/python3
"""A stand-in for the pager and ticket relays of alertmanager.yml.

  webhook_sink.py --port 19195 --dir /tmp/stack/notifications

Every POST body is appended as one line to DIR/<first path component>.jsonl
(POST /pager -> pager.jsonl), re-serialised compactly so each notification
is one JSON line. Answers 200 so Alertmanager counts the notification as sent.
Listens on 127.0.0.1 only. Prints "READY <port>" once listening.
"""

import argparse
import json
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            name = self.path.strip("/").split("/")[0].split("?")[0] or "root"
            name = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
            try:
                line = json.dumps(json.loads(body), separators=(",", ":"))
            except ValueError:
                line = json.dumps({"unparsed": body.decode("utf-8", "replace")})
            with open(os.path.join(args.dir, name + ".jsonl"), "a") as out:
                out.write(line + "\n")
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, fmt, *fargs):
            sys.stderr.write("webhook_sink: " + (fmt % fargs) + "\n")

    server = HTTPServer((args.address, args.port), Handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"READY {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
