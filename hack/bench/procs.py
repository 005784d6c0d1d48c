"""Processes the benchmark starts: a registry that stops every one of them on the way out, and a
way to run a profiler and learn its CPU time and peak RSS precisely.

CPU time comes from wait4()'s rusage, the numbers `/usr/bin/time -f '%U %S'` prints, but at
microsecond resolution instead of /proc/PID/stat's 10 ms clock ticks (a profiler at 100 Hz for 5 s may
use only a few ticks of CPU in all).

Peak RSS comes from `/usr/bin/time -f %M`, which each measured command runs under. Not from our own
wait4(): Linux carries the exec'ing process's high-water RSS over into the new program's maxrss, so
a child forked from this Python harness would never show less than the harness's ~20 MB. A child of
the small `time` program starts from about 1 MB instead. Without /usr/bin/time, the peak is the
highest VmHWM read from /proc/PID/status while the process runs (it may miss the last few ms).
"""

import os
import shutil
import signal
import subprocess
import time

TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else shutil.which("time")


class Measured:
    """How a measured process ended: exit status, wall seconds, user and system CPU seconds (all its
    threads), and peak resident set size in KiB."""

    def __init__(self, status, wall, user, system, max_rss_kib):
        self.status = status
        self.wall = wall
        self.user = user
        self.system = system
        self.max_rss_kib = max_rss_kib

    @property
    def cpu(self):
        return self.user + self.system


class Registry:
    """Every child started through it is stopped by stop_all(), whatever state the run is in.

    With NICE, every child runs at that niceness (negative: ahead of whatever else the machine runs).

    Children in their own session (a server's process tree) are stopped as a group: TERM to the
    leader, a grace period, then KILL to the whole group.
    """

    def __init__(self, nice=0):
        self._children = []
        self._nice = nice

    def start(self, argv, stdout=None, stderr=None, new_session=False, grace=2.0):
        if self._nice:
            # nice execs the command: the pid stays the program's own.
            argv = ["nice", "-n", str(self._nice)] + list(argv)
        try:
            process = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
                start_new_session=new_session, close_fds=True)
        except OSError as error:
            raise BenchError("cannot start %s: %s" % (argv[0], error)) from error
        process.bench_group = new_session
        process.bench_grace = grace
        self._children.append(process)
        return process

    def forget(self, process):
        if process in self._children:
            self._children.remove(process)

    def stop(self, process, sig=signal.SIGTERM):
        """Stops one child (TERM, then KILL after its grace period) and reaps it."""
        self.forget(process)
        if process.returncode is None and process.poll() is None:
            try:
                # A session's leader may be a wrapper (/usr/bin/time) that would die and orphan the
                # real process: the signal goes to the whole group.
                if process.bench_group:
                    os.killpg(process.pid, sig)
                else:
                    process.send_signal(sig)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + process.bench_grace
            while process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
            if process.poll() is None:
                process.kill()
                process.wait()
        if process.bench_group:
            # Whatever the leader left behind in its session (workers it had no time to reap).
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def stop_all(self):
        for process in reversed(list(self._children)):
            self.stop(process)


class BenchError(Exception):
    """A benchmark step that cannot go on (a tool missing, a target that never got ready)."""


def wait_measured(process, timeout):
    """Waits for a child started by Registry.start and returns its Measured figures.

    Polls wait4(WNOHANG) rather than blocking, so a signal to the harness (Ctrl-C) is handled at once.
    Kills the child if it outlives the timeout, and says so.
    """
    started = getattr(process, "bench_started", None) or time.monotonic()
    deadline = time.monotonic() + timeout
    stats_path = getattr(process, "bench_time_file", None)
    watched = getattr(process, "bench_watch_pid", None)
    high_water = 0
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid == process.pid:
            break
        if watched:
            high_water = max(high_water, _vm_hwm_kib(watched))
        if time.monotonic() > deadline:
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            process.returncode = -9
            raise BenchError("%s did not finish within %.0f s and was killed" % (process.args[0], timeout))
        time.sleep(0.02)
    process.returncode = os.waitstatus_to_exitcode(status)
    max_rss = high_water
    if stats_path:
        max_rss = _time_max_rss(stats_path)
    return Measured(process.returncode, time.monotonic() - started, usage.ru_utime, usage.ru_stime, max_rss)


def start_measured(registry, argv, stdout, stderr, stats_path):
    """Starts ARGV for wait_measured, under /usr/bin/time (writing to STATS_PATH) when there is one.

    In its own session either way, so Registry.stop reaches the program and not just the wrapper.
    """
    if TIME:
        process = registry.start([TIME, "-f", "%M", "-o", stats_path] + argv, stdout=stdout, stderr=stderr,
                                 new_session=True)
        process.bench_time_file = stats_path
    else:
        process = registry.start(argv, stdout=stdout, stderr=stderr, new_session=True)
        process.bench_watch_pid = process.pid
    process.bench_started = time.monotonic()
    return process


def _time_max_rss(path):
    # time writes "Command exited with non-zero status N" (or "...terminated by signal N") first when
    # the program failed; the format's value is always the last line.
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().split()
        return int(lines[-1])
    except (OSError, ValueError, IndexError):
        return 0


def _vm_hwm_kib(pid):
    try:
        with open("/proc/%d/status" % pid, encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def wait_for_line(process, pattern, timeout, what):
    """Reads the child's stdout (a pipe) until a line starts with PATTERN; returns that line."""
    deadline = time.monotonic() + timeout
    os.set_blocking(process.stdout.fileno(), False)
    buffered = b""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError("%s exited with status %s before it was ready" % (what, process.returncode))
        chunk = process.stdout.read()
        if chunk:
            buffered += chunk
            for line in buffered.split(b"\n"):
                if line.startswith(pattern):
                    return line.decode("utf-8", "replace")
        time.sleep(0.01)
    raise BenchError("%s was not ready within %.0f s" % (what, timeout))


def children_of(pid):
    """The pids whose parent is PID, from /proc (no pgrep needed)."""
    found = []
    try:
        names = os.listdir("/proc/%d/task" % pid)
    except FileNotFoundError:
        return found
    for task in names:
        try:
            with open("/proc/%d/task/%s/children" % (pid, task), encoding="ascii") as handle:
                found.extend(int(child) for child in handle.read().split())
        except FileNotFoundError:
            continue
    return sorted(set(found))
