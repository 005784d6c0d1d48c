"""Forks a child that exits at once and is never reaped; the parent keeps running hot.

The child stays a zombie (state Z in /proc/<child>/stat) for as long as the parent lives, which is
what a profiler following --subprocesses meets in real services. The fork happens before any
thread exists, so it is safe on every version. READY reports {"child_pid": ..., "lines": {...}}.
The `child` command answers {"child_pid": ..., "state": "Z"} read from /proc.
"""

import os

import self_dump


def parent_spin():
    x = 0
    while True:
        x = (x * 31 + 7) % 1000003  # LINE: spin


def child_state(pid):
    with open("/proc/%d/stat" % pid) as f:
        text = f.read()
    # The command name is in parentheses and may contain spaces; the state follows the last ')'.
    return text[text.rindex(")") + 2]


def main():
    child = os.fork()
    if child == 0:
        os._exit(0)
    # Wait until the child really is a zombie, without reaping it.
    while child_state(child) != "Z":
        os.sched_yield()
    self_dump.start({"child": lambda arg: {"child_pid": child, "state": child_state(child)}})
    self_dump.ready(script="zombie_child", file=__file__, child_pid=child,
                    lines={"spin": self_dump.source_line(__file__, "spin")})
    parent_spin()


if __name__ == "__main__":
    main()
