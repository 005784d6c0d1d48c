"""Three event loops (the main thread's and two threads' own) holding tasks of a known tree, for `dump --async`.

  main loop    main          main_task                                  awaits a Future
               nested        nested -> middle -> leaf                   awaits a Future
               gatherer      gatherer                                   awaits a _GatheringFuture
                 gather-1/2  gathered -> Event.wait                     parent gatherer
               waiter        waits_for                                  awaits the Task "awaited"
                 awaited     awaited_target -> asyncio.sleep            parent waiter
               group         group_parent -> TaskGroup.__aexit__        (3.11+)
                 group-1     group_child -> asyncio.sleep               parent group
                 group-2     group_nested -> group_child -> sleep       parent group
                 group-3     group_child -> asyncio.sleep               parent group (its callback in fut_callbacks)
  loop-a       a-sleeper     a_sleeper -> asyncio.sleep
               a-outer       outer_of -> (awaits the task a-inner)
                 a-inner     awaited_target -> asyncio.sleep            parent a-outer
  loop-b       b-gatherer    gatherer; children b-gather-1/2
               b-blocker     blocker: running, stuck in time.sleep

Once settled, READY carries the script's own view: {"tasks": [{"name", "frames": [{"function", "line"}]
innermost first (the cr_await chain), "awaited" (type of _fut_waiter), "parent" (by construction),
"thread" (the ident of the thread running the task's loop), "running"}], "threads": {"main"|"loop-a"|
"loop-b": {"ident", "native_id"}}}.
"""

import asyncio
import sys
import threading
import time

import self_dump

PARENTS = {}
RUNNING = set()
KEEP = []  # tasks parked on an Event nobody else holds would be garbage-collected


async def leaf(fut):
    await fut  # LINE: leaf


async def middle(fut):
    await leaf(fut)  # LINE: middle


async def nested(fut):
    await middle(fut)  # LINE: nested


async def gathered(event):
    await event.wait()  # LINE: gathered


async def gatherer(event, prefix):
    KEEP.append(event)
    children = [asyncio.ensure_future(gathered(event)) for _ in range(2)]
    for i, child in enumerate(children):
        child.set_name("%s-%d" % (prefix, i + 1))
        PARENTS[child.get_name()] = asyncio.current_task().get_name()
    await asyncio.gather(*children)  # LINE: gatherer


async def awaited_target():
    await asyncio.sleep(3600)  # LINE: awaited


async def waits_for(name):
    me = asyncio.current_task().get_name()
    task = asyncio.get_running_loop().create_task(awaited_target(), name=name)
    PARENTS[name] = me
    await task  # LINE: waits_for


async def group_child():
    await asyncio.sleep(3600)  # LINE: group_child


async def group_nested():
    await group_child()  # LINE: group_nested


async def group_parent():
    async with asyncio.TaskGroup() as group:
        group.create_task(group_child(), name="group-1")
        group.create_task(group_nested(), name="group-2")
        # group-3 gets another done-callback first, so the group's own lands in the fut_callbacks list.
        third = group.create_task(group_child(), name="group-3")
        third.remove_done_callback(group._on_task_done)
        third.add_done_callback(lambda _: None)
        third.add_done_callback(group._on_task_done)
        PARENTS["group-1"] = PARENTS["group-2"] = PARENTS["group-3"] = "group"


async def a_sleeper():
    await asyncio.sleep(3600)  # LINE: a_sleeper


async def blocker(started):
    RUNNING.add(asyncio.current_task().get_name())
    started.set()
    time.sleep(3600)  # LINE: blocker


def chain(task):
    frames = []
    awaitable = task.get_coro()
    while asyncio.iscoroutine(awaitable) and awaitable.cr_frame is not None and len(frames) < 100:
        frames.append({"function": awaitable.cr_code.co_name, "line": awaitable.cr_frame.f_lineno})
        awaitable = awaitable.cr_await
    frames.reverse()
    return frames


def run_loop(loop, setup, started):
    asyncio.set_event_loop(loop)
    loop.run_until_complete(setup())
    loop.call_soon(started.set)
    loop.run_forever()


def start_thread(name, setup):
    loop = asyncio.new_event_loop()
    started = threading.Event()
    thread = threading.Thread(target=run_loop, args=(loop, setup, started), name=name, daemon=True)
    thread.start()
    started.wait()
    return loop, thread


async def settle():
    for _ in range(5):
        await asyncio.sleep(0.02)  # every task reaches its parking await


async def setup_a():
    loop = asyncio.get_running_loop()
    loop.create_task(a_sleeper(), name="a-sleeper")
    loop.create_task(waits_for("a-inner"), name="a-outer")
    await settle()


def start_b():
    loop = asyncio.new_event_loop()
    started = threading.Event()

    def run():
        asyncio.set_event_loop(loop)

        async def setup():
            loop.create_task(gatherer(asyncio.Event(), "b-gather"), name="b-gatherer")
            await settle()
            loop.create_task(blocker(started), name="b-blocker")  # runs last and never yields

        loop.run_until_complete(setup())
        loop.run_forever()

    thread = threading.Thread(target=run, name="loop-b", daemon=True)
    thread.start()
    started.wait()
    return loop, thread


def main():
    self_dump.start()
    loop_a, thread_a = start_thread("loop-a", setup_a)
    loop_b, thread_b = start_b()
    time.sleep(0.1)

    async def amain():
        loop = asyncio.get_running_loop()
        asyncio.current_task().set_name("main")
        fut = loop.create_future()
        event = asyncio.Event()
        loop.create_task(nested(fut), name="nested")
        loop.create_task(gatherer(event, "gather"), name="gatherer")
        loop.create_task(waits_for("awaited"), name="waiter")
        if sys.version_info >= (3, 11):
            loop.create_task(group_parent(), name="group")

        def report():
            tasks = []
            for owner in (loop, loop_a, loop_b):
                for task in asyncio.all_tasks(owner):
                    waiting = getattr(task, "_fut_waiter", None)
                    running = task.get_name() in RUNNING
                    tasks.append({
                        "name": task.get_name(),
                        "frames": chain(task)[-1:] if running else chain(task),
                        "awaited": None if running or waiting is None else type(waiting).__name__,
                        "parent": PARENTS.get(task.get_name()),
                        "thread": owner._thread_id,
                        "running": running,
                    })
            threads = {t.name if t is not threading.main_thread() else "main": {"ident": t.ident, "native_id": t.native_id}
                       for t in (threading.main_thread(), thread_a, thread_b)}
            self_dump.ready(script="async_dump", file=__file__, tasks=sorted(tasks, key=lambda t: t["name"]), threads=threads)

        loop.call_later(0.3, report)
        await loop.create_future()  # LINE: main

    asyncio.run(amain())


if __name__ == "__main__":
    main()
