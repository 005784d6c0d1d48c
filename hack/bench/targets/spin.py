"""A CPU-bound benchmark target: THREADS threads, each spinning in spin() under DEPTH - 1 frames of descend().

Usage: python3 spin.py [--depth N] [--threads N] [--max-seconds N]

The main thread is one of the spinning threads. Once every thread has reached its leaf, the script
prints "ready <pid>" on stdout, so the harness knows the stacks are as deep as they will get before
it attaches a profiler. It spins until killed, and exits on its own after --max-seconds or when its
parent (the harness) is gone, so an interrupted benchmark never leaves it burning a core.
Standard library only: any interpreter the profilers can read runs it.
"""

import argparse
import os
import signal
import sys
import threading
import time


def parse_args(argv):
    parser = argparse.ArgumentParser(description="CPU-bound profiler benchmark target")
    parser.add_argument("--depth", type=int, default=3, help="frames of descend() and spin() per stack (2-900)")
    parser.add_argument("--threads", type=int, default=1, help="spinning threads, the main thread included (1-64)")
    parser.add_argument("--max-seconds", type=float, default=600.0, help="exit after this long whatever happens")
    args = parser.parse_args(argv)
    # The recursion limit is 1000 and the module frame and descend() count against it.
    if not 2 <= args.depth <= 900:
        parser.error("--depth must be between 2 and 900, not %d" % args.depth)
    if not 1 <= args.threads <= 64:
        parser.error("--threads must be between 1 and 64, not %d" % args.threads)
    if args.max_seconds <= 0:
        parser.error("--max-seconds must be positive")
    return args


def spin(on_leaf, deadline, parent):
    on_leaf()
    total = 0
    while True:
        for i in range(2000):
            total += i * i
        # A cheap guard, checked every few hundred microseconds: never outlive the harness.
        if time.monotonic() > deadline or os.getppid() != parent:
            os._exit(0)


def descend(levels, on_leaf, deadline, parent):
    # LEVELS frames of descend(), then spin(): LEVELS + 1 frames of ours. The main thread has main()
    # and the module frame above them, a worker threading's three bootstrap frames.
    if levels <= 1:
        spin(on_leaf, deadline, parent)
    else:
        descend(levels - 1, on_leaf, deadline, parent)


def main(argv):
    args = parse_args(argv)
    # Ctrl-C on the harness reaches this process group too: die quietly, without a traceback.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    deadline = time.monotonic() + args.max_seconds
    parent = os.getppid()
    arrived = [threading.Event() for _ in range(args.threads - 1)]
    for event in arrived:
        worker = threading.Thread(target=descend, args=(args.depth - 1, event.set, deadline, parent), daemon=True)
        worker.start()

    def announce():
        for event in arrived:
            event.wait()
        sys.stdout.write("ready %d\n" % os.getpid())
        sys.stdout.flush()

    descend(args.depth - 1, announce, deadline, parent)


if __name__ == "__main__":
    main(sys.argv[1:])
