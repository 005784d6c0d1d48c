#!/usr/bin/env bash
# Coverage-guided fuzzing of what reads target-controlled bytes (issue #12): the ELF parser, the line
# tables of every CPython version, and the memory-image walker. Builds tests/Pyrometer.Sampling.Fuzz,
# instruments Pyrometer.Sampling.dll with SharpFuzz, writes seed corpora from the project's own code,
# checks that afl-fuzz sees a planted crash, then runs each harness under afl-fuzz for a bounded time
# and prints executions, speed, corpus, crashes, hangs and peak RSS per harness.
#
#   FUZZ_SECONDS=60        time per harness
#   FUZZ_HARNESSES="elf linetable walker"
#   FUZZ_HEAP_LIMIT_MB=512 the harness's GC heap hard limit (a bigger allocation is an OutOfMemoryException: a crash)
#   FUZZ_RSS_CAP_MB=1024   fails the run when a harness process's peak RSS passes it
#   FUZZ_TIMEOUT_MS=3000   one execution longer than this is a hang
#
# Exits non-zero on any crash, hang, RSS over the cap or afl-fuzz failure; crashing and hanging inputs
# are copied to artifacts/fuzz/findings/<harness>/ (replay one, uninstrumented, with
#   dotnet artifacts/fuzz/plain/Pyrometer.Sampling.Fuzz.dll replay <harness> <file>).
# Needs afl++ and the SharpFuzz.CommandLine tool: `make test-deps` installs both.
set -euo pipefail
cd "$(dirname "$0")/.."
source hack/lib/test-env.sh

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_HARNESSES=${FUZZ_HARNESSES:-"elf linetable walker"}
FUZZ_HEAP_LIMIT_MB=${FUZZ_HEAP_LIMIT_MB:-512}
FUZZ_RSS_CAP_MB=${FUZZ_RSS_CAP_MB:-1024}
FUZZ_TIMEOUT_MS=${FUZZ_TIMEOUT_MS:-3000}
OUT=artifacts/fuzz
BIN=$OUT/bin
PLAIN=$OUT/plain                          # the same build, not instrumented: seeds and replays run outside afl
DLL=$BIN/Pyrometer.Sampling.Fuzz.dll

say() { printf '[fuzz] %s\n' "$*"; }
die() { printf '[fuzz] error: %s\n' "$*" >&2; exit 1; }

AFL=$(command -v afl-fuzz || true)
[ -n "$AFL" ] || die "afl-fuzz is not installed (Debian package afl++): run make test-deps"
SHARPFUZZ=""
if [ -s "$PYROMETER_CACHE/tools.tsv" ]; then
  SHARPFUZZ=$(awk -F'\t' '$1 == "sharpfuzz" { print $2; exit }' "$PYROMETER_CACHE/tools.tsv")
fi
[ -x "${SHARPFUZZ:-}" ] || SHARPFUZZ="$PYROMETER_CACHE/tools/sharpfuzz-2.3.0/sharpfuzz"
[ -x "$SHARPFUZZ" ] || die "the SharpFuzz.CommandLine tool is not installed: run make test-deps"

# afl-fuzz on this kind of machine: no CPU frequency governor to check, no core to pin (shared
# cores), a core_pattern that may pipe to a handler, no UI; the target is `dotnet` (not an
# instrumented binary: SharpFuzz's fork server speaks afl's protocol), and .NET start-up plus the
# first JIT take seconds, so the fork server gets a minute to say hello.
export AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
  AFL_SKIP_BIN_CHECK=1 AFL_FORKSRV_INIT_TMOUT=60000
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_TieredPGO=0
DOTNET_GCHeapHardLimit=$(printf '0x%x' $((FUZZ_HEAP_LIMIT_MB << 20)))
export DOTNET_GCHeapHardLimit

DOTNET=$(command -v dotnet)
rm -rf "$OUT"
mkdir -p "$OUT/out"
say "building and instrumenting the harnesses"
dotnet publish tests/Pyrometer.Sampling.Fuzz/Pyrometer.Sampling.Fuzz.csproj -c Release -o "$BIN" --nologo -v:quiet >"$OUT/build.log" 2>&1 \
  || { cat "$OUT/build.log"; die "build failed"; }
cp -r "$BIN" "$PLAIN"
# Instrumented code writes coverage into afl's shared memory, so it only runs under afl-fuzz.
"$SHARPFUZZ" "$BIN/Pyrometer.Sampling.dll" >"$OUT/instrument.log" 2>&1 || { cat "$OUT/instrument.log"; die "instrumentation failed"; }
dotnet "$PLAIN/Pyrometer.Sampling.Fuzz.dll" seeds "$OUT/seeds" tests/Pyrometer.Sampling.Tests/Assets/python-linetables

# watch_rss AFL_PID RESULT_FILE: polls the afl-fuzz process's descendants (the harness
# processes) once a second and keeps the largest VmHWM, in KiB.
watch_rss() {
  local afl_pid=$1 result=$2 peak=0 pid hwm
  while kill -0 "$afl_pid" 2>/dev/null; do
    for pid in $(descendants "$afl_pid"); do
      hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
      [ -n "$hwm" ] && [ "$hwm" -gt "$peak" ] && peak=$hwm
    done
    printf '%s\n' "$peak" >"$result"
    sleep 1
  done
}
descendants() {
  local child
  for child in $(cat "/proc/$1/task/"*/children 2>/dev/null); do
    printf '%s\n' "$child"
    descendants "$child"
  done
}
stat_of() { awk -F' *: *' -v key="$2" '$1 == key { print $2 }' "$1/default/fuzzer_stats" 2>/dev/null || true; }

# run HARNESS SECONDS [extra afl-fuzz options...]: runs one harness, leaves afl's output in $OUT/out/HARNESS.
run() {
  local harness=$1 seconds=$2
  shift 2
  local dir="$OUT/out/$harness"
  "$AFL" -i "$OUT/seeds/$harness" -o "$dir" -t "$FUZZ_TIMEOUT_MS" -m none -V "$seconds" "$@" \
    -- "$DOTNET" "$DLL" fuzz "$harness" >"$OUT/afl-$harness.log" 2>&1 &
  local afl_pid=$!
  watch_rss "$afl_pid" "$OUT/rss-$harness" &
  local watcher=$!
  local status=0
  wait "$afl_pid" || status=$?
  wait "$watcher" || true
  return "$status"
}

# A planted crash first (the canary harness throws once the seed's first byte changes): "0 crashes" below
# means something only if afl-fuzz, SharpFuzz and this script see one when there is one.
mkdir -p "$OUT/seeds/canary"
printf 'boon' >"$OUT/seeds/canary/seed-000"
say "checking that a planted crash is found"
AFL_BENCH_UNTIL_CRASH=1 run canary 45 || true
canary=$(stat_of "$OUT/out/canary" saved_crashes)
if [ "${canary:-0}" -lt 1 ]; then
  tail -n 20 "$OUT/afl-canary.log" >&2
  die "afl-fuzz did not report the planted crash: the fuzzing setup is broken"
fi

failed=0
rows=()
for harness in $FUZZ_HARNESSES; do
  say "fuzzing $harness for ${FUZZ_SECONDS}s"
  if ! run "$harness" "$FUZZ_SECONDS"; then
    tail -n 20 "$OUT/afl-$harness.log" >&2
    say "afl-fuzz failed on $harness"
    failed=1
  fi
  dir="$OUT/out/$harness"
  execs=$(stat_of "$dir" execs_done)
  runtime=$(stat_of "$dir" run_time)
  corpus=$(stat_of "$dir" corpus_count)
  edges=$(stat_of "$dir" edges_found)
  crashes=$(stat_of "$dir" saved_crashes)
  hangs=$(stat_of "$dir" saved_hangs)
  rss_kib=$(cat "$OUT/rss-$harness" 2>/dev/null || echo 0)
  rss_mib=$((rss_kib / 1024))
  speed=$(( ${runtime:-0} > 0 ? ${execs:-0} / runtime : 0 ))
  rows+=("$(printf '%-10s %12s %9s %8s %7s %8s %6s %10s' "$harness" "${execs:-?}" "$speed" "${corpus:-?}" "${edges:-?}" "${crashes:-?}" "${hangs:-?}" "$rss_mib")")
  if [ "${crashes:-1}" != 0 ] || [ "${hangs:-1}" != 0 ]; then
    mkdir -p "$OUT/findings/$harness"
    find "$dir/default/crashes" "$dir/default/hangs" -type f -name 'id:*' -exec cp {} "$OUT/findings/$harness/" \; 2>/dev/null || true
    failed=1
  fi
  if [ "$rss_mib" -gt "$FUZZ_RSS_CAP_MB" ]; then
    say "$harness: peak RSS ${rss_mib} MiB is over the ${FUZZ_RSS_CAP_MB} MiB cap"
    failed=1
  fi
done

printf '\n%-10s %12s %9s %8s %7s %8s %6s %10s\n' HARNESS EXECUTIONS EXECS/S CORPUS EDGES CRASHES HANGS PEAK_RSS_MB
printf '%s\n' "${rows[@]}"
printf '(%ss each, GC heap limit %s MiB, RSS cap %s MiB, hang timeout %s ms, afl++ %s)\n' "$FUZZ_SECONDS" "$FUZZ_HEAP_LIMIT_MB" \
  "$FUZZ_RSS_CAP_MB" "$FUZZ_TIMEOUT_MS" "$(stat_of "$OUT/out/canary" afl_version)"
if [ "$failed" != 0 ]; then
  say "FAILED: findings (if any) are in $OUT/findings/"
  exit 1
fi
say "no crashes, no hangs"
