#!/usr/bin/env python3
"""Checks that rules and dashboards read only metrics that exist.

Every metric name in an `expr` of prometheus/rules/*.yml and in every Grafana
query (grafana/tests/extract_queries.py) must be in metric_names.txt (the
exporters' contract, node_exporter, Prometheus' own series) or be a recording
rule of rules/. A PromQL parser is not at hand offline, so names are found
lexically: string literals, label matchers `{...}`, ranges `[...]` and label
lists of by/without/on/ignoring/group_left/group_right are removed, and every
remaining identifier that is neither a function call, a keyword nor a number
is a metric name. A typo or a renamed metric in a rule fails here instead of
silently never firing.

Usage: check_metric_names.py REPO_ROOT   (needs PyYAML for the rule files)
"""
import json
import os
import re
import subprocess
import sys

import yaml

KEYWORDS = {'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or',
            'unless', 'bool', 'offset', 'inf', 'nan', 'atan2'}


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


def main():
    root = os.path.abspath(sys.argv[1])
    here = os.path.join(root, 'prometheus', 'tests')
    known = set()
    with open(os.path.join(here, 'metric_names.txt')) as f:
        for line in f:
            line = line.split('#')[0].strip()
            if line:
                known.add(line)
    exprs = []
    rules_dir = os.path.join(root, 'prometheus', 'rules')
    for name in sorted(os.listdir(rules_dir)):
        if not name.endswith('.yml'):
            continue
        with open(os.path.join(rules_dir, name)) as f:
            doc = yaml.safe_load(f)
        for group in doc['groups']:
            for rule in group['rules']:
                if 'record' in rule:
                    known.add(rule['record'])
                exprs.append(('rules/%s %s' % (name, rule.get('alert') or rule.get('record')), rule['expr']))
    out = subprocess.run([sys.executable, os.path.join(root, 'grafana', 'tests', 'extract_queries.py'), '--json'],
                         capture_output=True, text=True, check=True)
    for q in json.loads(out.stdout):
        exprs.append(('%s / %s %s' % (q['dashboard'], q['panel'], q['ref']), q['expr']))
    bad = 0
    used = set()
    for where, expr in exprs:
        names = metric_names(expr)
        used |= names
        for n in sorted(names - known):
            print('FAIL %s: unknown metric %s' % (where, n))
            bad += 1
    print('%d expressions, %d distinct metrics read, %d unknown' % (len(exprs), len(used), bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
