"""Asyncio event loops that block themselves on command, timing each block with time.monotonic().

One loop runs on the main thread and one more on each of --threads N threads (named "loop-1", ...).
Command ``block``: every loop, at once, runs its scenario of tasks with short awaits between them:

  io_request   awaits a little, then calls blocking_io(0.6): time.sleep on the loop's thread
  cpu_request  awaits a little, then calls cpu_burn(0.4): a pure-Python loop until the time is up
  io_request   again

and the reply, once every loop is done, lists each block as the script measured it:
{"blocks": [{"thread": "MainThread", "function": "blocking_io", "task": "io_request", "seconds": 0.6003}, ...]}.
Between blocks each loop sleeps in its selector (GAP seconds), so no two blocks touch.
READY reports {"loops": N + 1}.

Usage: blocked_loop.py [--threads N]   (default 0)
"""

import argparse
import asyncio
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
    blocks.append({"thread": threading.current_thread().name, "function": "blocking_io", "task": "io_request",
                   "seconds": time.monotonic() - started})
    await asyncio.sleep(0.01)


async def cpu_request(seconds, blocks):
    await asyncio.sleep(0.01)
    started = time.monotonic()
    cpu_burn(seconds)
    blocks.append({"thread": threading.current_thread().name, "function": "cpu_burn", "task": "cpu_request",
                   "seconds": time.monotonic() - started})
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()
    if not 0 <= args.threads <= 8:
        parser.error("--threads must be between 0 and 8")

    loops = [asyncio.new_event_loop() for _ in range(args.threads + 1)]
    for number, loop in enumerate(loops[1:], 1):
        started = threading.Event()
        threading.Thread(target=run_loop, args=(loop, started), name="loop-%d" % number, daemon=True).start()
        started.wait()

    def block(arg):
        futures = [asyncio.run_coroutine_threadsafe(scenario(), loop) for loop in loops]
        return {"blocks": [b for f in futures for b in f.result(timeout=60)]}

    self_dump.start({"block": block})
    main_started = threading.Event()
    loops[0].call_soon(lambda: self_dump.ready(script="blocked_loop", loops=len(loops)))
    run_loop(loops[0], main_started)


if __name__ == "__main__":
    main()
