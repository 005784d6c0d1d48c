#!/usr/bin/env bash
# Container images without Docker: each recipe in hack/images/ (agent, operator, demo, postgres) becomes an OCI
# image built with umoci from Debian packages and this repository's build outputs.
#
#   hack/images.sh build [NAME...]    build into $PYROMETER_IMAGES_DIR (default /tmp/pyrometer-images)
#   hack/images.sh import [NAME...]   import the built images into the local cluster's containerd as
#                                     pyrometer.local/NAME:dev (hack/cluster.sh up first)
#
# Inputs: `make agent` (artifacts/agent/pyrometer) and `make operator` (artifacts/operator/) for those
# two images. umoci comes from the local cluster's cache (hack/cluster.sh build). Needs root (chroot).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$here/.." && pwd)
# shellcheck source=lib/cluster/common.sh
source "$here/lib/cluster/common.sh"
# shellcheck source=lib/images/build.sh
source "$here/lib/images/build.sh"
say() { printf '[images] %s\n' "$*"; }
die() { printf '[images] FAILED: %s\n' "$*" >&2; exit 1; }

all_images=(agent operator demo postgres)

cmd_import() {
  local name
  use_cache_path
  [ -S "$state/containerd/containerd.sock" ] || die "the local cluster's containerd is not running (hack/cluster.sh up)"
  for name in "$@"; do
    [ -f "$images_out/$name.tar" ] || die "$images_out/$name.tar is missing (hack/images.sh build $name)"
    ctr --address "$state/containerd/containerd.sock" --namespace k8s.io images import \
      --base-name "pyrometer.local/$name" "$images_out/$name.tar" >/dev/null \
      || die "ctr images import of $name failed"
    say "imported pyrometer.local/$name:$image_tag"
  done
}

[ $# -ge 1 ] || { sed -n '5,7p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ "$(id -u)" = 0 ] || die "needs root (chroot, containerd)"
command=$1; shift
[ $# -gt 0 ] || set -- "${all_images[@]}"
for name in "$@"; do
  [ -f "$repo_root/hack/images/$name.image" ] || die "no recipe hack/images/$name.image (known: ${all_images[*]})"
done
case $command in
  build) for name in "$@"; do build_image "$name"; done ;;
  import) cmd_import "$@" ;;
  *) die "unknown command '$command' (build, import)" ;;
esac
