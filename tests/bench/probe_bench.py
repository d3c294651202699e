#!/usr/bin/python3
"""The API server exporter's health and database probes beside Debian's
prometheus-blackbox-exporter and prometheus-postgres-exporter doing the same
checks at the same rate (docs/benchmarks.md "Health and database probes beside
blackbox_exporter and postgres_exporter").

Health: a real nginx on 127.0.0.1 serves N health endpoints (/health/0 ..
/health/N-1, the seed's health JSON). Every target is probed once per interval
(valid status 200, a body regex) by
  (a) api_server_exporter `health_checks:` (its own schedule), while a
      Prometheus-like loop scrapes its /metrics once per interval;
  (b) blackbox_exporter with an http module of the same checks, driven by a
      Prometheus-like loop sending /probe?target=...&module=health for every
      target once per interval, offsets spread over the interval as Prometheus
      spreads its targets.
Database: a real PostgreSQL 15 in a temp dir (run as the postgres user), a
`monitor` role with pg_monitor and a SCRAM password, three idle application
sessions, probed once per interval by
  (a) api_server_exporter `databases:` (statistics run + one probe query);
  (b) postgres_exporter with its defaults, scraped once per interval;
  (c) postgres_exporter with its defaults off and custom queries collecting what
      (a) collects (connections by state, blks_hit/read, the same probe query).

Each side runs alone (never two at once: they would share the two cores):
start, warm up, then over a fixed window the process's CPU (utime+stime of
/proc/PID/stat), its peak and final RSS (VmHWM, VmRSS), the scrape latencies,
and what the target saw: nginx's access log (requests and distinct
connections), PostgreSQL's pg_stat_database (transactions, sessions) of the
probed database, monitor connections in pg_stat_activity, and the server's CPU.

  probe_bench.py --exporter build/exporters/api_server_exporter \\
      [--targets 16,64] [--interval 1] [--window 30] [--warmup 5]
"""
import argparse
import functools
import heapq
import http.client
import json
import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse

from benchlib import TICK, cpu_seconds, free_port, memory_kb, proc_stat

HERE = os.path.dirname(os.path.abspath(__file__))
PG_BIN = '/usr/lib/postgresql/15/bin/'
HEALTH_BODY = '{"status": "ok", "checks": {"database": "ok", "cache": "ok", "storage": "ok"}}'
BODY_REGEX = '"status": *"ok"'
PROBE_SQL = 'SELECT count(*) FROM cameras'
PASSWORD = 'bench-secret'
NO_HOST = ['--no-collector.' + c for c in ('requests', 'access_log', 'connections', 'diskspace',
                                            'diskstats', 'netdev', 'processes')]


def tree_cpu_seconds(root):
    """CPU of a server and all its processes, the exited ones included (their
    time is in the parent's cutime/cstime once reaped)."""
    total = 0
    for name in os.listdir('/proc'):
        if not name.isdigit():
            continue
        try:
            f = proc_stat(int(name))
        except OSError:
            continue
        if int(name) == root:
            total += sum(int(x) for x in f[11:15])
        elif int(f[1]) == root:
            total += int(f[11]) + int(f[12])
    return total / TICK


def run_seconds(pid):
    """CPU time of a process's live threads from the scheduler (ns, not clock
    ticks): a finer cross-check of cpu_seconds over short windows."""
    total = 0
    for tid in os.listdir('/proc/%d/task' % pid):
        try:
            with open('/proc/%d/task/%s/schedstat' % (pid, tid)) as f:
                total += int(f.read().split()[0])
        except OSError:
            pass
    return total / 1e9


def get(port, path, timeout=10):
    c = http.client.HTTPConnection('127.0.0.1', port, timeout=timeout)
    try:
        c.request('GET', path)
        r = c.getresponse()
        return r.status, r.read().decode()
    finally:
        c.close()


def wait_http(port, path, proc, what):
    deadline = time.time() + 30
    while True:
        try:
            if get(port, path, 2)[0] == 200:
                return
        except OSError:
            pass
        if time.time() > deadline or proc.poll() is not None:
            raise SystemExit('%s did not start' % what)
        time.sleep(0.1)


def sample(text, pattern):
    """The value of the first series matching pattern, None without one."""
    m = re.search(r'^(?:' + pattern + r')[^ ]* ([0-9.e+-]+)$', text, re.M)
    return float(m.group(1)) if m else None


def percentile(values, p):
    if not values:
        return None
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


class Scraper:
    """A Prometheus stand-in: every path once per interval, the paths' offsets
    spread evenly over the interval, over keep-alive connections, with the
    scrape timeout header. Latencies are kept from start_window() on."""

    def __init__(self, port, paths, interval, check, workers=4):
        self.port, self.paths, self.interval, self.check = port, paths, interval, check
        self.jobs = queue.Queue()
        self.stop_flag = threading.Event()
        self.lock = threading.Lock()
        self.window = False
        self.latencies, self.failures, self.sent = [], 0, 0
        self.threads = [threading.Thread(target=self.worker, daemon=True) for _ in range(workers)]
        self.threads.append(threading.Thread(target=self.schedule, daemon=True))

    def start(self):
        for t in self.threads:
            t.start()

    def start_window(self):
        with self.lock:
            self.window, self.latencies, self.failures, self.sent = True, [], 0, 0

    def stop(self):
        self.stop_flag.set()
        for _ in self.threads:
            self.jobs.put(None)
        for t in self.threads:
            t.join(15)

    def schedule(self):
        now = time.monotonic()
        n = len(self.paths)
        heap = [(now + self.interval * i / n, i) for i in range(n)]
        heapq.heapify(heap)
        while not self.stop_flag.is_set():
            due, i = heapq.heappop(heap)
            delay = due - time.monotonic()
            if delay > 0 and self.stop_flag.wait(delay):
                return
            self.jobs.put(self.paths[i])
            heapq.heappush(heap, (due + self.interval, i))

    def worker(self):
        conn = None
        headers = {'X-Prometheus-Scrape-Timeout-Seconds': '%g' % self.interval,
                   'Accept': 'text/plain;version=0.0.4;q=0.5,*/*;q=0.1'}
        while True:
            path = self.jobs.get()
            if path is None:
                return
            t0 = time.monotonic()
            ok = False
            try:
                if conn is None:
                    conn = http.client.HTTPConnection('127.0.0.1', self.port, timeout=10)
                conn.request('GET', path, headers=headers)
                r = conn.getresponse()
                body = r.read().decode()
                ok = r.status == 200 and self.check(body)
            except (OSError, http.client.HTTPException):
                if conn:
                    conn.close()
                conn = None
            dt = time.monotonic() - t0
            with self.lock:
                if self.window:
                    self.sent += 1
                    self.latencies.append(dt)
                    self.failures += 0 if ok else 1


class Nginx:
    def __init__(self, work, targets):
        self.dir = os.path.join(work, 'nginx')
        os.makedirs(self.dir + '/tmp')
        os.chmod(self.dir, 0o755)
        self.port = free_port()
        self.log = self.dir + '/access.log'
        t = self.dir + '/tmp'
        with open(self.dir + '/nginx.conf', 'w') as f:
            f.write('daemon off;\nworker_processes 1;\npid %s/nginx.pid;\nerror_log %s/error.log;\n'
                    'events { worker_connections 4096; }\nhttp {\n'
                    '  client_body_temp_path %s; proxy_temp_path %s; fastcgi_temp_path %s;\n'
                    '  uwsgi_temp_path %s; scgi_temp_path %s;\n'
                    '  log_format bench "$connection $request_uri $status";\n'
                    '  access_log %s bench;\n'
                    '  server {\n    listen 127.0.0.1:%d;\n'
                    '    location /health/ { default_type application/json; return 200 \'%s\\n\'; }\n'
                    '  }\n}\n' % (self.dir, self.dir, t, t, t, t, t, self.log, self.port,
                                  HEALTH_BODY))
        self.proc = subprocess.Popen(['/usr/sbin/nginx', '-p', self.dir, '-c', self.dir + '/nginx.conf',
                                      '-e', self.dir + '/error.log'])
        wait_http(self.port, '/health/0', self.proc, 'nginx')
        self.urls = ['http://127.0.0.1:%d/health/%d' % (self.port, i) for i in range(targets)]

    def mark(self):
        return os.path.getsize(self.log)

    def seen(self, start, end):
        """Requests and distinct connections in the log between two marks."""
        with open(self.log, 'rb') as f:
            f.seek(start)
            lines = f.read(end - start).decode().splitlines()
        bad = sum(1 for line in lines if not line.endswith(' 200'))
        return len(lines), len({line.split(' ', 1)[0] for line in lines}), bad

    def close(self):
        self.proc.terminate()
        self.proc.wait()


class Postgres:
    def __init__(self, work):
        import pwd
        user = pwd.getpwnam('postgres')
        self.dir = os.path.join(work, 'pg')
        os.makedirs(self.dir)
        os.chown(self.dir, user.pw_uid, user.pw_gid)
        self.as_user = ['/usr/bin/setpriv', '--reuid=%d' % user.pw_uid, '--regid=%d' % user.pw_gid,
                        '--clear-groups']
        subprocess.run(self.as_user + [PG_BIN + 'initdb', '-D', self.dir + '/data', '-U', 'postgres',
                                       '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8',
                                       '--locale=C', '--no-sync', '--no-instructions'],
                       check=True, stdout=subprocess.DEVNULL)
        self.port = free_port()
        self.log = open(os.path.join(work, 'postgres.log'), 'w')
        self.proc = subprocess.Popen(
            self.as_user + [PG_BIN + 'postgres', '-D', self.dir + '/data', '-c',
                            'listen_addresses=127.0.0.1', '-c', 'port=%d' % self.port, '-c',
                            'unix_socket_directories=' + self.dir, '-c', 'fsync=off'],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while self.psql('SELECT 1', check=False).returncode != 0:
            if time.time() > deadline or self.proc.poll() is not None:
                raise SystemExit('PostgreSQL did not start')
            time.sleep(0.1)
        # setpriv execs: the postmaster is the process started.
        self.postmaster = self.proc.pid
        self.psql("CREATE ROLE monitor LOGIN PASSWORD '%s'; GRANT pg_monitor TO monitor"
                  % PASSWORD)
        self.psql('CREATE DATABASE vms')
        self.psql('CREATE TABLE cameras (id int PRIMARY KEY, name text);'
                  "INSERT INTO cameras SELECT i, 'cam' || i FROM generate_series(1, 1000) i;"
                  'GRANT SELECT ON cameras TO monitor; ANALYZE cameras;', db='vms')
        # The application's sessions: three idle client backends of vms.
        self.app = [subprocess.Popen([PG_BIN + 'psql', '-X', '-q', '-h', self.dir, '-p', str(self.port),
                                      '-U', 'postgres', '-d', 'vms'], stdin=subprocess.PIPE,
                                     stdout=subprocess.DEVNULL) for _ in range(3)]
        while self.value("SELECT count(*) FROM pg_stat_activity WHERE datname = 'vms'") < 3:
            time.sleep(0.1)

    def psql(self, sql, db='postgres', check=True):
        return subprocess.run([PG_BIN + 'psql', '-X', '-At', '-v', 'ON_ERROR_STOP=1', '-h', self.dir,
                               '-p', str(self.port), '-U', 'postgres', '-d', db, '-c', sql],
                              check=check, capture_output=True, text=True)

    def value(self, sql):
        return float(self.psql(sql).stdout.strip() or 0)

    def database_stats(self):
        """The vms database's counters. Read from a session of the postgres
        database, so these reads are not counted in them."""
        out = self.psql("SELECT xact_commit + xact_rollback, sessions, tup_returned + tup_fetched "
                        "FROM pg_stat_database WHERE datname = 'vms'").stdout.strip().split('|')
        return [int(x) for x in out]

    def monitor_sessions(self):
        return int(self.value("SELECT count(*) FROM pg_stat_activity WHERE usename = 'monitor'"))

    def close(self):
        for p in self.app:
            p.stdin.close()
            p.wait()
        self.proc.send_signal(2)  # fast shutdown: the postmaster reaps its children
        self.proc.wait()
        self.log.close()


def measure(name, argv, port, ready_path, scraper_paths, check, args, env=None, target=None,
            extra=None):
    """Runs one side alone; returns its row."""
    before = target.before() if target else None
    out = open(os.path.join(args.work, name + '.out'), 'w')
    proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env)
    row = {'side': name}
    try:
        wait_http(port, ready_path, proc, name)
        scraper = Scraper(port, scraper_paths, args.interval, check)
        scraper.start()
        time.sleep(args.warmup)
        scraper.start_window()
        mark = target.window_start() if target else None
        cpu0, run0, t0 = cpu_seconds(proc.pid), run_seconds(proc.pid), time.monotonic()
        peak_sessions = 0
        while time.monotonic() - t0 < args.window:
            time.sleep(min(2.0, args.window - (time.monotonic() - t0)) if args.window > 0 else 0)
            if target and target.sessions:
                peak_sessions = max(peak_sessions, target.sessions())
        cpu, wall = cpu_seconds(proc.pid) - cpu0, time.monotonic() - t0
        run = run_seconds(proc.pid) - run0
        mem = memory_kb(proc.pid)
        window = target.window_end(mark) if target else {}
        scraper.stop()
        lat = [x * 1000 for x in scraper.latencies]
        row.update({'window_s': round(wall, 1), 'scrapes': scraper.sent,
                    'scrape_failures': scraper.failures,
                    'scrape_median_ms': round(percentile(lat, 50), 2),
                    'scrape_p99_ms': round(percentile(lat, 99), 2),
                    'cpu_s': round(cpu, 3), 'sched_cpu_s': round(run, 3), 'peak_rss_mib': round(mem['VmHWM'] / 1024, 1),
                    'rss_mib': round(mem['VmRSS'] / 1024, 1)})
        row.update(window)
        if target and target.sessions:
            row['peak_monitor_sessions'] = peak_sessions
        if extra:
            row.update(extra(port))
    finally:
        proc.terminate()
        proc.wait()
        out.close()
    if target:
        row.update(target.after(before))
    return row


class HealthTarget:
    sessions = None

    def __init__(self, nginx, interval):
        self.nginx, self.interval = nginx, interval

    def before(self):
        return None

    def window_start(self):
        return self.nginx.mark()

    def window_end(self, mark):
        requests, connections, bad = self.nginx.seen(mark, self.nginx.mark())
        return {'probes': requests, 'target_connections': connections, 'target_non_200': bad}

    def after(self, before):
        return {}


class DatabaseTarget:
    def __init__(self, pg, interval):
        self.pg, self.interval = pg, interval
        self.sessions = pg.monitor_sessions

    def before(self):
        while self.pg.monitor_sessions():
            time.sleep(0.1)
        return self.pg.database_stats(), tree_cpu_seconds(self.pg.postmaster), time.monotonic()

    def window_start(self):
        return None

    def window_end(self, mark):
        return {}

    def after(self, before):
        # The side's backends flush their statistics when they exit.
        deadline = time.time() + 30
        while self.pg.monitor_sessions() and time.time() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
        stats0, cpu0, t0 = before
        stats1, cpu1, t1 = self.pg.database_stats(), tree_cpu_seconds(self.pg.postmaster), \
            time.monotonic()
        cycles = (t1 - t0) / self.interval
        return {'db_xacts_per_cycle': round((stats1[0] - stats0[0]) / cycles, 1),
                'db_sessions': stats1[1] - stats0[1],
                'db_tuples_per_cycle': round((stats1[2] - stats0[2]) / cycles, 1),
                'server_cpu_ms_per_cycle': round((cpu1 - cpu0) * 1000 / cycles, 2)}


def health_bench(args, n, bins):
    nginx = Nginx(os.path.join(args.work, 'n%d' % n), n)
    target = HealthTarget(nginx, args.interval)
    runs, rows = [], []
    try:
        # (a) the exporter's own schedule, scraped once per interval.
        port = free_port()
        config = os.path.join(args.work, 'health-%d.yml' % n)
        with open(config, 'w') as f:
            f.write('probes:\n  interval: %gs\n  timeout: %dms\nhealth_checks:\n'
                    % (args.interval, args.interval * 900))
            for i, url in enumerate(nginx.urls):
                f.write("  - target: t%d\n    url: %s\n    valid_status_codes: [200]\n"
                        "    body_regex: '%s'\n" % (i, url, BODY_REGEX))

        def ours_extra(p):
            text = get(p, '/metrics')[1]
            return {'targets_up': len(re.findall(r'^api_up\{[^}]*\} 1$', text, re.M))}

        runs.append(functools.partial(
            measure, 'api_server_exporter', [bins['exporter'], '--config.file=' + config,
                                             '--web.listen-address=127.0.0.1:%d' % port] + NO_HOST,
            port, '/metrics', ['/metrics'], lambda body: 'api_up{' in body, args, target=target,
            extra=ours_extra))

        # (b) blackbox_exporter, one /probe per target per interval.
        port = free_port()
        config = os.path.join(args.work, 'blackbox.yml')
        with open(config, 'w') as f:
            f.write("modules:\n  health:\n    prober: http\n    timeout: %dms\n    http:\n"
                    "      valid_status_codes: [200]\n      preferred_ip_protocol: ip4\n"
                    "      fail_if_body_not_matches_regexp: ['%s']\n"
                    % (args.interval * 900, BODY_REGEX))
        paths = ['/probe?' + urllib.parse.urlencode({'target': u, 'module': 'health'})
                 for u in nginx.urls]
        runs.append(functools.partial(
            measure, 'blackbox_exporter', [bins['blackbox'], '--config.file=' + config,
                                           '--web.listen-address=127.0.0.1:%d' % port],
            port, '/metrics', paths, lambda body: '\nprobe_success 1' in body, args, target=target))
        rows = [run() for run in (runs[::-1] if args.peers_first else runs)]
    finally:
        nginx.close()
    for r in rows:
        r['targets'] = n
        r['cpu_ms_per_probe'] = round(r['cpu_s'] * 1000 / r['probes'], 3) if r['probes'] else None
        r['sched_cpu_ms_per_probe'] = (round(r['sched_cpu_s'] * 1000 / r['probes'], 3)
                                       if r['probes'] else None)
    return rows


PG_QUERIES = '''bench_connections:
  query: "SELECT coalesce(state, '') AS state, count(*) AS count FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid() GROUP BY 1"
  metrics:
    - state: {usage: LABEL, description: pg_stat_activity state}
    - count: {usage: GAUGE, description: client connections by state}
bench_blocks:
  query: "SELECT blks_hit, blks_read FROM pg_stat_database WHERE datname = current_database()"
  metrics:
    - blks_hit: {usage: COUNTER, description: pg_stat_database.blks_hit}
    - blks_read: {usage: COUNTER, description: pg_stat_database.blks_read}
bench_probe:
  query: "%s"
  metrics:
    - count: {usage: GAUGE, description: the probe query}
''' % PROBE_SQL


def statement_costs(pg, work, repeat=300):
    """Server CPU per statement, each run `repeat` times back to back in one
    psql session: the exporter's statistics statement (read from
    common/pg/src/stats_queries.cc, so it stays the shipped one), the same
    prepared once, and the custom queries of postgres_exporter (same queries)."""
    source = os.path.join(HERE, '..', '..', 'common', 'pg', 'src', 'stats_queries.cc')
    m = re.search(r'R"sql\((.*?)\)sql"', open(source).read(), re.S) if os.path.exists(source) else None
    cases = {}
    if m:
        stats = m.group(1).strip()
        cases['api_server_exporter statistics statement'] = (stats + ';\n') * repeat
        cases['  the same, PREPAREd once'] = ('PREPARE s AS %s;\n' % stats) + 'EXECUTE s;\n' * repeat
        cases['  the same, planned only (EXPLAIN)'] = ('EXPLAIN %s;\n' % stats) * repeat
    for name, query in re.findall(r'^(bench_\w+):\n  query: "(.*)"$', PG_QUERIES, re.M):
        cases['postgres_exporter ' + name] = (query.replace('\\"', '"') + ';\n') * repeat
    rows = []
    for name, sql in cases.items():
        path = os.path.join(work, 'statement.sql')
        with open(path, 'w') as f:
            f.write(sql)
        cpu0 = tree_cpu_seconds(pg.postmaster)
        subprocess.run([PG_BIN + 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', pg.dir, '-p',
                        str(pg.port), '-U', 'postgres', '-d', 'vms', '-f', path, '-o', os.devnull],
                       check=True)
        time.sleep(0.3)  # the session's exit reaped
        rows.append({'statement': name, 'server_cpu_ms': round(
            (tree_cpu_seconds(pg.postmaster) - cpu0) * 1000 / repeat, 3)})
    return rows


def database_bench(args, bins):
    args = argparse.Namespace(**dict(vars(args), window=args.db_window))
    pg = Postgres(args.work)
    target = DatabaseTarget(pg, args.interval)
    secret = os.path.join(args.work, 'pg-password')
    with open(secret, 'w') as f:
        f.write(PASSWORD + '\n')
    os.chmod(secret, 0o600)
    rows = []
    try:
        # What the server costs with nothing probing it, over as long a run,
        # sessions sampled as during the sides' windows (each sample is a psql
        # session: a fork and a login on the server).
        before = target.before()
        time.sleep(args.warmup + 1)
        t0 = time.monotonic()
        while time.monotonic() - t0 < args.window:
            time.sleep(min(2.0, args.window - (time.monotonic() - t0)))
            target.sessions()
        row = {'side': 'nothing (server idle)', 'window_s': args.window, 'cpu_s': 0}
        row.update(target.after(before))
        rows.append(row)

        port = free_port()
        config = os.path.join(args.work, 'db.yml')
        with open(config, 'w') as f:
            f.write('databases:\n  - name: vms\n'
                    '    conninfo: host=127.0.0.1 port=%d dbname=vms user=monitor sslmode=disable\n'
                    '    password_file: %s\n    interval: %gs\n    timeout: %dms\n'
                    '    queries:\n      - query_type: cameras\n        sql: %s\n'
                    % (pg.port, secret, args.interval, args.interval * 900, PROBE_SQL))

        def ours_extra(p):
            text = get(p, '/metrics')[1]
            return {'up': 'database_up{database="vms"} 1' in text,
                    'idle_seen': sample(text, r'database_connections\{database="vms",state="idle"\}'),
                    'series': sum(1 for l in text.splitlines() if l and not l.startswith('#'))}

        runs = [functools.partial(
            measure, 'api_server_exporter', [bins['exporter'], '--config.file=' + config,
                                             '--web.listen-address=127.0.0.1:%d' % port] + NO_HOST,
            port, '/metrics', ['/metrics'], lambda body: 'database_up{database="vms"} 1' in body,
            args, target=target, extra=ours_extra)]

        env = dict(os.environ, DATA_SOURCE_NAME='postgresql://monitor:%s@127.0.0.1:%d/vms?sslmode=disable'
                   % (PASSWORD, pg.port))
        queries = os.path.join(args.work, 'queries.yaml')
        with open(queries, 'w') as f:
            f.write(PG_QUERIES)

        def theirs_extra(p):
            text = get(p, '/metrics')[1]
            return {'up': '\npg_up 1' in text,
                    'idle_seen': sample(text, r'(?:pg_stat_activity_count\{datname="vms",.*state="idle"|'
                                              r'bench_connections_count\{.*state="idle")'),
                    'series': sum(1 for l in text.splitlines() if l and not l.startswith('#'))}

        for name, flags in (('postgres_exporter (defaults)', []),
                            ('postgres_exporter (same queries)',
                             ['--disable-default-metrics', '--disable-settings-metrics',
                              '--no-collector.database', '--no-collector.bgwriter',
                              '--extend.query-path=' + queries])):
            port = free_port()
            runs.append(functools.partial(
                measure, name, [bins['postgres_exporter'],
                                '--web.listen-address=127.0.0.1:%d' % port] + flags,
                port, '/', ['/metrics'], lambda body: '\npg_up 1' in body, args, env=env,
                target=target, extra=theirs_extra))
        rows += [run() for run in (runs[::-1] if args.peers_first else runs)]
        costs = statement_costs(pg, args.work)
    finally:
        pg.close()
    idle = rows[0]['server_cpu_ms_per_cycle'] if rows else 0
    for r in rows:
        r['server_cpu_ms_above_idle'] = round(r['server_cpu_ms_per_cycle'] - idle, 2)
        r['cpu_ms_per_cycle'] = round(r['cpu_s'] * 1000 * args.interval / r['window_s'], 3)
        if 'sched_cpu_s' in r:
            r['sched_cpu_ms_per_cycle'] = round(r['sched_cpu_s'] * 1000 * args.interval
                                                / r['window_s'], 3)
    return rows, costs


def table(rows, columns):
    if not rows:
        return
    print('\n| ' + ' | '.join(columns) + ' |\n|' + '---|' * len(columns))
    for r in rows:
        print('| ' + ' | '.join('' if r.get(c) is None else str(r[c]) for c in columns) + ' |')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--exporter', required=True)
    ap.add_argument('--blackbox', default=shutil.which('prometheus-blackbox-exporter')
                    or '/usr/bin/prometheus-blackbox-exporter')
    ap.add_argument('--postgres-exporter', default=shutil.which('prometheus-postgres-exporter')
                    or '/usr/bin/prometheus-postgres-exporter')
    ap.add_argument('--targets', default='16,64', help='health targets per run (at most 64)')
    ap.add_argument('--interval', type=float, default=1.0)
    ap.add_argument('--window', type=float, default=30.0)
    ap.add_argument('--db-window', type=float, default=60.0,
                    help='the database window (fewer, cheaper cycles than the health runs)')
    ap.add_argument('--warmup', type=float, default=5.0)
    ap.add_argument('--only', choices=['health', 'database'])
    ap.add_argument('--peers-first', action='store_true',
                    help='run the peers before the exporter (a second run, to see drift)')
    args = ap.parse_args()
    bins = {'exporter': args.exporter, 'blackbox': args.blackbox,
            'postgres_exporter': args.postgres_exporter}
    args.work = tempfile.mkdtemp(prefix='probe-bench-', dir='/var/tmp')
    os.chmod(args.work, 0o755)
    health, database, costs = [], [], []
    try:
        print('load average: %s' % open('/proc/loadavg').read().split()[:3], flush=True)
        if args.only != 'database':
            for n in [int(x) for x in args.targets.split(',')]:
                for row in health_bench(args, n, bins):
                    health.append(row)
                    print('health ' + json.dumps(row), flush=True)
        if args.only != 'health':
            database, costs = database_bench(args, bins)
            for row in database:
                print('database ' + json.dumps(row), flush=True)
            for row in costs:
                print('statement ' + json.dumps(row), flush=True)
        print('load average: %s' % open('/proc/loadavg').read().split()[:3], flush=True)
        table(health, ['targets', 'side', 'probes', 'cpu_s', 'cpu_ms_per_probe', 'peak_rss_mib',
                       'rss_mib', 'scrapes', 'scrape_median_ms', 'scrape_p99_ms',
                       'target_connections', 'scrape_failures'])
        table(database, ['side', 'series', 'cpu_s', 'cpu_ms_per_cycle', 'peak_rss_mib', 'rss_mib',
                         'scrape_median_ms', 'scrape_p99_ms', 'db_xacts_per_cycle', 'db_sessions',
                         'peak_monitor_sessions', 'server_cpu_ms_per_cycle', 'server_cpu_ms_above_idle',
                         'idle_seen'])
        table(costs, ['statement', 'server_cpu_ms'])
    finally:
        shutil.rmtree(args.work, ignore_errors=True)


if __name__ == '__main__':
    main()
