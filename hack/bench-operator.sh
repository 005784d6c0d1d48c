#!/usr/bin/env bash
# Operator benchmark: N ProfileRequests (default 1 000) created at once against an in-process fake API server;
# the bench plays the kubelet and agent. Prints created->injected and agent exit->Succeeded p50/p95/max and memory.
# Usage: hack/bench-operator.sh [requests] [workers]
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  -h|--help) sed -n '2,4p' "$0"; exit 0 ;;
esac
artifacts="${PYROMETER_BENCH_ARTIFACTS:-${TMPDIR:-/tmp}/pyrometer-bench-operator}"
dotnet build tests/Pyrometer.Operator.Bench -c Release --artifacts-path "$artifacts" --nologo -v:quiet >/dev/null
exec dotnet "$artifacts/bin/Pyrometer.Operator.Bench/release/Pyrometer.Operator.Bench.dll" "$@"
