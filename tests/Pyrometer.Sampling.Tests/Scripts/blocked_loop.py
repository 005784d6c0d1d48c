"""Asyncio event loops that block themselves on command, timing each block with time.monotonic().

One loop runs on the main thread and one more on each of --threads N threads (named "loop-1", ...).
Command ``block``: every loop, at once, runs its scenario of tasks with short awaits between them:

  io_request   awaits a little, then calls blocking_io(0.6): time.sleep on the loop's thread
  cpu_request  awaits a little, then calls cpu_burn(0.4): a pure-Python loop until the time is up
  io_request   again

and the reply, once every loop is done, lists each block as the script measured it:
{"blocks": [{"thread": "MainThread", "function": "blocking_io", "task": "io_request", "seconds": 0.6003}, ...]}.
Between blocks each loop sleeps in its selector (GAP seconds), so no two blocks touch.
With --workers M the script also starts M worker processes (this script with --worker), each with one
loop that runs the same scenario on ``block``; their blocks are in the reply too, with their "pid".
READY reports {"loops": N + 1, "workers": [pid, ...]}.

Usage: blocked_loop.py [--threads N] [--workers M]   (defaults 0)
"""

import argparse
import asyncio
import json
import os
import subprocess
import sys
import threading
import time

import self_dump

GAP = 0.3  # idle time between blocks: many ticks of the sampler even when it runs late


def blocking_io(seconds):
    time.sleep(seconds)  # LINE: sleep


def cpu_burn(seconds):
    deadline = time.monotonic() + seconds
    x = 0
    while time.monotonic() < deadline:
        for i in range(200):
            x = (x * 31 + i) % 1000003  # LINE: burn
    return x


async def io_request(seconds, blocks):
    await asyncio.sleep(0.01)
    started = time.monotonic()
    blocking_io(seconds)
    blocks.append({"pid": os.getpid(), "thread": threading.current_thread().name, "function": "blocking_io",
                   "task": "io_request", "seconds": time.monotonic() - started})
    await asyncio.sleep(0.01)


async def cpu_request(seconds, blocks):
    await asyncio.sleep(0.01)
    started = time.monotonic()
    cpu_burn(seconds)
    blocks.append({"pid": os.getpid(), "thread": threading.current_thread().name, "function": "cpu_burn",
                   "task": "cpu_request", "seconds": time.monotonic() - started})
    await asyncio.sleep(0.01)


async def scenario():
    blocks = []
    for request in (io_request(0.6, blocks), cpu_request(0.4, blocks), io_request(0.6, blocks)):
        await asyncio.sleep(GAP)
        # Each request is a task of its own, as a server's handlers are.
        await asyncio.ensure_future(request)
    await asyncio.sleep(GAP)
    return blocks


async def idle():
    while True:
        await asyncio.sleep(0.05)


def run_loop(loop, started):
    asyncio.set_event_loop(loop)
    loop.call_soon(started.set)
    loop.run_until_complete(idle())


def worker():
    """One loop on the main thread; each "go" on stdin runs the scenario and prints its blocks as one JSON line."""
    loop = asyncio.new_event_loop()

    def serve():
        for line in sys.stdin:
            if line.strip() == "go":
                blocks = asyncio.run_coroutine_threadsafe(scenario(), loop).result(timeout=60)
                sys.stdout.write(json.dumps(blocks) + "\n")
                sys.stdout.flush()
        os._exit(0)  # the parent went away

    threading.Thread(target=serve, name="commands", daemon=True).start()
    run_loop(loop, threading.Event())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--worker", action="store_true")
    args = parser.parse_args()
    if not 0 <= args.threads <= 8 or not 0 <= args.workers <= 8:
        parser.error("--threads and --workers must be between 0 and 8")
    if args.worker:
        worker()
        return
    workers = [subprocess.Popen([sys.executable, "-u", os.path.abspath(__file__), "--worker"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, universal_newlines=True) for _ in range(args.workers)]

    loops = [asyncio.new_event_loop() for _ in range(args.threads + 1)]
    for number, loop in enumerate(loops[1:], 1):
        started = threading.Event()
        threading.Thread(target=run_loop, args=(loop, started), name="loop-%d" % number, daemon=True).start()
        started.wait()

    def block(arg):
        for w in workers:
            w.stdin.write("go\n")
            w.stdin.flush()
        futures = [asyncio.run_coroutine_threadsafe(scenario(), loop) for loop in loops]
        blocks = [b for f in futures for b in f.result(timeout=60)]
        for w in workers:
            blocks.extend(json.loads(w.stdout.readline()))
        return {"blocks": blocks}

    self_dump.start({"block": block})
    main_started = threading.Event()
    loops[0].call_soon(lambda: self_dump.ready(script="blocked_loop", loops=len(loops), workers=[w.pid for w in workers]))
    run_loop(loops[0], main_started)


if __name__ == "__main__":
    main()
