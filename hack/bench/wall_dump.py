"""Two sections of the agent benchmark (agent_bench.py runs them):

wall  CPU per sample in wall mode: spin.py at depth 3 and 200, 100 Hz and 1 kHz, one process per run,
      ours --mode wall against austin without -s (every thread sampled at every tick, idle or not).
dump  one snapshot of every thread: ours `pyrometer dump --pid P` against `austin -w P`, CPU
      (utime + stime from wait4) and wall time per call, median of PYROMETER_BENCH_DUMP_CALLS calls
      per tool and target (depth 3 and 200), the tools alternating which goes first.
"""

import os
import signal

import tools
from procs import BenchError, start_measured, wait_measured
from report import fmt, fmt_ratio, median, ratio, table
from tools import AUSTIN, OURS

WALL_CONFIGS = [(3, 100), (3, 1000), (200, 100), (200, 1000)]
DUMP_DEPTHS = (3, 200)


def say(message):
    print("[bench] " + message, flush=True)


def section_wall(bench):
    config = bench.config
    say("CPU per sample, wall mode (austin without -s): %d round(s) x %d configurations x %s, %d s each"
        % (config.rounds, len(WALL_CONFIGS), " and ".join(bench.tools), config.seconds))
    for round_no in range(1, config.rounds + 1):
        bench.profile_round("wall", WALL_CONFIGS, round_no)
    print()
    print("Raw runs (wall mode; austin without -s). us/sample = (utime + stime of the profiler) / samples.")
    rows = []
    for run in bench.runs:
        if run["section"] != "wall":
            continue
        if "error" in run:
            rows.append([str(run["round"]), run["tool"], str(run["depth"]), str(run["rate"]), "FAILED", "", "", "", ""])
            continue
        rows.append([str(run["round"]), run["tool"], str(run["depth"]), str(run["rate"]), str(run["samples"]),
                     fmt(run["achieved_pct"]), fmt(run["cpu_s"], 3), fmt(run["us_per_sample"]), fmt(run["max_rss_mb"])])
    print(table(["round", "tool", "depth", "Hz", "samples", "rate %", "cpu s", "us/sample", "RSS MB"], rows))
    print()
    print("Medians over rounds, wall mode (ratio = ours / austin):")
    rows = []
    for depth, rate in WALL_CONFIGS:
        ours = bench._median("us_per_sample", section="wall", tool=OURS, depth=depth, rate=rate)
        theirs = bench._median("us_per_sample", section="wall", tool=AUSTIN, depth=depth, rate=rate)
        rows.append([str(depth), str(rate), fmt(ours), fmt(theirs), fmt_ratio(ratio(ours, theirs))])
        bench.summary.add("CPU per sample, wall mode, depth %d, %d Hz (us)" % (depth, rate), ours, theirs,
                          "<= austin", None if ours is None or theirs is None else ours <= theirs)
    print(table(["depth", "Hz", "ours us/sample", "austin us/sample", "ratio"], rows))
    print()


def dump_command(tool, binary, pid):
    if tool == OURS:
        return [binary, "dump", "--pid", str(pid)]
    # austin's "where" mode: every thread's stack, once, on stdout.
    return [binary, "-w", str(pid)]


def _dump_call(bench, tool, target, depth, round_no, call_no):
    name = "dump-r%d-%s-d%d-%d" % (round_no, tool, depth, call_no)
    base = os.path.join(bench.run_dir, "logs", name)
    binary = bench.config.agent if tool == OURS else bench.config.austin
    run = {"section": "dump", "tool": tool, "label": "dump depth %d" % depth, "depth": depth, "round": round_no}
    try:
        with open(base + ".out", "wb") as out, open(base + ".err", "wb") as err:
            process = start_measured(bench.registry, dump_command(tool, binary, target.pid), out, err, base + ".time")
        measured = wait_measured(process, 60)
        bench.registry.forget(process)
        if measured.status != 0:
            tail = tools.read_text(base + ".err").strip().splitlines()[-3:]
            raise BenchError("%s exited with status %d: %s" % (tool, measured.status, " | ".join(tail)))
        # A snapshot that named no frame of the target measured nothing.
        if "spin" not in tools.read_text(base + ".out"):
            raise BenchError("%s printed no stack with spin() in it (see %s.out)" % (tool, base))
        run.update({"cpu_ms": 1000.0 * measured.cpu, "wall_ms": 1000.0 * measured.wall,
                    "max_rss_mb": measured.max_rss_kib / 1024.0 if measured.max_rss_kib else None})
    except BenchError as error:
        run["error"] = str(error)
    return bench._record(run)


def section_dump(bench):
    config = bench.config
    calls = config.dump_calls
    say("dump: %d call(s) per tool, round and depth (%s), ours `dump --pid` and austin -w"
        % (calls, " and ".join(str(depth) for depth in DUMP_DEPTHS)))
    for round_no in range(1, config.rounds + 1):
        for depth in DUMP_DEPTHS:
            target = bench._start_target(depth, 1)
            try:
                for call_no in range(calls):
                    for tool in bench._tool_order(round_no, call_no):
                        _dump_call(bench, tool, target, depth, round_no, call_no)
            finally:
                bench.registry.stop(target, signal.SIGKILL)
    print()
    print("dump, medians over %d call(s) per tool and depth (cpu = utime + stime from wait4; wall = the"
          " whole command, start to exit; ratio = ours / austin):" % (calls * config.rounds))
    rows = []
    for depth in DUMP_DEPTHS:
        figures = {}
        for field in ("cpu_ms", "wall_ms", "max_rss_mb"):
            for tool in (OURS, AUSTIN):
                figures[(tool, field)] = bench._median(field, section="dump", tool=tool, depth=depth)
        cells = [str(depth)]
        for field in ("cpu_ms", "wall_ms", "max_rss_mb"):
            ours, theirs = figures[(OURS, field)], figures[(AUSTIN, field)]
            cells += [fmt(ours, 2), fmt(theirs, 2), fmt_ratio(ratio(ours, theirs))]
        rows.append(cells)
        for field, what in (("cpu_ms", "CPU"), ("wall_ms", "wall time")):
            ours, theirs = figures[(OURS, field)], figures[(AUSTIN, field)]
            met = None if ours is None or theirs is None else ours <= 1.5 * theirs
            bench.summary.add("dump, depth %d: %s per call (ms, median)" % (depth, what), ours, theirs,
                              "<= 1.5 x austin", met, digits=2)
    print(table(["depth", "ours cpu ms", "austin cpu ms", "ratio", "ours wall ms", "austin wall ms", "ratio",
                 "ours RSS MB", "austin RSS MB", "ratio"], rows))
    failed = len([run for run in bench.runs if run["section"] == "dump" and "error" in run])
    if failed:
        say("%d dump call(s) failed (see the messages above)" % failed)
    print()
