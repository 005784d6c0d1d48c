#!/usr/bin/env bash
# `make bench`: every benchmark, one after the other, each printing its own tables.
#   hack/bench-agent.sh       the agent side by side with austin (summary in artifacts/bench/summary.md)
#   hack/bench-async.sh       async mode's CPU per tick against wall mode, 10/100/1000 tasks (CPython 3.14),
#                             and beside CPython 3.15's own async-aware sampler
#   hack/bench-rendering.sh   the renderers
#   hack/bench-operator.sh    the operator, when that script exists
# Settings are environment variables; see each script's header (hack/bench-agent.sh --help).
# A benchmark that fails does not stop the others; the exit status says whether any failed.
set -uo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
  "") ;;
  *) echo "bench: unknown argument '$1' (try --help)" >&2; exit 2 ;;
esac

failed=()
# run SCRIPT: runs one benchmark script with bash (so a missing executable bit does not skip it).
run() {
  printf '\n=== %s ===\n' "$1"
  bash "$1"
  local status=$?
  # 130/143: interrupted (Ctrl-C, TERM); stop here rather than start the next benchmark.
  if [ "$status" -eq 130 ] || [ "$status" -eq 143 ]; then
    exit "$status"
  fi
  [ "$status" -eq 0 ] || failed+=("$1 (status $status)")
}
trap 'exit 130' INT
trap 'exit 143' TERM

run hack/bench-agent.sh
run hack/bench-async.sh
run hack/bench-rendering.sh
if [ -f hack/bench-operator.sh ]; then
  run hack/bench-operator.sh
fi

if [ "${#failed[@]}" -gt 0 ]; then
  printf '\nbench: failed: %s\n' "${failed[*]}" >&2
  exit 1
fi
