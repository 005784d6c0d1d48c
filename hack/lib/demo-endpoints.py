"""What a profile of the demo service (hack/demo-app/app.py) shows for each of its endpoints.

    demo-endpoints.py FOLDED... [--quote-rate REQUESTS_PER_SECOND]

Reads folded profiles (one `frame;frame;... count` line per stack, root first; one file per pod, as the
pods' PIDs repeat) recorded in wall or async mode and prints, per endpoint, how often its handler is on a
thread's stack and what runs below it, then how the event-loop threads spent their samples; in async mode
also what each endpoint's tasks were awaiting (the stacks with `[task NAME]` frames). --quote-rate (GET /quote's requests per second, from the load generator)
adds the blocked share the service's own numbers predict: each request blocks its loop for
QUOTE_BLOCK_SECONDS.
"""

import argparse
import collections
import re

# Each endpoint's handler in app.py, and what the demo wants the reader to see there.
ENDPOINTS = [
    ("GET /slow", "slow", "CPU in a worker thread (a plain def)"),
    ("GET /listings", "listings", "N+1 queries to PostgreSQL, awaited"),
    ("GET /quote", "quote", "a blocking call inside async def"),
]
QUOTE_BLOCK_SECONDS = 0.1          # lookup_exchange_rate's time.sleep in app.py
LOOP_FRAMES = ("Runner.run", "BaseEventLoop.run_forever", "BaseEventLoop.run_until_complete")
# Innermost frames of a loop with nothing to run: uvloop waits in C under Runner.run, asyncio in select.
IDLE_LEAVES = LOOP_FRAMES + ("BaseEventLoop._run_once", "EpollSelector.select", "select", "poll")
PID = re.compile(r"\bpid (\d+)\b")


def function(frame):
    """`name (file:line)` -> name; a process or thread root frame stays whole."""
    return frame.rsplit(" (", 1)[0] if frame.endswith(")") and " (" in frame else frame


def process_key(source, frames):
    """Which process a stack is from: its file (a pod) and the root frame's PID."""
    match = PID.search(frames[0])
    return source, match.group(1) if match else frames[0]


def read_folded(paths):
    """(source, frames, count) for every stack of every file."""
    stacks = []
    for source, path in enumerate(paths):
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                stack, _, count = line.rstrip("\n").rpartition(" ")
                if stack and count.isdigit():
                    stacks.append((source, stack.split(";"), int(count)))
    return stacks


def handler_index(frames, handler):
    # The handler is a frame of app.py; match the file too, so a library function of the same name is no hit.
    for index, frame in enumerate(frames):
        if function(frame) == handler and "app.py:" in frame:
            return index
    return -1


def percent(part, whole):
    return 100.0 * part / whole if whole else 0.0


def is_task_stack(frames):
    return any(frame.startswith("[task ") for frame in frames)


def report(stacks, quote_rate):
    tasks = [stack for stack in stacks if is_task_stack(stack[1])]
    report_threads([stack for stack in stacks if not is_task_stack(stack[1])], quote_rate, awaits_shown=bool(tasks))
    if tasks:
        report_awaits(tasks)


def report_awaits(tasks):
    """Async mode: per endpoint, the task samples under its handler and where they wait."""
    total = sum(count for _, _, count in tasks)
    print(f"    (async mode: {total} task samples, one per suspended asyncio task per tick)")
    for path, handler, _ in ENDPOINTS:
        awaiting = 0
        waits_in = collections.Counter()
        for _, frames, count in tasks:
            index = handler_index(frames, handler)
            if index < 0:
                continue
            awaiting += count
            # The innermost real function (the coroutine that awaits) and what it awaits.
            leaf = len(frames) - 1
            awaited = function(frames[leaf]) if frames[leaf].startswith("[await ") else ""
            while leaf > index and frames[leaf].startswith("["):
                leaf -= 1
            # And the service's own coroutine under the handler that led there (e.g. the N+1's per-row query).
            own = max((i for i in range(index, leaf + 1) if "app.py:" in frames[i]), default=index)
            via = f"{function(frames[own])} → " if own < leaf else ""
            waits_in[f"{via}{function(frames[leaf])} {awaited}".strip()] += count
        if awaiting:
            where = ", ".join(f"{name} {percent(n, awaiting):.0f} %" for name, n in waits_in.most_common(2))
            print(f"    {path:14} awaiting under `{handler}` in {awaiting} task samples; waits in: {where}")
        else:
            print(f"    {path:14} no task awaited under `{handler}`")


def report_threads(stacks, quote_rate, awaits_shown):
    """Every mode: per endpoint, how often its handler is on a thread's stack; the loops' split."""
    total = sum(count for _, _, count in stacks)
    if total == 0:
        print("    the profile has no thread samples")
        return
    print(f"    ({total} thread samples, one per thread per tick, idle threads included)")
    loop_total = 0
    loops = set()
    loop_split = collections.Counter()
    for path, handler, what in ENDPOINTS:
        on_stack = 0
        on_loop = 0
        below = collections.Counter()
        for _, frames, count in stacks:
            index = handler_index(frames, handler)
            if index < 0:
                continue
            on_stack += count
            if any(function(f) in LOOP_FRAMES for f in frames[:index]):
                on_loop += count
            below[function(frames[-1]) if index < len(frames) - 1 else "(its own code)"] += count
        hottest = ", ".join(f"{name} {percent(n, on_stack):.0f} %" for name, n in below.most_common(2))
        where = "on the event loop" if on_loop * 2 > on_stack else "in worker threads"
        line = f"    {path:14} {what}: `{handler}` on a stack in {percent(on_stack, total):5.1f} % of samples"
        print(line + (f", {where}; innermost: {hottest}" if on_stack else ""))
    for source, frames, count in stacks:
        if not any(function(f) in LOOP_FRAMES for f in frames):
            continue
        loop_total += count
        loops.add(process_key(source, frames))
        for path, handler, _ in ENDPOINTS:
            if handler_index(frames, handler) >= 0:
                loop_split[path] += count
                break
        else:
            loop_split["idle" if function(frames[-1]) in IDLE_LEAVES else "other (HTTP, framework)"] += count
    if loop_total == 0:
        print("    no event-loop thread in the profile")
        return
    shares = ", ".join(f"{name} {percent(n, loop_total):.1f} %" for name, n in loop_split.most_common())
    print(f"    the {len(loops)} event loops' samples: {shares}")
    if quote_rate is not None and loops:
        expected = quote_rate * QUOTE_BLOCK_SECONDS / len(loops)
        # At least: after its sleep the thread waits for the GIL (the /slow threads hold it) and a CPU.
        print(f"    GET /quote blocks its loop {QUOTE_BLOCK_SECONDS * 1000:.0f} ms per request: the load's {quote_rate:.2f}"
              f" requests/s predict at least {100 * expected:.1f} % of the loops' time blocked; the profile shows"
              f" {percent(loop_split['GET /quote'], loop_total):.1f} %")
    if not awaits_shown:
        print("    in wall mode an awaiting coroutine is on no stack: /listings' queries count as the loops' idle time")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folded", nargs="+")
    parser.add_argument("--quote-rate", type=float)
    arguments = parser.parse_args()
    report(read_folded(arguments.folded), arguments.quote_rate)


if __name__ == "__main__":
    main()
