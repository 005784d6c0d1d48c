#!/usr/bin/env bash
# A local S3-compatible server for the storage tests: real HTTP, real SigV4 checking (header and
# presigned-query signatures), buckets kept in a directory.
#
#   hack/lib/s3-server.sh install              installs the server under $PYROMETER_CACHE/s3-server
#   hack/lib/s3-server.sh start STATE_DIR PORT [ADDRESS [BUCKET]]
#                                              starts it on ADDRESS:PORT (default 127.0.0.1), data in
#                                              STATE_DIR/data, with BUCKET created; returns once it
#                                              accepts connections and prints endpoint=, access_key=,
#                                              secret_key=, pid= lines
#   hack/lib/s3-server.sh stop STATE_DIR       stops the server started with that STATE_DIR
#   hack/lib/s3-server.sh which                prints the server's path, or exits 1 when absent
#
# Why not `rclone serve s3`: Debian builds rclone without it (bookworm's 1.60 predates it and sid's
# 1.75 leaves it out because its S3 library is not packaged), so the server is s3rver from the npm
# registry, run by the machine's node: the @20minutes fork, because s3rver 3.x accepts any SigV4
# signature while the fork checks them (and presigned URLs' expiry). It accepts the fixed key pair
# S3RVER / S3RVER and answers other keys with InvalidAccessKeyId and wrong secrets with
# SignatureDoesNotMatch, like S3. The fork asks for node >= 24 but runs on bookworm's node 20.
set -euo pipefail

PYROMETER_CACHE=${PYROMETER_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/pyrometer}
PACKAGE=@20minutes/s3rver@5.0.0
PREFIX="$PYROMETER_CACHE/s3-server"
SERVER="$PREFIX/run.js"
ACCESS_KEY=S3RVER
SECRET_KEY=S3RVER

die() { printf '[s3-server] %s\n' "$*" >&2; exit 1; }

install_server() {
  [ -f "$SERVER" ] && return 0
  command -v node >/dev/null 2>&1 || die "node is not installed (apt-get install -y nodejs npm)"
  command -v npm >/dev/null 2>&1 || die "npm is not installed (apt-get install -y npm)"
  mkdir -p "$PREFIX"
  # The registry comes from the machine's npm configuration.
  npm install --prefix "$PREFIX" --no-audit --no-fund --silent "$PACKAGE" >"$PREFIX/install.log" 2>&1 \
    || die "npm install $PACKAGE failed: $(tail -n 3 "$PREFIX/install.log")"
  [ -f "$PREFIX/node_modules/@20minutes/s3rver/lib/cli.js" ] || die "npm installed $PACKAGE but its lib/cli.js is missing"
  # SigV4 signs the path as sent: path-style bucket calls (create, list, multi-delete) go to
  # "/bucket/", which the server canonicalises as "/bucket" and so refuses every such signature.
  # Keep the trailing slash, as S3 does; the check below fails loudly if the package changed.
  local auth="$PREFIX/node_modules/@20minutes/s3rver/lib/middleware/authentication.js"
  sed -i 's|^      if (ctx.params.key) {$|      if (!ctx.params.key \&\& !ctx.state.vhost \&\& ctx.path.endsWith("/")) { canonicalizedResource += "/" } else if (ctx.params.key) {|' "$auth"
  grep -q 'ctx.path.endsWith("/")' "$auth" || die "could not adapt $auth for path-style bucket signatures"
  # The package ships no executable; its CLI module parses the arguments.
  printf '%s\n' "require('@20minutes/s3rver/lib/cli.js').parseAsync(process.argv).catch((e) => { console.error(e.message); process.exit(1); });" >"$SERVER"
}

# accepts ADDRESS PORT: true once something listens there.
accepts() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

start_server() {
  local state=$1 port=$2 address=${3:-127.0.0.1} bucket=${4:-} pid i buckets=()
  [ -z "$bucket" ] || buckets=(--configure-bucket "$bucket")
  [[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -gt 0 ] && [ "$port" -lt 65536 ] || die "PORT must be 1..65535, got '$port'"
  [ -f "$SERVER" ] || install_server
  mkdir -p "$state/data"
  if [ -f "$state/server.pid" ] && kill -0 "$(cat "$state/server.pid")" 2>/dev/null; then
    die "a server is already running for $state (pid $(cat "$state/server.pid"))"
  fi
  # setsid + closed descriptors: the caller waiting on this script's output is not held by the server.
  # --openssl-legacy-provider: the server encrypts list continuation tokens with DES, which OpenSSL 3
  # keeps in its legacy provider.
  setsid node --openssl-legacy-provider "$SERVER" --directory "$state/data" --address "$address" --port "$port" --silent --no-vhost-buckets "${buckets[@]}" \
    </dev/null >>"$state/server.log" 2>&1 &
  pid=$!
  echo "$pid" >"$state/server.pid"
  for i in $(seq 1 200); do
    if accepts "$address" "$port"; then
      printf 'endpoint=http://%s:%s\naccess_key=%s\nsecret_key=%s\npid=%s\n' "$address" "$port" "$ACCESS_KEY" "$SECRET_KEY" "$pid"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || die "the server exited at start: $(tail -n 5 "$state/server.log")"
    sleep 0.05
  done
  kill "$pid" 2>/dev/null || true
  die "the server did not accept connections on $address:$port within 10 s: $(tail -n 5 "$state/server.log")"
}

stop_server() {
  local state=$1 pid i
  [ -f "$state/server.pid" ] || return 0
  pid=$(cat "$state/server.pid")
  rm -f "$state/server.pid"
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.05
  done
  kill -9 "$pid" 2>/dev/null || true
}

case "${1:-}" in
  install) install_server ;;
  start) [ $# -ge 3 ] && [ $# -le 5 ] || die "usage: $0 start STATE_DIR PORT [ADDRESS [BUCKET]]"; shift; start_server "$@" ;;
  stop) [ $# -eq 2 ] || die "usage: $0 stop STATE_DIR"; stop_server "$2" ;;
  which) [ -f "$SERVER" ] && command -v node >/dev/null 2>&1 && printf '%s\n' "$SERVER" || exit 1 ;;
  *) die "usage: $0 install | start STATE_DIR PORT [ADDRESS [BUCKET]] | stop STATE_DIR | which" ;;
esac
