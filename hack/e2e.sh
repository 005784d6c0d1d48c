#!/usr/bin/env bash
# The end-to-end suite on a real Kubernetes: the local single-node 1.20 cluster (hack/cluster.sh,
# built from Debian's sources on first use and cached), images made without Docker (hack/images.sh),
# the operator with the chart's RBAC, an S3 server and the built-in store, the demo service under load
# with its PostgreSQL pod, then the scenarios of tests/Pyrometer.EndToEnd.Tests. Prints the time of
# every step and scenario.
#
#   hack/e2e.sh     (make e2e builds the agent and the operator first)
#
# Environment: PYROMETER_E2E_KEEP=1 leaves the cluster, the demo and the S3 server running afterwards.
# PYROMETER_E2E_FILTER runs only the matching scenarios (dotnet test --filter syntax), e.g.
#   PYROMETER_E2E_FILTER=FullyQualifiedName~BaselineRegressionTests hack/e2e.sh
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$here/.." && pwd)
cd "$repo_root"

say() { printf '[e2e] %s\n' "$*"; }
die() { printf '[e2e] FAILED: %s\n' "$*" >&2; exit 1; }

export PYROMETER_DEPLOY_STATE=${PYROMETER_E2E_STATE:-/tmp/pyrometer-e2e}
export PYROMETER_DEMO_NAMESPACE=e2e-demo
# shellcheck source=lib/local-deploy.sh
source "$here/lib/local-deploy.sh"

operator_port=18080
upload_port=18088
s3_port=18090
s3_bucket=pyrometer-e2e
timings=()

# timed NAME COMMAND...: runs the command and records how long it took.
timed() {
  local name=$1 started=$SECONDS; shift
  say "$name ..."
  "$@"
  timings+=("$(printf '%-28s %4ss' "$name" "$(( SECONDS - started ))")")
}

preflight() {
  [ "$(id -u)" = 0 ] || die "needs root (the local cluster runs containers, mounts and iptables rules)"
  local tool
  for tool in kubectl wrk node dotnet; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (make test-deps installs it)"
  done
  [ -x artifacts/agent/pyrometer ] || die "artifacts/agent/pyrometer is missing (make agent)"
  [ -f artifacts/operator/pyrometer-operator.dll ] || die "artifacts/operator is missing (make operator)"
  "$here/lib/s3-server.sh" which >/dev/null || die "the S3 server is not installed (make test-deps)"
}

teardown() {
  local status=$?
  "$here/lib/s3-server.sh" stop "$PYROMETER_DEPLOY_STATE/s3" || true
  if [ "${PYROMETER_E2E_KEEP:-0}" = 1 ]; then
    say "PYROMETER_E2E_KEEP=1: the cluster and namespace $demo_namespace are left running (hack/cluster.sh down)"
  else
    deploy_remove_demo
    "$here/cluster.sh" down >/dev/null 2>&1 || say "hack/cluster.sh down failed; run it by hand"
  fi
  if [ ${#timings[@]} -gt 0 ]; then
    say "timings:"
    printf '    %s\n' "${timings[@]}"
  fi
  [ "$status" -eq 0 ] && say "passed" || say "FAILED (logs: $PYROMETER_DEPLOY_STATE, /tmp/pyrometer-cluster/logs)"
  exit "$status"
}

start_s3() {
  "$here/lib/s3-server.sh" stop "$PYROMETER_DEPLOY_STATE/s3"
  rm -rf "$PYROMETER_DEPLOY_STATE/s3"
  "$here/lib/s3-server.sh" start "$PYROMETER_DEPLOY_STATE/s3" "$s3_port" "$node_address" "$s3_bucket" >"$PYROMETER_DEPLOY_STATE/s3.env"
}

deploy_database() {
  database_ip=$(deploy_postgres)
}

run_scenarios() {
  local status
  # shellcheck disable=SC1091 # written by start_s3
  source "$PYROMETER_DEPLOY_STATE/s3.env"
  PYROMETER_E2E=1 \
  KUBECONFIG=$admin_kubeconfig \
  PYROMETER_E2E_STATE=$PYROMETER_DEPLOY_STATE \
  PYROMETER_E2E_NAMESPACE=$demo_namespace \
  PYROMETER_E2E_OPERATOR=$repo_root/artifacts/operator/pyrometer-operator.dll \
  PYROMETER_E2E_OPERATOR_KUBECONFIG=$operator_kubeconfig \
  PYROMETER_E2E_NODE_ADDRESS=$node_address \
  PYROMETER_E2E_OPERATOR_PORT=$operator_port \
  PYROMETER_E2E_UPLOAD_PORT=$upload_port \
  PYROMETER_E2E_S3_ENDPOINT=$endpoint \
  PYROMETER_E2E_S3_BUCKET=$s3_bucket \
  PYROMETER_E2E_S3_ACCESS_KEY=$access_key \
  PYROMETER_E2E_S3_SECRET_KEY=$secret_key \
    dotnet test tests/Pyrometer.EndToEnd.Tests --nologo --logger "console;verbosity=normal" \
      ${PYROMETER_E2E_FILTER:+--filter "$PYROMETER_E2E_FILTER"} \
    >"$PYROMETER_DEPLOY_STATE/scenarios.log" 2>&1 && status=0 || status=$?
  grep -E '^\s+(Passed|Failed|Skipped) |^\s+(Error Message|Stack Trace):|^\s+at Pyrometer|^(Passed|Failed)!| error ' \
    "$PYROMETER_DEPLOY_STATE/scenarios.log" || true
  grep -E '^\s+Passed ' "$PYROMETER_DEPLOY_STATE/scenarios.log" | sed -E 's/^\s+Passed [A-Za-z.]+\.([A-Za-z_]+) \[(.*)\]$/\1 \2/' \
    >"$PYROMETER_DEPLOY_STATE/scenario-times.txt" || true
  [ "$status" -eq 0 ] || grep -E -A25 '^\s+Failed ' "$PYROMETER_DEPLOY_STATE/scenarios.log" | head -n 120 >&2 || true
  [ "$status" -eq 0 ] || die "scenarios failed (full output: $PYROMETER_DEPLOY_STATE/scenarios.log)"
}

preflight
mkdir -p "$PYROMETER_DEPLOY_STATE"
trap teardown EXIT
timed "cluster up" "$here/cluster.sh" up
timed "images (build, import)" deploy_images agent operator demo postgres
timed "operator access (CRD, RBAC)" deploy_operator_access
deploy_remove_demo
# /listings queries it (the async-mode scenario); the other scenarios load /slow alone
timed "database Ready" deploy_database
timed "demo service Ready" deploy_demo "postgresql://demo@$database_ip:5432/postgres"
timed "S3 server" start_s3
timed "scenarios" run_scenarios
while read -r line; do timings+=("  $line"); done <"$PYROMETER_DEPLOY_STATE/scenario-times.txt"
