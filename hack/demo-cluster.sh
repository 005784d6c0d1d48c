#!/usr/bin/env bash
# The product, end to end, on the local Kubernetes (hack/cluster.sh; built on first use, ~4 min):
# builds the images without Docker, starts the operator with the chart's RBAC and its built-in store,
# deploys the demo's database (a PostgreSQL pod) and the demo service (2 pods of gunicorn with 4 uvicorn
# workers) under load on /slow, /listings (N+1 queries) and /quote (blocks the event loop), applies a
# ProfileRequest over both pods (mode async; PYROMETER_DEMO_MODE=wall|cpu picks another) and prints
# `kubectl get profilerequests`, the status message, the top functions, what the profile shows per endpoint
# and where the flamegraphs are (also downloaded to artifacts/demo/<UTC timestamp>/).
#
#   hack/demo-cluster.sh [--duration SECONDS]
#
# Afterwards the cluster keeps running (make cluster-down stops it); the operator and the load stop,
# unless PYROMETER_DEMO_KEEP=1 keeps the operator serving the signed links at http://127.0.0.1:18080/.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$here/.." && pwd)
cd "$repo_root"

say() { printf '[demo] %s\n' "$*"; }
die() { printf '[demo] FAILED: %s\n' "$*" >&2; exit 1; }

duration=10
case "${1:-}" in
  --duration) duration=${2:?--duration needs seconds} ;;
  "") ;;
  *) die "unknown argument '$1' (hack/demo-cluster.sh [--duration SECONDS])" ;;
esac
[[ "$duration" =~ ^[0-9]+$ ]] && [ "$duration" -ge 1 ] && [ "$duration" -le 300 ] \
  || die "--duration must be 1..300 seconds, not '$duration'"

export PYROMETER_DEPLOY_STATE=/tmp/pyrometer-demo
# shellcheck source=lib/local-deploy.sh
source "$here/lib/local-deploy.sh"
port=18080
request=demo-$(date -u +%H%M%S)
# spec.mode of the demo's ProfileRequest: async by default, so the report shows both asyncio endpoints:
# /listings' queries awaited under its handler (a stack per task) and /quote's blocking call on the loop
# (with the status's blocked-loop line, which every mode gives). PYROMETER_DEMO_MODE=wall shows threads
# alone: an awaiting coroutine is on no stack there, so /listings' queries count as the loops' idle time.
demo_mode=${PYROMETER_DEMO_MODE:-async}
out=$repo_root/artifacts/demo/$(date -u +%Y%m%dT%H%M%SZ)
operator_pid=""
wrk_pids=()

cleanup() {
  local pid
  for pid in "${wrk_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -n "$operator_pid" ] && [ "${PYROMETER_DEMO_KEEP:-0}" != 1 ]; then
    kill "$operator_pid" 2>/dev/null && wait "$operator_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

start_load() {
  local ip pods=0
  for ip in $(kadmin -n "$demo_namespace" get pods -l app=demo -o jsonpath='{.items[*].status.podIP}'); do
    # /slow keeps worker threads busy, /listings the database, one connection on /quote blocks loops
    wrk -t1 -c6 -H 'Connection: close' -d"$(( duration + 30 ))s" "http://$ip:8000/slow?records=2000" >/dev/null 2>&1 &
    wrk_pids+=($!)
    wrk -t1 -c4 -H 'Connection: close' -d"$(( duration + 30 ))s" "http://$ip:8000/listings?limit=20" >/dev/null 2>&1 &
    wrk_pids+=($!)
    wrk -t1 -c1 -H 'Connection: close' -d"$(( duration + 30 ))s" "http://$ip:8000/quote" >/dev/null 2>&1 &
    wrk_pids+=($!)
    pods=$(( pods + 1 ))
  done
  say "load: wrk on /slow (6 connections), /listings?limit=20 (4) and /quote (1) of $pods pods"
}

# check_listings: one GET /listings through the first demo pod, with the service's own timing.
check_listings() {
  local ip answer
  ip=$(kadmin -n "$demo_namespace" get pods -l app=demo -o jsonpath='{.items[0].status.podIP}')
  answer=$(curl -fsS --max-time 20 "http://$ip:8000/listings?limit=20") \
    || die "GET /listings on $ip failed: $(curl -sS --max-time 20 "http://$ip:8000/listings?limit=20" 2>&1 | tail -c 300)"
  say "GET /listings?limit=20, the service's own timing: $(python3 -c '
import json, sys
answer = json.load(sys.stdin)
print("%d listings, %d queries, %.1f ms in them" % (answer["count"], answer["queries"], 1000 * answer["database_seconds"]))' <<<"$answer")"
}

profile() {
  kadmin -n "$demo_namespace" apply -f - >/dev/null <<YAML
apiVersion: pyrometer.dev/v1alpha1
kind: ProfileRequest
metadata: {name: $request}
spec:
  target:
    selector: {matchLabels: {app: demo}}
    maxPods: 2
  duration: ${duration}s
  mode: $demo_mode
  formats: [flamegraph, speedscope, folded]
YAML
  say "kubectl -n $demo_namespace apply -f - (ProfileRequest $request: app=demo, ${duration}s, mode $demo_mode); watching it:"
  local deadline=$(( SECONDS + duration + 120 )) phase="" last=""
  while [ "$SECONDS" -lt "$deadline" ]; do
    phase=$(kadmin -n "$demo_namespace" get profilerequest "$request" -o jsonpath='{.status.phase}')
    if [ "$phase" != "$last" ]; then
      kadmin -n "$demo_namespace" get profilerequests "$request" --no-headers | sed 's/^/    /'
      last=$phase
    fi
    case $phase in Succeeded | Failed) break ;; esac
    sleep 1
  done
  kadmin -n "$demo_namespace" get profilerequests "$request" | sed 's/^/    /'
  [ "$phase" = Succeeded ] || die "the request ended $phase: $(kadmin -n "$demo_namespace" get profilerequest "$request" -o jsonpath='{.status.message}')"
}

report() {
  mkdir -p "$out"
  kadmin -n "$demo_namespace" get profilerequest "$request" -o json >"$out/profilerequest.json"
  python3 - "$out" <<'PY'
import json, sys, urllib.request
out = sys.argv[1]
status = json.load(open(f"{out}/profilerequest.json"))["status"]
print(f"[demo] {status['message']}")
print("[demo] top functions (self time, both pods):")
for top in status["summary"]["topFunctions"]:
    print(f"    {top['selfPercent']:5.1f} %  {top['function']}  ({top.get('location', '?')})")
print("[demo] artifacts (pod \"\" is the profile merged over both pods):")
for artifact in status["artifacts"]:
    # The url is a signed link (its query is the credential): download with it, print only its path.
    path = artifact["url"].split("?", 1)[0]
    name = f"{artifact['pod'] or 'merged'}-{path.rsplit('/', 1)[1]}"
    urllib.request.urlretrieve(artifact["url"], f"{out}/{name}")
    print(f"    {artifact['pod'] or '(merged)':24} {artifact['format']:10} {path} (signed link in status, expires {artifact.get('expiresAt', '?')})")
print(f"[demo] downloaded to {out}/ — open merged-flamegraph.svg in a browser")
PY
  # per pod, not the merged profile: both pods' processes have the same PIDs
  local folded=()
  mapfile -t folded < <(find "$out" -maxdepth 1 -name '*.folded' ! -name 'merged-*' | sort)
  if [ ${#folded[@]} -gt 0 ]; then
    say "what the profile shows for each endpoint (both pods):"
    python3 "$here/lib/demo-endpoints.py" "${folded[@]}"
  fi
}

[ "$(id -u)" = 0 ] || die "the local cluster needs root"
started=$SECONDS
"$here/cluster.sh" up
say "images (agent, operator, demo, postgres) without Docker ..."
deploy_images agent operator demo postgres >/dev/null
deploy_operator_access
say "database: pod postgres in namespace $demo_namespace ..."
database_ip=$(deploy_postgres)
say "demo service: 2 pods in namespace $demo_namespace, DEMO_DATABASE_URL=postgresql://demo@$database_ip:5432/postgres ..."
deploy_demo "postgresql://demo@$database_ip:5432/postgres"
check_listings
deploy_start_operator "$port"
say "operator running on the node (log: $PYROMETER_DEPLOY_STATE/operator.log)"
start_load
sleep 2
profile
report
say "done in $(( SECONDS - started ))s; the cluster keeps running (make cluster-down stops it)"
if [ "${PYROMETER_DEMO_KEEP:-0}" = 1 ]; then
  say "the operator keeps running (pid $operator_pid): the signed links in the request's status.artifacts open at http://127.0.0.1:$port/"
fi
