#!/usr/bin/python3
"""Runs every Grafana panel query against a live Prometheus.

  dashboard_queries.py --prometheus http://127.0.0.1:19190 grafana/dashboards/*.json

Fails (exit 1) when a query does not parse, and when a query returns nothing
over the last --window seconds although it should have data in a local stack
(cameras, recorders, disks, the exporters themselves, node_exporter, a streaming
gateway with viewers). Queries that
legitimately return nothing here are allowed by the lists below, each with its
reason: by metric family (a query is allowed when every metric it reads is an
allowed family) or by dashboard (title or file) and panel title.

Template variables filled by a Prometheus query (label_values, query_result) are
checked the same way, as panels named "variable $NAME".

Template variables are expanded the way Grafana would with "All" selected:
query and custom variables become ".*" (dashboards match them with =~),
interval variables take their current value, and Grafana's built-ins
($__rate_interval, $__interval, $__range) get values that fit the short
scrape interval of the test stack.
"""

import argparse
import glob
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

# Metric families the local stack does not produce, with the reason.
ALLOWED_EMPTY_FAMILIES = [
    (r"^api_tls_cert_expiry_timestamp_seconds$",
     "the local stack's health endpoint is plain http (the https probe has its integration test)"),
    (r"^websocket_connections$",
     "the local stack's API server has no WebSocket port configured"),
    (r"^mount:disk_space_days_until_full:deriv6h$",
     "absent by design for a mount whose free space is not shrinking"),
    (r"^ALERTS(_FOR_STATE)?$",
     "no alert fires in a healthy local stack"),
]

# (dashboard title or file name regex, panel title regex, reason)
# Empty for now: every panel of a family the stack produces has data.
ALLOWED_EMPTY_PANELS = [
]

BUILTINS = {
    "__rate_interval": "30s",
    "__interval": "10s",
    "__interval_ms": "10000",
    "__range": "5m",
    "__range_s": "300",
    "__range_ms": "300000",
}

KEYWORDS = {
    "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or",
    "unless", "offset", "inf", "nan", "atan2", "start", "end",
}


def panels_of(node):
    """Every panel of a dashboard, rows and nested panels included."""
    for panel in node.get("panels", []) or []:
        yield panel
        yield from panels_of(panel)


def variables_of(dashboard):
    values = dict(BUILTINS)
    for var in (dashboard.get("templating") or {}).get("list", []) or []:
        name = var.get("name")
        if not name:
            continue
        if var.get("type") in ("interval", "constant", "textbox"):
            current = (var.get("current") or {}).get("value")
            if isinstance(current, list):
                current = current[0] if current else None
            if not current or current == "$__auto_interval_" + name:
                options = [o.get("value") for o in var.get("options", []) or []]
                query = (var.get("query") or "").split(",")
                current = next((o for o in options if o), None) or query[0].strip() or "5m"
            values[name] = str(current)
        else:
            values[name] = ".*"
    return values


def expand(expr, values):
    def sub(match):
        name = match.group("a") or match.group("b") or match.group("c")
        return values.get(name, ".*")
    return re.sub(r"\$\{(?P<a>\w+)(?::\w+)?\}|\[\[(?P<b>\w+)(?::\w+)?\]\]|\$(?P<c>\w+)", sub, expr)


def metric_names(expr):
    """Metric names a PromQL expression reads (a heuristic, good for dashboards)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', '""', expr)
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    names = set()
    for match in re.finditer(r"(?<![\w.])([a-zA-Z_:][\w:]*)\s*(\()?", text):
        word, call = match.group(1), match.group(2)
        if call or word.lower() in KEYWORDS or re.fullmatch(r"\d.*", word):
            continue
        names.add(word)
    return names


def queries_from_extractor(extractor, files):
    """Uses grafana/tests/extract_queries.py when it prints JSON lines or a JSON list."""
    try:
        out = subprocess.run([sys.executable, extractor, "--json", *files], capture_output=True,
                             text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    try:
        data = json.loads(out.stdout)
    except ValueError:
        try:
            data = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
        except ValueError:
            return None
    queries = []
    for item in data if isinstance(data, list) else []:
        if not isinstance(item, dict) or "expr" not in item:
            return None
        queries.append({
            "file": os.path.basename(item.get("file") or item.get("dashboard") or "?"),
            "panel": item.get("panel") or item.get("title") or "?",
            "expr": item["expr"],
            "raw": item.get("raw_expr") or item["expr"],
        })
    return queries


def queries_from_files(files):
    queries = []
    for path in files:
        with open(path) as f:
            dashboard = json.load(f)
        dashboard = dashboard.get("dashboard", dashboard)
        values = variables_of(dashboard)
        for panel in panels_of(dashboard):
            for target in panel.get("targets", []) or []:
                expr = target.get("expr")
                if not expr or target.get("hide"):
                    continue
                source = json.dumps(target.get("datasource") or panel.get("datasource") or "")
                if "loki" in source.lower() or "-- grafana --" in source.lower():
                    continue
                queries.append({"file": os.path.basename(path),
                                "panel": panel.get("title") or "(untitled)",
                                "expr": expand(expr, values), "raw": expr})
    return queries


def variable_queries(files):
    """Template variables filled from Prometheus: label_values(...) and query_result(...)."""
    queries = []
    for path in files:
        with open(path) as f:
            dashboard = json.load(f)
        dashboard = dashboard.get("dashboard", dashboard)
        values = variables_of(dashboard)
        for var in (dashboard.get("templating") or {}).get("list", []) or []:
            if var.get("type") != "query":
                continue
            query = var.get("query") or var.get("definition") or ""
            if isinstance(query, dict):
                query = query.get("query") or ""
            query = expand(query.strip(), values)
            where = {"file": os.path.basename(path), "panel": "variable $" + var.get("name", "?")}
            m = re.fullmatch(r"label_values\((?:(?P<expr>.+),)?\s*(?P<label>\w+)\s*\)", query, re.S)
            if m and m.group("expr"):
                expr = f'count by ({m.group("label")}) ({m.group("expr")})'
            elif m:
                expr = f'count by ({m.group("label")}) ({{{m.group("label")}!=""}})'
            elif query.startswith("query_result(") and query.endswith(")"):
                expr = query[len("query_result("):-1]
            else:
                continue  # metrics(), label_names(): nothing that can be empty for a panel
            queries.append(dict(where, expr=expr, raw=query))
    return queries


def query_range(prometheus, expr, window):
    now = time.time()
    params = urllib.parse.urlencode({"query": expr, "start": now - window, "end": now,
                                     "step": max(1, window // 30)})
    try:
        with urllib.request.urlopen(f"{prometheus}/api/v1/query_range?{params}",
                                    timeout=30) as resp:
            return json.load(resp)
    except urllib.error.HTTPError as err:
        return json.load(err)


def allowed(query):
    for file_re, panel_re, reason in ALLOWED_EMPTY_PANELS:
        if re.search(file_re, query["file"]) and re.search(panel_re, query["panel"]):
            return reason
    names = metric_names(query["expr"])
    reasons = []
    for name in names:
        reason = next((r for pattern, r in ALLOWED_EMPTY_FAMILIES if re.match(pattern, name)), None)
        if reason is None:
            return None
        reasons.append(reason)
    return "; ".join(sorted(set(reasons))) if reasons else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--prometheus", required=True)
    parser.add_argument("--window", type=int, default=60, help="seconds to look back")
    parser.add_argument("--extractor", help="grafana/tests/extract_queries.py, if present")
    parser.add_argument("dashboards", nargs="+")
    args = parser.parse_args()

    files = sorted(set(f for pattern in args.dashboards for f in glob.glob(pattern)))
    queries = None
    if args.extractor and os.path.exists(args.extractor):
        queries = queries_from_extractor(args.extractor, files)
        if queries is None:
            print(f"note: {args.extractor} gave no JSON list of queries; reading the dashboards here")
    if queries is None:  # the extractor lists variable queries itself
        queries = queries_from_files(files) + variable_queries(files)
    if not queries:
        print("no panel queries found in", files)
        return 1

    failures, allowed_empty, with_data = [], [], 0
    for q in queries:
        where = f'{q["file"]}: "{q["panel"]}"'
        result = query_range(args.prometheus, q["expr"], args.window)
        if result.get("status") != "success":
            failures.append(f'{where}: does not run: {result.get("error")}\n    {q["expr"]}')
            continue
        if result["data"]["result"]:
            with_data += 1
            continue
        reason = allowed(q)
        if reason:
            allowed_empty.append(f"{where}: empty, allowed: {reason}")
        else:
            failures.append(f'{where}: no data in the last {args.window} s\n    {q["expr"]}')

    print(f"{len(queries)} queries from {len(files)} dashboards: {with_data} with data, "
          f"{len(allowed_empty)} empty and allowed, {len(failures)} failed")
    for line in allowed_empty:
        print("  " + line)
    for line in failures:
        print("FAIL " + line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
