#!/usr/bin/env bash
# The agent alone, without Kubernetes (what `make demo` falls back to without root): profiles a real
# service, gunicorn + 4 uvicorn workers serving the FastAPI app in hack/demo-app/
# on bookworm's /usr/bin/python3, with a throwaway PostgreSQL (hack/demo-db/) behind its async endpoint,
# under load from wrk on /slow, /listings (N+1 queries) and /quote (blocks the event loop), with
#   pyrometer record --pid <gunicorn master> --subprocesses --async --duration 10 --format flamegraph,speedscope,folded
# then prints where the files are, the agent's top functions and what the profile shows per endpoint.
# Everything listens on 127.0.0.1 or a unix socket only; every process started here is stopped on exit.
#
# Usage: hack/demo-agent.sh [--app-only] [--duration SECONDS] [--output-dir DIR]
#   --app-only      start the service, load it, stop it; no agent (checks the service part alone)
#   --duration      seconds to record (default 10); the load runs a little longer than that
#   --output-dir    where the artifacts go (default artifacts/demo/<UTC timestamp>)
# Environment: PYROMETER_AGENT (default artifacts/agent/pyrometer), PYROMETER_DEMO_PYTHON (default /usr/bin/python3),
#   PYROMETER_DEMO_MODE (default async; see demo_mode below).
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
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "demo: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
if ! [[ "$duration" =~ ^[0-9]+$ ]] || [ "$duration" -lt 1 ] || [ "$duration" -gt 300 ]; then
  echo "demo: --duration must be a whole number of seconds between 1 and 300, not '$duration'" >&2
  exit 2
fi

# The mode: async by default, as the cluster demo (CI's run of `make demo`): record --async adds each
# asyncio task's await stack, so /listings' queries show under it, and /quote's blocking call shows on the
# loop thread's stack. The blocked-loop line needs asyncio's own loop: where python3-uvloop is installed,
# uvicorn runs uvloop's, which the agent does not see yet. `wall` (or `cpu`) shows threads alone: an
# awaiting coroutine is on no stack there.
demo_mode=${PYROMETER_DEMO_MODE:-async}
case $demo_mode in
  cpu | wall) mode_args=(--mode "$demo_mode") ;;
  async) mode_args=(--async) ;;
  *) echo "demo: PYROMETER_DEMO_MODE must be cpu, wall or async, not '$demo_mode'" >&2; exit 2 ;;
esac

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
"$python" -c 'import fastapi, gunicorn, uvicorn.workers, asyncpg' 2>/dev/null \
  || die "$python cannot import fastapi, gunicorn, uvicorn and asyncpg: run hack/install-test-deps.sh"
command -v wrk >/dev/null || die "wrk is not installed: run hack/install-test-deps.sh"
[ -x /usr/lib/postgresql/15/bin/postgres ] || die "PostgreSQL 15 is not installed: run hack/install-test-deps.sh"

mkdir -p "$out"
out=$(cd "$out" && pwd)
logs="$out/logs"
mkdir -p "$logs"

# --- cleanup: always, whatever happens ------------------------------------------------------
gunicorn_pid=""
wrk_pids=()
agent_pid=""
postgres_pid=""
postgres_dir=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  local pid
  for pid in $agent_pid "${wrk_pids[@]}"; do
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
  if [ -n "$postgres_pid" ] && kill -0 "$postgres_pid" 2>/dev/null; then
    # INT is PostgreSQL's fast shutdown: it ends the sessions and the server's own processes.
    kill -INT "$postgres_pid" 2>/dev/null || true
    wait "$postgres_pid" 2>/dev/null || true
  fi
  [ -z "$postgres_dir" ] || rm -rf "$postgres_dir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the database ---------------------------------------------------------------------------
# A throwaway cluster in a temporary folder, reached over its unix socket only. PostgreSQL refuses to
# run as root: as root it runs as the postgres user the package created (setpriv execs, so the PID
# below is the server's own), from a copy of hack/demo-db/.
postgres_dir=$(mktemp -d)
cp hack/demo-db/postgres.sh hack/demo-db/seed.sql "$postgres_dir/"
postgres_run=()
if [ "$(id -u)" = 0 ]; then
  chown -R postgres: "$postgres_dir"
  postgres_run=(setpriv --reuid=postgres --regid=postgres --init-groups)
fi
db_port=5432   # only names the socket file; nothing listens on TCP
"${postgres_run[@]}" sh "$postgres_dir/postgres.sh" "$postgres_dir/data" "$db_port" >"$logs/postgres.log" 2>&1 &
postgres_pid=$!
export DEMO_DATABASE_URL="postgresql://demo@/postgres?host=$postgres_dir/data&port=$db_port"
ready=0
for _ in $(seq 1 150); do
  kill -0 "$postgres_pid" 2>/dev/null \
    || die "PostgreSQL exited during start-up: $(tail -n 3 "$logs/postgres.log" "$postgres_dir"/data.*.log 2>/dev/null)"
  if /usr/lib/postgresql/15/bin/pg_isready -q -h "$postgres_dir/data" -p "$db_port"; then
    ready=1
    break
  fi
  sleep 0.2
done
[ "$ready" = 1 ] || die "PostgreSQL did not start within 30 s (log: $logs/postgres.log)"
say "PostgreSQL $(/usr/lib/postgresql/15/bin/postgres --version | awk '{print $3}') on the unix socket in $postgres_dir/data (seeded from hack/demo-db/seed.sql)"

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
curl -fsS --max-time 10 "$base/quote" >/dev/null || die "GET /quote failed"
listing=$(curl -fsS --max-time 10 "$base/listings?limit=20") || die "GET /listings failed (log: $logs/gunicorn.log)"
say "GET /listings?limit=20, the service's own timing: $("$python" -c '
import json, sys
answer = json.load(sys.stdin)
print("%d listings, %d queries, %.1f ms in them" % (answer["count"], answer["queries"], 1000 * answer["database_seconds"]))' <<<"$listing")"

# --- load -----------------------------------------------------------------------------------
load_seconds=$((duration + 5))
# One wrk per endpoint: /slow keeps worker threads busy, /listings the database, and one connection on
# /quote keeps about one loop in four blocked.
start_wrk() {
  local name=$1 connections=$2 url=$3
  wrk -t1 -c"$connections" -d"${load_seconds}s" --timeout 10s --latency "$url" >"$logs/wrk-$name.txt" 2>&1 &
  wrk_pids+=($!)
  say "load: wrk -t1 -c$connections -d${load_seconds}s $url"
}
start_wrk slow 6 "$base/slow"
start_wrk listings 4 "$base/listings?limit=20"
start_wrk quote 1 "$base/quote"
sleep 2   # let every worker get busy before recording

# --- the agent ------------------------------------------------------------------------------
agent_status=0
if [ "$app_only" = 0 ]; then
  say "recording: $agent record --pid $gunicorn_pid --subprocesses ${mode_args[*]} --duration $duration --format flamegraph,speedscope,folded --output-dir $out"
  "$agent" record --pid "$gunicorn_pid" --subprocesses "${mode_args[@]}" --duration "$duration" \
    --format flamegraph,speedscope,folded --output-dir "$out" --result-file "$out/result.json" \
    >"$logs/agent.out" 2>"$logs/agent.err" &
  agent_pid=$!
  wait_for_exit "$agent_pid" || agent_status=$?
  agent_pid=""
fi

for pid in "${wrk_pids[@]}"; do wait_for_exit "$pid" || true; done
wrk_pids=()
for name in slow listings quote; do
  grep -q 'requests in' "$logs/wrk-$name.txt" || die "wrk on /$name produced no summary (see $logs/wrk-$name.txt)"
  say "load summary, /$name:"
  grep -E 'Requests/sec|Latency  |requests in|Non-2xx|Socket errors' "$logs/wrk-$name.txt" | sed 's/^/    /'
done

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
  say "the agent's top functions ($demo_mode mode, self time):"
  "$python" - "$out/result.json" <<'EOF'
import json, sys
result = json.load(open(sys.argv[1], encoding="utf-8"))
print("    status %s, %s samples from %d processes" % (result.get("status"), result.get("samples"), len(result.get("processes") or [])))
for entry in (result.get("top") or [])[:10]:
    print("    %6.1f %%  %s  (%s:%s)" % (entry.get("selfPercent", 0.0), entry.get("function"), entry.get("file"), entry.get("line")))
names = [entry.get("function") for entry in result.get("top") or []]
print("    normalise_records/normalise_text among them: %s" % ("yes" if {"normalise_records", "normalise_text"} & set(names) else "NO"))
blocked = result.get("eventLoopBlocked")
if blocked:
    print("    event loop blocked %.1f s in %d blocks; worst %d ms in %s" % (blocked.get("totalMs", 0) / 1000.0, blocked.get("count", 0), blocked.get("worstMs", 0), blocked.get("worstFunction")))
EOF
else
  say "the agent wrote no result file; its output:"
  sed 's/^/    /' "$logs/agent.out"
fi
folded=$(find "$out" -maxdepth 1 -name '*.folded' | head -n 1)
if [ -n "$folded" ]; then
  say "what the profile shows for each endpoint:"
  quote_rate=$(awk '/Requests\/sec:/ { print $2 }' "$logs/wrk-quote.txt")
  "$python" hack/lib/demo-endpoints.py "$folded" ${quote_rate:+--quote-rate "$quote_rate"}
fi
