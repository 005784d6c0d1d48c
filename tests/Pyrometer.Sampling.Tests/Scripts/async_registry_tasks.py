"""asyncio tasks with a known await structure, settled, for the task readers.

  main loop (main thread)    Task-1  main            awaits a Future that never completes
                             nested  waiter -> middle -> leaf      awaits a Future
                             sleeper sleeper -> asyncio.sleep       awaits the sleep's Future
                             gatherer gatherer                      awaits gather(child, child): two tasks
                             outer   outer                          awaits the task "inner"
                             inner   inner -> asyncio.sleep
  loop "busy" (thread)       blocker blocker                        runs: blocked in time.sleep, never yields

With --extra N, N more tasks "extra-I" each await deep(3) -> deep(2) -> deep(1) -> deep(0) -> a Future.

Once settled, a callback on the main loop (when none of its tasks runs) writes the script's own view
into READY: {"tasks": [{"id", "name", "frames": [{"function", "line"}] innermost first, "awaited",
"parent", "running_thread"}], "busy_thread": ident}. Parents are known by construction (gather's
children and the awaited task); "awaited" is the type name of the task's _fut_waiter.
"""

import asyncio
import sys
import threading
import time

import self_dump


async def leaf(fut):
    await fut  # LINE: leaf


async def middle(fut):
    await leaf(fut)  # LINE: middle


async def waiter(fut):
    await middle(fut)  # LINE: waiter


async def sleeper():
    await asyncio.sleep(3600)  # LINE: sleeper


async def child(fut):
    await fut  # LINE: child


async def gatherer(fut, children):
    coros = [child(fut), child(fut)]
    gathered = asyncio.gather(*coros)
    children.extend(gathered._children)
    await gathered  # LINE: gatherer


async def inner():
    await asyncio.sleep(3600)  # LINE: inner


async def outer(box):
    task = asyncio.get_running_loop().create_task(inner(), name="inner")
    box.append(task)
    await task  # LINE: outer


async def deep(level, fut):
    if level == 0:
        await fut  # LINE: deep_bottom
    else:
        await deep(level - 1, fut)  # LINE: deep


async def blocker(started):
    started.set()
    time.sleep(3600)  # LINE: blocker


def chain(task):
    frames = []
    coro = task.get_coro()
    while coro is not None and (hasattr(coro, "cr_frame") or hasattr(coro, "gi_frame")):
        frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
        if frame is None:
            break
        frames.append({"function": frame.f_code.co_name, "line": frame.f_lineno})
        coro = getattr(coro, "cr_await", None) if hasattr(coro, "cr_await") else getattr(coro, "gi_yieldfrom", None)
    frames.reverse()
    return frames


def run_busy(loop, started):
    asyncio.set_event_loop(loop)
    loop.create_task(blocker(started), name="blocker")
    loop.run_forever()


def main():
    busy_loop = asyncio.new_event_loop()
    started = threading.Event()
    busy = threading.Thread(target=run_busy, args=(busy_loop, started), name="busy", daemon=True)
    busy.start()
    started.wait()

    async def amain():
        loop = asyncio.get_running_loop()
        fut = loop.create_future()
        forever = loop.create_future()
        children, box = [], []
        parents = {}
        loop.create_task(waiter(fut), name="nested")
        loop.create_task(sleeper(), name="sleeper")
        gathering = loop.create_task(gatherer(fut, children), name="gatherer")
        outer_task = loop.create_task(outer(box), name="outer")
        extra = int(sys.argv[sys.argv.index("--extra") + 1]) if "--extra" in sys.argv else 0
        for i in range(extra):
            loop.create_task(deep(3, fut), name="extra-%d" % i)

        def report():
            for c in children:
                parents[id(c)] = id(gathering)
            for t in box:
                parents[id(t)] = id(outer_task)
            tasks = []
            for t in list(asyncio.all_tasks(loop)) + list(asyncio.all_tasks(busy_loop)):
                waiting = getattr(t, "_fut_waiter", None)
                tasks.append({
                    "id": id(t),
                    "name": t.get_name(),
                    "frames": chain(t),
                    "awaited": type(waiting).__name__ if waiting is not None else None,
                    "parent": parents.get(id(t), 0),
                    "running_thread": busy.ident if t.get_loop() is busy_loop else 0,
                })
            self_dump.ready(tasks=tasks, busy_thread=busy.ident)

        loop.call_later(0.3, report)
        await forever  # LINE: main

    asyncio.run(amain())


if __name__ == "__main__":
    self_dump.start()
    main()
