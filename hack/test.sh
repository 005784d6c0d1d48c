#!/usr/bin/env bash
# Runs the test projects and closes with one summary line: "N passed, N failed, N skipped".
# Extra arguments go to `dotnet test` (e.g. --filter "Category!=Integration").
set -uo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=hack/lib/test-env.sh
source hack/lib/test-env.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test Pyrometer.slnx --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

sum() { grep -oE "$1: +[0-9]+" "$log" | awk '{ s += $NF } END { print s + 0 }'; }
passed=$(sum Passed); failed=$(sum Failed); skipped=$(sum Skipped)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1   # the build or a test host failed before any test result was printed
fi
echo
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
