#!/usr/bin/env python3
"""Access-log throughput of an exporter beside Debian's mtail, on the same log
in the same run (docs/benchmarks.md).

Each tool is started on an empty log file; then the whole log is appended at
once (1 MiB writes) and the tool's CPU time (utime + stime of /proc/PID/stat)
is sampled until it reports every line read. Reported per tool: lines per
CPU-second, wall seconds to catch up, peak and final RSS (VmHWM, VmRSS), and
the per-camera counters both produce, which must agree.

  log_bench.py --exporter build/exporters/streaming_gateway_exporter \\
      --role gateway --lines 2000000 [--runs 2]

Runs the tools one after the other (never at once: they would share the two
cores), alternating, `--runs` times each.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from benchlib import cpu_seconds, free_port, memory_kb

HERE = os.path.dirname(os.path.abspath(__file__))


def scrape(port):
    with urllib.request.urlopen('http://127.0.0.1:%d/metrics' % port, timeout=10) as r:
        return r.read().decode()


def sample(text, pattern):
    total = 0.0
    found = False
    for line in text.splitlines():
        if line.startswith('#'):
            continue
        m = re.match(pattern, line)
        if m:
            total += float(line.rsplit(' ', 1)[1])
            found = True
    return total if found else None


COMPARED = {
    'gateway': ('hls_playlist_requests_total', 'hls_segment_requests_total',
                'webrtc_connection_attempts_total'),
    'api': ('http_requests_total', 'http_request_duration_seconds_count',
            'jwt_token_validations_total', 'auth_login_attempts_total'),
}


def counters(text, role):
    """Per series of the role's compared metrics: what both tools count. Zero
    series are left out (mtail has none until a first increment), and so are
    the labels only one tool adds (mtail's prog, the exporter's source)."""
    out = {}
    names = '|'.join(COMPARED[role])
    for line in text.splitlines():
        m = re.match(r'^(' + names + r')\{([^}]*)\} ([0-9.e+]+)$', line)
        if not m or float(m.group(3)) == 0:
            continue
        labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(2)))
        if labels.pop('source', 'access_log') != 'access_log':
            continue
        labels.pop('prog', None)
        out[(m.group(1), tuple(sorted(labels.items())))] = float(m.group(3))
    return out


class Tool:
    def __init__(self, name, argv, port, lines_pattern, log, role):
        self.name, self.argv, self.port, self.pattern, self.log = name, argv, port, lines_pattern, log
        self.role = role

    def run(self, source, lines):
        open(self.log, 'w').close()
        proc = subprocess.Popen(self.argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.time() + 30
            while True:
                try:
                    scrape(self.port)
                    break
                except OSError:
                    if time.time() > deadline or proc.poll() is not None:
                        raise SystemExit('%s did not start' % self.name)
                    time.sleep(0.1)
            time.sleep(1.0)  # settle (and let mtail find the file)
            cpu0, t0 = cpu_seconds(proc.pid), time.time()
            with open(source, 'rb') as src, open(self.log, 'ab') as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            while True:
                read = sample(scrape(self.port), self.pattern) or 0
                if read >= lines:
                    break
                if time.time() - t0 > 600:
                    raise SystemExit('%s read %d of %d lines in 600 s' % (self.name, read, lines))
                time.sleep(0.2)
            wall = time.time() - t0
            cpu = cpu_seconds(proc.pid) - cpu0
            mem = memory_kb(proc.pid)
            text = scrape(self.port)
            return {'tool': self.name, 'lines': lines, 'cpu_seconds': round(cpu, 3),
                    'lines_per_cpu_second': round(lines / cpu) if cpu > 0 else None,
                    'catch_up_seconds': round(wall, 2), 'peak_rss_mib': round(mem['VmHWM'] / 1024, 1),
                    'rss_mib': round(mem['VmRSS'] / 1024, 1)}, counters(text, self.role)
        finally:
            proc.terminate()
            proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--exporter', required=True)
    ap.add_argument('--role', choices=['gateway', 'api'], default='gateway')
    ap.add_argument('--lines', type=int, default=2000000)
    ap.add_argument('--runs', type=int, default=2)
    ap.add_argument('--mtail', default=shutil.which('mtail') or '/usr/bin/mtail')
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix='log-bench-')
    source = os.path.join(work, 'source.log')
    with open(source, 'w') as f:
        subprocess.run([sys.executable, os.path.join(HERE, 'gen_access_log.py'), '--role', args.role,
                        '--lines', str(args.lines)], stdout=f, check=True)
    progs = os.path.join(work, 'progs')
    os.makedirs(progs)
    shutil.copy(os.path.join(HERE, 'mtail', args.role + '.mtail'), progs)

    log_e = os.path.join(work, 'exporter.log')
    port_e = free_port()
    config = os.path.join(work, 'exporter.yml')
    with open(config, 'w') as f:
        f.write('access_logs:\n  - path: %s\n    format: vms\n    name: bench\n'
                '    start_at: beginning\n    state_dir: ""\n    poll_interval: 100ms\n' % log_e)
        if args.role == 'gateway':
            f.write("    camera_id: '^/(?:hls/)?([^/]+)/'\nlimits:\n  camera_ids: 1000\n")
        else:
            f.write("    routes: ['/api/cameras', '/api/cameras/:id', '/api/cameras/:id/recordings',"
                    " '/api/login', '/health']\n    login_route: /api/login\n")
    exporter = Tool(os.path.basename(args.exporter),
                    [args.exporter, '--config.file=' + config,
                     '--web.listen-address=127.0.0.1:%d' % port_e], port_e,
                    r'^vms_exporter_log_lines_total\{file="bench"\}', log_e, args.role)
    log_m = os.path.join(work, 'mtail.log')
    port_m = free_port()
    mtail = Tool('mtail', [args.mtail, '--progs', progs, '--logs', log_m, '--address', '127.0.0.1',
                           '--port', str(port_m), '--poll_interval', '100ms'], port_m,
                 r'^mtail_log_lines_total\{', log_m, args.role)

    results = []
    agree = None
    for run in range(args.runs):
        for tool in (exporter, mtail) if run % 2 == 0 else (mtail, exporter):
            result, seen = tool.run(source, args.lines)
            result['run'] = run + 1
            results.append(result)
            print(json.dumps(result), flush=True)
            if tool is exporter:
                ours = seen
            else:
                theirs = {k: v for k, v in seen.items()}
        agree = ours == theirs
        if not agree:
            diff = [k for k in set(ours) | set(theirs) if ours.get(k) != theirs.get(k)][:5]
            print('counters differ, e.g. %s' % [(k, ours.get(k), theirs.get(k)) for k in diff])
    shutil.rmtree(work)
    best = {}
    for r in results:
        b = best.setdefault(r['tool'], r)
        if r['lines_per_cpu_second'] > b['lines_per_cpu_second']:
            best[r['tool']] = r
    print('summary: ' + json.dumps({'lines': args.lines, 'counters_agree': agree,
                                    'best': list(best.values())}))


if __name__ == '__main__':
    main()
