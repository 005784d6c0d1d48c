#!/usr/bin/env bash
# Rendering benchmark: 1 000 000 samples over 100 000 unique stacks rendered to every format.
# Prints median time of 5 runs and output size per format, then peak memory.
# Usage: hack/bench-rendering.sh [unique-stacks] [samples] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
artifacts="${PYROMETER_BENCH_ARTIFACTS:-${TMPDIR:-/tmp}/pyrometer-bench-rendering}"
dotnet build tests/Pyrometer.Rendering.Bench -c Release --artifacts-path "$artifacts" --nologo -v:quiet >/dev/null
exec dotnet "$artifacts/bin/Pyrometer.Rendering.Bench/release/Pyrometer.Rendering.Bench.dll" "$@"
