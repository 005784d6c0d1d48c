#!/usr/bin/env bash
# Prints the struct offsets the stack walker uses for every pyenv CPython 3.8+ on this machine,
# by compiling offsets.c against each version's headers. Usage: hack/layouts/print-layouts.sh [root]
set -euo pipefail
root="${1:-${PYENV_ROOT:-$HOME/.pyenv}/versions}"
here="$(cd "$(dirname "$0")" && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for dir in "$root"/3.*; do
    [ -d "$dir/include" ] || continue
    inc="$(echo "$dir"/include/python3.*)"
    minor="$(basename "$inc" | sed 's/^python3\.\([0-9]*\).*/\1/')"
    if [ "$minor" -lt 8 ]; then
        continue
    fi
    gcc -O0 -w -I"$inc" -I"$inc/internal" "$here/offsets.c" -o "$out/offsets-$minor"
    echo "# $(basename "$dir")"
    "$out/offsets-$minor"
    echo
done
