"""Finds, inside this interpreter's own memory, the private offsets the 3.8-3.13 asyncio task reader uses.

Run with each interpreter (python3.X hack/layouts/asyncio_offsets.py); it prints one line of offsets.
The method: build objects whose fields hold known objects, then look for those objects' addresses
(id()) among the words of the structure. Checked against Modules/_asynciomodule.c, Include/genobject.h
and the frame headers of each version; the tables in TaskLayout.cs must agree with what this prints.
"""

import asyncio
import ctypes
import gc
import sys

WORD = ctypes.sizeof(ctypes.c_void_p)


def words(address, count):
    return list((ctypes.c_uint64 * count).from_address(address))


def find(address, count, value, what):
    found = [i * WORD for i, w in enumerate(words(address, count)) if w == value]
    if not found:
        raise SystemExit(f"{what}: not found")
    return found


async def inner(fut):
    await fut


async def outer(fut):
    await inner(fut)


async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    task = loop.create_task(outer(fut), name="calibration")
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    coro = task.get_coro()
    size = type(task).__basicsize__ // WORD
    out = {}
    out["task_basicsize"] = type(task).__basicsize__
    out["task_coro"] = find(id(task), size, id(coro), "task_coro")
    out["task_fut_waiter"] = find(id(task), size, id(fut), "task_fut_waiter")
    out["task_loop"] = find(id(task), size, id(loop), "task_loop")
    # Done-callbacks: the first in fut_callback0, later ones in the fut_callbacks list of (callback, context).
    first, second = (lambda _: None), (lambda _: None)
    task.add_done_callback(first)
    task.add_done_callback(second)
    out["task_callback0"] = find(id(task), size, id(first), "fut_callback0")
    callbacks = [r for r in gc.get_referents(task) if type(r) is list and r and r[0][0] is second]
    out["task_callbacks"] = find(id(task), size, id(callbacks[0]), "fut_callbacks") if callbacks else "not found"
    task.remove_done_callback(first)
    task.remove_done_callback(second)
    name_obj = task.get_name()
    hits = [i * WORD for i, w in enumerate(words(id(task), size)) if w == id(name_obj)]
    out["task_name"] = hits or "not the str (lazy int?)"
    # The generator object: where the frame sits (pointer before 3.11, embedded after).
    gsize = type(coro).__basicsize__ // WORD + 40
    if sys.version_info < (3, 11):
        out["gen_frame_pointer"] = find(id(coro), 8, id(coro.cr_frame), "gi_frame")
        frame = id(coro.cr_frame)
        # The yield-from target (the awaited inner coroutine) is the top of the value stack.
        fsize = type(coro.cr_frame).__basicsize__ // WORD + 20
        slot = find(frame, fsize, id(coro.cr_await), "awaited on stack")
        out["awaited_slot"] = slot
        out["frame_basicsize"] = type(coro.cr_frame).__basicsize__
        ws = words(frame, fsize)
        if sys.version_info < (3, 10):
            out["f_stacktop"] = [i * WORD for i, w in enumerate(ws) if w == frame + slot[0] + WORD]
        else:
            # f_stackdepth (int) and f_valuestack (pointer); print candidates.
            out["f_valuestack_candidates"] = [(i * WORD, w - frame) for i, w in enumerate(ws) if frame < w < frame + fsize * WORD]
            out["f_stackdepth@80"] = ctypes.c_int.from_address(frame + 80).value
            out["f_state@108"] = ctypes.c_byte.from_address(frame + 108).value
    else:
        code = id(coro.cr_code)
        out["code_hits"] = find(id(coro), gsize, code, "code in gen")
        out["awaited_hits"] = find(id(coro), gsize, id(coro.cr_await), "awaited in gen")
        out["gen_basicsize"] = type(coro).__basicsize__
        iframe = out["code_hits"][-1] - (32 if sys.version_info < (3, 12) else 0)
        out["iframe"] = iframe
        out["stacktop@iframe+64"] = ctypes.c_int.from_address(id(coro) + iframe + 64).value
        out["frame_state@iframe-5/-13"] = [ctypes.c_byte.from_address(id(coro) + iframe - d).value for d in (5, 13)]
    print(sys.version.split()[0], out)
    fut.set_result(None)
    await task


asyncio.run(main())


def future_state_offset():
    """Where fut_state (0 pending, 1 cancelled, 2 finished) sits: the one int that tells three futures apart."""
    loop = asyncio.new_event_loop()
    futures = [loop.create_future() for _ in range(3)]
    futures[1].cancel()
    futures[2].set_result(None)
    size = type(futures[0]).__basicsize__
    ints = [list((ctypes.c_int * (size // 4)).from_address(id(f))) for f in futures]
    hits = [i * 4 for i in range(size // 4) if [x[i] for x in ints] == [0, 1, 2]]
    loop.close()
    return hits


print(sys.version.split()[0], "fut_state", future_state_offset())
