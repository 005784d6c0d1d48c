"""The two profilers side by side: how each is started for a run, and what is read from its output.

ours   pyrometer record --pid P [--subprocesses] --rate HZ --duration S --mode cpu|wall -f folded
       Figures from its summary line (stdout), its notices (stderr) and its result file.
austin austin -i INTERVAL_US -x S -p P [-C] [-s] -o FILE
       Figures from its text output: one line per sampled thread stack ("P<pid>;T<iid>:<tid>;frames
       metric"), comment lines "# key: value" (we read "# duration: <µs>" at the end). Its sampling
       ticks are counted as the stack lines of the target's busiest thread, see austin_ticks().
"""

import json
import os
import re

from procs import BenchError

OURS = "ours"
AUSTIN = "austin"

_SUMMARY = re.compile(
    r"pyrometer: (?P<samples>[\d,]+) samples \(thread stacks\) from (?P<processes>\d+) process(?:es)? in (?P<seconds>[\d.]+) s "
    r"at (?P<rate>\d+) Hz \((?P<achieved>[\d.]+) ticks/s achieved\); (?P<errors>[\d,]+) dropped: [^;]*; "
    r"(?P<missed>[\d,]+) ticks missed: [^;]*; (?P<reads>[\d.]+) memory reads per process sample")
_FIRST_SAMPLE = re.compile(r"first sample (\d+) ms after start")
_SAMPLING = re.compile(r"pid (\d+): sampling Python (\S+) \(.*\)(?: (\d+) ms after it started)?$")


def command(tool, binary, pid, rate, seconds, mode, output, result_file=None, subprocesses=False, progress=False):
    """The command line of one profiling run. MODE is cpu (running threads only) or wall. PROGRESS:
    ours may draw its progress line (it does so only when stderr is a terminal)."""
    if tool == OURS:
        argv = [binary, "record", "--pid", str(pid), "--rate", str(rate), "--duration", str(seconds),
                "--mode", mode, "-f", "folded", "-o", output] + ([] if progress else ["--no-progress"])
        if result_file:
            argv += ["--result-file", result_file]
        if subprocesses:
            argv.append("--subprocesses")
        return argv
    if tool == AUSTIN:
        # austin's -i is the pause between samples in µs; -x stops it after that many seconds.
        argv = [binary, "-i", str(1_000_000 // rate), "-x", str(seconds), "-p", str(pid), "-o", output]
        if mode == "cpu":
            # Sleepless: idle threads are left out, austin's nearest thing to our cpu mode.
            argv.append("-s")
        if subprocesses:
            argv.append("-C")
        return argv
    raise ValueError("unknown tool %r" % tool)


def read_text(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except FileNotFoundError:
        return ""


def parse_ours(stdout_path, stderr_path, result_path):
    """The agent's figures: samples, achieved ticks/s, missed, reads per process sample, the first
    sample's latency and each process's attach latency ({pid: ms or None})."""
    stdout = read_text(stdout_path)
    match = _SUMMARY.search(stdout)
    if not match:
        raise BenchError("the agent printed no summary line (stdout: %s)" % stdout_path)
    figures = {
        "samples": int(match["samples"].replace(",", "")),
        "processes": int(match["processes"]),
        "seconds": float(match["seconds"]),
        "achieved": float(match["achieved"]),
        "missed": int(match["missed"].replace(",", "")),
        "errors": int(match["errors"].replace(",", "")),
        "reads": float(match["reads"]),
    }
    if result_path and os.path.exists(result_path):
        with open(result_path, encoding="utf-8") as handle:
            result = json.load(handle)
        # The result file has the duration to the millisecond; the summary line rounds it to 0.1 s.
        figures["seconds"] = float(result.get("durationSeconds") or figures["seconds"])
        figures["samples"] = int(result.get("samples", figures["samples"]))
        figures["status"] = result.get("status")
    stderr = read_text(stderr_path)
    first = _FIRST_SAMPLE.search(stderr)
    figures["first_sample_ms"] = int(first.group(1)) if first else None
    attached = {}
    for line in stderr.splitlines():
        found = _SAMPLING.search(line)
        if found:
            attached[int(found.group(1))] = int(found.group(3)) if found.group(3) else None
    figures["attached"] = attached
    return figures


def parse_austin(output_path):
    """austin's figures from its text output: stack lines per (pid, thread), ticks, seconds sampled."""
    lines_by_thread = {}
    duration_us = None
    with open(output_path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if line.startswith("P"):
                # "P<pid>;T<iid>:<tid>;..." — the first two fields name the thread.
                end = line.find(";", line.find(";") + 1)
                key = line[:end]
                lines_by_thread[key] = lines_by_thread.get(key, 0) + 1
            elif line.startswith("# duration:"):
                duration_us = int(line.split(":", 1)[1])
    if duration_us is None:
        raise BenchError("austin's output has no '# duration:' line (did it finish?): %s" % output_path)
    return {
        "stack_lines": sum(lines_by_thread.values()),
        "ticks": austin_ticks(lines_by_thread),
        "seconds": duration_us / 1e6,
        "threads": len(lines_by_thread),
    }


def austin_ticks(lines_by_thread):
    """How many times austin sampled the target: the stack lines of its busiest thread.

    austin writes one line per thread per sample and no tick count of its own. In a target whose
    threads all spin (ours), each is seen at every sample, so the busiest thread's line count is the
    number of samples; counting all lines would multiply it by the number of threads.
    """
    return max(lines_by_thread.values()) if lines_by_thread else 0


def count_syscalls(strace_summary_path, name):
    """Calls of one system call in an `strace -c` summary (0 when absent)."""
    for line in read_text(strace_summary_path).splitlines():
        fields = line.split()
        if fields and fields[-1] == name:
            # "% time  seconds  usecs/call  calls  [errors]  syscall": calls is the 4th column.
            return int(fields[3])
    return 0
