"""A profiler kept running through a whole throughput measurement and frozen (SIGSTOP) outside the
windows it is measured in, so no window pays its start-up, and proof that it sampled in each window.

Proof, read without touching the target or the service:
  ours    its progress line ("N samples"), which it draws every 250 ms only when stderr is a
          terminal: its stderr is a pseudo-terminal that a thread here copies into the .err file
  austin  the size of its output file (one line per sampled stack)
  both    CPU time of every thread, from /proc/PID/task/*/schedstat (nanoseconds)
A frozen or dead profiler shows no growth, and its window is then not counted (see load_windows).
"""

import os
import pty
import re
import signal
import threading
import time

from procs import children_of

_PROGRESS = re.compile(rb"pyrometer: [\d.]+(?:/\d+)? s  ([\d,]+) samples")


class PtyCopy:
    """Copies what a child writes to a pseudo-terminal into a file and keeps its last sample count."""

    def __init__(self, path):
        self.master, self.slave = pty.openpty()
        self.samples = 0
        self._file = open(path, "wb")
        self._thread = threading.Thread(target=self._copy, daemon=True)
        self._thread.start()

    def _copy(self):
        tail = b""
        while True:
            try:
                chunk = os.read(self.master, 4096)
            except OSError:   # EIO once every writer has closed the terminal
                break
            if not chunk:
                break
            self._file.write(chunk)
            self._file.flush()   # the harness reads the notices while the profiler runs
            tail = (tail + chunk)[-400:]
            found = _PROGRESS.findall(tail)
            if found:
                self.samples = int(found[-1].replace(b",", b""))
        self._file.close()

    def close_slave(self):
        """After the child started: our copy of the terminal's slave end is not needed."""
        if self.slave is not None:
            os.close(self.slave)
            self.slave = None

    def finish(self, timeout=5.0):
        self.close_slave()
        self._thread.join(timeout)
        os.close(self.master)


def cpu_ns(pid):
    """CPU time of every thread of PID so far, in ns (0 when it is gone)."""
    total = 0
    try:
        tasks = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return 0
    for task in tasks:
        try:
            with open("/proc/%d/task/%s/schedstat" % (pid, task), encoding="ascii") as handle:
                total += int(handle.read().split()[0])
        except (OSError, ValueError, IndexError):
            continue
    return total


def all_stopped(pid):
    """Whether every thread of PID is in state T (stopped by a signal); True when it is gone."""
    try:
        tasks = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return True
    for task in tasks:
        try:
            with open("/proc/%d/task/%s/stat" % (pid, task), encoding="ascii", errors="replace") as handle:
                state = handle.read().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state not in ("T", "t"):
            return False
    return True


class LiveProfiler:
    """One measured profiler process (started by Bench._profiler, under /usr/bin/time in its own
    session) that the harness freezes and resumes. Tracks how long it ran unfrozen."""

    def __init__(self, tool, process, output_path, pty_copy=None):
        self.tool = tool
        self.process = process
        self.output_path = output_path
        self.pty = pty_copy
        self.running_seconds = 0.0
        self._resumed_at = time.monotonic()
        self._pid = None

    @property
    def pid(self):
        """The profiler itself: the child of /usr/bin/time when it runs under it (found once it exists)."""
        if self._pid is None:
            if not getattr(self.process, "bench_time_file", None):
                self._pid = self.process.pid
            else:
                children = children_of(self.process.pid)
                if not children:
                    return self.process.pid
                self._pid = children[0]
        return self._pid

    def alive(self):
        return self.process.poll() is None

    def freeze(self):
        """Stops it and returns once every one of its threads is stopped (the signal is delivered
        when each thread next enters the kernel, which on a busy machine can take milliseconds)."""
        if self._resumed_at is not None:
            self._signal(signal.SIGSTOP)
            deadline = time.monotonic() + 2.0
            while not all_stopped(self.pid) and time.monotonic() < deadline and self.alive():
                time.sleep(0.002)
            self.running_seconds += time.monotonic() - self._resumed_at
            self._resumed_at = None

    def resume(self):
        if self._resumed_at is None:
            self._signal(signal.SIGCONT)
            self._resumed_at = time.monotonic()

    def ended(self):
        """After it exited: the time since it was last resumed counts as running."""
        if self._resumed_at is not None:
            self.running_seconds += time.monotonic() - self._resumed_at
            self._resumed_at = None

    def interrupt(self):
        """Resumes it and asks it to stop and write its output (SIGINT: /usr/bin/time ignores it)."""
        self.resume()
        self._signal(signal.SIGINT)

    def progress(self):
        """(samples or output bytes so far, CPU ns so far): what must grow while it samples."""
        if self.pty is not None:
            grown = self.pty.samples
        else:
            try:
                grown = os.path.getsize(self.output_path)
            except OSError:
                grown = 0
        return grown, cpu_ns(self.pid)

    def _signal(self, sig):
        # The whole session: /usr/bin/time and the profiler under it.
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            pass
