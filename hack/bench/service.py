"""The demo service (hack/demo-app) as a load target: gunicorn with 4 uvicorn workers on 127.0.0.1,
started and health-checked the way hack/demo.sh does it, and wrk runs against it."""

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request

from procs import BenchError, children_of

WORKERS = 4


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Service:
    def __init__(self, registry, python, repo, logs):
        self._registry = registry
        self._python = python
        self._repo = repo
        self._logs = logs
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.master = None

    def start(self, timeout=30.0):
        app = os.path.join(self._repo, "hack", "demo-app")
        log = open(os.path.join(self._logs, "gunicorn.log"), "ab")
        # Its own session, so that stopping it reaches the master and every worker (see Registry.stop).
        self.master = self._registry.start(
            [self._python, "-m", "gunicorn", "--chdir", app, "-c", os.path.join(app, "gunicorn.conf.py"),
             "--bind", "127.0.0.1:%d" % self.port, "app:app"],
            stdout=log, stderr=subprocess.STDOUT, new_session=True, grace=10.0)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.master.poll() is not None:
                raise BenchError("gunicorn exited during start-up (log: %s/gunicorn.log)" % self._logs)
            if self._get("/healthz", 2.0) and len(self.workers()) == WORKERS:
                return
            time.sleep(0.2)
        raise BenchError("the service did not become healthy with %d workers within %.0f s" % (WORKERS, timeout))

    def workers(self):
        return children_of(self.master.pid)

    def wait_for_workers(self, timeout=20.0):
        """Waits until the master has its 4 workers again and every one answers (after a respawn)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.workers()) == WORKERS and self._get("/healthz", 2.0):
                return
            time.sleep(0.2)
        raise BenchError("gunicorn did not get back to %d workers within %.0f s" % (WORKERS, timeout))

    def check(self, path):
        if not self._get(path, 30.0):
            raise BenchError("GET %s%s failed" % (self.base, path))

    def stop(self):
        if self.master is not None:
            self._registry.stop(self.master)
            self.master = None

    def _get(self, path, timeout):
        try:
            with urllib.request.urlopen(self.base + path, timeout=timeout) as response:
                response.read()
                return response.status == 200
        except OSError:
            return False


_REQUESTS = re.compile(r"^\s*(\d+) requests in ([\d.]+)(\w+)", re.MULTILINE)
_RPS = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
_NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")


def start_wrk(registry, wrk, url, seconds, threads, connections, output):
    return registry.start(
        [wrk, "-t%d" % threads, "-c%d" % connections, "-d%ds" % seconds, "--timeout", "10s", url],
        stdout=output, stderr=subprocess.STDOUT)


def parse_wrk(text):
    """Requests/s, requests and failed requests (socket errors and non-2xx) from wrk's report."""
    rps = _RPS.search(text)
    requests = _REQUESTS.search(text)
    if not rps or not requests:
        raise BenchError("wrk printed no summary:\n%s" % text[-500:])
    errors = 0
    found = _ERRORS.search(text)
    if found:
        errors += sum(int(value) for value in found.groups())
    found = _NON_2XX.search(text)
    if found:
        errors += int(found.group(1))
    return {"rps": float(rps.group(1)), "requests": int(requests.group(1)), "errors": errors}


class IoCounter:
    """Requests completed in a window, counted without touching the service: one wrk runs through
    the whole measurement, and a window's count is the growth of the bytes wrk has read from its
    sockets (rchar in /proc/PID/io) over it. Every response to the same URL has the same length, so
    bytes/s are requests/s times a constant, known once wrk prints its totals at the end."""

    def __init__(self, registry, wrk, url, connections, log_path):
        self._args = (registry, wrk, url, connections, log_path)
        self._process = None
        self.bytes_per_request = None
        self.totals = None

    def start(self, seconds):
        registry, wrk, url, connections, log_path = self._args
        with open(log_path, "wb") as out:
            self._process = start_wrk(registry, wrk, url, seconds, 2, connections, out)

    def _read(self):
        if self._process.poll() is not None:
            raise BenchError("wrk exited during the measurement (see %s)" % self._args[4])
        with open("/proc/%d/io" % self._process.pid, encoding="ascii") as handle:
            for line in handle:
                if line.startswith("rchar:"):
                    return int(line.split()[1]), time.monotonic()
        raise BenchError("/proc/%d/io has no rchar line" % self._process.pid)

    def measure(self, seconds):
        """{"rate": bytes/s, "seconds": the window's exact length} over the next SECONDS."""
        before, started = self._read()
        time.sleep(seconds)
        after, ended = self._read()
        return {"rate": (after - before) / (ended - started), "seconds": ended - started}

    def stop(self):
        """Stops wrk (SIGINT: it then prints its totals) and learns the bytes per request."""
        registry, _, _, _, log_path = self._args
        read, _ = self._read()
        self._process.send_signal(signal.SIGINT)
        try:
            self._process.wait(30)
        finally:
            registry.stop(self._process)
        with open(log_path, encoding="utf-8", errors="replace") as handle:
            self.totals = parse_wrk(handle.read())
        if self.totals["requests"]:
            self.bytes_per_request = read / self.totals["requests"]


class WrkCounter:
    """Requests/s in a window as one short wrk run of the window's length reports them (wrk counts
    whole seconds only, and each run opens its connections anew)."""

    def __init__(self, registry, wrk, url, connections, log_path):
        self._args = (registry, wrk, url, connections, log_path)
        self.bytes_per_request = 1.0
        self.totals = {"requests": 0, "errors": 0}

    def start(self, seconds):
        pass

    def measure(self, seconds):
        registry, wrk, url, connections, log_path = self._args
        with open(log_path, "wb") as out:
            process = start_wrk(registry, wrk, url, max(1, round(seconds)), 2, connections, out)
        started = time.monotonic()
        try:
            process.wait(seconds + 60)
        except subprocess.TimeoutExpired:
            raise BenchError("wrk did not finish a %.0f s window within a minute more" % seconds) from None
        finally:
            registry.stop(process)
        with open(log_path, encoding="utf-8", errors="replace") as handle:
            figures = parse_wrk(handle.read())
        self.totals["requests"] += figures["requests"]
        self.totals["errors"] += figures["errors"]
        return {"rate": figures["rps"], "seconds": time.monotonic() - started}

    def stop(self):
        pass
