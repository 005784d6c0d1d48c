# shellcheck shell=bash
# Sourced by hack/test.sh (and usable by hand: `source hack/lib/test-env.sh`).
# Points the tests at what hack/install-test-deps.sh put into the cache. Variables already set in
# the environment win, so a developer can narrow a run, e.g. PYROMETER_TEST_PYTHONS=/usr/bin/python3.11.

export PYROMETER_CACHE=${PYROMETER_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/pyrometer}

# The interpreters the live tests run against: the manifest's paths joined with ':'.
if [ -z "${PYROMETER_TEST_PYTHONS:-}" ] && [ -s "$PYROMETER_CACHE/pythons.tsv" ]; then
  PYROMETER_TEST_PYTHONS=$(awk -F'\t' 'NF >= 2 && $2 != "" { printf "%s%s", sep, $2; sep = ":" }' "$PYROMETER_CACHE/pythons.tsv")
  export PYROMETER_TEST_PYTHONS
fi

# _pyrometer_tool NAME: the tool's path from tools.tsv, else from PATH; empty when neither has it.
_pyrometer_tool() {
  local path=""
  if [ -s "$PYROMETER_CACHE/tools.tsv" ]; then
    path=$(awk -F'\t' -v name="$1" '$1 == name { print $2; exit }' "$PYROMETER_CACHE/tools.tsv")
  fi
  if [ -z "$path" ] || [ ! -x "$path" ]; then
    path=$(command -v "$1" 2>/dev/null || true)
  fi
  printf '%s' "$path"
}

if [ -z "${PYROMETER_AUSTIN:-}" ]; then
  PYROMETER_AUSTIN=$(_pyrometer_tool austin)
  export PYROMETER_AUSTIN
fi
if [ -z "${PYROMETER_WRK:-}" ]; then
  PYROMETER_WRK=$(_pyrometer_tool wrk)
  export PYROMETER_WRK
fi
if [ -z "${PYROMETER_RCLONE:-}" ]; then
  PYROMETER_RCLONE=$(_pyrometer_tool rclone)
  export PYROMETER_RCLONE
fi
unset -f _pyrometer_tool
