#!/usr/bin/env python3
"""Checks the inhibition rules of alertmanager.yml against a real Alertmanager.

amtool tests routes offline but not inhibitions, so this starts Alertmanager on
a free loopback port (clustering off, temporary storage, webhooks pointed at a
closed loopback port), posts alerts shaped like the ones rules/ produces, and
asserts which of them Alertmanager reports as inhibited.

Usage: check_inhibitions.py ALERTMANAGER_YML   (stdlib only)
"""
import datetime
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

REC = 'recording-nodes'
GW = 'streaming-gateways'


def alert(name, severity, **labels):
    return dict(alertname=name, severity=severity, **labels)


# Gateways (site, node, instance) and their alerts, shaped like rules/alerts-streaming.yml's.
GW02 = ('hcm', 'gw-02', 'gw-02.hcm.vms.example:9091')
GW_HN = ('hn', 'gw-01', 'gw-01.hn.vms.example:9091')
DEPOT = ('danang', 'depot-dn', 'depot-dn.vms.example:9091')


def stream(name, severity, gateway, **labels):
    site, node, instance = gateway
    return alert(name, severity, component='streaming', job=GW, instance=instance, site=site,
                 node=node, **labels)


API01 = ('hcm', 'api-01', 'api-01.hcm.vms.example:9092')
API02 = ('hn', 'api-02', 'api-02.hn.vms.example:9092')


def api(name, severity, server, **labels):
    site, node, instance = server
    return alert(name, severity, component='api', job='api-servers', instance=instance,
                 site=site, node=node, **labels)


# (alert labels, should it be inhibited?, why)
CASES = [
    # Host rec-01 at hcm is down: NodeDown alone remains.
    (alert('NodeDown', 'critical', component='system', job='node-exporter',
           instance='rec-01.hcm.vms.example:9100', site='hcm', node='rec-01'),
     False, 'NodeDown is never silenced by itself'),
    (alert('ExporterDown', 'critical', component='system', job=REC,
           instance='rec-01.hcm.vms.example:9090', site='hcm', node='rec-01'),
     True, 'NodeDown silences the exporters of its node'),
    (alert('CameraOffline', 'critical', component='camera', alertgroup='camera', job=REC,
           instance='rec-01.hcm.vms.example:9090', site='hcm', node='rec-01', camera_id='cam-001'),
     True, "NodeDown silences its node's cameras"),
    (alert('DiskSpaceWarning', 'warning', component='storage', alertgroup='disk_space',
           site='hcm', node='rec-01', mount_point='/srv/recordings'),
     True, "NodeDown silences its node's disks"),
    # Same node name at another site is another host.
    (alert('HighStreamLatency', 'critical', component='streaming', job='streaming-gateways',
           instance='gw-01.hn.vms.example:9091', site='hn', node='gw-01', camera_id='cam-201',
           protocol='hls'),
     False, 'nothing is down at hn'),
    (alert('NodeDown', 'critical', component='system', job='node-exporter',
           instance='gw-01.hcm.vms.example:9100', site='hcm', node='gw-01'),
     False, 'NodeDown of hcm/gw-01'),
    # rec-02's recording exporter is down: its camera alerts are stale, its
    # disk alerts (from other exporters, no instance) are not.
    (alert('ExporterDown', 'critical', component='system', job=REC,
           instance='rec-02.hcm.vms.example:9090', site='hcm', node='rec-02'),
     False, 'its node is up'),
    (alert('LowCameraFPS', 'warning', component='camera', alertgroup='camera', job=REC,
           instance='rec-02.hcm.vms.example:9090', site='hcm', node='rec-02', camera_id='cam-020'),
     True, "ExporterDown silences its instance's camera alerts"),
    (alert('DiskSpaceWarning', 'warning', component='storage', alertgroup='disk_space',
           site='hcm', node='rec-02', mount_point='/var/lib'),
     False, 'ExporterDown does not silence host-level disk alerts'),
    # rec-03: critical silences the warning of the same group and object only.
    (alert('DiskSpaceCritical', 'critical', component='storage', alertgroup='disk_space',
           site='hcm', node='rec-03', mount_point='/srv/recordings'),
     False, 'DiskSpaceCritical pages'),
    (alert('DiskSpaceWarning', 'warning', component='storage', alertgroup='disk_space',
           site='hcm', node='rec-03', mount_point='/srv/recordings'),
     True, 'DiskSpaceCritical silences the warning of its mount'),
    (alert('DiskWillFillIn24h', 'warning', component='storage', alertgroup='disk_space',
           site='hcm', node='rec-03', mount_point='/srv/recordings'),
     True, 'DiskSpaceCritical silences the forecast of its mount'),
    (alert('DiskSpaceWarning', 'warning', component='storage', alertgroup='disk_space',
           site='hcm', node='rec-03', mount_point='/var/lib'),
     False, 'another mount'),
    (alert('CameraOffline', 'critical', component='camera', alertgroup='camera', job=REC,
           instance='rec-03.hcm.vms.example:9090', site='hcm', node='rec-03', camera_id='cam-031'),
     False, 'CameraOffline pages'),
    (alert('RecorderRestarting', 'warning', component='camera', alertgroup='camera', job=REC,
           instance='rec-03.hcm.vms.example:9090', site='hcm', node='rec-03', camera_id='cam-031'),
     True, 'CameraOffline silences the warnings of its camera'),
    (alert('LowCameraFPS', 'warning', component='camera', alertgroup='camera', job=REC,
           instance='rec-03.hcm.vms.example:9090', site='hcm', node='rec-03', camera_id='cam-032'),
     False, 'another camera'),
    (alert('HighCPUUsage', 'warning', component='system', job='node-exporter',
           instance='rec-03.hcm.vms.example:9100', site='hcm', node='rec-03'),
     False, 'no alert group: a critical of another kind does not silence it'),
    # Camera cam-031 of rec-03 is offline (CameraOffline above): the restreams
    # of that camera on gateway gw-02 are its symptoms; another camera's, or a
    # camera of the same id at another site, are not.
    (stream('StreamDown', 'warning', GW02, camera_id='cam-031', protocol='hls'),
     True, "CameraOffline silences its camera's restreams on the gateway"),
    (stream('HLSStale', 'warning', GW02, camera_id='cam-031', quality='default'),
     True, "CameraOffline silences its camera's stale playlist"),
    (stream('HighStreamLatency', 'critical', GW02, camera_id='cam-031', protocol='rtsp'),
     True, "CameraOffline silences its camera's late stream"),
    (stream('StreamDown', 'warning', GW02, camera_id='cam-032', protocol='rtsp'),
     False, 'camera cam-032 is online'),
    (stream('StreamDown', 'warning', GW_HN, camera_id='cam-031', protocol='hls'),
     False, 'a camera of the same id at another site'),
    # depot-dn has lost most of its streams: one page for all of them.
    (stream('GatewayStreamsDown', 'critical', DEPOT),
     False, 'GatewayStreamsDown pages'),
    (stream('StreamDown', 'warning', DEPOT, camera_id='cam-301', protocol='rtsp'),
     True, 'GatewayStreamsDown silences the streams of its gateway'),
    (stream('HLSStale', 'warning', DEPOT, camera_id='cam-302', quality='default'),
     True, 'GatewayStreamsDown silences the stale playlists of its gateway'),
    # hn/gw-01: cam-202's HLS playlist is stale, which is why its HLS is down.
    (stream('HLSStale', 'warning', GW_HN, camera_id='cam-202', quality='default'),
     False, 'HLSStale is the ticket'),
    (stream('StreamDown', 'warning', GW_HN, camera_id='cam-202', protocol='hls'),
     True, 'HLSStale silences the StreamDown of the same HLS stream'),
    (stream('StreamDown', 'warning', GW_HN, camera_id='cam-202', protocol='rtsp'),
     False, 'a stale playlist does not explain the RTSP restream'),
    # hcm/api-01's database is down: one page, its 5xx, slowness and failing
    # health check are its symptoms; its clients' bad tokens are not.
    (api('DatabaseDown', 'critical', API01, alertgroup='api', database='vms'),
     False, 'DatabaseDown pages'),
    (api('HighAPIErrorRate', 'critical', API01, alertgroup='api'),
     True, 'DatabaseDown silences the 5xx of its API server'),
    (api('SlowAPIResponses', 'warning', API01, alertgroup='api'),
     True, 'a critical of alertgroup api silences the slowness of its API server'),
    (api('APIHealthCheckFailing', 'warning', API01, alertgroup='api', target='vms-api',
         check='database'),
     True, 'a critical of alertgroup api silences the health check of its API server'),
    (api('JWTFailureSpike', 'warning', API01),
     False, 'bad tokens are not explained by the database'),
    # hn/api-02: only its 5xx rate pages; another API server's database does
    # not silence it, and it silences its own slowness.
    (api('HighAPIErrorRate', 'critical', API02, alertgroup='api'),
     False, "api-01's database is not api-02's"),
    (api('SlowAPIResponses', 'warning', API02, alertgroup='api'),
     True, 'HighAPIErrorRate silences the slowness of its API server'),
    (api('LoginBruteForce', 'warning', API02),
     False, 'failed logins are not availability'),
]


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def request(url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(req, timeout=5) as resp:
        return json.loads(resp.read() or 'null')


def main():
    binary = shutil.which('prometheus-alertmanager') or shutil.which('alertmanager')
    if not binary:
        print('FAIL: neither prometheus-alertmanager nor alertmanager is installed')
        return 1
    with open(sys.argv[1]) as f:
        config = f.read()
    # Notifications go nowhere: a loopback port nothing listens on.
    config = re.sub(r'url: http://\S+', f'url: http://127.0.0.1:{free_port()}/', config)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'alertmanager.yml')
        with open(path, 'w') as f:
            f.write(config)
        port = free_port()
        base = f'http://127.0.0.1:{port}'
        log = open(os.path.join(tmp, 'alertmanager.log'), 'w')
        proc = subprocess.Popen(
            [binary, f'--config.file={path}', f'--storage.path={tmp}/data',
             f'--web.listen-address=127.0.0.1:{port}', '--cluster.listen-address='],
            stdout=log, stderr=subprocess.STDOUT)
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + '/-/ready', timeout=1)
                    break
                except OSError:
                    if proc.poll() is not None:
                        break
                    time.sleep(0.1)
            else:
                print('FAIL: Alertmanager did not become ready')
                return 1
            if proc.poll() is not None:
                print('FAIL: Alertmanager exited: ' + open(log.name).read()[-2000:])
                return 1
            now = datetime.datetime.now(datetime.timezone.utc)
            stamp = lambda t: t.strftime('%Y-%m-%dT%H:%M:%S.000Z')
            request(base + '/api/v2/alerts', [
                {'labels': labels, 'annotations': {'summary': why},
                 'startsAt': stamp(now), 'endsAt': stamp(now + datetime.timedelta(hours=1))}
                for labels, _, why in CASES])
            # The inhibitor learns of source alerts asynchronously; poll briefly.
            deadline = time.time() + 15
            while True:
                got = {}
                for a in request(base + '/api/v2/alerts'):
                    key = tuple(sorted(a['labels'].items()))
                    got[key] = bool(a['status']['inhibitedBy'])
                wrong = [(labels, want, why) for labels, want, why in CASES
                         if got.get(tuple(sorted(labels.items()))) != want]
                if not wrong or time.time() > deadline:
                    break
                time.sleep(0.5)
            for labels, want, why in CASES:
                state = got.get(tuple(sorted(labels.items())))
                verdict = 'ok' if state == want else 'FAIL'
                failures += verdict == 'FAIL'
                what = 'inhibited' if want else 'not inhibited'
                print(f'{verdict}: {labels["alertname"]} {labels["site"]}/{labels["node"]} '
                      f'{labels.get("camera_id") or labels.get("mount_point") or labels.get("instance", "")}'
                      f': want {what} ({why})')
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()
    print(f'{len(CASES) - failures}/{len(CASES)} inhibition cases pass')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
