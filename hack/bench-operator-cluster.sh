#!/usr/bin/env bash
# The operator against a real API server (the local cluster, hack/cluster.sh) instead of the fake one:
#   1. a burst of BURST requests over the two demo pods (duration 2 s, one agent per pod at a time):
#      created → Succeeded, median and p95, and how long the burst took;
#   2. COUNT requests for pods that do not exist, created at once: how long until all are Failed;
# and the operator's own peak memory (VmHWM of its process: no fake API server inside it).
#
#   hack/bench-operator-cluster.sh [COUNT [BURST]]     defaults 1000 and 20
#
# PYROMETER_BENCH_QPS sets the operator's client-side limit (Kubernetes:Qps, default 20 as in the
# operator; Burst is twice it): a failed request costs about four API calls, so at 20 QPS part 2 is
# bound by that limit, not by the operator.
# Needs root, `make agent operator`; brings the cluster up (building it on first use), leaves it running.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here/.."
count=${1:-1000}
burst=${2:-20}
say() { printf '[bench-operator-cluster] %s\n' "$*"; }
die() { printf '[bench-operator-cluster] FAILED: %s\n' "$*" >&2; exit 1; }

export PYROMETER_DEPLOY_STATE=/tmp/pyrometer-bench-operator
export PYROMETER_DEMO_NAMESPACE=bench-demo
# shellcheck source=lib/local-deploy.sh
source "$here/lib/local-deploy.sh"
port=18081
ns_missing=bench-missing
operator_pid=""
wrk_pids=()

cleanup() {
  [ -z "$operator_pid" ] || kill "$operator_pid" 2>/dev/null || true
  for pid in "${wrk_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  kadmin delete namespace "$ns_missing" --wait=false >/dev/null 2>&1 || true
  deploy_remove_demo
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] || die "needs root (the local cluster)"
"$here/cluster.sh" up >/dev/null
deploy_images >/dev/null
deploy_operator_access
deploy_demo
kadmin create namespace "$ns_missing" --dry-run=client -o yaml | kadmin apply -f - >/dev/null

deploy_start_operator "$port" Operator__MaxConcurrentPerNamespace=1000 Operator__MaxConcurrentTotal=1000 \
  LeaderElection__Identity=bench-$$ Logging__LogLevel__Default=Warning \
  Kubernetes__Qps="${PYROMETER_BENCH_QPS:-20}" Kubernetes__Burst=$(( ${PYROMETER_BENCH_QPS:-20} * 2 ))
rss() { awk -v k="$1:" '$1 == k { printf "%.1f", $2 / 1024 }' "/proc/$operator_pid/status"; }
say "operator up; RSS $(rss VmRSS) MB"

# manifests: one multi-document stream per part, applied with one kubectl call
requests() { # NAME_PREFIX COUNT TARGET_CMD
  local i
  for i in $(seq 1 "$2"); do
    printf -- '---\napiVersion: pyrometer.dev/v1alpha1\nkind: ProfileRequest\nmetadata: {name: %s-%s}\nspec:\n  target: {pod: %s}\n  duration: 2s\n  formats: [folded]\n' \
      "$1" "$i" "$($3 "$i")"
  done
}
mapfile -t demo_pods < <(kadmin -n "$demo_namespace" get pods -l app=demo -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}')
demo_pod() { printf '%s' "${demo_pods[$(( $1 % ${#demo_pods[@]} ))]}"; }
missing_pod() { printf 'missing-%s' "$1"; }

# finished NAMESPACE: prints "done total" for the namespace's requests
finished() {
  kadmin -n "$1" get profilerequests -o jsonpath='{range .items[*]}{.status.phase}{"\n"}{end}' \
    | awk '/Succeeded|Failed/ { d++ } { t++ } END { printf "%d %d", d, t }'
}

wait_all() { # NAMESPACE EXPECTED TIMEOUT_S
  local deadline=$(( SECONDS + $3 )) state
  while [ "$SECONDS" -lt "$deadline" ]; do
    state=$(finished "$1")
    [ "${state% *}" = "$2" ] && return 0
    sleep 0.5
  done
  die "only ${state% *} of $2 requests in $1 finished within $3 s"
}

say "1. burst: $burst requests over ${#demo_pods[@]} demo pods under load, 2 s each"
for ip in $(kadmin -n "$demo_namespace" get pods -l app=demo -o jsonpath='{.items[*].status.podIP}'); do
  wrk -t1 -c4 -H 'Connection: close' -d600s "http://$ip:8000/slow?records=2000" >/dev/null 2>&1 &
  wrk_pids+=($!)
done
started=$(date +%s.%N)
requests burst "$burst" demo_pod | kadmin -n "$demo_namespace" apply -f - >/dev/null
wait_all "$demo_namespace" "$burst" $(( burst * 20 + 60 ))
ended=$(date +%s.%N)
kadmin -n "$demo_namespace" get profilerequests -o json >"$PYROMETER_DEPLOY_STATE/burst.json"
python3 - "$PYROMETER_DEPLOY_STATE/burst.json" <<'PY'
import json, sys, statistics
from datetime import datetime
items = json.load(open(sys.argv[1]))["items"]
def t(s): return datetime.fromisoformat(s.replace("Z", "+00:00"))
phases = [i["status"]["phase"] for i in items]
# creation timestamps have second precision; injectedAt and completionTime are the operator's own clock
run = sorted((t(i["status"]["completionTime"]) - t(i["status"]["targets"][0]["injectedAt"])).total_seconds()
             for i in items if i["status"].get("targets"))
def q(xs, p): return xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]
succeeded, failed = phases.count("Succeeded"), phases.count("Failed")
print(f"    {succeeded} Succeeded, {failed} Failed")
print(f"    injected -> Succeeded (a 2 s profile): median {statistics.median(run):.2f} s, p95 {q(run, 0.95):.2f} s")
PY
say "    whole burst: $(python3 -c "print(f'{$ended - $started:.1f}')") s; operator RSS $(rss VmRSS) MB"

for pid in "${wrk_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
wrk_pids=()
say "2. $count requests for missing pods, created at once (operator client limit ${PYROMETER_BENCH_QPS:-20} QPS)"
started=$(date +%s.%N)
requests missing "$count" missing_pod | kadmin -n "$ns_missing" apply -f - >/dev/null
created=$(date +%s.%N)
wait_all "$ns_missing" "$count" 600
ended=$(date +%s.%N)
say "    kubectl created them in $(python3 -c "print(f'{$created - $started:.1f}')") s; all Failed/PodNotFound $(python3 -c "print(f'{$ended - $started:.1f}')") s after the first"
say "operator memory: peak (VmHWM) $(rss VmHWM) MB, now (VmRSS) $(rss VmRSS) MB"
# What the resident memory is made of: the GC heap is in "anon"; code and type data the runtime writes are
# in "shmem" (double-mapped for W^X); "file" is assemblies and native libraries paged in.
say "    now: anon $(rss RssAnon) MB, file $(rss RssFile) MB, shmem $(rss RssShmem) MB"
