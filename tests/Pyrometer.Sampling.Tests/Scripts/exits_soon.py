"""Runs hot in `burn_until_exit` for SECONDS after READY, then exits cleanly with status 0.

A target that disappears while it is being sampled. READY reports {"seconds": ..., "lines": {...}}.

Usage: exits_soon.py [--seconds S]   (default 2)
"""

import argparse
import sys
import time

import self_dump


def burn_until_exit(deadline):
    x = 0
    while time.monotonic() < deadline:
        for i in range(1000):
            x = (x * 31 + i) % 1000003  # LINE: burn
    return x


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    if not 0 <= args.seconds <= 3600:
        parser.error("--seconds must be between 0 and 3600")
    self_dump.start()
    self_dump.ready(script="exits_soon", file=__file__, seconds=args.seconds,
                    lines={"burn": self_dump.source_line(__file__, "burn")})
    burn_until_exit(time.monotonic() + args.seconds)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
