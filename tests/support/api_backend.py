#!/usr/bin/python3
"""A small VMS API backend with known routes, statuses and delays, for the API
server exporter's tests, benchmarks and the local stack (behind a real nginx
with the shipped `vms` log format).

Usage: api_backend.py PORT

Routes (a protected route wants `Authorization: Bearer <token>`):

  GET  /health                        {"status": "ok", "checks": {"database": "ok",
                                      "cache": "ok", "storage": "ok"}}; see /_control
  POST /api/login                     body {"user": u, "password": p}: 200 and
                                      {"token": "good"} when p == "secret"; 429 when
                                      u == "locked"; 401 otherwise
  GET  /api/cameras                   protected; 200, the camera list
  GET  /api/cameras/<id>              protected; 200 for cam1..cam9, else 404
  GET  /api/cameras/<id>/recordings   protected; 200 after ?delay_ms=N milliseconds
  ANY  /api/status/<code>             unprotected; answers <code> (100..599)
  GET  /ws (Upgrade: websocket)       101, held open ?hold_ms=N (default 300)
  POST /_control                      JSON {"health": "ok" | "down" | "slow" |
                                      "wrongbody", "slow_seconds": s,
                                      "failing_checks": ["cache", ...]}: 204
  GET  /_control                      the state, and the Authorization header the last
                                      /health request brought ("health_authorization")

Tokens: "good" is valid; "expired" is refused with error="invalid_token" and
error_description="The access token expired" (RFC 6750); anything else with
error="invalid_token" and "The access token is malformed"; no header with a
bare `Bearer realm="vms"` challenge.
"""
import http.server
import json
import sys
import threading
import time
import urllib.parse

CAMERAS = {f'cam{i}' for i in range(1, 10)}

state_lock = threading.Lock()
state = {'health': 'ok', 'slow_seconds': 2.0, 'failing_checks': [], 'health_authorization': None}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'vms-api-test/1'

    def log_message(self, *args):
        pass

    def reply(self, code, body=b'', content_type='application/json', headers=()):
        if isinstance(body, (dict, list)):
            body = (json.dumps(body) + '\n').encode()
        self.send_response(code)
        for name, value in headers:
            self.send_header(name, value)
        if code not in (101, 204, 304) and not (100 <= code < 200):
            self.send_header('Content-Type', content_type)
            self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        if body and code not in (204, 304) and self.command != 'HEAD':
            self.wfile.write(body)

    def read_body(self):
        length = int(self.headers.get('Content-Length') or 0)
        return self.rfile.read(length) if length else b''

    def authorized(self):
        auth = self.headers.get('Authorization')
        if not auth or not auth.startswith('Bearer '):
            self.reply(401, {'error': 'unauthorized'},
                       headers=[('WWW-Authenticate', 'Bearer realm="vms"')])
            return False
        token = auth[len('Bearer '):].strip()
        if token == 'good':
            return True
        why = 'The access token expired' if token == 'expired' else 'The access token is malformed'
        self.reply(401, {'error': 'invalid_token'}, headers=[(
            'WWW-Authenticate',
            f'Bearer realm="vms", error="invalid_token", error_description="{why}"')])
        return False

    def handle_any(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        parts = [p for p in url.path.split('/') if p]
        body = self.read_body()

        if url.path == '/_control' and self.command == 'POST':
            change = json.loads(body or b'{}')
            with state_lock:
                state.update(change)
            return self.reply(204)
        if url.path == '/_control' and self.command == 'GET':
            with state_lock:
                return self.reply(200, dict(state))
        if url.path == '/health':
            with state_lock:
                state['health_authorization'] = self.headers.get('Authorization')
                mode, slow, failing = state['health'], state['slow_seconds'], state['failing_checks']
            if mode == 'slow':
                time.sleep(slow)
            if mode == 'wrongbody':
                return self.reply(200, b'hello\n', content_type='text/plain')
            checks = {c: ('fail' if c in failing else 'ok') for c in ('database', 'cache', 'storage')}
            down = mode == 'down'
            if down:
                checks['database'] = 'fail'
            status = 'fail' if down or failing else 'ok'
            return self.reply(503 if down else 200, {'status': status, 'checks': checks})
        if url.path == '/ws' and self.headers.get('Upgrade', '').lower() == 'websocket':
            self.send_response(101)
            self.send_header('Upgrade', 'websocket')
            self.send_header('Connection', 'Upgrade')
            self.end_headers()
            self.wfile.flush()
            time.sleep(int(query.get('hold_ms', ['300'])[0]) / 1000)
            self.close_connection = True
            return
        if parts[:2] == ['api', 'status'] and len(parts) == 3 and parts[2].isdigit():
            code = int(parts[2])
            if 100 <= code <= 599:
                return self.reply(code, {'status': code})
        if url.path == '/api/login' and self.command == 'POST':
            try:
                login = json.loads(body or b'{}')
            except ValueError:
                return self.reply(400, {'error': 'bad json'})
            if login.get('user') == 'locked':
                return self.reply(429, {'error': 'too many attempts'})
            if login.get('password') == 'secret':
                return self.reply(200, {'token': 'good'})
            return self.reply(401, {'error': 'bad credentials'})
        if parts[:2] == ['api', 'cameras'] and self.command in ('GET', 'HEAD'):
            if not self.authorized():
                return
            if len(parts) == 2:
                return self.reply(200, sorted(CAMERAS))
            if parts[2] not in CAMERAS:
                return self.reply(404, {'error': 'no such camera'})
            if len(parts) == 3:
                return self.reply(200, {'id': parts[2]})
            if len(parts) == 4 and parts[3] == 'recordings':
                time.sleep(int(query.get('delay_ms', ['0'])[0]) / 1000)
                return self.reply(200, [])
        return self.reply(404, {'error': 'not found'})

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = handle_any


class Server(http.server.ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True


if __name__ == '__main__':
    with Server(('127.0.0.1', int(sys.argv[1])), Handler) as server:
        print(f'listening on 127.0.0.1:{sys.argv[1]}', flush=True)
        server.serve_forever()
