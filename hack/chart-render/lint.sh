#!/usr/bin/env bash
# Chart lint without helm: renders charts/pyrometer with hack/chart-render for the default values and
# each example values file, checks the CRD template against crds/, then runs tests/Pyrometer.Chart.Tests
# (YAML validity, RBAC, pod security, values.schema.json, options coverage, Dockerfiles).
#
#   hack/chart-render/lint.sh [--no-tests]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
command -v go >/dev/null 2>&1 || { echo "chart-lint: go is not installed (apt-get install golang-go)" >&2; exit 1; }

binary=$(mktemp "${TMPDIR:-/tmp}/chart-render.XXXXXX")
trap 'rm -f "$binary"' EXIT
"$here/build.sh" --vet
"$here/build.sh" --test >/dev/null
"$here/build.sh" "$binary"

"$root/hack/sync-chart-crds.sh" --check
for values in "" "$root"/tests/Pyrometer.Chart.Tests/Assets/values-*.yaml; do
  args=()
  [ -n "$values" ] && args=(-f "$values")
  "$binary" "${args[@]}" "$root/charts/pyrometer" >/dev/null
  "$binary" --notes "${args[@]}" "$root/charts/pyrometer" >/dev/null
  echo "rendered ${values:-default values}"
done

if [ "${1:-}" != "--no-tests" ]; then
  dotnet test "$root/tests/Pyrometer.Chart.Tests" --nologo -v:quiet
fi
