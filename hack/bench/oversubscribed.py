"""Section "oversubscribed": CPU-mode shares on a machine with more busy threads than CPUs.

tests/Pyrometer.Sampling.Tests/Scripts/hot_functions.py spends its main thread's CPU in hot_a, hot_b
and cold_c and measures each with time.thread_time() (the truth); timed(), the caller around them,
uses almost none. The target and three shell busy loops are pinned to two CPUs (2x oversubscribed by
construction), then each profiler records it in CPU mode at 1 kHz (ours --mode cpu, austin -s). Each
run's error is the largest distance, in percentage points, between a function's sampled share of the
main thread and its thread_time share over the same window, timed() and other callers counting as a
function whose truth is 0. A profiler that counts a thread waiting for a CPU (runnable, state R) as
running gives timed() the waits the kernel puts there (issue #13, bug 7).
"""

import json
import os
import re
import subprocess
import tempfile

import tools
from procs import BenchError
from report import fmt, median, table
from tools import AUSTIN, OURS

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SCRIPTS = os.path.join(REPO, "tests", "Pyrometer.Sampling.Tests", "Scripts")
HOT = ("hot_a", "hot_b", "cold_c")
OTHER = "timed/other"
RATE = 1000
CPUS = "0,1"
HOGS = 3
_NAME = re.compile(r"(?<![\w.])(%s)(?![\w])" % "|".join(HOT))


def run(bench):
    """Measures both tools over the configured rounds and adds the summary row."""
    config = bench.config
    if (os.cpu_count() or 1) < 2:
        bench.summary.add("oversubscribed cpu-mode shares: max error (pp)", None, None, "<= 3 pp", None)
        return
    errors = {tool: [] for tool in bench.tools}
    rows = []
    with tempfile.TemporaryDirectory(prefix="pyrometer-oversub-") as scratch:
        target, hogs = _start(config.python)
        try:
            for round_no in range(1, config.rounds + 1):
                for tool in (bench.tools if round_no % 2 else list(reversed(bench.tools))):
                    output = os.path.join(scratch, "%s-r%d.txt" % (tool, round_no))
                    before = _shares(target)
                    _profile(config, tool, target.pid, config.seconds, output)
                    after = _shares(target)
                    truth = _truth(before, after)
                    sampled, count = (_ours if tool == OURS else _austin)(output)
                    error = max(abs(sampled.get(name, 0.0) - truth.get(name, 0.0)) for name in HOT + (OTHER,))
                    errors[tool].append(error)
                    rows.append([str(round_no), tool, str(count)]
                                + ["%s/%s" % (fmt(sampled.get(n, 0.0)), fmt(truth.get(n, 0.0))) for n in HOT + (OTHER,)]
                                + [fmt(error)])
        finally:
            for process in [target] + hogs:
                process.kill()
                process.wait()
    print()
    print("Oversubscribed cpu-mode shares (%d busy loops + target on CPUs %s, %d Hz, %d s): sampled/thread_time %%"
          % (HOGS, CPUS, RATE, config.seconds))
    print(table(["round", "tool", "samples"] + list(HOT + (OTHER,)) + ["max error pp"], rows))
    ours = median(errors.get(OURS, []))
    theirs = median(errors.get(AUSTIN, [])) if AUSTIN in errors else None
    bench.summary.add("oversubscribed cpu-mode shares: max error vs thread_time (pp)", ours, theirs, "<= 3 pp",
                      None if ours is None else ours <= 3)


def _start(python):
    target = subprocess.Popen(
        [python, "-u", os.path.join(SCRIPTS, "hot_functions.py")], cwd=SCRIPTS, stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    hogs = []
    try:
        line = target.stdout.readline()
        while line and not line.startswith("READY "):
            line = target.stdout.readline()
        if not line:
            raise BenchError("hot_functions.py under %s exited before READY" % python)
        subprocess.run(["taskset", "-a", "-p", "-c", CPUS, str(target.pid)], check=True, stdout=subprocess.DEVNULL)
        for _ in range(HOGS):
            hogs.append(subprocess.Popen(["taskset", "-c", CPUS, "sh", "-c", "while :; do :; done"]))
        return target, hogs
    except BaseException:
        for process in [target] + hogs:
            process.kill()
            process.wait()
        raise


def _shares(target):
    target.stdin.write("shares\n")
    target.stdin.flush()
    return json.loads(target.stdout.readline())


def _truth(before, after):
    spent = {name: after["seconds"] * after[name] - before["seconds"] * before[name] for name in HOT}
    total = sum(spent.values()) or 1e-9
    return dict({name: 100.0 * value / total for name, value in spent.items()}, **{OTHER: 0.0})


def _profile(config, tool, pid, seconds, output):
    binary = config.agent if tool == OURS else config.austin
    argv = tools.command(tool, binary, pid, RATE, seconds, "cpu", output)
    finished = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              timeout=seconds + 60, check=False)
    if not os.path.exists(output):
        raise BenchError("%s wrote no profile (exit %d): %s" % (tool, finished.returncode, finished.stderr[-500:]))


def _bucket(frames):
    """The hot function a main-thread stack (root first) is in, OTHER, or None for another thread."""
    if not any("main_loop" in frame for frame in frames):
        return None
    for frame in reversed(frames):
        found = _NAME.search(frame)
        if found:
            return found.group(1)
    return OTHER


def _shares_of(weights):
    total = sum(weights.values()) or 1
    return {name: 100.0 * value / total for name, value in weights.items()}


def _ours(path):
    """Folded lines: 'frame;frame;... count'."""
    weights, count = {}, 0
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            stack, _, number = line.rstrip("\n").rpartition(" ")
            bucket = _bucket(stack.split(";")) if number.isdigit() else None
            if bucket:
                weights[bucket] = weights.get(bucket, 0) + int(number)
                count += int(number)
    return _shares_of(weights), count


def _austin(path):
    """austin's lines: 'P<pid>;T<iid>:<tid>;file:function:line;... metric' (one per sample and thread)."""
    weights, count = {}, 0
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if not line.startswith("P"):
                continue
            stack, _, number = line.rstrip("\n").rpartition(" ")
            frames = [":".join(frame.split(":")[1:2]) for frame in stack.split(";")[2:]]
            bucket = _bucket(frames) if number.isdigit() else None
            if bucket:
                weights[bucket] = weights.get(bucket, 0) + 1
                count += 1
    return _shares_of(weights), count
