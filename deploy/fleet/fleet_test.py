#!/usr/bin/env python3
"""Tests of fleet.py: the checked-in files are what the example inventory
generates, the target files carry the labels prometheus.yml's relabelling
needs (checked with promtool against the real relabelling), and a wrong
inventory is an error naming the key. Run: python3 deploy/fleet/fleet_test.py
"""
import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fleet  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))
EXAMPLE = os.path.join(HERE, 'inventory.example.yml')


class Fleet(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.tmp)
        self.targets = os.path.join(self.tmp, 'targets')
        self.ansible = os.path.join(self.tmp, 'inventory.yml')

    def run_fleet(self, inventory_text, *extra):
        path = os.path.join(self.tmp, 'fleet.yml')
        with open(path, 'w') as f:
            f.write(textwrap.dedent(inventory_text))
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = fleet.main(['--targets-dir', self.targets, '--ansible-inventory', self.ansible,
                               *extra, path])
        return code, out.getvalue() + err.getvalue()

    def read_targets(self, name):
        with open(os.path.join(self.targets, name)) as f:
            return yaml.safe_load(f)

    def test_checked_in_files_are_generated_from_the_example(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code = fleet.main(['--check', EXAMPLE])
        self.assertEqual(code, 0, 'run deploy/fleet/fleet.py deploy/fleet/inventory.example.yml:\n'
                         + out.getvalue())

    def test_labels_only_where_relabelling_cannot_derive_them(self):
        code, out = self.run_fleet('''
            target_files:
              shared: {}
            sites:
              one:
                domain: one.example
                labels: {rack: r1}
                nodes:
                  rec-01: {roles: [api-server, recording-node]}
                  rec-02: {roles: [recording-node, api-server]}
                  box: {address: 10.1.2.3, roles: [streaming-gateway]}
                  v6: {address: 'fd00::7', roles: [streaming-gateway], labels: {rack: r2}}
                  other: {address: elsewhere.example, roles: [streaming-gateway]}
              two:
                targets_file: shared
                nodes:
                  gw-01: {address: gw-01.two.example, roles: [streaming-gateway]}
              three:
                targets_file: shared
                nodes:
                  gw-01: {address: gw-01.three.example, roles: [streaming-gateway]}
            ''')
        self.assertEqual(code, 0, out)
        self.assertEqual(self.read_targets('one.yml'), [
            # Roles in one order whatever the inventory's, so equal nodes share a group.
            {'targets': ['rec-01.one.example', 'rec-02.one.example'],
             'labels': {'roles': 'recording-node,api-server', 'rack': 'r1'}},
            {'targets': ['10.1.2.3'], 'labels': {'roles': 'streaming-gateway', 'node': 'box', 'rack': 'r1'}},
            {'targets': ['[fd00::7]'], 'labels': {'roles': 'streaming-gateway', 'node': 'v6', 'rack': 'r2'}},
            {'targets': ['elsewhere.example'],
             'labels': {'roles': 'streaming-gateway', 'node': 'other', 'rack': 'r1'}},
        ])
        self.assertEqual(self.read_targets('shared.yml'), [
            {'targets': ['gw-01.two.example'], 'labels': {'site': 'two', 'roles': 'streaming-gateway'}},
            {'targets': ['gw-01.three.example'], 'labels': {'site': 'three', 'roles': 'streaming-gateway'}},
        ])
        with open(self.ansible) as f:
            hosts = yaml.safe_load(f)['all']['children']
        # Ansible connects to the bare address; host names are NODE.SITE (gw-01 is in two sites).
        self.assertEqual(hosts['site_one']['hosts']['v6.one']['ansible_host'], 'fd00::7')
        self.assertEqual(set(hosts['streaming_gateway']['hosts']),
                         {'box.one', 'v6.one', 'other.one', 'gw-01.two', 'gw-01.three'})
        self.assertEqual(hosts['site_two']['vars'], {'vms_site': 'two'})

    @unittest.skipUnless(shutil.which('promtool'), 'promtool (Debian: prometheus) is not installed')
    def test_prometheus_relabelling_gives_every_node_its_site_and_name(self):
        code, out = self.run_fleet('''
            target_files:
              depots: {}
            sites:
              hq:
                domain: hq.vms.example
                nodes:
                  rec-01: {roles: [recording-node]}
                  gw-01: {roles: [streaming-gateway, api-server]}
                  rec-ip: {address: 192.0.2.10, roles: [recording-node]}
                  rec-v6: {address: '2001:db8::10', roles: [recording-node]}
                  api-x: {address: api.other.example, roles: [api-server]}
              north:
                targets_file: depots
                nodes:
                  gw-01: {address: gw-01.north.example, roles: [streaming-gateway]}
              south:
                targets_file: depots
                nodes:
                  gw-01: {address: gw-01.south.example, roles: [recording-node, streaming-gateway]}
            ''')
        self.assertEqual(code, 0, out)
        shutil.copy(os.path.join(REPO, 'prometheus', 'prometheus.yml'), self.tmp)
        _, _, sites = fleet.load(os.path.join(self.tmp, 'fleet.yml'))
        jobs = {'recording-nodes': 'recording-node', 'streaming-gateways': 'streaming-gateway',
                'api-servers': 'api-server', 'node-exporter': None}
        for job, role in jobs.items():
            want = {(s['name'], n['name']) for s in sites for n in s['nodes'] if role in n['roles'] or not role}
            run = subprocess.run(['promtool', 'check', 'service-discovery', '--timeout=2s', 'prometheus.yml', job],
                                 cwd=self.tmp, capture_output=True, text=True, timeout=60)
            self.assertEqual(run.returncode, 0, run.stderr)
            got = {(t['labels']['site'], t['labels']['node']) for t in json.loads(run.stdout) if t['labels']}
            self.assertEqual(got, want, job)

    def test_stale_generated_files_go_hand_written_ones_stay(self):
        os.makedirs(self.targets)
        with open(os.path.join(self.targets, 'old.yml'), 'w') as f:
            f.write(fleet.MARKER + 'fleet.yml: ...\n[]\n')
        with open(os.path.join(self.targets, 'manual.yml'), 'w') as f:
            f.write('# written by hand\n[]\n')
        inventory = '''
            sites:
              new: {nodes: {a: {address: a.example, roles: [api-server]}}}
            '''
        code, out = self.run_fleet(inventory, '--check')
        self.assertEqual(code, 1)
        self.assertIn('old.yml: generated for a site no longer in the inventory', out)
        self.assertFalse(os.path.exists(os.path.join(self.targets, 'new.yml')), '--check wrote')
        code, out = self.run_fleet(inventory)
        self.assertEqual(code, 0, out)
        self.assertEqual(sorted(os.listdir(self.targets)), ['manual.yml', 'new.yml'])
        code, out = self.run_fleet(inventory, '--check')
        self.assertEqual(code, 0, out)

    def test_errors_name_the_key(self):
        cases = [
            ('sites: {s: {nodes: {a: {address: a.example, roles: [camera]}}}}',
             "sites.s.nodes.a.roles: unknown role 'camera'"),
            ('sites: {s: {nodes: {a: {address: a.example}}}}', 'sites.s.nodes.a.roles: list'),
            ('sites: {s: {nodes: {a: {roles: [api-server]}}}}', 'sites.s.nodes.a: no address, and the site has no domain'),
            ('sites: {s: {nodes: {a: {address: "a.example:9100", roles: [api-server]}}}}', 'neither a host name'),
            ('sites: {s: {nodes: {a: {address: x.example, roles: [api-server]}, b: {address: x.example, roles: [api-server]}}}}',
             'sites.s.nodes.b.address: x.example is also sites.s.nodes.a'),
            ('sites: {s: {nodes: {a: {address: a.example, roles: [api-server], role: x}}}}', "unknown key 'role'"),
            ('sites: {s: {labels: {node: x}, nodes: {a: {address: a.example, roles: [api-server]}}}}',
             "sites.s.labels: 'node' is set by the inventory itself"),
            ('sites: {s: {nodes: {a: {address: a.example, roles: [api-server], labels: {__x: y}}}}}',
             'not a Prometheus label name'),
            ('sites: {s: {targets_file: t, nodes: {a: {address: a.example, roles: [api-server]}}}}',
             "'t' is not under target_files"),
            ('sites: {Bad: {nodes: {a: {address: a.example, roles: [api-server]}}}}', 'sites.Bad: a site name'),
            ('sites: {s: {nodes: {}}}', 'sites.s: no nodes'),
            ('{}', 'no sites'),
            ('sites: [', 'not YAML'),
        ]
        for text, message in cases:
            with self.subTest(text=text):
                code, out = self.run_fleet(text + '\n')
                self.assertEqual(code, 2, out)
                self.assertIn(message, out)
                self.assertFalse(os.path.exists(self.ansible), 'an invalid inventory wrote files')


if __name__ == '__main__':
    unittest.main(verbosity=2)
