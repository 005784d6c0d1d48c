#!/usr/bin/env bash
# Copies the CRD source of truth (crds/, written by `pyrometer-operator crd`) into the Helm chart as a
# template gated by crds.enabled and annotated helm.sh/resource-policy: keep when crds.keep is true.
#
#   hack/sync-chart-crds.sh           rewrite charts/pyrometer/templates/*-customresourcedefinition.yaml
#   hack/sync-chart-crds.sh --check   exit 1, naming the file, when the chart's copy has drifted
#
# Why a template and not the chart's crds/ directory: Helm never upgrades or gates files in crds/, so a
# new schema would silently not reach clusters; a template is upgraded with the release.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
chart_templates="$root/charts/pyrometer/templates"

render() { # render SOURCE: prints the chart template for one CRD file
  local source=$1
  if grep -q '{{' "$source"; then
    echo "sync-chart-crds: $source contains '{{', which Helm would read as a template action" >&2
    return 1
  fi
  if ! grep -q '^metadata:$' "$source"; then
    echo "sync-chart-crds: $source has no top-level 'metadata:' line" >&2
    return 1
  fi
  if awk '/^metadata:$/ {m=1; next} m && /^[^ ]/ {m=0} m && /^  annotations:/ {found=1} END {exit !found}' "$source"; then
    echo "sync-chart-crds: $source already has metadata.annotations; merge them by hand in this script" >&2
    return 1
  fi
  printf '{{- /* Copied from crds/%s by hack/sync-chart-crds.sh: edit the source, then run the script. */ -}}\n' "$(basename "$source")"
  printf '{{- if .Values.crds.enabled }}\n'
  awk '
    { print }
    /^metadata:$/ && !done {
      print "  {{- if .Values.crds.keep }}"
      print "  annotations:"
      print "    # Uninstalling the release must not delete every ProfileRequest with the CRD."
      print "    helm.sh/resource-policy: keep"
      print "  {{- end }}"
      done = 1
    }' "$source"
  printf '{{- end }}\n'
}

check=false
case "${1:-}" in
  --check) check=true ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

shopt -s nullglob
sources=("$root"/crds/*.yaml)
[ ${#sources[@]} -gt 0 ] || { echo "sync-chart-crds: no CRDs in $root/crds" >&2; exit 1; }
status=0
for source in "${sources[@]}"; do
  # crds/pyrometer.dev_profilerequests.yaml -> profilerequests-customresourcedefinition.yaml
  plural=$(basename "$source" .yaml); plural=${plural#*_}
  target="$chart_templates/$plural-customresourcedefinition.yaml"
  expected=$(render "$source")
  if $check; then
    if [ ! -f "$target" ] || [ "$expected" != "$(cat "$target")" ]; then
      echo "sync-chart-crds: $target differs from crds/$(basename "$source"); run hack/sync-chart-crds.sh" >&2
      status=1
    fi
  else
    printf '%s\n' "$expected" > "$target"
    echo "wrote $target"
  fi
done
exit $status
