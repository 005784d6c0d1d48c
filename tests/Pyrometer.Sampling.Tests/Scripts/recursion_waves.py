"""Recurses down to a random depth and back up again, over and over, on the main thread.

The frame chain changes thousands of times a second, so a sampler that does not notice a torn
read of it emits stacks cut off above `<module>`. Every real stack of the main thread ends
`... recurse, wave, main, <module>`. With --threads N, N more threads do the same (READY lists
their native ids under "threads"). A short --switch-interval hands the GIL from thread to thread
often, so a frame one thread frees is soon another thread's (frames come from one shared free list
on <=3.10).

Usage: recursion_waves.py [--max-depth N] [--threads N] [--switch-interval SECONDS]   (defaults 150, 0, Python's)
"""

import argparse
import random
import sys
import threading

import self_dump


def recurse(remaining):
    if remaining > 0:
        return recurse(remaining - 1) + 1
    return 0


def wave(max_depth, rng):
    return recurse(rng.randint(max_depth // 3, max_depth))


def waves_forever(max_depth, seed, started, native_ids):
    native_ids.append(threading.get_native_id())
    started.release()
    rng = random.Random(seed)
    while True:
        wave(max_depth, rng)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-depth", type=int, default=150)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--switch-interval", type=float, default=None)
    args = parser.parse_args()
    if not 3 <= args.max_depth <= 900:
        parser.error("--max-depth must be between 3 and 900")
    if not 0 <= args.threads <= 32:
        parser.error("--threads must be between 0 and 32")
    if args.switch_interval is not None:
        sys.setswitchinterval(args.switch_interval)
    started = threading.Semaphore(0)
    native_ids = []
    for i in range(args.threads):
        threading.Thread(target=waves_forever, args=(args.max_depth, 100 + i, started, native_ids), name=f"waves-{i}", daemon=True).start()
    for _ in range(args.threads):
        started.acquire()
    rng = random.Random(13)
    self_dump.start()
    self_dump.ready(script="recursion_waves", file=__file__, threads=sorted(native_ids))
    while True:
        wave(args.max_depth, rng)


if __name__ == "__main__":
    main()
