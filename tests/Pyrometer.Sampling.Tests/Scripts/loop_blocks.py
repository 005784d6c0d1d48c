"""Blocks of known length on uvloop's loop, asyncio's own loop, or no loop at all, each timed by the
script itself with time.perf_counter() around the blocking call.

--loop uvloop    uvloop's loop, run by this script's own frame (run_loop: loop.run_until_complete)
--loop asyncio   asyncio's own loop, run the same way
--loop none      no loop: the main thread makes the same blocking calls from its own frames (a plain
                 synchronous program, which must never be reported as a blocked loop)

Commands (each replies once everything ran: {"blocks": [{"function", "task", "seconds"}, ...]}):
  spaced   GAP idle, then a task that calls blocking_io(0.8), GAP, a plain callback (call_soon) that
           calls blocking_io(0.6), GAP, a task that calls cpu_burn(0.6), GAP. With --loop none the
           same calls in a row, from plain functions, with the same gaps.
  burst N  N tasks of one coroutine function, started together: each calls blocking_io(BURST) with no
           await before or after, so they run back to back in one pass of the loop. With --loop none,
           N calls in a row from one plain function.

uvloop is imported from the interpreter's own path, or else from <prefix>/lib/python3/dist-packages
(Debian's python3-uvloop, unpacked beside an interpreter by hack/install-test-deps.sh); READY says
{"loop": ..., "uvloop": "0.17.0"} or exits with status 3 and "uvloop missing: ..." on stderr.

Usage: loop_blocks.py --loop uvloop|asyncio|none
"""

import argparse
import asyncio
import os
import sys
import threading
import time

import self_dump

GAP = 0.3  # idle time between blocks: many ticks of the sampler even when it runs late
# One burst task's block: well over the 100 ms threshold, and long enough that late ticks at the
# burst's two ends (a loaded machine) stay within a few percent of the total.
BURST = 0.5


def import_uvloop():
    try:
        import uvloop
    except ImportError:
        sys.path.append(os.path.join(sys.prefix, "lib", "python3", "dist-packages"))
        try:
            import uvloop
        except ImportError as e:
            sys.stderr.write("uvloop missing: %s\n" % e)
            sys.exit(3)
    return uvloop


def blocking_io(seconds):
    time.sleep(seconds)  # LINE: sleep


def cpu_burn(seconds):
    deadline = time.perf_counter() + seconds
    x = 0
    while time.perf_counter() < deadline:
        for i in range(200):
            x = (x * 31 + i) % 1000003
    return x


def timed(blocks, function, task, seconds):
    started = time.perf_counter()
    function(seconds)
    blocks.append({"function": function.__name__, "task": task, "seconds": time.perf_counter() - started})


async def io_request(blocks):
    await asyncio.sleep(0.01)
    timed(blocks, blocking_io, "io_request", 0.8)
    await asyncio.sleep(0.01)


async def cpu_request(blocks):
    await asyncio.sleep(0.01)
    timed(blocks, cpu_burn, "cpu_request", 0.6)
    await asyncio.sleep(0.01)


def plain_callback(blocks, done):
    timed(blocks, blocking_io, "plain_callback", 0.6)
    done.set_result(None)


async def spaced():
    blocks = []
    loop = asyncio.get_event_loop()
    await asyncio.sleep(GAP)
    await loop.create_task(io_request(blocks))
    await asyncio.sleep(GAP)
    done = loop.create_future()
    loop.call_soon(plain_callback, blocks, done)
    await done
    await asyncio.sleep(GAP)
    await loop.create_task(cpu_request(blocks))
    await asyncio.sleep(GAP)
    return blocks


async def burst_request(blocks):
    timed(blocks, blocking_io, "burst_request", BURST)


async def burst(count):
    blocks = []
    await asyncio.sleep(GAP)
    # gather makes one task per coroutine; their first steps are all ready, so they run one after another.
    await asyncio.gather(*[burst_request(blocks) for _ in range(count)])
    await asyncio.sleep(GAP)
    return blocks


async def idle():
    while True:
        await asyncio.sleep(0.05)


def run_loop(loop):
    asyncio.set_event_loop(loop)
    loop.run_until_complete(idle())  # LINE: driver


def sync_spaced():
    blocks = []
    time.sleep(GAP)
    timed(blocks, blocking_io, "sync_spaced", 0.8)
    time.sleep(GAP)
    timed(blocks, blocking_io, "sync_spaced", 0.6)
    time.sleep(GAP)
    timed(blocks, cpu_burn, "sync_spaced", 0.6)
    time.sleep(GAP)
    return blocks


def sync_burst(count):
    blocks = []
    time.sleep(GAP)
    for _ in range(count):
        timed(blocks, blocking_io, "sync_burst", BURST)
    time.sleep(GAP)
    return blocks


def run_synchronously(jobs):
    """The main thread takes jobs (a function and its argument) and hands back what they return."""
    while True:
        function, argument, reply = jobs.get()
        reply.put(function(argument) if argument is not None else function())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--loop", choices=("uvloop", "asyncio", "none"), required=True)
    args = parser.parse_args()
    info = {"loop": args.loop}
    if args.loop == "none":
        import queue

        jobs = queue.Queue()

        def call(function, argument=None):
            reply = queue.Queue()
            jobs.put((function, argument, reply))
            return {"blocks": reply.get(timeout=60)}

        self_dump.start({"spaced": lambda arg: call(sync_spaced), "burst": lambda arg: call(sync_burst, int(arg))})
        self_dump.ready(script="loop_blocks", **info)
        run_synchronously(jobs)
        return
    if args.loop == "uvloop":
        uvloop = import_uvloop()
        info["uvloop"] = uvloop.__version__
        loop = uvloop.new_event_loop()
    else:
        loop = asyncio.new_event_loop()

    def on_loop(coroutine):
        return {"blocks": asyncio.run_coroutine_threadsafe(coroutine, loop).result(timeout=60)}

    self_dump.start({"spaced": lambda arg: on_loop(spaced()), "burst": lambda arg: on_loop(burst(int(arg)))})
    loop.call_soon(lambda: self_dump.ready(script="loop_blocks", thread=threading.current_thread().name, **info))
    run_loop(loop)


if __name__ == "__main__":
    main()
