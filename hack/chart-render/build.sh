#!/usr/bin/env bash
# Builds chart-render from Debian's packaged Go sources (golang-github-masterminds-sprig-dev,
# golang-k8s-sigs-yaml-dev under /usr/share/gocode), in GOPATH mode: nothing is downloaded.
#
#   hack/chart-render/build.sh OUTPUT      # or: build.sh --test | --vet
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
gocode=/usr/share/gocode
if [ ! -d "$gocode/src/github.com/Masterminds/sprig" ] || [ ! -d "$gocode/src/sigs.k8s.io/yaml" ]; then
  echo "chart-render: Debian's Go sources are missing (apt-get install golang-go golang-github-masterminds-sprig-dev golang-k8s-sigs-yaml-dev)" >&2
  exit 1
fi

# GOPATH mode does not map ".../v3" import paths onto Debian's unversioned directories: a private
# GOPATH of links does.
aliases=$(mktemp -d "${TMPDIR:-/tmp}/chart-render-gopath.XXXXXX")
trap 'rm -rf "$aliases"' EXIT
for module in github.com/Masterminds/sprig github.com/Masterminds/semver; do
  mkdir -p "$aliases/src/$module"
  ln -s "$gocode/src/$module" "$aliases/src/$module/v3"
done

export GO111MODULE=off GOFLAGS= GOPATH="$aliases:$gocode"
export GOCACHE=${GOCACHE:-${TMPDIR:-/tmp}/pyrometer-chart-render-gocache}
cd "$here"
case "${1:?usage: build.sh OUTPUT | --test | --vet}" in
  --test) go test . ;;
  --vet) go vet . ;;
  *) go build -o "$1" . ;;
esac
