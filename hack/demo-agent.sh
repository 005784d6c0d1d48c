#!/usr/bin/env bash
# The agent alone, without Kubernetes (what `make demo` falls back to without root): profiles a real
# service, gunicorn + 4 uvicorn workers serving the FastAPI app in hack/demo-app/
# on bookworm's /usr/bin/python3, under load from wrk, with
#   pyrometer record --pid <gunicorn master> --subprocesses --duration 10 --format flamegraph,speedscope
# then prints where the flame graph and speedscope files are and the agent's top functions.
# Everything listens on and talks to 127.0.0.1 only; every process started here is stopped on exit.
#
# Usage: hack/demo-agent.sh [--app-only] [--duration SECONDS] [--output-dir DIR]
#   --app-only      start the service, load it, stop it; no agent (checks the service part alone)
#   --duration      seconds to record (default 10); the load runs a little longer than that
#   --output-dir    where the artifacts go (default artifacts/demo/<UTC timestamp>)
# Environment: PYROMETER_AGENT (default artifacts/agent/pyrometer), PYROMETER_DEMO_PYTHON (default /usr/bin/python3).
set -euo pipefail
cd "$(dirname "$0")/.."

app_only=0
duration=10
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --app-only) app_only=1 ;;
    --duration) duration=${2:?--duration needs a number of seconds}; shift ;;
    --output-dir) out=${2:?--output-dir needs a folder}; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "demo: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
if ! [[ "$duration" =~ ^[0-9]+$ ]] || [ "$duration" -lt 1 ] || [ "$duration" -gt 300 ]; then
  echo "demo: --duration must be a whole number of seconds between 1 and 300, not '$duration'" >&2
  exit 2
fi

agent=${PYROMETER_AGENT:-artifacts/agent/pyrometer}
python=${PYROMETER_DEMO_PYTHON:-/usr/bin/python3}
out=${out:-artifacts/demo/$(date -u +%Y%m%dT%H%M%SZ)}

say() { printf '[demo] %s\n' "$*"; }
# Waits for a background process by polling: a blocking `wait` can hold off the INT/TERM traps.
wait_for_exit() {
  while kill -0 "$1" 2>/dev/null; do
    sleep 0.2
  done
  wait "$1"
}
die() { printf '[demo] error: %s\n' "$*" >&2; exit 1; }

# --- what the demo needs --------------------------------------------------------------------
if [ "$app_only" = 0 ] && [ ! -x "$agent" ]; then
  die "no agent at $agent: build it with 'make agent' (or set PYROMETER_AGENT)"
fi
[ -x "$python" ] || die "$python not found: run hack/install-test-deps.sh"
"$python" -c 'import fastapi, gunicorn, uvicorn.workers' 2>/dev/null \
  || die "$python cannot import fastapi, gunicorn and uvicorn: run hack/install-test-deps.sh"
command -v wrk >/dev/null || die "wrk is not installed: run hack/install-test-deps.sh"

mkdir -p "$out"
out=$(cd "$out" && pwd)
logs="$out/logs"
mkdir -p "$logs"

# --- cleanup: always, whatever happens ------------------------------------------------------
gunicorn_pid=""
wrk_pid=""
agent_pid=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  local pid
  for pid in $agent_pid $wrk_pid; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [ -n "$gunicorn_pid" ] && kill -0 "$gunicorn_pid" 2>/dev/null; then
    # TERM is gunicorn's graceful stop (workers finish their request, graceful_timeout = 5 s).
    kill -TERM "$gunicorn_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$gunicorn_pid" 2>/dev/null || break
      sleep 0.1
    done
    # Its own process group (setsid below) holds the master and every worker.
    kill -KILL -- "-$gunicorn_pid" 2>/dev/null || true
    wait "$gunicorn_pid" 2>/dev/null || true
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the service ----------------------------------------------------------------------------
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
base="http://127.0.0.1:$port"
say "starting gunicorn (4 uvicorn workers, $python) on $base"
setsid "$python" -m gunicorn --chdir hack/demo-app -c hack/demo-app/gunicorn.conf.py \
  --bind "127.0.0.1:$port" app:app >"$logs/gunicorn.log" 2>&1 &
gunicorn_pid=$!

healthy=0
for _ in $(seq 1 150); do
  if ! kill -0 "$gunicorn_pid" 2>/dev/null; then
    tail -n 20 "$logs/gunicorn.log" >&2
    die "gunicorn exited during start-up (log: $logs/gunicorn.log)"
  fi
  if curl -fsS --max-time 2 "$base/healthz" >/dev/null 2>&1; then
    healthy=1
    break
  fi
  sleep 0.2
done
[ "$healthy" = 1 ] || die "the service did not become healthy within 30 s (log: $logs/gunicorn.log)"
workers=$(pgrep -P "$gunicorn_pid" | wc -l)
say "healthy: master pid $gunicorn_pid with $workers workers"
[ "$workers" -eq 4 ] || die "expected 4 workers under the master, found $workers"
curl -fsS --max-time 10 "$base/slow?records=10" >/dev/null || die "GET /slow failed"
curl -fsS --max-time 10 "$base/fast" >/dev/null || die "GET /fast failed"

# --- load -----------------------------------------------------------------------------------
load_seconds=$((duration + 5))
say "load: wrk -t2 -c8 -d${load_seconds}s $base/slow"
wrk -t2 -c8 -d"${load_seconds}s" --timeout 10s --latency "$base/slow" >"$logs/wrk.txt" 2>&1 &
wrk_pid=$!
sleep 2   # let every worker get busy before recording

# --- the agent ------------------------------------------------------------------------------
agent_status=0
if [ "$app_only" = 0 ]; then
  say "recording: $agent record --pid $gunicorn_pid --subprocesses --duration $duration --format flamegraph,speedscope --output-dir $out"
  "$agent" record --pid "$gunicorn_pid" --subprocesses --duration "$duration" \
    --format flamegraph,speedscope --output-dir "$out" --result-file "$out/result.json" \
    >"$logs/agent.out" 2>"$logs/agent.err" &
  agent_pid=$!
  wait_for_exit "$agent_pid" || agent_status=$?
  agent_pid=""
fi

wait_for_exit "$wrk_pid" || true
wrk_pid=""
say "load summary:"
grep -E 'Requests/sec|Latency|requests in|Non-2xx|Socket errors' "$logs/wrk.txt" | sed 's/^/    /'
grep -q 'requests in' "$logs/wrk.txt" || die "wrk produced no summary (see $logs/wrk.txt)"

if [ "$app_only" = 1 ]; then
  say "app-only run finished; logs in $logs"
  exit 0
fi

if [ "$agent_status" -ne 0 ]; then
  sed 's/^/    /' "$logs/agent.err" >&2
  die "the agent exited with status $agent_status (output: $logs/agent.out, $logs/agent.err)"
fi

say "artifacts in $out:"
find "$out" -maxdepth 1 -type f -printf '    %f (%s bytes)\n' | sort
if [ -s "$out/result.json" ]; then
  say "the agent's top functions:"
  "$python" - "$out/result.json" <<'EOF'
import json, sys
result = json.load(open(sys.argv[1], encoding="utf-8"))
print("    status %s, %s samples from %d processes" % (result.get("status"), result.get("samples"), len(result.get("processes") or [])))
for entry in (result.get("top") or [])[:10]:
    print("    %6.1f %%  %s  (%s:%s)" % (entry.get("selfPercent", 0.0), entry.get("function"), entry.get("file"), entry.get("line")))
names = [entry.get("function") for entry in result.get("top") or []]
print("    normalise_records/normalise_text among them: %s" % ("yes" if {"normalise_records", "normalise_text"} & set(names) else "NO"))
EOF
else
  say "the agent wrote no result file; its output:"
  sed 's/^/    /' "$logs/agent.out"
fi
