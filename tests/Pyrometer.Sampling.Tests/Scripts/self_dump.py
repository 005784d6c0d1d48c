"""Test-target plumbing shared by every script in this folder (stdlib only, CPython 3.8-3.15).

A script calls ``start(handlers)`` to serve commands on stdin from a background thread named
``self-dump``, then ``ready(**info)`` once its interesting state exists. The protocol, one line each:

  stdout  READY {"pid": ..., "version": "3.12.1", "main_native_id": ..., **info}   (exactly once)
  stdin   <command> [argument]      ->   stdout  one JSON object on one line

Built-in commands:
  dump   every thread's Python stack from sys._current_frames(), innermost frame first:
         {"threads": [{"native_id", "ident", "name", "frames": [{"function", "qualname", "file", "line"}]}]}
         qualname is null before 3.11 (code objects have no co_qualname there). This is the oracle
         that `pyrometer dump` is compared with.
  ping   {"pong": true}
  quit   {"bye": true}, then the process exits with status 0.
Unknown commands answer {"error": "..."}; nothing else is ever written to stdout after READY.

Run on its own, this file is a target that idles in ``idle_main`` and serves the same commands.
"""

import dis
import json
import os
import sys
import threading
import time

_write_lock = threading.Lock()
_ready = threading.Event()  # commands wait for READY, so READY is always the first line


def _emit(text):
    with _write_lock:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()


def version_text():
    v = sys.version_info
    tag = "" if v.releaselevel == "final" else {"alpha": "a", "beta": "b", "candidate": "rc"}[v.releaselevel] + str(v.serial)
    return "%d.%d.%d%s" % (v.major, v.minor, v.micro, tag)


def frame_record(frame):
    code = frame.f_code
    return {
        "function": code.co_name,
        "qualname": getattr(code, "co_qualname", None),
        "file": code.co_filename,
        "line": frame.f_lineno,
    }


def dump_threads():
    frames = sys._current_frames()
    by_ident = {t.ident: t for t in threading.enumerate()}
    threads = []
    for ident, frame in frames.items():
        thread = by_ident.get(ident)
        stack = []
        while frame is not None:
            stack.append(frame_record(frame))
            frame = frame.f_back
        threads.append({
            "ident": ident,
            "native_id": getattr(thread, "native_id", None) if thread is not None else None,
            "name": thread.name if thread is not None else None,
            "frames": stack,
        })
    threads.sort(key=lambda t: t["native_id"] or 0)
    return {"threads": threads}


def source_line(path, marker):
    """The 1-based line of the first line in PATH that ends with the comment ``# LINE: marker``."""
    with open(path, encoding="utf-8") as f:
        for number, text in enumerate(f, 1):
            if text.rstrip().endswith("# LINE: " + marker):
                return number
    raise LookupError("no line marked %r in %s" % (marker, path))


def function_span(function):
    """[first, last] line of FUNCTION's code: a sampled line inside a hot loop may be any line of it."""
    code = function.__code__
    lines = [line for _, line in dis.findlinestarts(code) if line is not None]
    return [code.co_firstlineno, max(lines) if lines else code.co_firstlineno]


def _serve(handlers):
    table = {"dump": lambda arg: dump_threads(), "ping": lambda arg: {"pong": True}}
    table.update(handlers or {})
    for raw in sys.stdin:
        _ready.wait()
        line = raw.strip()
        if not line:
            continue
        command, _, arg = line.partition(" ")
        if command == "quit":
            _emit(json.dumps({"bye": True}))
            os._exit(0)
        handler = table.get(command)
        if handler is None:
            _emit(json.dumps({"error": "unknown command %r; known: %s" % (command, ", ".join(sorted(table) + ["quit"]))}))
            continue
        try:
            reply = handler(arg)
        except Exception as e:  # a broken handler must not kill the target mid-test
            reply = {"error": "%s: %s" % (type(e).__name__, e)}
        _emit(json.dumps(reply))
    # stdin closed: the test runner went away, so should we.
    os._exit(0)


def start(handlers=None):
    """Serves commands on stdin from a daemon thread named 'self-dump'."""
    thread = threading.Thread(target=_serve, args=(handlers,), name="self-dump", daemon=True)
    thread.start()
    return thread


def ready(**info):
    payload = {
        "pid": os.getpid(),
        "version": version_text(),
        "executable": sys.executable,
        "main_native_id": threading.main_thread().native_id,
    }
    payload.update(info)
    if "file" in payload:
        payload["file"] = os.path.abspath(payload["file"])
    _emit("READY " + json.dumps(payload))
    _ready.set()


def idle_main():
    while True:
        time.sleep(0.05)  # LINE: idle


if __name__ == "__main__":
    start()
    ready(script="self_dump", lines={"idle": source_line(__file__, "idle")})
    idle_main()
