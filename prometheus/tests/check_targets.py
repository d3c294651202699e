#!/usr/bin/env python3
"""Checks target relabelling against the example inventory, without scraping.

Runs `promtool check service-discovery` for every job of prometheus.yml and of
the sharding example, and asserts that each inventory host is scraped by the
jobs its roles ask for, on the role's port, with the right `site` and `node`,
and that shards 0 and 1 of the sharding example split the targets between
them, each exactly once.

Usage: check_targets.py PROMETHEUS_DIR   (stdlib only)
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

JOBS = {
    'recording-nodes': '9090',
    'streaming-gateways': '9091',
    'api-servers': '9092',
    'node-exporter': '9100',
}

# host -> (site, node, roles) as the example inventory in targets/ declares them.
INVENTORY = {
    'rec-01.hcm.vms.example': ('hcm', 'rec-01', {'recording-nodes'}),
    'rec-02.hcm.vms.example': ('hcm', 'rec-02', {'recording-nodes'}),
    'rec-03.hcm.vms.example': ('hcm', 'rec-03', {'recording-nodes'}),
    'gw-01.hcm.vms.example': ('hcm', 'gw-01', {'streaming-gateways', 'api-servers'}),
    'api-01.hcm.vms.example': ('hcm', 'api-01', {'api-servers'}),
    '10.20.1.11': ('hn', 'rec-hn-01', {'recording-nodes'}),
    'gw-01.hn.vms.example': ('hn', 'gw-01', {'streaming-gateways'}),
    'depot-dn.vms.example': ('danang', 'depot-dn', {'recording-nodes', 'streaming-gateways'}),
    'depot-ct.vms.example': ('cantho', 'depot-ct', {'recording-nodes', 'streaming-gateways'}),
}

failures = []


def fail(message):
    failures.append(message)
    print('FAIL: ' + message)


def discover(config_dir, config, job):
    """Targets of `job` after relabelling, as a list of public label dicts."""
    out = subprocess.run(
        # File SD answers at once, but promtool waits out the whole timeout.
        ['promtool', 'check', 'service-discovery', '--timeout=2s', config, job],
        cwd=config_dir, capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        fail(f'promtool check service-discovery {config} {job}: {out.stderr.strip()}')
        return []
    kept = []
    for target in json.loads(out.stdout):
        labels = target['labels']
        if labels:
            public = {k: v for k, v in labels.items() if not k.startswith('__')}
            public['__address__'] = labels['__address__']
            kept.append(public)
    return kept


def discover_all(config_dir, config):
    """discover() for every job at once: promtool waits out its timeout per call."""
    with ThreadPoolExecutor(max_workers=len(JOBS)) as pool:
        results = pool.map(lambda job: discover(config_dir, config, job), JOBS)
        return dict(zip(JOBS, results))


def check_main(prom_dir):
    seen = {}
    discovered = discover_all(prom_dir, 'prometheus.yml')
    for job, port in JOBS.items():
        targets = discovered[job]
        hosts = set()
        for t in targets:
            host, _, got_port = t['__address__'].rpartition(':')
            hosts.add(host)
            if got_port != port:
                fail(f'{job}: {t["__address__"]} scraped on port {got_port}, want {port}')
            if host not in INVENTORY:
                fail(f'{job}: unexpected target {host}')
                continue
            site, node, _ = INVENTORY[host]
            if t.get('site') != site or t.get('node') != node:
                fail(f'{job}: {host} has site={t.get("site")} node={t.get("node")}, '
                     f'want site={site} node={node}')
            if t.get('instance') != f'{host}:{port}':
                fail(f'{job}: {host} has instance {t.get("instance")}')
            if 'roles' in t:
                fail(f'{job}: {host} keeps the inventory label roles')
        want = {h for h, (_, _, roles) in INVENTORY.items()
                if job == 'node-exporter' or job in roles}
        if hosts != want:
            fail(f'{job}: scrapes {sorted(hosts)}, want {sorted(want)}')
        seen[job] = {t['__address__'] for t in targets}
        print(f'ok: {job}: {len(targets)} targets, each with site, node and port {port}')
    return seen


def check_shards(prom_dir, seen):
    example = os.path.join(prom_dir, 'examples', 'sharding', 'prometheus-shard-0.yml')
    with tempfile.TemporaryDirectory() as tmp:
        for name in ('targets', 'rules'):
            os.symlink(os.path.join(prom_dir, name), os.path.join(tmp, name))
        shutil.copy(example, os.path.join(tmp, 'shard-0.yml'))
        with open(example) as f:
            text = f.read()
        shard1 = text.replace("regex: '0'", "regex: '1'").replace("shard: '0'", "shard: '1'")
        if shard1.count("regex: '1'") != len(JOBS):
            fail('sharding example: expected one hashmod keep per job')
        with open(os.path.join(tmp, 'shard-1.yml'), 'w') as f:
            f.write(shard1)
        shards = [discover_all(tmp, f'shard-{k}.yml') for k in (0, 1)]
        for job in JOBS:
            parts = [{t['__address__'] for t in shard[job]} for shard in shards]
            if parts[0] & parts[1]:
                fail(f'shards: {job} targets on both shards: {sorted(parts[0] & parts[1])}')
            if parts[0] | parts[1] != seen[job]:
                fail(f'shards: {job} shards scrape {sorted(parts[0] | parts[1])}, '
                     f'want {sorted(seen[job])}')
            print(f'ok: shards: {job}: {len(parts[0])} + {len(parts[1])} targets, disjoint, complete')


def main():
    prom_dir = os.path.abspath(sys.argv[1])
    seen = check_main(prom_dir)
    check_shards(prom_dir, seen)
    if failures:
        print(f'{len(failures)} target check(s) failed')
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
