"""An event loop on the main thread holding tasks of a known await structure, all parked for good.

  worker-a       worker -> middle -> leaf_sleep -> asyncio.sleep           awaits a Future
  gather-parent  gather_parent                                            awaits a _GatheringFuture
    Task-N (x2)  gathered -> asyncio.Event.wait                           awaits a Future; parent gather-parent
  group-parent   group_parent -> TaskGroup.__aexit__ -> ...               awaits a Future
    tg-child-1/2 group_child -> asyncio.sleep                             parent group-parent
  waiter         awaits_task                                              awaits the Task "awaited"
    awaited      awaited_target -> asyncio.sleep                          parent waiter
  main           main_task                                                awaits a Future (not in the view)

An optional argument N adds N more parked tasks named extra-0 … (for benchmarks).
Once settled, READY carries the script's own view of every task: {"tasks": [{"name", "frames":
[{"function", "line"}] (outermost first, from the coroutines' cr_await chain), "awaited" (type name of
the first awaited object that is not a coroutine, or the future a FutureIter iterates), "parent" (the task awaiting it, from
asyncio.capture_call_graph, or null)}]}.
"""

import asyncio
import sys

import self_dump


async def leaf_sleep():
    await asyncio.sleep(3600)  # LINE: leaf


async def middle():
    await leaf_sleep()  # LINE: middle


async def worker():
    await middle()  # LINE: worker


async def gathered(event):
    await event.wait()  # LINE: gathered


async def gather_parent(event):
    await asyncio.gather(gathered(event), gathered(event))  # LINE: gather


async def group_child():
    await asyncio.sleep(3600)  # LINE: group_child


async def group_parent():
    async with asyncio.TaskGroup() as group:
        group.create_task(group_child(), name="tg-child-1")
        group.create_task(group_child(), name="tg-child-2")


async def awaited_target():
    await asyncio.sleep(3600)  # LINE: awaited


async def awaits_task(task):
    await task  # LINE: awaits_task


async def parked():
    await asyncio.sleep(3600)  # LINE: parked


def chain(task):
    """Outermost first: each coroutine's function and current line, then the type awaited at the end."""
    frames = []
    awaitable = task.get_coro()
    while asyncio.iscoroutine(awaitable) and awaitable.cr_frame is not None and len(frames) < 100:
        frames.append({"function": awaitable.cr_code.co_name, "line": awaitable.cr_frame.f_lineno})
        awaitable = awaitable.cr_await
    if type(awaitable).__name__ == "FutureIter" and task._fut_waiter is not None:
        awaitable = task._fut_waiter  # `await future` leaves the future's iterator on the stack
    return frames, (type(awaitable).__name__ if awaitable is not None else None)


def parent_of(task):
    graph = asyncio.capture_call_graph(task)
    for edge in graph.awaited_by if graph is not None else ():
        future = edge.future
        while not isinstance(future, asyncio.Task):
            # gather: the child is awaited by the _GatheringFuture, which the parent task awaits
            inner = asyncio.capture_call_graph(future)
            if inner is None or not inner.awaited_by:
                break
            future = inner.awaited_by[0].future
        if isinstance(future, asyncio.Task):
            return future.get_name()
    return None


def own_view():
    tasks = []
    for task in asyncio.all_tasks():
        if task is asyncio.current_task():
            continue  # running now: its view would not be the parked one
        frames, awaited = chain(task)
        tasks.append({"name": task.get_name(), "frames": frames, "awaited": awaited, "parent": parent_of(task)})
    return sorted(tasks, key=lambda t: t["name"])


async def main_task(extra):
    event = asyncio.Event()
    asyncio.current_task().set_name("main")
    asyncio.create_task(worker(), name="worker-a")
    asyncio.create_task(gather_parent(event), name="gather-parent")
    asyncio.create_task(group_parent(), name="group-parent")
    awaited = asyncio.create_task(awaited_target(), name="awaited")
    asyncio.create_task(awaits_task(awaited), name="waiter")
    for i in range(extra):
        asyncio.create_task(parked(), name="extra-%d" % i)
    for _ in range(5):
        await asyncio.sleep(0.05)  # every task reaches its parking await
    view = own_view()
    self_dump.ready(script="async_tasks", file=__file__, tasks=view)
    await asyncio.Event().wait()  # LINE: main


def main():
    extra = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    self_dump.start()
    asyncio.run(main_task(extra))


if __name__ == "__main__":
    main()
