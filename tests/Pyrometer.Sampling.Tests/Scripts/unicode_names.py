# -*- coding: utf-8 -*-
"""Functions, a class and a file whose names are not ASCII.

  main thread       функция            spins (Cyrillic function name)          line marked "cyrillic"
  thread "sleeper"  sleeper_ñame       sleeps in time.sleep (Latin-1 range)     line marked "sleeper"
  thread "método"   Ünïcode.método     spins; qualname "Ünïcode.método" (3.11+) line marked "method"
  thread "emoji"    spin_in_emoji_file spins in the file unicode_😀.py           line marked "emoji" there

READY reports each thread's native id, function, qualname, file and line.
"""

import importlib.util
import os
import threading
import time

import self_dump

HERE = os.path.dirname(os.path.abspath(__file__))
EMOJI_FILE = os.path.join(HERE, "unicode_\U0001F600.py")


def sleeper_ñame(started, ids):
    ids["sleeper"] = threading.get_native_id()
    started.release()
    while True:
        time.sleep(0.05)  # LINE: sleeper


class Ünïcode:
    def método(self, started, ids):
        ids["método"] = threading.get_native_id()
        started.release()
        x = 0
        while True:
            x = (x * 31 + 7) % 1000003  # LINE: method


def функция():
    x = 0
    while True:
        x = (x * 31 + 7) % 1000003  # LINE: cyrillic


def load_emoji_module():
    spec = importlib.util.spec_from_file_location("unicode_emoji", EMOJI_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    emoji = load_emoji_module()
    started = threading.Semaphore(0)
    ids = {}

    def emoji_entry():
        ids["emoji"] = threading.get_native_id()
        started.release()
        emoji.spin_in_emoji_file()

    threading.Thread(target=sleeper_ñame, args=(started, ids), name="sleeper", daemon=True).start()
    threading.Thread(target=Ünïcode().método, args=(started, ids), name="método", daemon=True).start()
    threading.Thread(target=emoji_entry, name="emoji", daemon=True).start()
    for _ in range(3):
        started.acquire()
    me = os.path.abspath(__file__)
    self_dump.start()
    self_dump.ready(
        script="unicode_names",
        file=me,
        threads=[
            {"name": "MainThread", "native_id": threading.get_native_id(), "function": "функция",
             "qualname": "функция", "file": me, "line": self_dump.source_line(me, "cyrillic")},
            {"name": "sleeper", "native_id": ids["sleeper"], "function": "sleeper_ñame",
             "qualname": "sleeper_ñame", "file": me, "line": self_dump.source_line(me, "sleeper")},
            {"name": "método", "native_id": ids["método"], "function": "método",
             "qualname": "Ünïcode.método", "file": me, "line": self_dump.source_line(me, "method")},
            {"name": "emoji", "native_id": ids["emoji"], "function": "spin_in_emoji_file",
             "qualname": "spin_in_emoji_file", "file": EMOJI_FILE, "line": self_dump.source_line(EMOJI_FILE, "emoji")},
        ],
    )
    функция()


if __name__ == "__main__":
    main()
