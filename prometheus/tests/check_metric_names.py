#!/usr/bin/env python3
"""Checks that rules and dashboards read only metrics that something produces.

Every metric name in an `expr` of prometheus/rules/*.yml and in every Grafana
query (grafana/tests/extract_queries.py) must be one of:
- produced by an exporter: a series name of tests/golden/*.prom, the real
  output of each exporter on fixtures (golden_test checks the files against
  the binaries, so this list is the code's, not a hand-kept copy);
- produced by node_exporter: read from a real prometheus-node-exporter started
  here on loopback (Debian's, the one the shipped Prometheus config scrapes);
- one of Prometheus' own synthetic series (up, ALERTS, ...);
- a recording rule of rules/;
- planned: listed in planned_metric_names.txt with the role and issue that
  will produce it. A planned name that is produced after all is an error too,
  so the list shrinks as roles land.

A PromQL parser is not at hand offline, so names are found lexically: string
literals, label matchers `{...}`, ranges `[...]` and label lists of
by/without/on/ignoring/group_left/group_right are removed, and every remaining
identifier that is neither a function call, a keyword nor a number is a
metric name. A typo or a renamed metric in a rule fails here instead of
silently never firing.

Usage: check_metric_names.py REPO_ROOT   (needs PyYAML and node_exporter)
"""
import glob
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import yaml

KEYWORDS = {'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or',
            'unless', 'bool', 'offset', 'inf', 'nan', 'atan2'}
# Series Prometheus writes itself for every target and alert.
PROMETHEUS_SYNTHETIC = {'up', 'ALERTS', 'ALERTS_FOR_STATE', 'scrape_duration_seconds',
                        'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling',
                        'scrape_series_added'}
SERIES = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]')


def metric_names(expr):
    expr = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', '""', expr)
    expr = re.sub(r'\{[^{}]*\}', ' ', expr)
    expr = re.sub(r'\[[^\]]*\]', ' ', expr)
    expr = re.sub(r'\b(by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)', ' ', expr)
    names = set()
    for m in re.finditer(r'(?<![\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?', expr):
        name, call = m.group(1), m.group(2)
        if call or name.lower() in KEYWORDS:
            continue
        # Scalars such as 5e6 or durations glued to numbers are not names.
        if re.match(r'^[eE]\d', name):
            continue
        names.add(name)
    return names


def series_names(text):
    return {m.group(1) for line in text.splitlines() if (m := SERIES.match(line))}


def golden_names(root):
    names = {}
    for path in sorted(glob.glob(os.path.join(root, 'tests', 'golden', '*.prom'))):
        role = os.path.basename(path)[:-len('.prom')]
        with open(path) as f:
            for name in series_names(f.read()):
                names.setdefault(name, set()).add(role)
    return names


def node_exporter_names():
    """The names a real node_exporter serves on this machine."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    binary = 'prometheus-node-exporter'
    proc = subprocess.Popen([binary, '--web.listen-address=127.0.0.1:%d' % port],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 20
        while True:
            try:
                with urllib.request.urlopen('http://127.0.0.1:%d/metrics' % port, timeout=5) as r:
                    return series_names(r.read().decode())
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise SystemExit('FAIL node_exporter did not serve /metrics')
                time.sleep(0.1)
    finally:
        proc.terminate()
        proc.wait()


def planned_names(here):
    planned = {}
    with open(os.path.join(here, 'planned_metric_names.txt')) as f:
        for line in f:
            fields = line.split('#')[0].split()
            if fields:
                if len(fields) != 3:
                    raise SystemExit('FAIL planned_metric_names.txt: want NAME ROLE ISSUE: %r' % line)
                planned[fields[0]] = (fields[1], fields[2])
    return planned


def main():
    root = os.path.abspath(sys.argv[1])
    here = os.path.join(root, 'prometheus', 'tests')
    produced = golden_names(root)
    node = node_exporter_names()
    planned = planned_names(here)
    bad = 0

    for name, (role, issue) in sorted(planned.items()):
        if name in produced:
            print('FAIL %s is planned (issue %s) but %s produces it now: remove it from '
                  'planned_metric_names.txt' % (name, issue, ', '.join(sorted(produced[name]))))
            bad += 1

    exprs, records = [], set()
    rules_dir = os.path.join(root, 'prometheus', 'rules')
    for name in sorted(os.listdir(rules_dir)):
        if not name.endswith('.yml'):
            continue
        with open(os.path.join(rules_dir, name)) as f:
            doc = yaml.safe_load(f)
        for group in doc['groups']:
            for rule in group['rules']:
                if 'record' in rule:
                    records.add(rule['record'])
                exprs.append(('rules/%s %s' % (name, rule.get('alert') or rule.get('record')),
                              rule['expr']))
    out = subprocess.run([sys.executable, os.path.join(root, 'grafana', 'tests', 'extract_queries.py'),
                          '--json'], capture_output=True, text=True, check=True)
    for q in json.loads(out.stdout):
        exprs.append(('%s / %s %s' % (q['dashboard'], q['panel'], q['ref']), q['expr']))

    used, waiting = set(), {}
    for where, expr in exprs:
        for n in sorted(metric_names(expr)):
            used.add(n)
            if n in produced or n in node or n in PROMETHEUS_SYNTHETIC or n in records:
                continue
            if n in planned:
                waiting.setdefault(n, []).append(where)
                continue
            print('FAIL %s: %s is produced by no exporter (tests/golden), node_exporter or '
                  'Prometheus, and is not planned' % (where, n))
            bad += 1
    for n, wheres in sorted(waiting.items()):
        role, issue = planned[n]
        print('planned %s (%s, issue %s): read by %s' % (n, role, issue, '; '.join(wheres)))
    unused = sorted(set(planned) - used)
    for n in unused:
        print('FAIL %s is listed as planned but nothing reads it' % n)
        bad += 1
    print('%d expressions, %d distinct metrics read, %d produced by the exporters, %d planned, '
          '%d problems' % (len(exprs), len(used), len(used & set(produced)), len(waiting), bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
