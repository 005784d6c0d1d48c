#!/usr/bin/env bash
# A local Kubernetes the project owns: v1.20.2 built from Debian packages only (bookworm's kubernetes
# source with bullseye's Go 1.15; bookworm's etcd, containerd, runc and CNI plugins), one node.
#
#   hack/cluster.sh build        build into the cache; a no-op when the cache is complete
#   hack/cluster.sh up           build if needed, start everything, wait for the node to be Ready
#   hack/cluster.sh down         stop everything `up` started and remove what it created
#   hack/cluster.sh status       what is running
#   hack/cluster.sh kubeconfig   print the admin kubeconfig's path (for `export KUBECONFIG=...`)
#   hack/cluster.sh smoke        on a running cluster: a busybox pod plus an ephemeral container
#
# Environment:
#   PYROMETER_CACHE         cache root (default ~/.cache/pyrometer); the cluster lives in
#                           $PYROMETER_CACHE/k8s/1.20.2/{bin,root,img}
#   PYROMETER_K8S_SCRATCH   build scratch: sources, Go, Go cache (default /tmp/pyrometer-k8s-build;
#                           removed after a successful build)
#   PYROMETER_CLUSTER_DIR   state: etcd data, PKI, kubeconfigs, logs, pids (default /tmp/pyrometer-cluster)
#   PYROMETER_CLUSTER_WITH_CM=0  skip kube-controller-manager and kube-scheduler (default 1: they
#                           provide ServiceAccount tokens, Deployments and scheduling)
#
# What the API looks like at 1.20 (see hack/lib/cluster/smoke.sh and the end of runtime.sh): the
# EphemeralContainers feature gate is on, but the ephemeralcontainers subresource takes the legacy
# kind EphemeralContainers, and an ephemeral container cannot have a securityContext.
# Needs root (containers, mounts, iptables).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/cluster/common.sh
source "$here/lib/cluster/common.sh"
# shellcheck source=lib/cluster/build.sh
source "$here/lib/cluster/build.sh"
# shellcheck source=lib/cluster/runtime.sh
source "$here/lib/cluster/runtime.sh"
# shellcheck source=lib/cluster/smoke.sh
source "$here/lib/cluster/smoke.sh"

usage() {
  sed -n '5,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

[ $# -eq 1 ] || usage
case $1 in
  build | up | down | status | smoke) [ "$(id -u)" = 0 ] || die "$1 needs root (containers, mounts, iptables)" ;;
esac
case $1 in
  build) cmd_build ;;
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  kubeconfig) cmd_kubeconfig ;;
  smoke) cmd_smoke ;;
  -h | --help | help) usage ;;
  *) printf '[cluster] unknown command: %s\n' "$1" >&2; usage ;;
esac
