"""The agent measured side by side with austin; run through hack/bench-agent.sh (see its header for
the environment variables). Prints tables of raw runs, medians and ratios (ours / austin), then one
summary table, also written as markdown to <out>/summary.md. Asserts nothing about timings.

Sections (PYROMETER_BENCH_SECTIONS, comma-separated):
  cpu      CPU per sample and achieved rate: spin.py at depth 3 (100, 500, 1000 Hz) and depth 200
           (100, 1000 Hz), one process per run, both profilers in cpu mode (austin -s); the fixed
           cost per run as the CPU of 1 s at 1 Hz on the depth-3 target
  wall     CPU per sample in wall mode (austin without -s), depth 3 and 200 at 100 Hz and 1 kHz (wall_dump.py)
  dump     CPU and wall time of one `pyrometer dump --pid` against one `austin -w` (wall_dump.py)
  reads    reads per tick on 2 threads x 50 frames (wall mode for both: every thread walked every
           tick); the agent's own figure, and process_vm_readv calls per tick of both under strace -c
  load     requests/s of gunicorn + 4 uvicorn workers under wrk with ours --subprocesses and austin -C
           at 100 Hz and 1 kHz, steady state, in short windows interleaved with baselines and an
           A/A arm (load_windows.py)
  load-runs  (not run by default) the same as whole runs, start-up included: baseline, two
           profiled runs, baseline, ... each as % of the mean of the baselines beside it
  respawn  a worker is killed while the agent records the tree; how soon its replacement is sampled
  oversubscribed  cpu-mode shares against the target's own thread_time with 2x more busy threads
           than CPUs, ours and austin -s (oversubscribed.py)
Rounds are interleaved: every round runs every configuration once, the tools alternating which goes
first, so slow drift on a shared machine lands on both.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import oversubscribed
import report
import service as svc
import tools
import wall_dump
from procs import BenchError, Registry, start_measured, wait_for_line, wait_measured
from load_windows import GOALS, LOAD_RATES, WindowedLoad
from report import fmt, fmt_ratio, median, ratio, table
from tools import AUSTIN, OURS

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SPIN = os.path.join(HERE, "targets", "spin.py")
ALL_SECTIONS = ("cpu", "wall", "dump", "reads", "load", "load-runs", "respawn", "oversubscribed")
DEFAULT_SECTIONS = ("cpu", "wall", "dump", "reads", "load", "respawn", "oversubscribed")
SHALLOW, DEEP = 3, 200
CPU_CONFIGS = [(SHALLOW, 100), (SHALLOW, 500), (SHALLOW, 1000), (DEEP, 100), (DEEP, 1000)]
# A 1 s run at 1 Hz measures the fixed cost per run directly: start, attach, a tick or two, exit.
FIXED_RATE, FIXED_SECONDS = 1, 1
AUSTIN_INTERRUPTED = 254


def env_int(name, default, low, high):
    raw = os.environ.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BenchError("%s must be a whole number, not %r" % (name, raw)) from None
    if not low <= value <= high:
        raise BenchError("%s must be between %d and %d, not %d" % (name, low, high, value))
    return value


class Config:
    def __init__(self):
        self.rounds = env_int("PYROMETER_BENCH_ROUNDS", 3, 1, 50)
        self.seconds = env_int("PYROMETER_BENCH_SECONDS", 5, 1, 120)
        self.load_seconds = env_int("PYROMETER_BENCH_LOAD_SECONDS", 8, 2, 300)
        self.connections = env_int("PYROMETER_BENCH_CONNECTIONS", 8, 1, 1000)
        self.records = env_int("PYROMETER_BENCH_RECORDS", 200, 1, 5000)
        self.dump_calls = env_int("PYROMETER_BENCH_DUMP_CALLS", 5, 1, 100)
        self.load_cycles = env_int("PYROMETER_BENCH_LOAD_CYCLES", 24, 2, 200)
        self.window_ms = env_int("PYROMETER_BENCH_LOAD_WINDOW_MS", 500, 100, 60000)
        self.settle_ms = env_int("PYROMETER_BENCH_LOAD_SETTLE_MS", 100, 0, 10000)
        self.load_counter = os.environ.get("PYROMETER_BENCH_LOAD_COUNTER", "") or "io"
        if self.load_counter not in ("io", "wrk"):
            raise BenchError("PYROMETER_BENCH_LOAD_COUNTER must be io or wrk, not %r" % self.load_counter)
        if self.load_counter == "wrk" and self.window_ms % 1000:
            raise BenchError("PYROMETER_BENCH_LOAD_COUNTER=wrk needs whole seconds: wrk's -d counts seconds")
        sections = os.environ.get("PYROMETER_BENCH_SECTIONS", "") or ",".join(DEFAULT_SECTIONS)
        self.sections = [name.strip() for name in sections.split(",") if name.strip()]
        unknown = [name for name in self.sections if name not in ALL_SECTIONS]
        if unknown or not self.sections:
            raise BenchError("PYROMETER_BENCH_SECTIONS: unknown section(s) %s; choose from %s"
                             % (", ".join(unknown) or "(none given)", ", ".join(ALL_SECTIONS)))
        self.agent = os.environ.get("PYROMETER_AGENT") or os.path.join(REPO, "artifacts", "agent", "pyrometer")
        self.austin = os.environ.get("PYROMETER_AUSTIN") or ""
        self.wrk = os.environ.get("PYROMETER_WRK") or shutil.which("wrk") or ""
        self.python = os.environ.get("PYROMETER_BENCH_PYTHON") or "/usr/bin/python3.11"
        self.service_python = os.environ.get("PYROMETER_BENCH_SERVICE_PYTHON") or "/usr/bin/python3"
        self.out = os.environ.get("PYROMETER_BENCH_OUT") or os.path.join(REPO, "artifacts", "bench")
        self.keep = os.environ.get("PYROMETER_BENCH_KEEP", "") not in ("", "0")
        self.nice = env_int("PYROMETER_BENCH_NICE", 0, -20, 19)


def say(message):
    print("[bench] " + message, flush=True)


def python_version(python):
    output = subprocess.run([python, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
                            capture_output=True, text=True, timeout=30, check=False)
    if output.returncode != 0:
        raise BenchError("%s does not run: %s" % (python, output.stderr.strip()))
    return output.stdout.strip()


def display_path(path):
    """PATH relative to the repository when it is inside it, else absolute."""
    path = os.path.abspath(path)
    return os.path.relpath(path, REPO) if path.startswith(REPO + os.sep) else path


def austin_reads(version):
    major, minor = (int(part) for part in version.split(".")[:2])
    return (major, minor) <= (3, 13)


class Bench:
    def __init__(self, config, registry, run_dir, scratch):
        self.config = config
        self.registry = registry
        self.run_dir = run_dir
        self.scratch = scratch
        self.runs = []
        self.failures = 0
        self.strace = shutil.which("strace")
        self.tools = [OURS] + ([AUSTIN] if config.austin else [])
        self._journal = open(os.path.join(run_dir, "runs.jsonl"), "a", encoding="utf-8")
        self.summary = report.Summary()
        self.marginal = {}
        self.fixed = {}

    def close(self):
        # Rewritten whole: figures such as % of baseline are filled in after a run was first written.
        self._journal.close()
        with open(self._journal.name, "w", encoding="utf-8") as handle:
            for run in self.runs:
                handle.write(json.dumps(run, sort_keys=True) + "\n")

    # --- one run ---------------------------------------------------------------------------------

    def _record(self, run):
        run["index"] = len(self.runs) + 1
        self.runs.append(run)
        self._journal.write(json.dumps(run, sort_keys=True) + "\n")
        self._journal.flush()
        if "error" in run:
            self.failures += 1
            say("run %d (%s %s) failed: %s" % (run["index"], run["tool"], run["label"], run["error"]))
        return run

    def _paths(self, name):
        base = os.path.join(self.run_dir, "logs", name)
        return base + ".out", base + ".err", os.path.join(self.scratch, name + ".profile"), base + ".result.json"

    def _profiler(self, tool, pid, rate, seconds, mode, name, subprocesses=False, strace_to=None, pty_copy=None):
        """Starts a profiler. With PTY_COPY (live.PtyCopy) its stderr is that pseudo-terminal, which
        copies into the .err file itself."""
        stdout, stderr, output, result = self._paths(name)
        binary = self.config.agent if tool == OURS else self.config.austin
        argv = tools.command(tool, binary, pid, rate, seconds, mode, output,
                             result_file=result if tool == OURS else None, subprocesses=subprocesses,
                             progress=pty_copy is not None)
        if strace_to:
            argv = [self.strace, "-f", "-c", "-o", strace_to, "-e", "trace=process_vm_readv,pread64,preadv"] + argv
        with open(stdout, "wb") as out, open(os.devnull if pty_copy else stderr, "wb") as err:
            process = start_measured(self.registry, argv, out, pty_copy.slave if pty_copy else err,
                                     stdout[:-len(".out")] + ".time")
        process.bench_files = (stdout, stderr, output, result)
        return process

    def _finish(self, tool, process, timeout, interrupted=False):
        """Waits for a profiler and reads its figures; raises BenchError when it failed.
        INTERRUPTED: the harness stopped it with SIGINT, after which austin exits with status 254
        (its output still ends with the '# duration' line that parse_austin requires)."""
        measured = wait_measured(process, timeout)
        self.registry.forget(process)
        stdout, stderr, output, result = process.bench_files
        if measured.status != 0 and not (interrupted and tool == AUSTIN and measured.status == AUSTIN_INTERRUPTED):
            tail = tools.read_text(stderr).strip().splitlines()[-3:]
            raise BenchError("%s exited with status %d: %s" % (tool, measured.status, " | ".join(tail)))
        if tool == OURS:
            figures = tools.parse_ours(stdout, stderr, result)
            figures["ticks"] = figures["achieved"] * figures["seconds"]
        else:
            figures = tools.parse_austin(output)
            figures["samples"] = figures["ticks"]
            figures["achieved"] = figures["ticks"] / figures["seconds"] if figures["seconds"] else None
        if not self.config.keep and os.path.exists(output):
            os.remove(output)
        figures["cpu_s"] = measured.cpu
        figures["max_rss_mb"] = measured.max_rss_kib / 1024.0 if measured.max_rss_kib else None
        figures["wall_s"] = measured.wall
        return figures

    def _start_target(self, depth, threads):
        target = self.registry.start(
            [self.config.python, SPIN, "--depth", str(depth), "--threads", str(threads),
             "--max-seconds", str(self.config.seconds + 120)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, grace=0.5)
        wait_for_line(target, b"ready", 30.0, "the target (spin.py --depth %d --threads %d)" % (depth, threads))
        return target

    def profile_target(self, section, tool, depth, threads, rate, mode, round_no, strace=False, seconds=None):
        seconds = seconds or self.config.seconds
        label = "depth %d x %d thread(s) %d Hz%s" % (depth, threads, rate, " strace" if strace else "")
        run = {"section": section, "tool": tool, "label": label, "depth": depth, "threads": threads,
               "rate": rate, "round": round_no, "mode": mode, "strace": strace}
        name = "%s-r%d-%s-d%d-t%d-%dhz%s" % (section, round_no, tool, depth, threads, rate, "-strace" if strace else "")
        strace_to = os.path.join(self.run_dir, "logs", name + ".strace") if strace else None
        target = None
        try:
            target = self._start_target(depth, threads)
            process = self._profiler(tool, target.pid, rate, seconds, mode, name, strace_to=strace_to)
            figures = self._finish(tool, process, seconds + 60)
            run.update(figures)
            run["achieved_pct"] = 100.0 * figures["achieved"] / rate if figures.get("achieved") else None
            run["us_per_sample"] = 1e6 * figures["cpu_s"] / figures["samples"] if figures["samples"] else None
            if strace:
                calls = tools.count_syscalls(strace_to, "process_vm_readv")
                run["vm_reads"] = calls
                run["preads"] = tools.count_syscalls(strace_to, "pread64")
                run["vm_reads_per_tick"] = calls / figures["ticks"] if figures["ticks"] else None
        except BenchError as error:
            run["error"] = str(error)
        finally:
            if target is not None:
                self.registry.stop(target, signal.SIGKILL)
        return self._record(run)

    def _tool_order(self, round_no, index):
        return self.tools if (round_no + index) % 2 == 0 else list(reversed(self.tools))

    def profile_round(self, mode, configs, round_no):
        """One round over (depth, rate) configurations of the spin target, each tool in this round's order;
        the runs are recorded under section = mode."""
        label = "" if mode == "cpu" else mode + " "
        for index, (depth, rate) in enumerate(configs):
            for tool in self._tool_order(round_no, index):
                run = self.profile_target(mode, tool, depth, 1, rate, mode, round_no)
                if "error" not in run:
                    say("round %d %-6s %sdepth %3d %4d Hz: %6d samples, %5.1f %% of rate, cpu %.3f s, %s us/sample"
                        % (round_no, tool, label, depth, rate, run["samples"], run["achieved_pct"] or 0,
                           run["cpu_s"], fmt(run["us_per_sample"])))

    def _select(self, **conditions):
        return [run for run in self.runs
                if "error" not in run and all(run.get(key) == value for key, value in conditions.items())]

    def _median(self, field, **conditions):
        return median([run.get(field) for run in self._select(**conditions)])

    # --- 1 and 3: CPU per sample, achieved rate --------------------------------------------------

    def section_cpu(self):
        config = self.config
        say("CPU per sample and achieved rate: %d round(s) x %d configurations x %s, %d s each"
            % (config.rounds, len(CPU_CONFIGS), " and ".join(self.tools), config.seconds))
        for round_no in range(1, config.rounds + 1):
            self.profile_round("cpu", CPU_CONFIGS, round_no)
            for tool in self._tool_order(round_no, len(CPU_CONFIGS)):
                run = self.profile_target("cpu", tool, SHALLOW, 1, FIXED_RATE, "cpu", round_no, seconds=FIXED_SECONDS)
                if "error" not in run:
                    say("round %d %-6s depth %3d %4d Hz for %d s: cpu %.4f s" % (round_no, tool, SHALLOW, FIXED_RATE, FIXED_SECONDS, run["cpu_s"]))
        print()
        print("Raw runs (cpu mode; austin -s). samples: ours from its summary line, austin = stack lines of the")
        print("target's one thread; us/sample = (utime + stime of the profiler, from wait4) / samples.")
        rows = []
        for run in self.runs:
            if run["section"] != "cpu":
                continue
            if "error" in run:
                rows.append([str(run["round"]), run["tool"], str(run["depth"]), str(run["rate"]), "FAILED", "", "", "", "", "", ""])
                continue
            rows.append([str(run["round"]), run["tool"], str(run["depth"]), str(run["rate"]), str(run["samples"]),
                         fmt(run["seconds"], 2), fmt(run["achieved_pct"]), fmt(run["cpu_s"], 3),
                         fmt(run["us_per_sample"]), fmt(run["max_rss_mb"]),
                         fmt(run.get("first_sample_ms"), 0)])
        print(table(["round", "tool", "depth", "Hz", "samples", "seconds", "rate %", "cpu s", "us/sample",
                     "RSS MB", "1st ms"], rows))
        print()
        print("Medians over rounds (ratio = ours / austin):")
        rows = []
        for depth, rate in CPU_CONFIGS:
            ours = self._median("us_per_sample", section="cpu", tool=OURS, depth=depth, rate=rate)
            theirs = self._median("us_per_sample", section="cpu", tool=AUSTIN, depth=depth, rate=rate)
            ours_rate = self._median("achieved_pct", section="cpu", tool=OURS, depth=depth, rate=rate)
            theirs_rate = self._median("achieved_pct", section="cpu", tool=AUSTIN, depth=depth, rate=rate)
            rows.append([str(depth), str(rate), fmt(ours), fmt(theirs), fmt_ratio(ratio(ours, theirs)),
                         fmt(ours_rate), fmt(theirs_rate), fmt_ratio(ratio(ours_rate, theirs_rate))])
        print(table(["depth", "Hz", "ours us/sample", "austin us/sample", "ratio", "ours rate %",
                     "austin rate %", "ratio"], rows))
        print()
        self._marginal_costs()
        for depth, rate in [(SHALLOW, 100), (SHALLOW, 1000), (DEEP, 100), (DEEP, 1000)]:
            ours = self._median("us_per_sample", section="cpu", tool=OURS, depth=depth, rate=rate)
            theirs = self._median("us_per_sample", section="cpu", tool=AUSTIN, depth=depth, rate=rate)
            met = None if ours is None or theirs is None else ours <= theirs
            self.summary.add("CPU per sample, depth %d, %d Hz (us)" % (depth, rate), ours, theirs, "<= austin", met)
        marginal = self.marginal
        for depth in (SHALLOW, DEEP):
            ours, theirs = marginal.get((OURS, depth)), marginal.get((AUSTIN, depth))
            if ours is not None:
                self.summary.add("marginal CPU per sample, depth %d (us)" % depth, ours, theirs, "<= austin",
                                 None if theirs is None else ours <= theirs)
        ours, theirs = self.fixed.get((OURS, SHALLOW)), self.fixed.get((AUSTIN, SHALLOW))
        if ours is not None:
            # No goal: the fit also takes in what a 100 Hz tick costs above a 1 kHz one.
            self.summary.add("fixed CPU per run, fitted (ms)", ours, theirs, "-", None)
        ours, theirs = (self._median("cpu_s", section="cpu", tool=tool, depth=SHALLOW, rate=FIXED_RATE) for tool in (OURS, AUSTIN))
        if ours is not None:
            self.summary.add("CPU of a %d s run at %d Hz: start, attach, exit (ms)" % (FIXED_SECONDS, FIXED_RATE),
                             1000.0 * ours, None if theirs is None else 1000.0 * theirs, "<= 1.5 x austin",
                             None if theirs is None else ours <= 1.5 * theirs)
        for rate in (100, 500, 1000):
            ours = self._median("achieved_pct", section="cpu", tool=OURS, depth=SHALLOW, rate=rate)
            theirs = self._median("achieved_pct", section="cpu", tool=AUSTIN, depth=SHALLOW, rate=rate)
            self.summary.add("achieved rate at %d Hz (%% of requested)" % rate, ours, theirs, ">= 99 %",
                             None if ours is None else ours >= 99.0)

    def _marginal_costs(self):
        """Splits CPU into a fixed part (start, attach, exit) and a part per sample, from the medians at
        100 Hz and 1 kHz of the same target and duration: cpu = fixed + per_sample x samples."""
        print("CPU split from the 100 Hz and 1 kHz medians (cpu = fixed + marginal x samples): fixed is what")
        print("start-up, attaching and exit cost; marginal is what one more sample costs.")
        rows = []
        for depth in (SHALLOW, DEEP):
            cells = [str(depth)]
            for tool in (OURS, AUSTIN):
                low = self._select(section="cpu", tool=tool, depth=depth, rate=100)
                high = self._select(section="cpu", tool=tool, depth=depth, rate=1000)
                cpu_low, cpu_high = median([r["cpu_s"] for r in low]), median([r["cpu_s"] for r in high])
                n_low, n_high = median([r["samples"] for r in low]), median([r["samples"] for r in high])
                if None in (cpu_low, cpu_high, n_low, n_high) or n_high <= n_low:
                    cells += ["n/a", "n/a"]
                    continue
                marginal = (cpu_high - cpu_low) / (n_high - n_low)
                fixed = cpu_low - marginal * n_low
                cells += [fmt(1000.0 * fixed), fmt(1e6 * marginal)]
                self.marginal[(tool, depth)] = 1e6 * marginal
                self.fixed[(tool, depth)] = 1000.0 * fixed
            rows.append(cells)
        print(table(["depth", "ours fixed ms", "ours marginal us", "austin fixed ms", "austin marginal us"], rows))
        print()

    # --- 2: reads per tick -----------------------------------------------------------------------

    def section_reads(self):
        config = self.config
        say("reads per tick: spin.py 2 threads x 50 frames, wall mode, 100 Hz, %d s" % config.seconds)
        for round_no in range(1, config.rounds + 1):
            self.profile_target("reads", OURS, 50, 2, 100, "wall", round_no)
        if self.strace:
            for tool in self.tools:
                self.profile_target("reads", tool, 50, 2, 100, "wall", 1, strace=True)
        else:
            say("strace is not installed: no system-call counts (the agent's own figure only)")
        print()
        print("Raw runs. reads: the agent's 'reads per process sample'; vm_readv/tick: process_vm_readv calls")
        print("counted by strace -f -c over the whole run (attach included) / ticks (ours: achieved ticks/s x")
        print("seconds; austin: stack lines of the busiest thread). strace slows both, so rates there are low.")
        rows = []
        for run in self._select(section="reads"):
            rows.append([str(run["round"]), run["tool"], "yes" if run["strace"] else "no", str(run["samples"]),
                         fmt(run.get("ticks"), 0), fmt(run.get("reads")), str(run.get("vm_reads", "")),
                         str(run.get("preads", "")), fmt(run.get("vm_reads_per_tick"))])
        print(table(["round", "tool", "strace", "samples", "ticks", "reads", "vm_readv", "pread64", "vm_readv/tick"], rows))
        ours = self._median("reads", section="reads", tool=OURS, strace=False)
        ours_strace = self._median("vm_reads_per_tick", section="reads", tool=OURS, strace=True)
        theirs_strace = self._median("vm_reads_per_tick", section="reads", tool=AUSTIN, strace=True)
        print()
        print("Median reads per process sample, ours (own count): %s; process_vm_readv per tick under strace: "
              "ours %s, austin %s" % (fmt(ours), fmt(ours_strace), fmt(theirs_strace)))
        self.summary.add("reads per process sample, 2 threads x 50 frames (own count)", ours, None, "<= 8",
                         None if ours is None else ours <= 8.0, with_ratio=False)
        self.summary.add("process_vm_readv per tick, same target (strace)", ours_strace, theirs_strace, "<= 8",
                         None if ours_strace is None else ours_strace <= 8.0)

    # --- 4: throughput under load ----------------------------------------------------------------

    def _load_run(self, service, round_no, tool, rate):
        config = self.config
        label = "baseline" if tool is None else "%s %d Hz" % (tool, rate)
        run = {"section": "load-runs", "tool": tool or "none", "label": label, "rate": rate, "round": round_no}
        name = "load-r%d-%s" % (round_no, label.replace(" ", "-"))
        lead = 2
        process = None
        try:
            if tool is not None:
                process = self._profiler(tool, service.master.pid, rate, config.load_seconds + lead + 2, "cpu",
                                         name, subprocesses=True)
            # Every run, baselines too, waits the same lead before its load: the profilers find the tree,
            # and the requests the previous run left in flight drain (back-to-back runs measured lower).
            time.sleep(lead)
            if process is not None and process.poll() is not None:
                raise BenchError("%s exited before the load started (see %s)" % (tool, process.bench_files[1]))
            wrk_log = os.path.join(self.run_dir, "logs", name + ".wrk")
            with open(wrk_log, "wb") as out:
                wrk = svc.start_wrk(self.registry, config.wrk, "%s/slow?records=%d" % (service.base, config.records),
                                    config.load_seconds, 2, config.connections, out)
            wait_measured(wrk, config.load_seconds + 60)
            self.registry.forget(wrk)
            run.update(svc.parse_wrk(tools.read_text(wrk_log)))
            if process is not None:
                figures = self._finish(tool, process, config.load_seconds + 60)
                process = None
                run.update({key: figures.get(key) for key in
                            ("samples", "achieved", "cpu_s", "max_rss_mb", "processes", "reads")})
                # austin's busiest-thread count means little on a tree of mostly idle workers.
                if tool == OURS:
                    run["achieved_pct"] = 100.0 * figures["achieved"] / rate
        except BenchError as error:
            run["error"] = str(error)
        finally:
            if process is not None:
                self.registry.stop(process)
        return self._record(run)

    def section_load(self, service):
        config = self.config
        profiled = [(tool, rate) for rate in LOAD_RATES for tool in self.tools]
        say("throughput: wrk -t2 -c%d -d%ds %s/slow?records=%d; %d round(s) of %s, with a baseline (no profiler)"
            " before, between and after every two of them"
            % (config.connections, config.load_seconds, service.base, config.records, config.rounds,
               ", ".join("%s %d Hz" % pair for pair in profiled)))
        warm = os.path.join(self.run_dir, "logs", "load-warmup.wrk")
        with open(warm, "wb") as out:
            wrk = svc.start_wrk(self.registry, config.wrk, "%s/slow?records=%d" % (service.base, config.records),
                                4, 2, config.connections, out)
        wait_measured(wrk, 60)
        self.registry.forget(wrk)
        for round_no in range(1, config.rounds + 1):
            # Rotate the profiled runs each round, so none always runs first or right after another;
            # baselines bracket every two of them: B P P B P P B.
            shift = (round_no - 1) % len(profiled)
            order = profiled[shift:] + profiled[:shift]
            sequence = []
            for start in range(0, len(order), 2):
                sequence += [(None, 0)] + order[start:start + 2]
            sequence.append((None, 0))
            done = []
            for tool, rate in sequence:
                run = self._load_run(service, round_no, tool, rate)
                done.append(run)
                if "error" not in run:
                    say("round %d %-16s %8.1f req/s%s" % (round_no, run["label"], run["rps"],
                                                            "" if tool is None else ", profiler cpu %.2f s" % run["cpu_s"]))
            self._relate_to_baselines(done)
        print()
        print("Raw runs in order (% base: requests/s over the mean of the baselines just before and after;")
        print("profilers in cpu mode, following the tree; rate %: ours' achieved ticks/s over requested)")
        rows = []
        for run in self.runs:
            if run["section"] != "load-runs":
                continue
            if "error" in run:
                rows.append([str(run["round"]), run["label"], "FAILED", "", "", "", "", "", ""])
                continue
            rows.append([str(run["round"]), run["label"], fmt(run["rps"]), fmt(run.get("pct_of_baseline")),
                         str(run["errors"]), fmt(run.get("cpu_s"), 2), fmt(run.get("max_rss_mb")),
                         fmt(run.get("achieved_pct")), str(run.get("processes") or "")])
        print(table(["round", "run", "req/s", "% base", "failed", "cpu s", "RSS MB", "rate %", "procs"], rows))
        print()
        rows = []
        for rate in LOAD_RATES:
            ours = self._median("pct_of_baseline", section="load-runs", tool=OURS, rate=rate)
            theirs = self._median("pct_of_baseline", section="load-runs", tool=AUSTIN, rate=rate)
            rows.append([str(rate), fmt(ours), fmt(theirs), fmt_ratio(ratio(ours, theirs))])
            goal = GOALS[rate]
            met = None if ours is None else ours >= goal and (theirs is None or ours > theirs)
            self.summary.add("throughput, whole runs with start-up, %d Hz (%% of baseline)" % rate, ours, theirs,
                             ">= %d %% and > austin" % goal, met)
        print("Medians over rounds:")
        print(table(["Hz", "ours % of baseline", "austin % of baseline", "ratio"], rows))

    @staticmethod
    def _relate_to_baselines(sequence):
        """Each profiled run's requests/s as % of the mean of the baselines just before and after it:
        on a shared machine the load from others drifts within a round, and the nearest baselines
        saw the most similar conditions."""
        for index, run in enumerate(sequence):
            if run["tool"] == "none":
                run["pct_of_baseline"] = 100.0 if "error" not in run else None
                continue
            if "error" in run:
                continue
            near = []
            for step in (-1, 1):
                cursor = index + step
                while 0 <= cursor < len(sequence) and sequence[cursor]["tool"] != "none":
                    cursor += step
                if 0 <= cursor < len(sequence) and "error" not in sequence[cursor]:
                    near.append(sequence[cursor]["rps"])
            base = sum(near) / len(near) if near else None
            run["baseline_rps"] = base
            run["pct_of_baseline"] = 100.0 * run["rps"] / base if base else None

    # --- 5: respawn ------------------------------------------------------------------------------

    def _respawn_run(self, service, round_no):
        config = self.config
        run = {"section": "respawn", "tool": OURS, "label": "respawn", "round": round_no}
        name = "respawn-r%d" % round_no
        seconds = 6
        process = None
        wrk = None
        try:
            with open(os.path.join(self.run_dir, "logs", name + ".wrk"), "wb") as out:
                wrk = svc.start_wrk(self.registry, config.wrk, "%s/slow?records=%d" % (service.base, config.records),
                                    seconds + 2, 2, config.connections, out)
            before = set(service.workers())
            process = self._profiler(OURS, service.master.pid, 100, seconds, "cpu", name, subprocesses=True)
            stderr = process.bench_files[1]
            deadline = time.monotonic() + seconds - 2
            while time.monotonic() < deadline:
                if tools.read_text(stderr).count(": sampling Python") >= len(before) + 1:
                    break
                time.sleep(0.05)
            else:
                raise BenchError("the agent did not sample the master and its %d workers within %d s"
                                 % (len(before), seconds - 2))
            victim = min(before)
            os.kill(victim, signal.SIGKILL)
            run["killed"] = victim
            figures = self._finish(OURS, process, seconds + 60)
            process = None
            replacements = {pid: ms for pid, ms in figures["attached"].items()
                            if pid not in before and pid != service.master.pid}
            if not replacements:
                raise BenchError("the agent printed no 'sampling' notice for a replacement of pid %d" % victim)
            pid, ms = sorted(replacements.items())[0]
            run["replacement"] = pid
            run["sampled_after_ms"] = ms
        except BenchError as error:
            run["error"] = str(error)
        finally:
            for child in (process, wrk):
                if child is not None:
                    self.registry.stop(child)
        service.wait_for_workers()
        return self._record(run)

    def section_respawn(self, service):
        say("respawn: the agent records the tree (--subprocesses, 100 Hz) under load; one worker is killed")
        for round_no in range(1, self.config.rounds + 1):
            run = self._respawn_run(service, round_no)
            if "error" not in run:
                say("round %d: killed %d, replacement %d sampled %s ms after it started"
                    % (round_no, run["killed"], run["replacement"], fmt(run["sampled_after_ms"], 0)))
        values = [run.get("sampled_after_ms") for run in self._select(section="respawn")]
        worst = max([value for value in values if value is not None], default=None)
        self.summary.add("respawned worker sampled after (ms, worst of %d)" % len(values), worst, None,
                         "<= 200 ms", None if worst is None else worst <= 200, digits=0, with_ratio=False)

    # --- 5: RSS and first sample (from every run above) ------------------------------------------

    def summarise_footprint(self):
        single = lambda tool: [run.get("max_rss_mb") for run in self._select(tool=tool)
                               if run["section"] in ("cpu", "wall", "dump", "reads") and not run.get("strace")]
        tree = lambda tool: [run.get("max_rss_mb") for run in self._select(tool=tool)
                             if run["section"] in ("load", "load-runs")]
        for label, pick, goal in (("one process", single, 8), ("gunicorn tree, 5 processes", tree, 20)):
            ours = max([value for value in pick(OURS) if value is not None], default=None)
            theirs = max([value for value in pick(AUSTIN) if value is not None], default=None)
            if ours is not None:
                self.summary.add("peak RSS, %s (MB, worst run)" % label, ours, theirs, "<= %d MB" % goal, ours <= goal)
        firsts = [run.get("first_sample_ms") for run in self._select(tool=OURS)
                  if run["section"] == "cpu"]
        present = [value for value in firsts if value is not None]
        if firsts:
            first = median(present)
            self.summary.add("first sample after start (ms, median of %d)" % len(present), first, None,
                             "<= 100 ms", None if first is None else first <= 100, digits=0, with_ratio=False)
            if len(present) < len(firsts):
                say("the agent printed no 'first sample ... after start' notice in %d run(s)" % (len(firsts) - len(present)))


def main():
    config = Config()
    for path, what in ((config.agent, "the agent (make agent, or set PYROMETER_AGENT)"),
                       (config.python, "the target interpreter (PYROMETER_BENCH_PYTHON)")):
        if not os.access(path, os.X_OK):
            raise BenchError("%s is missing: %s" % (what, path))
    version = python_version(config.python)
    if config.austin and not os.access(config.austin, os.X_OK):
        raise BenchError("PYROMETER_AUSTIN is %s, which is not executable" % config.austin)
    if not config.austin:
        say("austin not found (hack/install-test-deps.sh puts it in the cache): measuring ours alone")
    elif not austin_reads(version):
        say("austin 3.7 reads CPython 3.13 at most and the target is %s: measuring ours alone" % version)
        config.austin = ""
    if any(name in config.sections for name in ("load", "load-runs", "respawn")):
        if not config.wrk:
            raise BenchError("wrk is not installed: run hack/install-test-deps.sh")
        if not os.access(config.service_python, os.X_OK):
            raise BenchError("the service interpreter is missing: %s" % config.service_python)

    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    run_dir = os.path.join(config.out, stamp)
    os.makedirs(os.path.join(run_dir, "logs"), exist_ok=True)
    scratch = tempfile.mkdtemp(prefix="pyrometer-bench-")
    registry = Registry(nice=config.nice)
    bench = Bench(config, registry, run_dir, scratch)
    say("agent %s; austin %s; target Python %s (%s); %d round(s)%s; logs in %s"
        % (config.agent, config.austin or "none", version, config.python, config.rounds,
           ", every process at nice %d" % config.nice if config.nice else "", run_dir))
    started = time.monotonic()
    service = None
    try:
        if "cpu" in config.sections:
            bench.section_cpu()
        if "wall" in config.sections:
            wall_dump.section_wall(bench)
        if "dump" in config.sections:
            wall_dump.section_dump(bench)
        if "reads" in config.sections:
            bench.section_reads()
        if "oversubscribed" in config.sections:
            oversubscribed.run(bench)
        if any(name in config.sections for name in ("load", "load-runs", "respawn")):
            service = svc.Service(registry, config.service_python, REPO, os.path.join(run_dir, "logs"))
            say("starting gunicorn (4 uvicorn workers, %s) on %s" % (config.service_python, service.base))
            service.start()
            service.check("/slow?records=10")
            service.check("/fast")
            if "load" in config.sections:
                WindowedLoad(bench, service).run()
            if "load-runs" in config.sections:
                bench.section_load(service)
            if "respawn" in config.sections:
                bench.section_respawn(service)
        bench.summarise_footprint()
    finally:
        if service is not None:
            service.stop()
        registry.stop_all()
        bench.close()
        shutil.rmtree(scratch, ignore_errors=True)

    text = bench.summary.text()
    load = os.getloadavg()[0]
    if load > os.cpu_count():
        say("the load average is %.1f on %d cores: other work shared the machine, read the figures with that in mind"
            % (load, os.cpu_count()))
    print()
    print("Summary (medians over %d round(s) unless the metric says otherwise; ratio = ours / austin; "
          "%.0f s in all):" % (config.rounds, time.monotonic() - started))
    print(text)
    notes = [
        "# Agent benchmark, %s" % stamp,
        "",
        "Target Python %s (%s); %d round(s), %d s per profile; throughput: %d cycles per rate of %d ms "
        "windows (%d ms to settle), steady state (profilers frozen outside their windows; start-up is the "
        "fixed-cost row)%s; ratio = ours / austin; raw runs in `%s/runs.jsonl`; load average at the end %s." % (
            version, config.python, config.rounds, config.seconds, config.load_cycles, config.window_ms,
            config.settle_ms,
            ", nice %d" % config.nice if config.nice else "", display_path(run_dir),
            " ".join("%.1f" % value for value in os.getloadavg())),
        "",
        bench.summary.markdown(),
        "",
        "austin's samples are the stack lines of the target's busiest thread (one per sample); its rate is "
        "those over the `# duration` it writes. CPU is utime + stime of the profiler process from wait4().",
        "",
    ]
    for path in (os.path.join(run_dir, "summary.md"), os.path.join(config.out, "summary.md")):
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("\n".join(notes))
    say("summary written to %s" % display_path(os.path.join(config.out, "summary.md")))
    if bench.failures:
        say("%d run(s) failed; see the messages above and %s" % (bench.failures, os.path.join(run_dir, "logs")))
        return 1
    return 0


class Terminated(Exception):
    def __init__(self, signum):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _terminate(signum, frame):
    # TERM (and HUP) unwind through the finally blocks like Ctrl-C does, so every child is stopped.
    raise Terminated(signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)
    # Explicitly: a shell without job control starts background commands with SIGINT ignored, and
    # Python would then keep ignoring it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        sys.exit(main())
    except BenchError as error:
        print("[bench] error: %s" % error, file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("[bench] interrupted; every process started here was stopped", file=sys.stderr)
        sys.exit(130)
    except Terminated as stop:
        print("[bench] stopped by %s; every process started here was stopped" % stop, file=sys.stderr)
        sys.exit(128 + stop.signum)
