"""An event loop whose task "split" waits in two awaits in turn, about 70 % of its time in long_wait and
30 % in short_wait (70 ms and 30 ms sleeps), and measures how long it actually spends in each.

  split  split -> long_wait -> asyncio.sleep(0.07)     then     split -> short_wait -> asyncio.sleep(0.03)

Commands, besides self_dump's: "reset" starts the count over ({"reset": true}); "shares" answers the
seconds spent in each await since then, {"long_wait": s, "short_wait": s}: the truth that sampled
shares are compared with.
"""

import asyncio
import time

import self_dump

LONG = 0.07
SHORT = 0.03

_spent = {"long_wait": 0.0, "short_wait": 0.0}
_since = [time.monotonic()]


async def long_wait():
    await asyncio.sleep(LONG)  # LINE: long


async def short_wait():
    await asyncio.sleep(SHORT)  # LINE: short


async def split():
    while True:
        started = time.monotonic()
        await long_wait()
        middle = time.monotonic()
        await short_wait()
        ended = time.monotonic()
        # Counted from the last reset only: a wait that began before it counts its part after it.
        since = _since[0]
        _spent["long_wait"] += max(0.0, middle - max(started, since))
        _spent["short_wait"] += max(0.0, ended - max(middle, since))


def reset(arg):
    _since[0] = time.monotonic()
    _spent["long_wait"] = _spent["short_wait"] = 0.0
    return {"reset": True}


def shares(arg):
    return dict(_spent)


async def main():
    asyncio.current_task().set_name("main")
    asyncio.create_task(split(), name="split")
    await asyncio.sleep(0.2)
    self_dump.ready(script="async_shares", file=__file__, long=LONG, short=SHORT)
    await asyncio.Event().wait()


if __name__ == "__main__":
    self_dump.start({"reset": reset, "shares": shares})
    asyncio.run(main())
