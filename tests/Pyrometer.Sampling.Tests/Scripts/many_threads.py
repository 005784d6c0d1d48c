"""N named threads, each running in a function of its own (worker_0, worker_1, ...).

Thread i is named "worker-i" and runs a copy of `thread_body` renamed to worker_i (same file and
lines, distinct co_name; distinct co_qualname on 3.11+). Spinning threads burn CPU on the line
marked "spin"; sleeping ones wait in time.sleep on the line marked "sleep". The main thread waits
in `main_wait`.

READY reports {"threads": [{"name", "function", "native_id", "mode"}], "lines": {...}}.

Usage: many_threads.py [--threads N] [--mode spin|sleep|mixed]   (default 8, mixed: even spin, odd sleep)
"""

import argparse
import threading
import time

import self_dump


def thread_body(spin, started, registry, index):
    registry[index] = threading.get_native_id()
    started.release()
    if spin:
        x = 0
        while True:
            x = (x * 31 + 7) % 1000003  # LINE: spin
    while True:
        time.sleep(0.05)  # LINE: sleep


def renamed(function, name):
    """A copy of FUNCTION whose code object is called NAME; file and line numbers stay real."""
    code = function.__code__
    if hasattr(code, "co_qualname"):
        code = code.replace(co_name=name, co_qualname=name)
    else:
        code = code.replace(co_name=name)
    copy = type(function)(code, function.__globals__, name)
    copy.__qualname__ = name
    return copy


def main_wait():
    while True:
        time.sleep(0.05)  # LINE: main


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--mode", choices=("spin", "sleep", "mixed"), default="mixed")
    args = parser.parse_args()
    if not 1 <= args.threads <= 256:
        parser.error("--threads must be between 1 and 256")
    started = threading.Semaphore(0)
    registry = {}
    threads = []
    for i in range(args.threads):
        spin = args.mode == "spin" or (args.mode == "mixed" and i % 2 == 0)
        name = "worker_%d" % i
        thread = threading.Thread(target=renamed(thread_body, name), args=(spin, started, registry, i),
                                  name="worker-%d" % i, daemon=True)
        thread.start()
        threads.append({"name": thread.name, "function": name, "mode": "spin" if spin else "sleep", "index": i})
    for _ in range(args.threads):
        started.acquire()
    for entry in threads:
        entry["native_id"] = registry[entry.pop("index")]
    self_dump.start()
    self_dump.ready(
        script="many_threads",
        file=__file__,
        threads=threads,
        lines={marker: self_dump.source_line(__file__, marker) for marker in ("spin", "sleep", "main")},
    )
    main_wait()


if __name__ == "__main__":
    main()
