"""Writes linetables-3.X.json: raw line tables of real code objects plus the line CPython itself
assigns to every instruction, for LineTableTests. Run with each interpreter to cover:

    for v in /root/.pyenv/versions/3.{8,9,10,11,12,13}*; do "$v/bin/python" -B generate.py; done

and with the Debian sid 3.14/3.15 interpreters hack/install-test-deps.sh unpacks (pythons.tsv).

Oracles: dis.findlinestarts() over co_lnotab (3.8/3.9, byte offsets) and co_lines() (3.10+,
converted to 16-bit code units). A line of None ("no line") is written as 0.
"""
import dis
import importlib
import json
import os
import sys

MODULES = ["json.decoder", "textwrap", "argparse", "string", "difflib", "dataclasses", "ast", "inspect"]
MAX_CODES = 400

# Shapes that stress the encoders: negative line deltas (decorators, comprehensions, finally
# duplication), long jumps (> 127 and > 255 lines, and lines past 65 535) and long functions.
SYNTHETIC = '''
import functools

@functools.lru_cache(
    maxsize=None)
def decorated(a,
              b):
    return [x * y
            for x in range(a)
            for y in range(b)
            if x
            ]

def finally_twice(items):
    try:
        for item in items:
            if item:
                continue
    finally:
        print("done")
    return len(items)

class Outer:
    def method(self):
        def inner():
            return lambda q: (q,
                              q)
        return inner
''' + "\n" * 300 + '''
def after_gap():
    x = 1''' + "\n" * 70000 + '''
    return x
''' + "".join("\ndef gen_%d():\n    yield %d\n    yield from range(%d)\n" % (i, i, i) for i in range(20))


def codes_of(code, out):
    if len(out) >= MAX_CODES:
        return
    out.append(code)
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            codes_of(const, out)


def ranges_of(code):
    if sys.version_info < (3, 10):
        starts = list(dis.findlinestarts(code))
        result = []
        for i, (start, line) in enumerate(starts):
            end = starts[i + 1][0] if i + 1 < len(starts) else len(code.co_code)
            if end > start:
                result.append([start, end, line])
        return "lnotab", code.co_lnotab, result
    fmt = "linetable310" if sys.version_info < (3, 11) else "locations"
    result = [[start // 2, end // 2, line or 0] for start, end, line in code.co_lines() if end > start]
    return fmt, code.co_linetable, result


def main():
    codes = []
    codes_of(compile(SYNTHETIC, "synthetic.py", "exec"), codes)
    for name in MODULES:
        module = importlib.import_module(name)
        with open(module.__file__, encoding="utf-8") as handle:
            codes_of(compile(handle.read(), module.__file__, "exec"), codes)
    entries = []
    fmt = None
    for code in codes[:MAX_CODES]:
        fmt, table, ranges = ranges_of(code)
        entries.append({
            "name": code.co_name,
            "firstLine": code.co_firstlineno,
            "table": table.hex(),
            "ranges": ranges,
        })
    version = "%d.%d" % sys.version_info[:2]
    document = {"python": sys.version.split()[0], "format": fmt, "codes": entries}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "linetables-%s.json" % version)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(document, handle, separators=(",", ":"))
        handle.write("\n")
    print("%s: %d code objects -> %s" % (version, len(entries), path))


if __name__ == "__main__":
    main()
