import json, sys, threading, time

def sleeper_ñame(seconds):
    time.sleep(seconds)

def gen_работа():
    yield 1
    sleeper_ñame(600)
    yield 2

class Worker:
    def run(self):
        for _ in gen_работа():
            pass

def recurse(n):
    if n == 0:
        time.sleep(600)
        return
    return recurse(n - 1)

def spin():
    x = 0
    while True:
        x = (x * 31 + 7) % 1000003

def churn_leaf(n):
    return n * 2

def churn(depth):
    if depth == 0:
        return churn_leaf(depth)
    return churn(depth - 1) + 1

def churner():
    import random
    r = random.Random(5)
    while True:
        churn(r.randint(0, 80))

def report():
    time.sleep(1.0)
    me = threading.get_ident()
    frames = sys._current_frames()
    out = []
    for t in threading.enumerate():
        if t.ident == me or t.name in ("spin", "churn"):
            continue
        f = frames.get(t.ident)
        stack = []
        while f is not None:
            c = f.f_code
            stack.append([c.co_name, getattr(c, "co_qualname", c.co_name), c.co_filename, f.f_lineno])
            f = f.f_back
        out.append({"native": getattr(t, "native_id", 0), "ident": t.ident, "frames": stack})
    print("READY " + json.dumps(out, ensure_ascii=False), flush=True)
    sleeper_ñame(600)

def main_ünï():
    threading.Thread(target=Worker().run, name="worker").start()
    threading.Thread(target=recurse, args=(60,), name="deep").start()
    threading.Thread(target=report, name="report").start()
    if len(sys.argv) > 1:
        threading.Thread(target=spin, name="spin", daemon=True).start()
        threading.Thread(target=churner, name="churn", daemon=True).start()
    sleeper_ñame(600)

if __name__ == "__main__":
    main_ünï()
