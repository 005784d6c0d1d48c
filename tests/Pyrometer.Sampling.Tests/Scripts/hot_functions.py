"""Known hot functions with fixed shares of the main thread's CPU time.

Each round calls hot_a for 6 work units, hot_b for 3 and cold_c for 1; every unit is the same
arithmetic loop, so the expected shares are 60 %, 30 % and 10 %. The script measures what really
happened with time.thread_time() around each call, independently of any profiler, and answers the
`shares` command with {"hot_a": 0.6.., "hot_b": 0.3.., "cold_c": 0.1.., "wall": {same, by wall-clock
time}, "rounds": n, "seconds": s}.

Expected lines (also reported in READY under "lines", found by the "# LINE:" markers):
  hot_a's loop body: line 35, hot_b's: line 43, cold_c's: line 51. A sample may also land on the
  `for` lines just above (the loop's own bytecode); READY's "spans" gives each function's
  [first, last] line for assertions that accept any line of the function.

Usage: hot_functions.py [--unit-iterations N]   (default 20000, about a millisecond)
"""

import argparse
import threading
import time

import self_dump

UNITS = {"hot_a": 6, "hot_b": 3, "cold_c": 1}

_lock = threading.Lock()
_spent = {name: 0.0 for name in UNITS}
_wall = {name: 0.0 for name in UNITS}
_rounds = [0]


def hot_a(units, iterations):
    x = 0
    for _ in range(units):
        for i in range(iterations):
            x = (x * 31 + i) % 1000003  # LINE: hot_a
    return x


def hot_b(units, iterations):
    x = 0
    for _ in range(units):
        for i in range(iterations):
            x = (x * 31 + i) % 1000003  # LINE: hot_b
    return x


def cold_c(units, iterations):
    x = 0
    for _ in range(units):
        for i in range(iterations):
            x = (x * 31 + i) % 1000003  # LINE: cold_c
    return x


def timed(function, units, iterations):
    before, wall_before = time.thread_time(), time.perf_counter()
    function(units, iterations)
    return time.thread_time() - before, time.perf_counter() - wall_before


def main_loop(iterations):
    while True:
        a = timed(hot_a, UNITS["hot_a"], iterations)
        b = timed(hot_b, UNITS["hot_b"], iterations)
        c = timed(cold_c, UNITS["cold_c"], iterations)
        with _lock:
            for name, (cpu, wall) in (("hot_a", a), ("hot_b", b), ("cold_c", c)):
                _spent[name] += cpu
                _wall[name] += wall
            _rounds[0] += 1


def shares(arg):
    with _lock:
        total = sum(_spent.values())
        result = {name: (spent / total if total > 0 else 0.0) for name, spent in _spent.items()}
        wall_total = sum(_wall.values())
        # Wall-clock shares: what a wall-clock sampler should see even when the machine is busy
        # and the thread waits for a CPU (thread_time stops then, the sampler's clock does not).
        result["wall"] = {name: (spent / wall_total if wall_total > 0 else 0.0) for name, spent in _wall.items()}
        result["wall_seconds"] = dict(_wall)
        result["rounds"] = _rounds[0]
        result["seconds"] = total
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--unit-iterations", type=int, default=20000)
    args = parser.parse_args()
    if args.unit_iterations <= 0:
        parser.error("--unit-iterations must be positive")
    self_dump.start({"shares": shares})
    self_dump.ready(
        script="hot_functions",
        file=__file__,
        expected_shares={name: units / float(sum(UNITS.values())) for name, units in UNITS.items()},
        lines={name: self_dump.source_line(__file__, name) for name in UNITS},
        spans={f.__name__: self_dump.function_span(f) for f in (hot_a, hot_b, cold_c)},
    )
    main_loop(args.unit_iterations)


if __name__ == "__main__":
    main()
