"""A thread paused in `inspect_me` with known local variables, for `dump --locals`.

The thread named "locals-holder" calls inspect_me(7, "text"), which binds locals of every simple
kind plus a list and an instance of a class of this file, then waits on the line marked "wait".

READY reports {"native_id": ..., "line": ..., "locals": {name: repr}} (repr as Python shows it).
"""

import threading

import self_dump


class Widget:
    def __init__(self):
        self.size = 3


def inspect_me(count, label):
    ratio = 2.5
    nothing = None
    flag = True
    items = [1, 2, 3]
    widget = Widget()
    quote = "it's\n"
    payload = b"abcd"
    big = -123456789012
    expected = {
        "count": repr(count), "label": repr(label), "ratio": repr(ratio), "nothing": repr(nothing),
        "flag": repr(flag), "quote": repr(quote), "payload": "<bytes of length 4>", "big": repr(big),
        "items": "<list object at 0x%x>" % id(items), "widget": "<Widget object at 0x%x>" % id(widget),
    }
    holder["expected"] = expected
    holder["native_id"] = threading.get_native_id()
    started.set()
    release.wait()  # LINE: wait


holder = {}
started = threading.Event()
release = threading.Event()


def main():
    thread = threading.Thread(target=inspect_me, args=(7, "text"), name="locals-holder", daemon=True)
    thread.start()
    started.wait()
    self_dump.start()
    self_dump.ready(
        script="local_vars",
        file=__file__,
        native_id=holder["native_id"],
        line=self_dump.source_line(__file__, "wait"),
        locals=holder["expected"],
    )
    release.wait()


if __name__ == "__main__":
    main()
