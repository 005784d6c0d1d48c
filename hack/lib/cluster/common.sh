# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables here are used by the other files of hack/lib/cluster
# Sourced by hack/cluster.sh: paths, logging, timing and small helpers shared by the build and the
# runtime parts. Nothing here starts a process or writes a file.

k8s_version=1.20.2
k8s_source_version=1.20.5+really1.20.2-1.1+deb12u1
k8s_commit=faecb196815e248d3ecfb03c680a4507229c2a56
node_name=localhost   # resolves to 127.0.0.1, so apiserver -> kubelet traffic stays on loopback

cache_root=${PYROMETER_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/pyrometer}
cache=$cache_root/k8s/$k8s_version                         # bin/ root/ img/ (kept)
scratch=${PYROMETER_K8S_SCRATCH:-${TMPDIR:-/tmp}/pyrometer-k8s-build}   # sources, Go, Go cache (removed)
state=${PYROMETER_CLUSTER_DIR:-/tmp/pyrometer-cluster}     # etcd data, PKI, kubeconfigs, logs, pids
kubeconfig=$state/admin.kubeconfig

# The components `up` starts, in start order; `down` stops them in reverse.
components=(etcd kube-apiserver containerd kubelet kube-controller-manager kube-scheduler)
binaries=(kube-apiserver kubelet kube-controller-manager kube-scheduler)

step_started=$SECONDS
current_step=""
fail_hint=""

say() { printf '[cluster] %s\n' "$*"; }
warn() { printf '[cluster] warning: %s\n' "$*" >&2; }
die() { printf '[cluster] FAILED: %s\n' "$*" >&2; exit 1; }

# seconds since $1 (a $SECONDS value), e.g. "12s"
elapsed() { printf '%ss' "$(( SECONDS - $1 ))"; }

# step_begin NAME / step_end: "[cluster] NAME ... done in 3s"
step_begin() { current_step=$1; step_started=$SECONDS; say "$1 ..."; }
step_end() { say "$current_step: done in $(elapsed "$step_started")"; current_step=""; }

# step_fail MESSAGE [LOG]: names the current step and, when given, the log to read (with its tail).
step_fail() {
  local message=$1 log=${2:-}
  printf '[cluster] FAILED at step "%s": %s\n' "${current_step:-?}" "$message" >&2
  if [ -n "$log" ] && [ -f "$log" ]; then
    printf '[cluster] log: %s (last lines below)\n' "$log" >&2
    tail -n 15 "$log" | sed 's/^/    /' >&2
  elif [ -n "$log" ]; then
    printf '[cluster] log: %s (missing)\n' "$log" >&2
  fi
  if [ -n "${fail_hint:-}" ]; then
    printf '[cluster] %s\n' "$fail_hint" >&2
  fi
  exit 1
}

# run_logged LOG COMMAND...: runs the command with its output in LOG; on failure names the step and log.
run_logged() {
  local log=$1; shift
  mkdir -p "$(dirname "$log")"
  if ! "$@" >>"$log" 2>&1; then
    step_fail "'$*' exited non-zero" "$log"
  fi
}

cache_complete() { [ -f "$cache/.complete" ]; }

# The cached runtime (etcd, containerd, runc, ctr, CNI plugins) and our binaries come first on PATH.
use_cache_path() {
  export PATH=$cache/bin:$cache/root/usr/bin:$cache/root/usr/sbin:$cache/root/bin:$PATH
}

pid_file() { printf '%s/run/%s.pid' "$state" "$1"; }

# component_pid NAME: prints the pid when the component runs, else returns 1. A recycled pid (another
# program) or a zombie does not count.
component_pid() {
  local file pid exe state_field
  file=$(pid_file "$1")
  [ -f "$file" ] || return 1
  pid=$(cat "$file")
  [ -n "$pid" ] || return 1
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
  [ "${exe##*/}" = "$1" ] || return 1
  state_field=$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null) || return 1
  [ "$state_field" != Z ] || return 1
  printf '%s' "$pid"
}
