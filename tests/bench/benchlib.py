"""What the benchmark drivers share: free loopback ports and a process's CPU
and memory from /proc (log_bench.py, probe_bench.py)."""
import os
import socket

TICK = os.sysconf('SC_CLK_TCK')


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def proc_stat(pid):
    """/proc/PID/stat after the comm: [1] ppid, [11] utime, [12] stime,
    [13] cutime, [14] cstime (in clock ticks)."""
    with open('/proc/%d/stat' % pid) as f:
        return f.read().rsplit(')', 1)[1].split()


def cpu_seconds(pid):
    f = proc_stat(pid)
    return (int(f[11]) + int(f[12])) / TICK


def memory_kb(pid):
    """VmHWM (peak) and VmRSS of the process, in KiB."""
    out = {}
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith(('VmHWM:', 'VmRSS:')):
                out[line.split(':')[0]] = int(line.split()[1])
    return out
