"""Recurses down to a random depth and back up again, over and over, on the main thread.

The frame chain changes thousands of times a second, so a sampler that does not notice a torn
read of it emits stacks cut off above `<module>`. Every real stack of the main thread ends
`... recurse, wave, main, <module>`.

Usage: recursion_waves.py [--max-depth N]   (default 150)
"""

import argparse
import random

import self_dump


def recurse(remaining):
    if remaining > 0:
        return recurse(remaining - 1) + 1
    return 0


def wave(max_depth, rng):
    return recurse(rng.randint(max_depth // 3, max_depth))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-depth", type=int, default=150)
    args = parser.parse_args()
    if not 3 <= args.max_depth <= 900:
        parser.error("--max-depth must be between 3 and 900")
    rng = random.Random(13)
    self_dump.start()
    self_dump.ready(script="recursion_waves", file=__file__)
    while True:
        wave(args.max_depth, rng)


if __name__ == "__main__":
    main()
