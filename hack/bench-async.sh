#!/usr/bin/env bash
# Async mode's cost against wall mode on CPython 3.14: the agent's CPU per tick (user + system, marginal:
# a short and a long run, so start-up cancels out) recording a target whose event loop holds N parked
# tasks (tests/Pyrometer.Sampling.Tests/Scripts/async_tasks.py N), N = 10, 100, 1000, at 100 Hz. Prints
# one line per run and a table of ms/tick and the async/wall ratio (the goal: at most 2x at 100 tasks).
# Asserts nothing about timings.
#
# Usage: hack/bench-async.sh
# Environment: PYROMETER_AGENT [artifacts/agent/pyrometer], PYROMETER_BENCH_ASYNC_PYTHON [3.14 from
# the interpreter manifest], PYROMETER_BENCH_SHORT [2] and PYROMETER_BENCH_LONG [6] seconds per run.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=hack/lib/test-env.sh
source hack/lib/test-env.sh

agent=${PYROMETER_AGENT:-artifacts/agent/pyrometer}
python=${PYROMETER_BENCH_ASYNC_PYTHON:-$(awk -F'\t' '$1 ~ /^3\.14/ { print $2; exit }' "$PYROMETER_CACHE/pythons.tsv" 2>/dev/null || true)}
short=${PYROMETER_BENCH_SHORT:-2}
long=${PYROMETER_BENCH_LONG:-6}
script=tests/Pyrometer.Sampling.Tests/Scripts/async_tasks.py
[ -x "$agent" ] || { echo "bench-async: no agent at $agent (make agent, or set PYROMETER_AGENT)" >&2; exit 1; }
[ -x "$python" ] || { echo "bench-async: no CPython 3.14 (set PYROMETER_BENCH_ASYNC_PYTHON)" >&2; exit 1; }

work=$(mktemp -d)
target=""
trap '[ -n "$target" ] && kill "$target" 2>/dev/null; rm -rf "$work"' EXIT

# run MODE SECONDS: prints "cpu_seconds ticks" of one recording of $target
run() {
  local out
  out=$( { /usr/bin/time -f "TIME %U %S" "$agent" record --pid "$target" --mode "$1" -d "$2" -r 100 -f folded -o "$work/p.folded" --no-progress; } 2>&1 )
  local cpu rate
  cpu=$(awk '/^TIME/ { print $2 + $3 }' <<<"$out")
  rate=$(grep -o '([0-9.]* ticks/s' <<<"$out" | grep -o '[0-9.]*' | head -n 1)
  echo "$cpu $(awk -v r="$rate" -v d="$2" 'BEGIN { print r * d }')"
}

printf '%-6s %-6s %10s %10s\n' tasks mode "ms/tick" "async/wall"
for n in 10 100 1000; do
  # The script serves commands on stdin and exits when it closes: keep it open (quietly) while we measure.
  "$python" -u "$script" "$n" < <(exec sleep 600 2>/dev/null) > "$work/target.out" 2>&1 &
  for _ in $(seq 100); do grep -q READY "$work/target.out" 2>/dev/null && break; sleep 0.1; done
  target=$(grep -o '"pid": [0-9]*' "$work/target.out" | head -n 1 | grep -o '[0-9]*')
  declare -A per_tick=()
  for mode in wall async; do
    read -r cpu_s ticks_s < <(run "$mode" "$short")
    read -r cpu_l ticks_l < <(run "$mode" "$long")
    per_tick[$mode]=$(awk -v a="$cpu_s" -v b="$cpu_l" -v x="$ticks_s" -v y="$ticks_l" 'BEGIN { printf "%.3f", 1000 * (b - a) / (y - x) }')
    echo "  raw: tasks=$n mode=$mode ${short}s: ${cpu_s} s CPU over ${ticks_s} ticks; ${long}s: ${cpu_l} s CPU over ${ticks_l} ticks" >&2
  done
  printf '%-6s %-6s %10s %10s\n' "$n" wall "${per_tick[wall]}" ""
  printf '%-6s %-6s %10s %10s\n' "$n" async "${per_tick[async]}" "$(awk -v a="${per_tick[async]}" -v w="${per_tick[wall]}" 'BEGIN { if (w > 0) printf "%.1fx", a / w; else print "-" }')"
  kill "$target" 2>/dev/null || true
  target=""
done
