#!/usr/bin/env bash
# Prints where each _Py_DebugOffsets field the walker uses sits, per CPython minor (3.13–3.15), and the
# value CPython fills in (3.14+), by compiling debug_offsets.c against Debian sid's libpython3.X-dev
# headers. Packages are fetched with a private apt configuration in a temporary folder (own lists,
# cache and empty status file), so the system's apt state is not touched; the archive URI is taken
# from the machine's own /etc/apt/sources.list.d/*.sources. Optionally also compiles against pyenv
# 3.13 headers. Output: "# <version>" blocks of "group.field position value" lines.
# Usage: hack/layouts/print-debug-offsets.sh > tests/Pyrometer.Sampling.Tests/Assets/python-layouts/debug-offsets.txt
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
uri="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources)"
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/dl"
: > "$work/status"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri sid main" > "$work/sources.list"
cat > "$work/apt.conf" <<CONF
Dir::Etc::SourceList "$work/sources.list";
Dir::Etc::SourceParts "/nonexistent";
Dir::State::Lists "$work/lists";
Dir::State::Status "$work/status";
Dir::Cache "$work/cache";
CONF
export APT_CONFIG="$work/apt.conf"
apt-get -qq update >&2
(cd "$work/dl" && apt-get -qq download libpython3.13-dev libpython3.14-dev libpython3.15-dev >&2)
for deb in "$work"/dl/*.deb; do
    dpkg -x "$deb" "$work/root"
done
inc="$work/root/usr/include"
pyenv313="$(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13*/include/python3.13 2>/dev/null | head -n 1 || true)"
if [ -n "$pyenv313" ]; then
    gcc -w -I"$pyenv313" -I"$pyenv313/internal" "$here/debug_offsets.c" -o "$work/do-pyenv"
    echo "# $("$work/do-pyenv" | awk '/^version/ {print $2}') pyenv"
    "$work/do-pyenv" | grep -v '^version'
    echo
fi
for minor in 13 14 15; do
    gcc -w -I"$inc" -I"$inc/python3.$minor" -I"$inc/python3.$minor/internal" "$here/debug_offsets.c" -o "$work/do-$minor"
    echo "# $("$work/do-$minor" | awk '/^version/ {print $2}') debian-sid"
    "$work/do-$minor" | grep -v '^version'
    echo
done
