#!/usr/bin/env bash
# Async mode's cost against wall mode on CPython 3.14: the agent's CPU per tick (user + system, marginal:
# a short and a long run, so start-up cancels out) recording a target whose event loop holds N parked
# tasks (tests/Pyrometer.Sampling.Tests/Scripts/async_tasks.py N; on 3.8–3.13, which it needs 3.14 for,
# async_registry_tasks.py --extra N, whose tasks await 4 coroutines deep), N = 10, 100, 1000, at 100 Hz. Each
# figure is the median of several rounds (the machine is shared); prints the rounds and a table of
# ms/tick and the async/wall ratio (the goal: at most 2x at 100 tasks).
# Then, when CPython 3.15 and its own sampler are there, the same target under 3.15 recorded by ours in
# async mode and by `python3.15 -m profiling.sampling attach --async-aware --async-mode all` at the same
# rate: CPU per sample side by side. Asserts nothing about timings.
#
# Usage: hack/bench-async.sh
# Environment: PYROMETER_AGENT [artifacts/agent/pyrometer], PYROMETER_BENCH_ASYNC_PYTHON [3.14 from
# the interpreter manifest], PYROMETER_BENCH_PEER_PYTHON [3.15 from the manifest; "none" skips the
# comparison], PYROMETER_BENCH_SHORT [2] and PYROMETER_BENCH_LONG [6] seconds per run,
# PYROMETER_BENCH_ROUNDS [3], PYROMETER_BENCH_TASKS ["10 100 1000"].
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=hack/lib/test-env.sh
source hack/lib/test-env.sh

agent=${PYROMETER_AGENT:-artifacts/agent/pyrometer}
manifest="$PYROMETER_CACHE/pythons.tsv"
python=${PYROMETER_BENCH_ASYNC_PYTHON:-$(awk -F'\t' '$1 ~ /^3\.14/ { print $2; exit }' "$manifest" 2>/dev/null || true)}
peer=${PYROMETER_BENCH_PEER_PYTHON:-$(awk -F'\t' '$1 ~ /^3\.15/ { print $2; exit }' "$manifest" 2>/dev/null || true)}
short=${PYROMETER_BENCH_SHORT:-2}
long=${PYROMETER_BENCH_LONG:-6}
rounds=${PYROMETER_BENCH_ROUNDS:-3}
counts=${PYROMETER_BENCH_TASKS:-10 100 1000}
script=tests/Pyrometer.Sampling.Tests/Scripts/async_tasks.py
[ -x "$agent" ] || { echo "bench-async: no agent at $agent (make agent, or set PYROMETER_AGENT)" >&2; exit 1; }
[ -x "$python" ] || { echo "bench-async: no CPython 3.14 (set PYROMETER_BENCH_ASYNC_PYTHON)" >&2; exit 1; }

work=$(mktemp -d)
target=""
trap '[ -n "$target" ] && kill "$target" 2>/dev/null; rm -rf "$work"' EXIT

# The child's own CPU (user + system) from wait4, to the microsecond: /usr/bin/time rounds to 10 ms,
# as much as a whole short run of wall mode costs. Prints "CPU seconds" after the child's own output.
measure='import os, sys
pid = os.spawnv(os.P_NOWAIT, sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print("CPU %.6f" % (usage.ru_utime + usage.ru_stime), flush=True)'

# start PYTHON TASKS: starts the script with TASKS parked tasks under PYTHON; sets $target.
start() {
  local args=("$script" "$2")
  if ! "$1" -c 'import sys; sys.exit(sys.version_info < (3, 14))'; then
    args=(tests/Pyrometer.Sampling.Tests/Scripts/async_registry_tasks.py --extra "$2")
  fi
  # The script serves commands on stdin and exits when it closes: keep it open (quietly) while we measure.
  "$1" -u "${args[@]}" < <(exec sleep 600 2>/dev/null) > "$work/target.out" 2>&1 &
  for _ in $(seq 200); do grep -q READY "$work/target.out" 2>/dev/null && break; sleep 0.1; done
  target=$(grep -o '"pid": [0-9]*' "$work/target.out" | head -n 1 | grep -o '[0-9]*')
  [ -n "$target" ] || { echo "bench-async: the target did not start: $(head -c 500 "$work/target.out")" >&2; exit 1; }
}

stop() {
  kill "$target" 2>/dev/null || true
  target=""
}

# ours MODE SECONDS: prints "cpu_seconds ticks" of one recording of $target by our agent
ours() {
  local out cpu rate
  out=$("$python" -c "$measure" "$agent" record --pid "$target" --mode "$1" -d "$2" -r 100 -f folded -o "$work/p.folded" --no-progress 2>&1)
  cpu=$(awk '/^CPU / { print $2 }' <<<"$out")
  rate=$(grep -o '([0-9.]* ticks/s' <<<"$out" | grep -o '[0-9.]*' | head -n 1)
  echo "$cpu $(awk -v r="$rate" -v d="$2" 'BEGIN { print r * d }')"
}

# theirs SECONDS: the same by CPython's own sampler, async-aware, every task ("cpu_seconds samples")
theirs() {
  local out cpu samples
  out=$("$python" -c "$measure" "$peer" -m profiling.sampling attach --async-aware --async-mode all -r 100 -d "$1" \
    --collapsed -o "$work/theirs.collapsed" "$target" 2>&1)
  cpu=$(awk '/^CPU / { print $2 }' <<<"$out")
  samples=$(grep -o 'Captured [0-9]* samples' <<<"$out" | grep -o '[0-9]*' | head -n 1)
  echo "$cpu ${samples:-0}"
}

# per_tick RUNNER ARGS...: the marginal ms of CPU per tick between a short and a long run
per_tick() {
  local runner=$1 cpu_s ticks_s cpu_l ticks_l
  shift
  read -r cpu_s ticks_s < <("$runner" "$@" "$short")
  read -r cpu_l ticks_l < <("$runner" "$@" "$long")
  echo "  raw: $runner $* ${short}s: ${cpu_s} s CPU over ${ticks_s} ticks; ${long}s: ${cpu_l} s CPU over ${ticks_l} ticks" >&2
  awk -v a="$cpu_s" -v b="$cpu_l" -v x="$ticks_s" -v y="$ticks_l" 'BEGIN { if (y > x) printf "%.3f", 1000 * (b - a) / (y - x); else print "nan" }'
}

median() {
  tr ' ' '\n' <<<"$*" | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }'
}

echo "async vs wall, CPython $("$python" -c 'import platform; print(platform.python_version())'), 100 Hz, median of $rounds rounds"
table=""
for n in $counts; do
  start "$python" "$n"
  wall=() async=()
  for r in $(seq "$rounds"); do
    wall+=("$(per_tick ours wall)")
    async+=("$(per_tick ours async)")
    echo "  round $r: tasks=$n wall ${wall[-1]} ms/tick, async ${async[-1]} ms/tick" >&2
  done
  stop
  w=$(median "${wall[@]}")
  a=$(median "${async[@]}")
  table+=$(printf '%-6s %-6s %10s %10s\n%-6s %-6s %10s %10s' "$n" wall "$w" "" "$n" async "$a" "$(ratio "$a" "$w")")$'\n'
done
printf '%-6s %-6s %10s %10s\n' tasks mode "ms/tick" "async/wall"
printf '%s' "$table"

if [ "$peer" = none ]; then
  exit 0
fi
if [ ! -x "$peer" ] || ! "$peer" -m profiling.sampling attach --help 2>/dev/null | grep -q -- --async-aware; then
  echo "bench-async: no CPython 3.15 with profiling.sampling --async-aware: the comparison with its sampler is skipped (set PYROMETER_BENCH_PEER_PYTHON)"
  exit 0
fi
echo
echo "ours (async mode) vs python3.15 -m profiling.sampling --async-aware --async-mode all, CPython $("$peer" -c 'import platform; print(platform.python_version())'), 100 Hz, median of $rounds rounds"
table=""
for n in $counts; do
  start "$peer" "$n"
  mine=() peers=()
  for r in $(seq "$rounds"); do
    mine+=("$(per_tick ours async)")
    peers+=("$(per_tick theirs)")
    echo "  round $r: tasks=$n ours ${mine[-1]} ms/sample, theirs ${peers[-1]} ms/sample" >&2
  done
  stop
  m=$(median "${mine[@]}")
  p=$(median "${peers[@]}")
  table+=$(printf '%-6s %12s %12s %12s' "$n" "$m" "$p" "$(ratio "$p" "$m")")$'\n'
done
printf '%-6s %12s %12s %12s\n' tasks "ours ms" "theirs ms" "theirs/ours"
printf '%s' "$table"
