"""Recurses DEPTH frames deep through `recurse`, then spins at the bottom in `spin_at_bottom`.

READY is printed from the bottom, so the whole stack exists when a test starts sampling:
innermost first it is spin_at_bottom, then DEPTH frames of recurse, then main, then <module>.
The `depth` command answers {"depth": DEPTH, "recurse_frames": n} counted from the live stack.

Usage: deep_recursion.py [--depth N]   (default 500)
"""

import argparse
import sys

import self_dump


def spin_at_bottom():
    x = 0
    while True:
        x = (x * 31 + 7) % 1000003  # LINE: spin


def recurse(remaining, on_bottom):
    if remaining > 1:
        return recurse(remaining - 1, on_bottom)  # LINE: recurse
    on_bottom()
    return spin_at_bottom()


def count_recurse_frames(arg):
    main_frame = sys._current_frames()[self_dump.threading.main_thread().ident]
    count = 0
    while main_frame is not None:
        if main_frame.f_code.co_name == "recurse":
            count += 1
        main_frame = main_frame.f_back
    return {"recurse_frames": count}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--depth", type=int, default=500)
    args = parser.parse_args()
    if not 1 <= args.depth <= 5000:
        parser.error("--depth must be between 1 and 5000")
    # Room for the recursion plus the frames above it (main, <module>, ...).
    sys.setrecursionlimit(max(sys.getrecursionlimit(), args.depth + 100))
    self_dump.start({"depth": lambda arg: dict(count_recurse_frames(arg), depth=args.depth)})

    def on_bottom():
        self_dump.ready(
            script="deep_recursion",
            file=__file__,
            depth=args.depth,
            lines={"spin": self_dump.source_line(__file__, "spin"), "recurse": self_dump.source_line(__file__, "recurse")},
        )

    recurse(args.depth, on_bottom)


if __name__ == "__main__":
    main()
