# shellcheck shell=bash
# shellcheck disable=SC2154 # the settings come from common.sh, sourced first by hack/cluster.sh
# Sourced by hack/cluster.sh: `build` makes $cache complete from Debian packages only.
#
#   - kube-apiserver, kubelet, kube-controller-manager, kube-scheduler: built from bookworm's
#     `kubernetes` SOURCE package (1.20.2 with vendor/) with bullseye's golang-1.15, offline;
#   - etcd, containerd, runc, CNI plugins, busybox-static, umoci: bookworm debs unpacked into root/;
#   - images: pause (compiled from the source's build/pause) and busybox, packed with umoci into
#     img/pause.tar and img/busybox.tar for `ctr images import`.
#
# The apt configuration is private (nothing is installed system-wide except a few host tools).
# Sources, Go and the Go build cache live in $scratch and are removed after a successful build.

# Commands the build and the cluster need from the host, and the bookworm packages that bring them.
host_tool_packages() {
  local -A packages=(
    [make]=make [gcc]=gcc [rsync]=rsync [openssl]=openssl [iptables]=iptables
    [dpkg-source]=dpkg-dev [kubectl]=kubernetes-client [ip]=iproute2 [setsid]=util-linux [curl]=curl
  )
  local tool
  for tool in "${!packages[@]}"; do
    command -v "$tool" >/dev/null 2>&1 || printf '%s\n' "${packages[$tool]}"
  done
  # static linking of pause needs libc.a
  [ -f /usr/lib/x86_64-linux-gnu/libc.a ] || ls /usr/lib/*/libc.a >/dev/null 2>&1 || printf 'libc6-dev\n'
}

# ensure_host_tools LOG_DIR
ensure_host_tools() {
  local missing
  missing=$(host_tool_packages | sort -u | tr '\n' ' ')
  missing=${missing% }
  [ -n "$missing" ] || return 0
  step_begin "install host tools ($missing)"
  mkdir -p "$1"
  local log=$1/host-tools.log
  # shellcheck disable=SC2086 # a list of package names
  if ! apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=600 $missing >>"$log" 2>&1; then
    run_logged "$log" apt-get update -o DPkg::Lock::Timeout=600
    # shellcheck disable=SC2086
    run_logged "$log" apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=600 $missing
  fi
  step_end
}

# The Debian mirror this machine's apt uses (first URIs: of the deb822 sources, else sources.list).
debian_mirror() {
  local mirror
  mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  if [ -z "$mirror" ]; then
    mirror=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) { print $i; exit } }' \
      /etc/apt/sources.list 2>/dev/null || true)
  fi
  printf '%s' "$mirror"
}

private_apt() {
  apt-get \
    -o Dir::Etc::SourceList="$scratch/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null \
    -o Dir::State::Lists="$scratch/apt/lists" -o Dir::Cache="$scratch/apt/cache" \
    -o Dir::State::status="$scratch/apt/status" -o APT::Sandbox::User=root \
    -o Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false "$@"
}

fetch_packages() {
  step_begin "fetch Debian packages (kubernetes $k8s_source_version source, golang-1.15, runtime debs)"
  local log=$scratch/logs/fetch.log mirror
  mirror=$(debian_mirror)
  [ -n "$mirror" ] || step_fail "no Debian mirror found in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list"
  mkdir -p "$scratch/apt/lists/partial" "$scratch/apt/cache" "$scratch/debs/go" "$scratch/debs/runtime" "$scratch/src"
  touch "$scratch/apt/status"
  cat >"$scratch/apt/sources.list" <<SOURCES
deb [trusted=yes] $mirror bookworm main
deb-src [trusted=yes] $mirror bookworm main
deb [trusted=yes] $mirror bullseye main
SOURCES
  run_logged "$log" private_apt update
  if [ ! -d "$scratch/src/kubernetes-$k8s_version" ]; then
    (cd "$scratch/src" && private_apt source --download-only "kubernetes=$k8s_source_version") >>"$log" 2>&1 \
      || step_fail "downloading the kubernetes source package failed" "$log"
    (cd "$scratch/src" && dpkg-source --no-check -x "kubernetes_$k8s_source_version.dsc" "kubernetes-$k8s_version.partial") >>"$log" 2>&1 \
      || step_fail "unpacking the kubernetes source package failed" "$log"
    mv "$scratch/src/kubernetes-$k8s_version.partial" "$scratch/src/kubernetes-$k8s_version"
  fi
  (cd "$scratch/debs/go" && private_apt download golang-1.15-go/bullseye golang-1.15-src/bullseye) >>"$log" 2>&1 \
    || step_fail "downloading golang-1.15 (bullseye) failed" "$log"
  (cd "$scratch/debs/runtime" && private_apt download etcd-server/bookworm etcd-client/bookworm containerd/bookworm \
    runc/bookworm containernetworking-plugins/bookworm busybox-static/bookworm umoci/bookworm) >>"$log" 2>&1 \
    || step_fail "downloading the runtime packages (bookworm) failed" "$log"
  local deb
  rm -rf "$scratch/go" "$cache/root"
  mkdir -p "$scratch/go" "$cache/root"
  for deb in "$scratch"/debs/go/*.deb; do run_logged "$log" dpkg -x "$deb" "$scratch/go"; done
  for deb in "$scratch"/debs/runtime/*.deb; do run_logged "$log" dpkg -x "$deb" "$cache/root"; done
  say "  debs $(du -sh "$scratch/debs" | cut -f1), source $(du -sh "$scratch/src" | cut -f1), runtime root $(du -sh "$cache/root" | cut -f1)"
  step_end
}

go_env() {
  export GOROOT=$scratch/go/usr/lib/go-1.15 GOPATH=$scratch/gopath GOCACHE=$scratch/gocache
  export PATH=$GOROOT/bin:$PATH GOPROXY=off GO111MODULE=on CGO_ENABLED=0 GOFLAGS=-mod=vendor
  [ -x "$GOROOT/bin/go" ] || step_fail "Go 1.15 is missing under $GOROOT"
}

generate_openapi() {
  local src=$scratch/src/kubernetes-$k8s_version
  [ -f "$src/pkg/generated/openapi/zz_generated.openapi.go" ] && return 0
  step_begin "generate pkg/generated/openapi (not in the source tarball)"
  # make gen_openapi builds openapi-gen with the same toolchain; it must not see -mod=vendor's GOFLAGS
  # twice nor a HOME it cannot write.
  (cd "$src" && HOME=$scratch/home make gen_openapi) >>"$scratch/logs/gen-openapi.log" 2>&1 \
    || step_fail "make gen_openapi failed" "$scratch/logs/gen-openapi.log"
  step_end
}

compile_binaries() {
  local src=$scratch/src/kubernetes-$k8s_version ldflags="-s -w" package name
  for package in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
    ldflags+=" -X $package.gitVersion=v$k8s_version -X $package.gitMajor=1 -X $package.gitMinor=20"
    ldflags+=" -X $package.gitTreeState=clean -X $package.gitCommit=$k8s_commit -X $package.buildDate=2021-01-13T13:20:00Z"
  done
  mkdir -p "$cache/bin"
  for name in "${binaries[@]}"; do
    [ -x "$cache/bin/$name" ] && continue
    step_begin "compile $name"
    (cd "$src" && HOME=$scratch/home go build -ldflags "$ldflags" -o "$cache/bin/.$name.partial" "./cmd/$name") \
      >>"$scratch/logs/compile-$name.log" 2>&1 || step_fail "go build ./cmd/$name failed" "$scratch/logs/compile-$name.log"
    mv "$cache/bin/.$name.partial" "$cache/bin/$name"
    step_end
  done
}

build_images() {
  step_begin "build images (pause 3.2 from the source, busybox 1.35 from busybox-static)"
  local src=$scratch/src/kubernetes-$k8s_version work=$scratch/img log=$scratch/logs/images.log
  local umoci=$cache/root/usr/bin/umoci busybox=$cache/root/bin/busybox applet
  rm -rf "$work"; mkdir -p "$work" "$cache/img"
  (
    set -e
    cd "$work"
    gcc -Os -static -o pause.bin "$src/build/pause/linux/pause.c" -DVERSION=3.2
    "$umoci" init --layout pause
    "$umoci" new --image pause:3.2
    "$umoci" unpack --rootless --image pause:3.2 pause-bundle >/dev/null
    cp pause.bin pause-bundle/rootfs/pause
    "$umoci" repack --image pause:3.2 pause-bundle
    "$umoci" config --image pause:3.2 --config.entrypoint /pause --config.user 65535:65535
    "$umoci" init --layout busybox
    "$umoci" new --image busybox:1.35
    "$umoci" unpack --rootless --image busybox:1.35 busybox-bundle >/dev/null
    mkdir -p busybox-bundle/rootfs/bin busybox-bundle/rootfs/etc busybox-bundle/rootfs/tmp
    cp "$busybox" busybox-bundle/rootfs/bin/busybox
    for applet in $("$busybox" --list); do
      [ "$applet" = busybox ] || ln -sf busybox "busybox-bundle/rootfs/bin/$applet"
    done
    printf 'root:x:0:0:root:/root:/bin/sh\n' >busybox-bundle/rootfs/etc/passwd
    printf 'root:x:0:\n' >busybox-bundle/rootfs/etc/group
    "$umoci" repack --image busybox:1.35 busybox-bundle
    "$umoci" config --image busybox:1.35 --config.cmd sh --config.env PATH=/bin
    for image in pause busybox; do
      "$umoci" gc --layout "$image"
      (cd "$image" && tar cf "$cache/img/$image.tar.partial" .)
      mv "$cache/img/$image.tar.partial" "$cache/img/$image.tar"
    done
  ) >>"$log" 2>&1 || step_fail "building the images failed" "$log"
  step_end
}

cmd_build() {
  if cache_complete; then
    say "build: $cache is complete (kubernetes $k8s_version); nothing to do"
    return 0
  fi
  local started=$SECONDS
  say "build: kubernetes $k8s_version into $cache (scratch: $scratch; 4 to 8 minutes on 2 cores)"
  mkdir -p "$scratch/logs" "$scratch/home" "$cache"
  ensure_host_tools "$scratch/logs"
  if [ ! -d "$scratch/src/kubernetes-$k8s_version" ] || [ ! -x "$scratch/go/usr/lib/go-1.15/bin/go" ] \
    || [ ! -x "$cache/root/usr/bin/etcd" ]; then
    fetch_packages
  fi
  (
    go_env
    generate_openapi
    compile_binaries
  ) || exit 1
  build_images
  local name
  for name in "${binaries[@]}"; do [ -x "$cache/bin/$name" ] || die "build: $cache/bin/$name is missing"; done
  for name in etcd etcdctl containerd ctr runc umoci; do
    [ -x "$cache/root/usr/bin/$name" ] || die "build: $cache/root/usr/bin/$name is missing"
  done
  [ -x "$cache/root/usr/lib/cni/bridge" ] || die "build: the CNI plugins are missing under $cache/root/usr/lib/cni"
  printf 'kubernetes %s (Debian source %s)\nbuilt %s\n' "$k8s_version" "$k8s_source_version" \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$cache/.complete"
  say "build: cache $(du -sh "$cache" | cut -f1) in $cache; removing scratch $scratch ($(du -sh "$scratch" | cut -f1))"
  rm -rf "$scratch"
  say "build: total $(elapsed "$started")"
}
