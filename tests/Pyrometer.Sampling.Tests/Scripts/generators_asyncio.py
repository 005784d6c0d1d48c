"""A running generator chain on the main thread and an asyncio task doing CPU work on another.

  main thread        consume -> transform (generator) -> produce (generator, hot line "produce")
  thread "asyncio"   an event loop running the task `crunch` (hot line "crunch"), which yields to
                     the loop with `await asyncio.sleep(0)` between bursts

Sampled stacks should show the generators as ordinary frames (innermost produce, then transform,
then consume) and the coroutine frame `crunch` under the event loop's frames.
READY reports {"main_native_id", "asyncio_native_id", "lines": {...}}.
"""

import asyncio
import threading

import self_dump


def produce():
    x = 0
    while True:
        for i in range(2000):
            x = (x * 31 + i) % 1000003  # LINE: produce
        yield x


def transform(source):
    for value in source:
        yield value ^ 0x5A5A  # LINE: transform


def consume(stream):
    total = 0
    for value in stream:  # LINE: consume
        total = (total + value) % 1000003
    return total


async def crunch():
    x = 0
    while True:
        # Long bursts: with short ones the thread would spend most of its time in the event loop's
        # select(), waiting to take the GIL back from the main thread, and crunch would rarely show.
        for i in range(200000):
            x = (x * 31 + i) % 1000003  # LINE: crunch
        await asyncio.sleep(0)


def run_loop(started, ids):
    ids["asyncio"] = threading.get_native_id()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    task = loop.create_task(crunch())
    loop.call_soon(started.set)
    loop.run_until_complete(task)


def main():
    started = threading.Event()
    ids = {}
    threading.Thread(target=run_loop, args=(started, ids), name="asyncio", daemon=True).start()
    started.wait()
    self_dump.start()
    self_dump.ready(
        script="generators_asyncio",
        file=__file__,
        asyncio_native_id=ids["asyncio"],
        lines={marker: self_dump.source_line(__file__, marker) for marker in ("produce", "transform", "consume", "crunch")},
    )
    consume(transform(produce()))


if __name__ == "__main__":
    main()
