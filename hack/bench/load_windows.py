"""Section "load": the service's throughput with each profiler, measured in short interleaved windows.

Why windows: on a shared machine the service's own throughput drifts by up to 2x within seconds,
so whole runs compared with baselines several seconds away mostly measure the drift. Here one
service and one load generator run through each rate's block; both profilers start once at that
rate, attach to the tree and are frozen (SIGSTOP). The block is then a sequence of short windows

    B X B X B X B X ... B      X: ours, austin or none, one of each per cycle, order rotated

where B is a baseline (no profiler runs) and X resumes one profiler for its window (after a short
settle) and freezes it again. Each X is related to the mean of the two baselines beside it, so
drift slower than a few windows cancels. X = none is the A/A arm: a no-profiler window treated
exactly like a profiled one, whose ratios show how far the method wanders with no effect at all
(the noise floor printed beside every result). A profiled window counts only if that profiler
sampled in it (its samples or output and its CPU time grew) and no frozen one ran.

What this measures is steady-state overhead: start-up and attach happen before the first window
(their cost is the fixed-cost row of the cpu section).
"""

import itertools
import os
import time

import report
import service as svc
from live import LiveProfiler, PtyCopy
from procs import BenchError, wait_measured
from report import fmt, fmt_range, median, table
from tools import AUSTIN, OURS, read_text

BASE = "base"
NONE = "none"
LOAD_RATES = (100, 1000)
GOALS = {100: 98.0, 1000: 85.0}
WORKERS = 4


def say(message):
    print("[bench] " + message, flush=True)


class WindowedLoad:
    def __init__(self, bench, service):
        self.bench = bench
        self.config = bench.config
        self.service = service
        self.url = "%s/slow?records=%d" % (service.base, self.config.records)
        self.results = {}       # rate -> {arm: [% of neighbouring baselines or None]}
        self.pooled = {}        # (rate, arm) -> total of X over total of its baselines, %

    def run(self):
        config = self.config
        arms = self.bench.tools + [NONE]
        seconds = config.window_ms / 1000.0
        say("throughput in windows: %s, %d cycle(s) per rate of B X B X ... B, X in %s, %.2f s windows after "
            "%.2f s to settle; requests counted by %s; profilers frozen outside their windows"
            % (self.url, config.load_cycles, "/".join(arms), seconds, config.settle_ms / 1000.0,
               "one wrk's read bytes (/proc/PID/io)" if config.load_counter == "io" else "one wrk run per window"))
        warm = os.path.join(self.bench.run_dir, "logs", "load-warmup.wrk")
        with open(warm, "wb") as out:
            wrk = svc.start_wrk(self.bench.registry, config.wrk, self.url, 4, 2, config.connections, out)
        wait_measured(wrk, 60)
        self.bench.registry.forget(wrk)
        for block, rate in enumerate(LOAD_RATES):
            self._block(block, rate, arms)
        self._report()

    # --- one rate --------------------------------------------------------------------------------

    def _start(self, tool, rate, seconds):
        name = "load-%s-%dhz" % (tool, rate)
        stderr = self.bench._paths(name)[1]
        copy = PtyCopy(stderr) if tool == OURS else None
        process = self.bench._profiler(tool, self.service.master.pid, rate, seconds, "cpu", name,
                                       subprocesses=True, pty_copy=copy)
        if copy is not None:
            copy.close_slave()
        return LiveProfiler(tool, process, process.bench_files[2], copy)

    def _wait_attached(self, profilers, timeout=20.0):
        """Until ours samples the master and its workers, and austin has written a stack."""
        deadline = time.monotonic() + timeout
        pending = dict(profilers)
        while pending and time.monotonic() < deadline:
            for tool, live in list(pending.items()):
                if not live.alive():
                    raise BenchError("%s exited while attaching (see %s)" % (tool, live.process.bench_files[1]))
                if tool == OURS:
                    done = read_text(live.process.bench_files[1]).count(": sampling Python") >= WORKERS + 1
                else:
                    done = live.progress()[0] > 0
                if done:
                    del pending[tool]
            time.sleep(0.1)
        if pending:
            raise BenchError("not attached to the tree within %.0f s: %s" % (timeout, ", ".join(pending)))

    def _block(self, block, rate, arms):
        config = self.config
        orders = list(itertools.permutations(arms))
        sequence = []
        for cycle in range(config.load_cycles):
            for arm in orders[(cycle + 3 * block) % len(orders)]:
                sequence += [(BASE, cycle), (arm, cycle)]
        sequence.append((BASE, config.load_cycles))
        slot = (config.window_ms + config.settle_ms) / 1000.0
        planned = int(len(sequence) * slot * 1.5) + 60
        log = os.path.join(self.bench.run_dir, "logs", "load-%dhz.wrk" % rate)
        counter_type = svc.IoCounter if config.load_counter == "io" else svc.WrkCounter
        counter = counter_type(self.bench.registry, config.wrk, self.url, config.connections, log)
        profilers = {}
        windows = []
        try:
            counter.start(planned)
            for tool in self.bench.tools:
                profilers[tool] = self._start(tool, rate, planned)
            self._wait_attached(profilers)
            for live in profilers.values():
                live.freeze()
            for index, (arm, cycle) in enumerate(sequence):
                windows.append(self._window(counter, profilers, rate, arm, cycle, index))
        finally:
            self._stop_profilers(profilers, rate)
            counter.stop()
        for window in windows:
            window["rps"] = window["rate"] / counter.bytes_per_request if counter.bytes_per_request else None
            self.bench._record(window)
        say("%d Hz: %d requests in all, %d failed" % (rate, counter.totals["requests"], counter.totals["errors"]))
        self._relate(rate, windows, arms)

    def _window(self, counter, profilers, rate, arm, cycle, index):
        config = self.config
        active = profilers.get(arm)
        if active is not None:
            active.resume()
        time.sleep(config.settle_ms / 1000.0)
        before = {tool: live.progress() for tool, live in profilers.items()}
        figures = counter.measure(config.window_ms / 1000.0)
        after = {tool: live.progress() for tool, live in profilers.items()}
        if active is not None:
            active.freeze()
        window = {"section": "load-window", "tool": arm, "label": "%s %d Hz" % (arm, rate), "rate_hz": rate,
                  "cycle": cycle, "slot": index, "rate": figures["rate"], "seconds": figures["seconds"]}
        problems = []
        for tool, live in profilers.items():
            grown = after[tool][0] - before[tool][0]
            cpu_ms = (after[tool][1] - before[tool][1]) / 1e6
            if tool == arm:
                window.update({"grown": grown, "profiler_cpu_ms": cpu_ms})
                if grown <= 0 or cpu_ms <= 0 or not live.alive():
                    problems.append("%s did not sample (grew %d, cpu %.1f ms)" % (tool, grown, cpu_ms))
            elif cpu_ms > 0:
                problems.append("%s ran while frozen (cpu %.1f ms)" % (tool, cpu_ms))
        if problems:
            window["not_counted"] = "; ".join(problems)
            say("%d Hz window %d (%s) not counted: %s" % (rate, index, arm, window["not_counted"]))
        return window

    def _stop_profilers(self, profilers, rate):
        for live in profilers.values():
            live.interrupt()
        for tool, live in profilers.items():
            run = {"section": "load", "tool": tool, "label": "%s %d Hz (whole block)" % (tool, rate), "rate": rate,
                   "round": 1}
            try:
                figures = self.bench._finish(tool, live.process, 60, interrupted=True)
                live.ended()
                run.update({key: figures.get(key) for key in
                            ("samples", "ticks", "cpu_s", "max_rss_mb", "processes", "seconds", "wall_s")})
                run["running_s"] = live.running_seconds
                if tool == OURS and live.running_seconds:
                    run["achieved_pct"] = 100.0 * figures["ticks"] / (rate * live.running_seconds)
            except BenchError as error:
                run["error"] = str(error)
            finally:
                if live.pty is not None:
                    live.pty.finish()
                self.bench.registry.stop(live.process)
            self.bench._record(run)

    # --- figures ---------------------------------------------------------------------------------

    def _relate(self, rate, windows, arms):
        """Each X window's rate as % of the mean of the baselines just before and after it."""
        results = {arm: [] for arm in arms}
        totals = {arm: [0.0, 0.0] for arm in arms}
        for index in range(1, len(windows) - 1, 2):
            window, left, right = windows[index], windows[index - 1], windows[index + 1]
            base = (left["rate"] + right["rate"]) / 2.0
            counted = "not_counted" not in window and base > 0
            window["pct"] = 100.0 * window["rate"] / base if counted else None
            results[window["tool"]].append(window["pct"])
            if counted:
                totals[window["tool"]][0] += window["rate"]
                totals[window["tool"]][1] += base
        self.results[rate] = results
        for arm, (profiled, base) in totals.items():
            self.pooled[(rate, arm)] = 100.0 * profiled / base if base else None

    def _report(self):
        bench = self.bench
        print()
        print("Throughput, steady state: each window's requests/s as % of the mean of the baselines beside it.")
        print("Profilers run through the block and are frozen outside their windows, so start-up is not in")
        print("these figures (see the fixed-cost row). none = a no-profiler window: the A/A noise floor.")
        print("pooled = all of the arm's windows over all their baselines (the mean, not the median).")
        rows = []
        for rate in LOAD_RATES:
            floor = self.results.get(rate, {}).get(NONE, [])
            for arm, values in self.results.get(rate, {}).items():
                present = [value for value in values if value is not None]
                rows.append([str(rate), arm, str(len(present)), str(len(values) - len(present)),
                             fmt(median(present)), fmt_range(report.quartiles(present)),
                             fmt_range(report.bootstrap_median(present)), fmt(self.pooled.get((rate, arm))),
                             fmt(median(floor)), fmt_range(report.quartiles(floor))])
        print(table(["Hz", "arm", "windows", "dropped", "median %", "IQR", "95% CI", "pooled %", "A/A median",
                     "A/A IQR"], rows))
        print()
        rows = []
        pairs = [(OURS, AUSTIN), (OURS, NONE), (AUSTIN, NONE)] if AUSTIN in bench.tools else [(OURS, NONE)]
        for rate in LOAD_RATES:
            for first, second in pairs:
                diffs = self._paired(rate, first, second)
                rows.append([str(rate), "%s - %s" % (first, second), str(len(diffs)), fmt(median(diffs), 1),
                             fmt_range(report.quartiles(diffs)), fmt_range(report.bootstrap_median(diffs))])
        print("Differences paired within each cycle, in percentage points of baseline (x - none: net of")
        print("what the method reports with no profiler at all):")
        print(table(["Hz", "pair", "cycles", "median pp", "IQR", "95% CI"], rows))
        print()
        rows = []
        for run in bench.runs:
            if run["section"] == "load":
                rows.append([str(run["rate"]), run["tool"], "FAILED" if "error" in run else fmt(run.get("cpu_s"), 2),
                             fmt(run.get("running_s")), fmt(run.get("achieved_pct")), fmt(run.get("max_rss_mb")),
                             str(run.get("samples", ""))])
        print("Each profiler over its whole block (cpu s includes start-up; rate %: ours' ticks over requested,")
        print("while it was not frozen)")
        print(table(["Hz", "tool", "cpu s", "running s", "rate %", "RSS MB", "samples"], rows))
        self._summarise()

    def _paired(self, rate, first=OURS, second=AUSTIN):
        """FIRST - SECOND in percentage points, per cycle where both windows counted."""
        by_cycle = {}
        for window in self.bench._select(section="load-window", rate_hz=rate):
            if window.get("pct") is not None and window["tool"] in (first, second):
                by_cycle.setdefault(window["cycle"], {})[window["tool"]] = window["pct"]
        return [pair[first] - pair[second] for pair in by_cycle.values() if len(pair) == 2]

    def _summarise(self):
        summary = self.bench.summary
        for rate in LOAD_RATES:
            results = self.results.get(rate, {})
            ours = [value for value in results.get(OURS, []) if value is not None]
            theirs = [value for value in results.get(AUSTIN, []) if value is not None]
            floor = [value for value in results.get(NONE, []) if value is not None]
            goal = GOALS[rate]
            ours_ci, theirs_ci = report.bootstrap_median(ours), report.bootstrap_median(theirs)
            diffs = self._paired(rate)
            diff_ci = report.bootstrap_median(diffs)
            summary.add("throughput at %d Hz, steady state: start-up in the fixed-cost row "
                        "(%% of baselines, median of %d windows)" % (rate, len(ours)), median(ours), median(theirs),
                        ">= %d %% and > austin" % goal, met_text(median(ours), ours_ci, goal, median(diffs), diff_ci,
                                                               AUSTIN in self.bench.tools))
            summary.add("  95 % interval of that median (bootstrap)", fmt_range(ours_ci), fmt_range(theirs_ci),
                        "-", "", with_ratio=False)
            if diffs:
                summary.add("  ours - austin, paired per cycle (pp; median, 95 % interval)",
                            "%+.1f %s" % (median(diffs), fmt_range(diff_ci)), None, "> 0", "", with_ratio=False)
            summary.add("  A/A noise floor: no profiler vs its baselines (median; IQR; n)",
                        "%s; %s; %d" % (fmt(median(floor)), fmt_range(report.quartiles(floor)), len(floor)), None,
                        "-", "", with_ratio=False)


def met_text(value, interval, goal, diff, diff_interval, with_austin):
    """yes/NO from the medians; "within noise" when an interval holds the goal (or 0 for the
    difference with austin), i.e. the data cannot tell which side of it the truth is."""
    if value is None:
        return "n/a"
    met = value >= goal and (not with_austin or (diff is not None and diff > 0))
    unsure = interval is not None and interval[0] < goal <= interval[1]
    if with_austin and diff_interval is not None and diff_interval[0] <= 0 <= diff_interval[1]:
        unsure = True
    return ("yes" if met else "NO") + (" (within noise)" if unsure else "")
