#!/usr/bin/env bash
# The agent measured side by side with austin (hack/bench/agent_bench.py does the work):
#   1. CPU per sample: spin.py at depth 3 and 200 (Python 3.11), 100 Hz and 1 kHz; fixed cost: 1 s at 1 Hz
#   1b. wall mode (ours --mode wall, austin without -s): CPU per sample at depth 3 and 200, 100 Hz and 1 kHz
#   1c. dump: CPU and wall time of one `pyrometer dump --pid` against one `austin -w`, median of N calls
#   2. reads per tick on 2 threads x 50 frames (the agent's own count; process_vm_readv under strace)
#   3. achieved rate at 100, 500 and 1000 Hz
#   4. requests/s of gunicorn + 4 uvicorn workers under wrk, ours and austin at 100 Hz / 1 kHz: short
#      windows interleaved with baselines and an A/A arm, profilers frozen outside their windows
#      (steady-state overhead); median % of neighbouring baselines, IQR, bootstrap 95 % interval
#   5. peak RSS, first-sample latency, how soon a respawned worker is sampled
#   6. cpu-mode shares with 2x more busy threads than CPUs: each tool's error in points against the
#      target's own thread_time (hack/bench/oversubscribed.py)
# Prints raw runs, medians and ratios (ours / austin), then a summary table, also written to
# artifacts/bench/summary.md. Asserts nothing about timings. Every process it starts is stopped on
# exit, Ctrl-C included. Everything listens on and talks to 127.0.0.1.
#
# Usage: hack/bench-agent.sh
# Environment (defaults in brackets; about 7 minutes with them on 2 cores):
#   PYROMETER_BENCH_ROUNDS [3]          rounds; every round runs every configuration once
#   PYROMETER_BENCH_SECONDS [5]         seconds per profile in sections 1-3
#   PYROMETER_BENCH_DUMP_CALLS [5]      dump: calls per tool, round and target depth
#   PYROMETER_BENCH_LOAD_CYCLES [24]    throughput: cycles per rate; a cycle is B X B X B X, X = ours,
#                                       austin, none (about 90 s per rate with the defaults)
#   PYROMETER_BENCH_LOAD_WINDOW_MS [500]  throughput: length of one counted window
#   PYROMETER_BENCH_LOAD_SETTLE_MS [100]  throughput: pause after resuming a profiler, before counting
#   PYROMETER_BENCH_LOAD_COUNTER [io]   io: one wrk, requests counted from its read bytes in /proc/PID/io;
#                                       wrk: one wrk run per window (whole seconds; measured noisier)
#   PYROMETER_BENCH_LOAD_SECONDS [8]    seconds of wrk load per run in the opt-in section load-runs
#   PYROMETER_BENCH_CONNECTIONS [8]     wrk connections (2 wrk threads)
#   PYROMETER_BENCH_RECORDS [200]       GET /slow?records=N, the request under load
#   PYROMETER_BENCH_SECTIONS [cpu,wall,dump,reads,load,respawn,oversubscribed]  (also: load-runs, whole runs with start-up)
#   PYROMETER_BENCH_PYTHON [/usr/bin/python3.11]       the spin.py targets' interpreter (austin: <= 3.13)
#   PYROMETER_BENCH_SERVICE_PYTHON [/usr/bin/python3]  gunicorn's interpreter
#   PYROMETER_BENCH_OUT [artifacts/bench]   where runs.jsonl, logs/ and summary.md go
#   PYROMETER_BENCH_KEEP [0]            1 keeps the profiles both tools wrote (austin's can be large)
#   PYROMETER_BENCH_NICE [0]            niceness of every process started (e.g. -10 on a busy shared machine)
#   PYROMETER_AGENT [artifacts/agent/pyrometer], PYROMETER_AUSTIN, PYROMETER_WRK (see hack/lib/test-env.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  -h|--help) sed -n '2,36p' "$0"; exit 0 ;;
  "") ;;
  *) echo "bench-agent: unknown argument '$1' (try --help; settings are environment variables)" >&2; exit 2 ;;
esac

# shellcheck source=hack/lib/test-env.sh
source hack/lib/test-env.sh
command -v python3 >/dev/null || { echo "bench-agent: python3 is needed to run the harness" >&2; exit 1; }

# exec: the harness is then the foreground process, so Ctrl-C and TERM reach it directly and its
# finally blocks stop every child. -B: no __pycache__ in the source tree.
exec python3 -B hack/bench/agent_bench.py
