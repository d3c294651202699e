#!/usr/bin/env python3
"""Lists every PromQL query of the Grafana dashboards, ready to send to Prometheus.

For each dashboard in grafana/dashboards/*.json (or the files given), prints one
line per panel target and per template-variable query:

    DASHBOARD <TAB> PANEL TITLE <TAB> REFID <TAB> EXPR

with template variables replaced by values that match everything: a multi-value
variable with "All" becomes `.*` (dashboards use it only in `=~` matchers), and
Grafana's built-ins get fixed values ($__rate_interval -> 5m, $__interval -> 1m,
$__range -> the dashboard's default time range). `label_values(SELECTOR, label)`
variable queries yield SELECTOR. Newlines in expressions become spaces.

    --json   print a JSON list of {dashboard, panel, ref, expr} instead
    --lint   also check what the live tests rely on and exit 1 on a problem:
             a `datasource` variable of type datasource (query prometheus) used by
             every panel, target and variable query; no `__inputs` or ${DS_...}
             import placeholders; no variable used outside a regex matcher; no
             unknown variable left after substitution.

Standard library only; runs with any python3.
"""
import argparse
import glob
import json
import os
import re
import sys

BUILTINS = {
    '__rate_interval': '5m',
    '__interval': '1m',
    '__interval_ms': '60000',
}
DATASOURCE = '${datasource}'


def range_of(dashboard):
    """The default time range of the dashboard as a PromQL duration and seconds."""
    m = re.match(r'now-(\d+)([smhdw])$', dashboard.get('time', {}).get('from', 'now-6h'))
    if not m:
        return '6h', 21600
    seconds = int(m.group(1)) * {'s': 1, 'm': 60, 'h': 3600, 'd': 86400, 'w': 604800}[m.group(2)]
    return m.group(1) + m.group(2), seconds


def substitutions(dashboard):
    values = dict(BUILTINS)
    rng, seconds = range_of(dashboard)
    values.update({'__range': rng, '__range_s': str(seconds), '__range_ms': str(seconds * 1000)})
    for var in dashboard.get('templating', {}).get('list', []):
        if var.get('type') == 'datasource':
            continue
        values[var['name']] = '.*'
    return values


def substitute(expr, values, problems, where):
    def repl(m):
        name = m.group('braced') or m.group('plain') or m.group('old')
        if name not in values:
            if name.isdigit():          # ${1} in label_replace replacements
                return m.group(0)
            problems.append('%s: unknown variable $%s' % (where, name))
            return m.group(0)
        return values[name]
    pattern = r'\$\{(?P<braced>\w+)(?::\w+)?\}|\$(?P<plain>\w+)|\[\[(?P<old>\w+)\]\]'
    for m in re.finditer(r'(\w+)\s*(=|!=)\s*"[^"]*\$', expr):
        problems.append('%s: variable used in a non-regex matcher (%s%s"...)' % (where, m.group(1), m.group(2)))
    return re.sub(pattern, repl, expr)


def panels_of(panels):
    for p in panels:
        yield p
        for inner in panels_of(p.get('panels', [])):
            yield inner


def datasource_uid(ds):
    if isinstance(ds, dict):
        return ds.get('uid')
    return ds


def variable_expr(query):
    if isinstance(query, dict):
        query = query.get('query', '')
    query = query.strip()
    m = re.match(r'label_values\((.*),\s*\w+\s*\)$', query, re.S)
    if m:
        return m.group(1)
    m = re.match(r'query_result\((.*)\)$', query, re.S)
    if m:
        return m.group(1)
    return None


def extract(path, problems):
    with open(path) as f:
        text = f.read()
    dashboard = json.loads(text)
    name = dashboard.get('title') or os.path.basename(path)
    if '__inputs' in dashboard:
        problems.append('%s: has __inputs (import placeholders)' % name)
    if '${DS_' in text:
        problems.append('%s: uses a ${DS_...} import placeholder' % name)
    variables = dashboard.get('templating', {}).get('list', [])
    ds_vars = [v for v in variables if v.get('name') == 'datasource']
    if not ds_vars or ds_vars[0].get('type') != 'datasource' or ds_vars[0].get('query') != 'prometheus':
        problems.append('%s: no `datasource` variable of type datasource with query prometheus' % name)
    values = substitutions(dashboard)
    out = []
    for var in variables:
        if var.get('type') != 'query':
            continue
        where = '%s: variable %s' % (name, var['name'])
        if datasource_uid(var.get('datasource')) != DATASOURCE:
            problems.append('%s: datasource is not %s' % (where, DATASOURCE))
        expr = variable_expr(var.get('query', ''))
        if expr:
            out.append({'dashboard': name, 'panel': '$%s (variable)' % var['name'], 'ref': 'variable',
                        'expr': substitute(expr, values, problems, where)})
    for panel in panels_of(dashboard.get('panels', [])):
        if panel.get('type') == 'row':
            continue
        title = panel.get('title', '(untitled)')
        where = '%s / %s' % (name, title)
        if datasource_uid(panel.get('datasource')) != DATASOURCE:
            problems.append('%s: panel datasource is not %s' % (where, DATASOURCE))
        targets = panel.get('targets', [])
        if not targets:
            problems.append('%s: no targets' % where)
        for t in targets:
            if datasource_uid(t.get('datasource', panel.get('datasource'))) != DATASOURCE:
                problems.append('%s %s: target datasource is not %s' % (where, t.get('refId'), DATASOURCE))
            expr = t.get('expr', '').strip()
            if not expr:
                problems.append('%s %s: empty expr' % (where, t.get('refId')))
                continue
            out.append({'dashboard': name, 'panel': title, 'ref': t.get('refId', ''),
                        'expr': substitute(expr, values, problems, where)})
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('files', nargs='*',
                        default=sorted(glob.glob(os.path.join(here, '..', 'dashboards', '*.json'))))
    parser.add_argument('--json', action='store_true')
    parser.add_argument('--lint', action='store_true')
    args = parser.parse_args()
    problems = []
    queries = []
    for path in args.files:
        queries.extend(extract(path, problems))
    if args.json:
        json.dump(queries, sys.stdout, indent=1)
        sys.stdout.write('\n')
    else:
        for q in queries:
            print('\t'.join([q['dashboard'], q['panel'], q['ref'], ' '.join(q['expr'].split())]))
    if args.lint:
        for p in problems:
            sys.stderr.write('LINT: %s\n' % p)
        if problems:
            return 1
        sys.stderr.write('lint ok: %d queries in %d dashboards\n' % (len(queries), len(args.files)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
