#!/usr/bin/env bash
# Installs what the tests, the demo and the benchmarks need; idempotent and quiet when all is present.
#
#   - bookworm packages (apt-get): python3.11, gunicorn/uvicorn/fastapi, wrk, patchelf, rclone,
#     chromium, golang-go with sprig and sigs.k8s.io/yaml sources (hack/chart-render), time, curl,
#     postgresql and python3-asyncpg (the demo's database);
#   - CPython 3.9 (bullseye), 3.13 (trixie), 3.14 and 3.15 (sid), unpacked under the cache with a
#     private apt configuration (never installed into the system);
#   - austin (sid), a peer profiler for the benchmarks;
#   - python3-uvloop of trixie (for its 3.13) and sid (for its 3.14), unpacked beside those interpreters
#     (the blocked-loop tests on uvloop's C loop; bookworm's serves 3.11).
#
# Results:
#   $PYROMETER_CACHE/pythons.tsv          <version>\t<absolute path>\t<origin>   (one line per interpreter)
#   $PYROMETER_CACHE/pythons-missing.tsv  <wanted>\t<origin>\t<reason>
#   $PYROMETER_CACHE/tools.tsv            <name>\t<absolute path>  (austin, wrk, rclone, patchelf)
#   $PYROMETER_CACHE/probe.log            what each interpreter printed when it was proven to work
#
# Interpreters from suites newer than bookworm need a newer glibc than the host has. The suite's own
# glibc is unpacked beside them, and a copy of each interpreter is patched (patchelf) to use that
# loader and those libraries, so /proc/PID/exe of a test target is the Python binary itself rather
# than ld.so. A failure with one interpreter is recorded and never stops the others.
set -uo pipefail

PYROMETER_CACHE=${PYROMETER_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/pyrometer}
PYENV_ROOT=${PYENV_ROOT:-/root/.pyenv}
export PYROMETER_CACHE

started=$SECONDS
quiet=1                                   # becomes 0 once anything had to be done
say() { printf '[test-deps] %s\n' "$*"; quiet=0; }
warn() { printf '[test-deps] warning: %s\n' "$*" >&2; }

mkdir -p "$PYROMETER_CACHE" || { echo "[test-deps] cannot create $PYROMETER_CACHE" >&2; exit 1; }

manifest_tmp=$(mktemp)
missing_tmp=$(mktemp)
tools_tmp=$(mktemp)
trap 'rm -f "$manifest_tmp" "$missing_tmp" "$tools_tmp"' EXIT

# Waits for another apt/dpkg run (another engineer, unattended upgrades) instead of failing.
APT_LOCK_WAIT=(-o DPkg::Lock::Timeout=600)
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=(sudo); fi
fi

FAIL_REASON=""                            # set by the helpers below when they return 1
record_missing() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$missing_tmp"; }

# The code that proves an interpreter works; prints the version the way the manifest wants it
# (major.minor.micro, plus the pre-release tag when there is one, e.g. 3.15.0a2).
PROBE='import sys, json, threading, asyncio
v = sys.version_info
tag = "" if v.releaselevel == "final" else {"alpha": "a", "beta": "b", "candidate": "rc"}[v.releaselevel] + str(v.serial)
print("%d.%d.%d%s" % (v.major, v.minor, v.micro, tag))'

# probe_python PATH -> prints the version on success; on failure prints the error's last line.
probe_python() {
  local out
  if ! out=$(env -u PYTHONHOME -u PYTHONPATH "$1" -I -c "$PROBE" 2>&1); then
    printf '%s' "$(printf '%s\n' "$out" | tail -n 1)"
    return 1
  fi
  printf '%s' "$out"
}

# add_python PATH ORIGIN WANTED: proves the interpreter and records it in the manifest or the missing list.
add_python() {
  local path=$1 origin=$2 wanted=$3 version
  if [ ! -x "$path" ]; then
    record_missing "$wanted" "$origin" "no interpreter at $path"
    return 1
  fi
  if ! version=$(probe_python "$path"); then
    record_missing "$wanted" "$origin" "does not start or cannot import sys/json/threading/asyncio: $version"
    return 1
  fi
  printf '%s\t%s\t%s\n' "$version" "$path" "$origin" >>"$manifest_tmp"
  printf '%s\t%s\t%s\tok: import sys, json, threading, asyncio\n' "$(date -u +%FT%TZ)" "$path" "$version" >>"$PYROMETER_CACHE/probe.log.new"
  return 0
}

# ---------------------------------------------------------------------------------------------
# 1. System packages from the configured suite (bookworm)
# ---------------------------------------------------------------------------------------------
# chromium: browser tests of the flame graph and viewer; golang-go: `go tool pprof` reads our pprof,
# and with Debian's sprig and yaml sources it builds hack/chart-render (the chart tests' helm);
# time: peak RSS in benchmarks; curl: the demo's health checks.
# strace: system calls per sample in benchmarks; nodejs/npm: the S3 server of the storage tests.
# afl++: the coverage-guided fuzzer behind `make fuzz` (hack/fuzz.sh).
# postgresql, python3-asyncpg: the demo's database and the driver its async endpoint awaits (bookworm's
# asyncpg is built for its python3.11, the interpreter the demo runs on).
SYSTEM_PACKAGES=(python3.11 python3-gunicorn python3-uvicorn python3-fastapi wrk patchelf rclone chromium golang-go
  golang-github-masterminds-sprig-dev golang-k8s-sigs-yaml-dev time curl strace afl++ postgresql python3-asyncpg)
OPTIONAL_PACKAGES=(python3-uvloop python3-httptools)

is_installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }
has_candidate() {
  local candidate
  candidate=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2 }')
  [ -n "$candidate" ] && [ "$candidate" != "(none)" ]
}

install_system_packages() {
  local wanted=() p
  for p in "${SYSTEM_PACKAGES[@]}"; do
    is_installed "$p" || wanted+=("$p")
  done
  local optional_missing=()
  for p in "${OPTIONAL_PACKAGES[@]}"; do
    is_installed "$p" || optional_missing+=("$p")
  done
  if [ ${#wanted[@]} -eq 0 ] && [ ${#optional_missing[@]} -eq 0 ]; then
    return 0
  fi
  # An empty or stale package list knows no candidates; refresh it once.
  if ! has_candidate patchelf; then
    say "apt-get update (package lists are empty)"
    "${SUDO[@]}" apt-get "${APT_LOCK_WAIT[@]}" -qq update || warn "apt-get update failed"
  fi
  for p in "${optional_missing[@]}"; do
    if has_candidate "$p"; then
      wanted+=("$p")
    fi
  done
  [ ${#wanted[@]} -eq 0 ] && return 0
  say "installing system packages: ${wanted[*]}"
  # --no-upgrade: never replace what the image already has (the system python above all).
  if ! DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get "${APT_LOCK_WAIT[@]}" -qq -y \
      --no-install-recommends --no-upgrade install "${wanted[@]}" >"$PYROMETER_CACHE/apt-install.log" 2>&1; then
    warn "apt-get install failed (see $PYROMETER_CACHE/apt-install.log); trying the packages one by one"
    for p in "${wanted[@]}"; do
      DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get "${APT_LOCK_WAIT[@]}" -qq -y \
        --no-install-recommends --no-upgrade install "$p" >>"$PYROMETER_CACHE/apt-install.log" 2>&1 \
        || warn "could not install $p"
    done
  fi
}

# ---------------------------------------------------------------------------------------------
# 2. Other suites: a private apt configuration per suite, apt-get download + dpkg -x
# ---------------------------------------------------------------------------------------------

# The mirror comes from the machine's own apt configuration, never from this file.
mirror_uri() {
  local uri=""
  if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
    uri=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' \
      /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z+]+:\/\//) { if ($i !~ /security/) { print $i; exit } } }' \
      /etc/apt/sources.list | head -n 1)
  fi
  printf '%s' "$uri"
}

# suite_apt SUITE ARGS...: runs an apt command against that suite alone.
suite_apt() {
  local suite=$1; shift
  APT_CONFIG="$PYROMETER_CACHE/apt/$suite/apt.conf" "$@"
}

prepare_suite() {
  local suite=$1 dir="$PYROMETER_CACHE/apt/$1" uri
  if [ -f "$dir/apt.conf" ] && compgen -G "$dir/lists/*_Packages*" >/dev/null; then
    return 0
  fi
  uri=$(mirror_uri)
  if [ -z "$uri" ]; then
    FAIL_REASON="no Debian mirror found in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list"
    return 1
  fi
  mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/etc/preferences.d" "$dir/debs"
  : >"$dir/status"
  printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' "$uri" "$suite" >"$dir/etc/sources.list"
  cat >"$dir/apt.conf" <<EOF
Dir::State "$dir";
Dir::State::Lists "$dir/lists";
Dir::State::status "$dir/status";
Dir::Cache "$dir/cache";
Dir::Etc::SourceList "$dir/etc/sources.list";
Dir::Etc::SourceParts "$dir/etc/sources.list.d";
Dir::Etc::Preferences "$dir/etc/preferences";
Dir::Etc::PreferencesParts "$dir/etc/preferences.d";
APT::Architecture "amd64";
APT::Sandbox::User "root";
Acquire::Languages "none";
Acquire::IndexTargets::deb::DEP-11::DefaultEnabled "false";
Acquire::IndexTargets::deb::DEP-11-icons::DefaultEnabled "false";
Acquire::IndexTargets::deb::DEP-11-icons-small::DefaultEnabled "false";
EOF
  say "apt-get update for $suite"
  if ! suite_apt "$suite" apt-get -qq update >"$dir/update.log" 2>&1; then
    FAIL_REASON="apt-get update for $suite failed: $(tail -n 1 "$dir/update.log")"
    rm -f "$dir/apt.conf"
    return 1
  fi
}

# Library packages that the interpreter and its stdlib extension modules load. Tools that only
# package scripts need (perl, debconf, the installer's libraries) are left out.
library_closure() {
  local suite=$1; shift
  suite_apt "$suite" apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
    --no-breaks --no-replaces --no-enhances "$@" 2>/dev/null \
    | grep -v '^ ' | grep -v '^<' | sort -u \
    | grep -E '^(lib|zlib1g$)' \
    | grep -vE '^(libperl|libdebian-installer|libnewt|libslang|libtextwrap|libc-gconv-modules-extra|libc-bin|libselinux|libpcre)'
}

# unpack_packages SUITE ROOT HOST_FALLBACK PACKAGES...: downloads and unpacks into ROOT.
# With HOST_FALLBACK=1 (bullseye), libraries the host already has installed are not unpacked: the
# host's newer glibc runs them. Without it (trixie, sid), the suite's own libraries are all used.
unpack_packages() {
  local suite=$1 root=$2 host_fallback=$3; shift 3
  local dir="$PYROMETER_CACHE/apt/$suite" closure=() p wanted=() deb
  mapfile -t closure < <(library_closure "$suite" "$@")
  for p in "$@"; do closure+=("$p"); done
  mapfile -t closure < <(printf '%s\n' "${closure[@]}" | sort -u)
  for p in "${closure[@]}"; do
    if [ "$host_fallback" = 1 ] && [[ "$p" == lib* ]] && [[ "$p" != libpython* ]] && is_installed "$p"; then
      continue
    fi
    wanted+=("$p")
  done
  mkdir -p "$root/.unpacked" "$dir/debs"
  local to_download=()
  for p in "${wanted[@]}"; do
    compgen -G "$dir/debs/${p}_*.deb" >/dev/null || to_download+=("$p")
  done
  if [ ${#to_download[@]} -gt 0 ]; then
    say "$suite: downloading ${#to_download[@]} packages (${to_download[*]})"
    if ! (cd "$dir/debs" && suite_apt "$suite" apt-get -qq download "${to_download[@]}") >"$dir/download.log" 2>&1; then
      # The suite moved on since our package lists were fetched: refresh them once and retry.
      suite_apt "$suite" apt-get -qq update >"$dir/update.log" 2>&1
      if ! (cd "$dir/debs" && suite_apt "$suite" apt-get -qq download "${to_download[@]}") >"$dir/download.log" 2>&1; then
        FAIL_REASON="apt-get download from $suite failed: $(grep -E '^(E|W):' "$dir/download.log" | head -n 1)"
        return 1
      fi
    fi
  fi
  for p in "${wanted[@]}"; do
    for deb in "$dir/debs/${p}"_*.deb; do
      [ -e "$root/.unpacked/$(basename "$deb")" ] && continue
      dpkg -x "$deb" "$root" || { FAIL_REASON="dpkg -x $(basename "$deb") failed"; return 1; }
      : >"$root/.unpacked/$(basename "$deb")"
    done
  done
}

# Where the suite's dynamic loader and libraries live inside ROOT (merged-/usr or not).
suite_loader() {
  local root=$1 candidate
  for candidate in "$root/usr/lib64/ld-linux-x86-64.so.2" "$root/lib64/ld-linux-x86-64.so.2" \
      "$root/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" "$root/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"; do
    if [ -e "$candidate" ]; then
      readlink -f "$candidate"
      return 0
    fi
  done
  return 1
}

# patch_binary ROOT BINARY GLIBC: keeps the pristine file as BINARY.dist and makes BINARY a patched
# copy. GLIBC=1 points it at the suite's loader; in every case DT_RPATH (not RUNPATH, so dlopen'ed
# extension modules are covered too) lists the suite's library directories under ROOT.
patch_binary() {
  local root=$1 binary=$2 glibc=$3 loader
  if ! command -v patchelf >/dev/null 2>&1; then
    FAIL_REASON="patchelf is not installed"
    return 1
  fi
  local args=(--force-rpath --set-rpath "$root/usr/lib/x86_64-linux-gnu:$root/lib/x86_64-linux-gnu")
  if [ "$glibc" = 1 ]; then
    if ! loader=$(suite_loader "$root"); then
      FAIL_REASON="no ld-linux-x86-64.so.2 under $root"
      return 1
    fi
    args+=(--set-interpreter "$loader")
  fi
  if [ ! -e "$binary" ] && [ ! -e "$binary.dist" ]; then
    FAIL_REASON="$binary was not in the unpacked packages"
    return 1
  fi
  [ -e "$binary.dist" ] || cp -p "$binary" "$binary.dist" || { FAIL_REASON="cannot copy $binary"; return 1; }
  cp -p "$binary.dist" "$binary.tmp" || { FAIL_REASON="cannot copy $binary.dist"; return 1; }
  if ! patchelf "${args[@]}" "$binary.tmp"; then
    rm -f "$binary.tmp"
    FAIL_REASON="patchelf failed on $binary"
    return 1
  fi
  mv -f "$binary.tmp" "$binary"
}

# install_suite_python SUITE MINOR ORIGIN GLIBC: GLIBC=1 when the suite needs its own glibc.
install_suite_python() {
  local suite=$1 minor=$2 origin=$3 glibc=$4
  local root="$PYROMETER_CACHE/debian/$suite/root" python
  python="$root/usr/bin/python$minor"
  # Present and working: nothing to do, say nothing.
  if [ -x "$python" ] && [ -f "$python.ok" ] && probe_python "$python" >/dev/null 2>&1; then
    add_python "$python" "$origin" "$minor"
    return
  fi
  say "installing CPython $minor from $suite"
  if ! prepare_suite "$suite"; then
    record_missing "$minor" "$origin" "$FAIL_REASON"
    return
  fi
  local packages=("python$minor-minimal" "libpython$minor-minimal" "libpython$minor-stdlib")
  local package
  for package in "${packages[@]}"; do
    if ! suite_apt "$suite" apt-cache show "$package" >/dev/null 2>&1; then
      record_missing "$minor" "$origin" "$suite has no package $package"
      return
    fi
  done
  if ! unpack_packages "$suite" "$root" "$((1 - glibc))" "${packages[@]}"; then
    record_missing "$minor" "$origin" "$FAIL_REASON"
    return
  fi
  rm -f "$python.ok"
  if ! patch_binary "$root" "$python" "$glibc"; then
    record_missing "$minor" "$origin" "$FAIL_REASON"
    return
  fi
  if add_python "$python" "$origin" "$minor"; then
    : >"$python.ok"
    report_unloadable_modules "$python"
  fi
}

# Extension modules that fail to load are not fatal (the probe passed) but worth a line.
report_unloadable_modules() {
  local broken
  broken=$(env -u PYTHONHOME -u PYTHONPATH "$1" -I -c '
import importlib
bad = []
for name in ("ssl", "ctypes", "decimal", "sqlite3", "lzma", "bz2", "zlib", "hashlib"):
    try:
        importlib.import_module(name)
    except Exception as e:
        bad.append("%s (%s)" % (name, e))
print("; ".join(bad))' 2>&1)
  [ -n "$broken" ] && warn "$1: some optional modules do not load: $broken"
}

# install_suite_uvloop SUITE MINOR: python3-uvloop unpacked into the suite's root, where the interpreter
# finds it in <prefix>/lib/python3/dist-packages when a test script adds that. Optional: a warning only.
install_suite_uvloop() {
  local suite=$1 minor=$2 root="$PYROMETER_CACHE/debian/$1/root"
  [ -x "$root/usr/bin/python$minor" ] || return 0
  if env -u PYTHONHOME -u PYTHONPATH "$root/usr/bin/python$minor" -I -c \
      "import sys; sys.path.append(sys.prefix + '/lib/python3/dist-packages'); import uvloop" >/dev/null 2>&1; then
    return 0
  fi
  say "installing python3-uvloop from $suite for $minor"
  if ! prepare_suite "$suite" || ! unpack_packages "$suite" "$root" 0 python3-uvloop; then
    warn "uvloop for $minor could not be installed: $FAIL_REASON (its blocked-loop tests will be skipped)"
    return 0
  fi
  env -u PYTHONHOME -u PYTHONPATH "$root/usr/bin/python$minor" -I -c \
    "import sys; sys.path.append(sys.prefix + '/lib/python3/dist-packages'); import uvloop" >/dev/null 2>&1 \
    || warn "uvloop from $suite does not load in python$minor (its blocked-loop tests will be skipped)"
}

install_austin() {
  local root="$PYROMETER_CACHE/debian/sid/root" austin
  austin="$root/usr/bin/austin"
  if [ -x "$austin" ] && [ -f "$austin.ok" ] && "$austin" --version >/dev/null 2>&1; then
    printf 'austin\t%s\n' "$austin" >>"$tools_tmp"
    return
  fi
  say "installing austin from sid"
  if ! prepare_suite sid || ! unpack_packages sid "$root" 0 austin || ! patch_binary "$root" "$austin" 1; then
    warn "austin could not be installed: $FAIL_REASON"
    return
  fi
  if ! "$austin" --version >/dev/null 2>&1; then
    warn "austin does not start: $("$austin" --version 2>&1 | tail -n 1)"
    return
  fi
  : >"$austin.ok"
  printf 'austin\t%s\n' "$austin" >>"$tools_tmp"
}

# SharpFuzz's command-line tool instruments .NET assemblies for afl-fuzz (hack/fuzz.sh); pinned,
# installed into the cache rather than globally.
SHARPFUZZ_VERSION=2.3.0
install_sharpfuzz() {
  local dir="$PYROMETER_CACHE/tools/sharpfuzz-$SHARPFUZZ_VERSION"
  if [ ! -x "$dir/sharpfuzz" ]; then
    say "installing the SharpFuzz.CommandLine $SHARPFUZZ_VERSION dotnet tool"
    if ! dotnet tool install --tool-path "$dir" SharpFuzz.CommandLine --version "$SHARPFUZZ_VERSION" \
        >"$PYROMETER_CACHE/sharpfuzz-install.log" 2>&1; then
      warn "SharpFuzz.CommandLine could not be installed (see $PYROMETER_CACHE/sharpfuzz-install.log): make fuzz will fail"
      return
    fi
  fi
  printf 'sharpfuzz\t%s\n' "$dir/sharpfuzz" >>"$tools_tmp"
}

# The speedscope app (npm's speedscope, a static page) that the browser tests open our speedscope files in.
SPEEDSCOPE_VERSION=1.25.0
install_speedscope() {
  local dir="$PYROMETER_CACHE/tools/speedscope-$SPEEDSCOPE_VERSION"
  if [ ! -f "$dir/node_modules/speedscope/dist/release/index.html" ]; then
    say "installing the speedscope $SPEEDSCOPE_VERSION app from npm"
    if ! npm install --no-audit --no-fund --prefix "$dir" "speedscope@$SPEEDSCOPE_VERSION" >"$PYROMETER_CACHE/speedscope-install.log" 2>&1; then
      warn "speedscope could not be installed (see $PYROMETER_CACHE/speedscope-install.log): its browser test will be skipped"
      return
    fi
  fi
  printf 'speedscope\t%s\n' "$dir/node_modules/speedscope/dist/release/index.html" >>"$tools_tmp"
}

# ---------------------------------------------------------------------------------------------
# 3. Run everything, then write the manifests
# ---------------------------------------------------------------------------------------------
: >"$PYROMETER_CACHE/probe.log.new"

install_system_packages

add_python /usr/bin/python3.11 debian-bookworm 3.11 || true
install_suite_python bullseye 3.9 debian-bullseye 0
install_suite_python trixie 3.13 debian-trixie 1
install_suite_python sid 3.14 debian-sid 1
install_suite_python sid 3.15 debian-sid 1

# The image's pyenv builds (shared libpython), 3.8 to 3.13; listed only if they are really there.
for minor in 3.8 3.9 3.10 3.11 3.12 3.13; do
  found=0
  for dir in "$PYENV_ROOT"/versions/"$minor".*; do
    [ -d "$dir" ] || continue
    # Only plain CPython builds (3.13.0, not 3.13.0t or 3.13-dev).
    [[ "$(basename "$dir")" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || continue
    found=1
    add_python "$dir/bin/python$minor" pyenv "$minor" || true
  done
  [ "$found" = 1 ] || record_missing "$minor" pyenv "no $PYENV_ROOT/versions/$minor.* on this machine"
done

install_suite_uvloop trixie 3.13
install_suite_uvloop sid 3.14
install_austin
install_sharpfuzz
# The storage tests' S3 server (npm's s3rver, SigV4-checking; see hack/lib/s3-server.sh).
if command -v npm >/dev/null 2>&1 || "${SUDO[@]}" apt-get "${APT_LOCK_WAIT[@]}" -qq -y --no-install-recommends --no-upgrade install nodejs npm >>"$PYROMETER_CACHE/apt-install.log" 2>&1; then
  bash "$(dirname "$0")/lib/s3-server.sh" install || warn "the S3 test server could not be installed: the S3 storage tests will be skipped"
  install_speedscope
else
  warn "npm is not available: the S3 storage tests will be skipped"
fi
for tool in wrk rclone patchelf strace afl-fuzz; do
  if path=$(command -v "$tool"); then
    printf '%s\t%s\n' "$tool" "$path" >>"$tools_tmp"
  else
    warn "$tool is not installed"
  fi
done

sort -t. -k1,1n -k2,2n -k3,3n "$manifest_tmp" >"$PYROMETER_CACHE/pythons.tsv"
sort "$missing_tmp" >"$PYROMETER_CACHE/pythons-missing.tsv"
cp "$tools_tmp" "$PYROMETER_CACHE/tools.tsv"
mv -f "$PYROMETER_CACHE/probe.log.new" "$PYROMETER_CACHE/probe.log"

printf '%-10s %-16s %s\n' VERSION ORIGIN PATH
awk -F'\t' '{ printf "%-10s %-16s %s\n", $1, $3, $2 }' "$PYROMETER_CACHE/pythons.tsv"
awk -F'\t' '{ printf "%-10s %-16s MISSING: %s\n", $1, $2, $3 }' "$PYROMETER_CACHE/pythons-missing.tsv"
if [ "$quiet" = 0 ]; then
  printf '[test-deps] manifest: %s\n' "$PYROMETER_CACHE/pythons.tsv"
fi
printf '[test-deps] %d interpreters, %d missing, done in %ds\n' \
  "$(wc -l <"$PYROMETER_CACHE/pythons.tsv")" "$(wc -l <"$PYROMETER_CACHE/pythons-missing.tsv")" "$((SECONDS - started))"
