# shellcheck shell=bash
# shellcheck disable=SC2154 # cache_root, say, die, step_* come from hack/lib/cluster/common.sh
# Sourced by hack/images.sh: builds an OCI image from a recipe (hack/images/NAME.image) with umoci, no
# Docker. A recipe is Dockerfile-like, one directive per line:
#   BASE-DEBS PKG...          bookworm packages and everything they depend on, unpacked with dpkg -x
#   BASE-DEBS-EXCLUDE PKG...  dependencies left out (present only for scripts nothing runs)
#   BASE-KEEP PATH...         keep only these paths of the unpacked packages (a "chiseled" base)
#   BASE-DOTNET FRAMEWORK...  this machine's .NET shared frameworks under /usr/share/dotnet
#   BASE-ENV K=V              an environment variable the base image provides
#   CHECK ARG...              run in a chroot of the finished root filesystem; must exit 0
#   COPY SRC DEST, USER, ENV K=V, WORKDIR, EXPOSE PORT, ENTRYPOINT ["..."]   as in a Dockerfile
# Output: $images_out/NAME.tar (an OCI layout, for `ctr images import`) and $images_out/NAME.rootfs.

images_out=${PYROMETER_IMAGES_DIR:-${TMPDIR:-/tmp}/pyrometer-images}
debs_cache=$cache_root/images/debs
image_tag=dev

recipe_fail() { die "$recipe_file:$recipe_line: $*"; }

# parse_recipe FILE: fills the recipe_* arrays.
parse_recipe() {
  recipe_file=$1; recipe_line=0
  recipe_debs=(); recipe_exclude=(); recipe_keep=(); recipe_dotnet=(); recipe_base_env=(); recipe_checks=()
  recipe_copies=(); recipe_env=(); recipe_user=""; recipe_workdir=""; recipe_expose=(); recipe_entrypoint=()
  local line directive rest
  while IFS= read -r line || [ -n "$line" ]; do
    recipe_line=$(( recipe_line + 1 ))
    [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
    directive=${line%% *}; rest=${line#* }
    case $directive in
      BASE-DEBS) read -ra words <<<"$rest"; recipe_debs+=("${words[@]}") ;;
      BASE-DEBS-EXCLUDE) read -ra words <<<"$rest"; recipe_exclude+=("${words[@]}") ;;
      BASE-KEEP) read -ra words <<<"$rest"; recipe_keep+=("${words[@]}") ;;
      BASE-DOTNET) read -ra words <<<"$rest"; recipe_dotnet+=("${words[@]}") ;;
      BASE-ENV) recipe_base_env+=("$rest") ;;
      CHECK) recipe_checks+=("$rest") ;;
      COPY) read -ra words <<<"$rest"; [ ${#words[@]} -eq 2 ] || recipe_fail "COPY takes SRC DEST"; recipe_copies+=("$rest") ;;
      ENV) recipe_env+=("$rest") ;;
      USER) recipe_user=$rest ;;
      WORKDIR) recipe_workdir=$rest ;;
      EXPOSE) recipe_expose+=("$rest") ;;
      ENTRYPOINT)
        # the exec form only: a JSON array of strings without embedded quotes or commas
        [[ "$rest" =~ ^\[(\ *\"[^\",]*\"\ *,?)+\]$ ]] || recipe_fail "ENTRYPOINT must be a JSON array of strings"
        local item
        while read -r item; do recipe_entrypoint+=("$item"); done < <(grep -oE '"[^"]*"' <<<"$rest" | tr -d '"')
        ;;
      *) recipe_fail "unknown directive '$directive'" ;;
    esac
  done <"$recipe_file"
}

# deb_closure PKG...: the packages with their Depends and Pre-Depends, recursively, minus recipe_exclude.
deb_closure() {
  apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
    --no-enhances "$@" | grep -vE '^[ <]' | sort -u | grep -vxF -f <(printf '%s\n' "${recipe_exclude[@]:-}")
}

# fetch_debs PKG...: makes sure $debs_cache holds each package's candidate version; prints the .deb paths.
fetch_debs() {
  local package version file missing=() paths=()
  mkdir -p "$debs_cache"
  for package in "$@"; do
    version=$(apt-cache policy "$package" | awk '/Candidate:/ { print $2 }')
    [ -n "$version" ] && [ "$version" != "(none)" ] || die "no candidate version of $package (apt-get update?)"
    file=$debs_cache/${package}_${version//:/%3a}_$(dpkg --print-architecture).deb
    [ -f "$file" ] || file=$debs_cache/${package}_${version//:/%3a}_all.deb
    if [ -f "$file" ]; then paths+=("$file"); else missing+=("$package"); fi
  done
  if [ ${#missing[@]} -gt 0 ]; then
    (cd "$debs_cache" && apt-get -qq -o APT::Sandbox::User=root download "${missing[@]}") >&2 || die "apt-get download ${missing[*]} failed"
    for package in "${missing[@]}"; do
      paths+=("$(ls -t "$debs_cache/${package}_"*.deb | head -n 1)")
    done
  fi
  printf '%s\n' "${paths[@]}"
}

# assemble_rootfs NAME: the image's root filesystem in $images_out/NAME.rootfs.
assemble_rootfs() {
  local name=$1 rootfs=$images_out/$1.rootfs base=$images_out/$1.base deb path entry src dest
  rm -rf "$rootfs" "$base"; mkdir -p "$rootfs" "$base"
  if [ ${#recipe_debs[@]} -gt 0 ]; then
    local closure
    mapfile -t closure < <(deb_closure "${recipe_debs[@]}")
    say "$name: ${#closure[@]} packages (${recipe_debs[*]} and their dependencies)"
    while read -r deb; do dpkg -x "$deb" "$base"; done < <(fetch_debs "${closure[@]}")
    # what update-ca-certificates would generate at install time
    if [ -d "$base/usr/share/ca-certificates" ]; then
      mkdir -p "$base/etc/ssl/certs"
      find "$base/usr/share/ca-certificates" -name '*.crt' | sort | xargs cat >"$base/etc/ssl/certs/ca-certificates.crt"
    fi
  fi
  if [ ${#recipe_keep[@]} -gt 0 ]; then
    for path in "${recipe_keep[@]}"; do
      [ -e "$base$path" ] || [ -L "$base$path" ] || die "$name: BASE-KEEP $path is not in the unpacked packages"
      (cd "$base" && cp -a --parents ".$path" "$rootfs/")
    done
  else
    cp -a "$base/." "$rootfs/"
  fi
  rm -rf "$base"
  if [ ${#recipe_dotnet[@]} -gt 0 ]; then
    local dotnet_root framework version
    dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
    mkdir -p "$rootfs/usr/share/dotnet/shared" "$rootfs/usr/bin"
    cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$rootfs/usr/share/dotnet/"
    for framework in "${recipe_dotnet[@]}"; do
      version=$(ls "$dotnet_root/shared/$framework" | sort -V | tail -n 1)
      [ -n "$version" ] || die "$name: this machine's .NET has no $framework"
      mkdir -p "$rootfs/usr/share/dotnet/shared/$framework"
      cp -a "$dotnet_root/shared/$framework/$version" "$rootfs/usr/share/dotnet/shared/$framework/"
    done
    ln -sf ../share/dotnet/dotnet "$rootfs/usr/bin/dotnet"
  fi
  # what every base image has: root and the chiseled images' app user, a writable /tmp
  mkdir -p "$rootfs/etc" "$rootfs/tmp"
  chmod 1777 "$rootfs/tmp"
  printf 'root:x:0:0:root:/root:/sbin/nologin\napp:x:1654:1654:app:/home/app:/sbin/nologin\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\napp:x:1654:\n' >"$rootfs/etc/group"
  for entry in "${recipe_copies[@]}"; do
    read -r src dest <<<"$entry"
    [ -e "$repo_root/$src" ] || die "$name: COPY $src: not found (build it first)"
    if [ -d "$repo_root/$src" ]; then
      mkdir -p "$rootfs$dest"; cp -a "$repo_root/$src/." "$rootfs$dest/"
    else
      mkdir -p "$(dirname "$rootfs$dest")"; cp -a "$repo_root/$src" "$rootfs$dest"
    fi
  done
  [ -z "$recipe_workdir" ] || mkdir -p "$rootfs$recipe_workdir"
}

# check_rootfs NAME: runs each CHECK in a chroot with the image's environment.
check_rootfs() {
  local name=$1 rootfs=$images_out/$1.rootfs check chroot
  chroot=$(command -v chroot) || die "chroot is not installed"
  local environment=(PATH=/usr/local/bin:/usr/bin:/bin HOME=/tmp "${recipe_base_env[@]}" "${recipe_env[@]}")
  for check in "${recipe_checks[@]}"; do
    # shellcheck disable=SC2086 # a CHECK is a plain word list
    # its own mount and PID namespaces with a /proc, as in a container (the .NET runtime reads /proc/self)
    mkdir -p "$rootfs/proc"
    env -i "${environment[@]}" unshare --mount --pid --fork --mount-proc="$rootfs/proc" "$chroot" "$rootfs" $check >"$images_out/$name.check.log" 2>&1 \
      || die "$name: CHECK '$check' failed in a chroot of the image: $(tail -n 5 "$images_out/$name.check.log")"
  done
}

# pack_image NAME: the OCI layout tarball $images_out/NAME.tar, image NAME:$image_tag.
pack_image() {
  local name=$1 layout=$images_out/$1.layout bundle=$images_out/$1.bundle umoci=$cache/root/usr/bin/umoci
  local args=() item
  [ -x "$umoci" ] || die "umoci is missing from $cache/root (run hack/cluster.sh build)"
  rm -rf "$layout" "$bundle"
  "$umoci" init --layout "$layout"
  "$umoci" new --image "$layout:$name"
  "$umoci" unpack --image "$layout:$name" "$bundle" >/dev/null
  cp -a "$images_out/$name.rootfs/." "$bundle/rootfs/"
  "$umoci" repack --image "$layout:$name" "$bundle" >/dev/null
  for item in "${recipe_entrypoint[@]}"; do args+=(--config.entrypoint "$item"); done
  for item in "${recipe_base_env[@]}" "${recipe_env[@]}"; do args+=(--config.env "$item"); done
  for item in "${recipe_expose[@]}"; do args+=(--config.exposedports "$item/tcp"); done
  [ -z "$recipe_user" ] || args+=(--config.user "$recipe_user")
  [ -z "$recipe_workdir" ] || args+=(--config.workingdir "$recipe_workdir")
  "$umoci" config --image "$layout:$name" --tag "$image_tag" --clear=config.cmd "${args[@]}"
  "$umoci" rm --image "$layout:$name"
  "$umoci" gc --layout "$layout"
  (cd "$layout" && tar cf "$images_out/$name.tar.partial" .)
  mv "$images_out/$name.tar.partial" "$images_out/$name.tar"
  rm -rf "$layout" "$bundle"
}

# inputs_digest NAME: a digest of the recipe and every COPY source, to skip rebuilding an unchanged image.
inputs_digest() {
  local entry src
  {
    sha256sum "$repo_root/hack/images/$1.image" "${BASH_SOURCE[0]}"
    for entry in "${recipe_copies[@]}"; do
      read -r src _ <<<"$entry"
      find "$repo_root/$src" -type f -print0 | sort -z | xargs -0 -r sha256sum
    done
  } | sha256sum | cut -d' ' -f1
}

# build_image NAME: recipe → root filesystem → checks → OCI tarball; skipped when the inputs are unchanged.
build_image() {
  local name=$1 started=$SECONDS digest
  parse_recipe "$repo_root/hack/images/$name.image"
  mkdir -p "$images_out"
  digest=$(inputs_digest "$name")
  if [ -f "$images_out/$name.tar" ] && [ "$(cat "$images_out/$name.digest" 2>/dev/null)" = "$digest" ]; then
    say "$name: up to date ($images_out/$name.tar)"
    return 0
  fi
  rm -f "$images_out/$name.digest"
  assemble_rootfs "$name"
  check_rootfs "$name"
  pack_image "$name"
  printf '%s\n' "$digest" >"$images_out/$name.digest"
  say "$name: $images_out/$name.tar, $(du -m "$images_out/$name.tar" | cut -f1) MB, in $(( SECONDS - started ))s"
}
