# shellcheck shell=bash
# shellcheck disable=SC2154,SC2034 # settings shared with common.sh, sourced first by hack/cluster.sh
# Sourced by hack/cluster.sh: `up`, `down`, `status` and `kubeconfig` for the one-node cluster whose
# binaries `build` put into $cache. All state lives in $state; the host paths below are the only
# places outside it that the kubelet, containerd and the CNI plugins write to, and `down` removes
# those that did not exist before `up`.

host_paths=(/var/log/pods /var/log/containers /run/containerd /var/lib/cni /run/netns /var/lib/kubelet
  /var/lib/dockershim /etc/cni /opt/cni)
with_cm=${PYROMETER_CLUSTER_WITH_CM:-1}
case $with_cm in
  0 | 1) ;;
  *) die "PYROMETER_CLUSTER_WITH_CM must be 0 or 1, not '$with_cm'" ;;
esac

wanted_components() {
  if [ "$with_cm" = 1 ]; then
    printf '%s\n' "${components[@]}"
  else
    printf '%s\n' etcd kube-apiserver containerd kubelet
  fi
}

kc() { kubectl --kubeconfig "$kubeconfig" "$@"; }
ctr_k8s() { ctr --address "$state/containerd/containerd.sock" --namespace k8s.io "$@"; }

# start_component NAME COMMAND...: in its own session (it outlives this script), output in logs/NAME.log.
start_component() {
  local name=$1; shift
  setsid "$@" >"$state/logs/$name.log" 2>&1 </dev/null &
  printf '%s\n' "$!" >"$(pid_file "$name")"
}

# wait_until COMPONENT SECONDS DESCRIPTION COMMAND...: polls COMMAND; fails at once when COMPONENT died.
wait_until() {
  local component=$1 seconds=$2 description=$3; shift 3
  local deadline=$(( SECONDS + seconds ))
  while ! "$@" >/dev/null 2>&1; do
    if ! component_pid "$component" >/dev/null; then
      step_fail "$component exited while waiting for: $description" "$state/logs/$component.log"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      step_fail "timed out after ${seconds}s waiting for: $description" "$state/logs/$component.log"
    fi
    sleep 0.2
  done
}

make_pki() {
  local pki=$state/pki log=$state/logs/pki.log
  [ -f "$pki/.complete" ] && [ -f "$kubeconfig" ] && return 0
  step_begin "PKI and kubeconfigs"
  rm -rf "$pki"; mkdir -p "$pki"
  cat >"$pki/openssl.cnf" <<CNF
[req]
distinguished_name = dn
[dn]
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
[server]
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
[client]
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
CNF
  run_logged "$log" openssl req -x509 -newkey rsa:2048 -nodes -keyout "$pki/ca.key" -out "$pki/ca.crt" -days 3650 \
    -subj /CN=pyrometer-cluster-ca -config "$pki/openssl.cnf" -extensions ca
  # name subject extensions
  local pair
  for pair in "apiserver|/CN=kube-apiserver|server" \
    "admin|/O=system:masters/CN=admin|client" \
    "apiserver-kubelet-client|/O=system:masters/CN=kube-apiserver-kubelet-client|client" \
    "kubelet-client|/O=system:nodes/CN=system:node:$node_name|client" \
    "kubelet-server|/CN=$node_name|server"; do
    IFS='|' read -r name subject extensions <<<"$pair"
    run_logged "$log" openssl req -newkey rsa:2048 -nodes -keyout "$pki/$name.key" -out "$pki/$name.csr" \
      -subj "$subject" -config "$pki/openssl.cnf"
    run_logged "$log" openssl x509 -req -in "$pki/$name.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
      -out "$pki/$name.crt" -days 3650 -extfile "$pki/openssl.cnf" -extensions "$extensions"
  done
  run_logged "$log" openssl genrsa -out "$pki/sa.key" 2048
  run_logged "$log" openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub"
  local file user
  for pair in "$kubeconfig|admin" "$state/kubelet.kubeconfig|kubelet-client"; do
    IFS='|' read -r file user <<<"$pair"
    rm -f "$file"
    run_logged "$log" kubectl --kubeconfig "$file" config set-cluster pyrometer --server=https://127.0.0.1:6443 \
      --certificate-authority="$pki/ca.crt" --embed-certs
    run_logged "$log" kubectl --kubeconfig "$file" config set-credentials "$user" \
      --client-certificate="$pki/$user.crt" --client-key="$pki/$user.key" --embed-certs
    run_logged "$log" kubectl --kubeconfig "$file" config set-context pyrometer --cluster=pyrometer --user="$user"
    run_logged "$log" kubectl --kubeconfig "$file" config use-context pyrometer
  done
  touch "$pki/.complete"
  step_end
}

start_etcd() {
  step_begin "etcd"
  start_component etcd etcd --data-dir "$state/etcd" --name default \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster default=http://127.0.0.1:2380
  wait_until etcd 60 "etcd endpoint health on 127.0.0.1:2379" \
    env ETCDCTL_API=3 etcdctl --endpoints 127.0.0.1:2379 endpoint health
  step_end
}

start_apiserver() {
  step_begin "kube-apiserver"
  local pki=$state/pki
  start_component kube-apiserver kube-apiserver --etcd-servers=http://127.0.0.1:2379 \
    --bind-address=127.0.0.1 --secure-port=6443 --advertise-address=127.0.0.1 --insecure-port=0 \
    --endpoint-reconciler-type=none --service-cluster-ip-range=10.0.0.0/24 \
    --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" --client-ca-file="$pki/ca.crt" \
    --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction --allow-privileged=true \
    --kubelet-client-certificate="$pki/apiserver-kubelet-client.crt" \
    --kubelet-client-key="$pki/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types=Hostname,InternalIP \
    --feature-gates=EphemeralContainers=true --cert-dir="$state/run/apiserver-certs"
  wait_until kube-apiserver 120 "https://127.0.0.1:6443/readyz" kc get --raw /readyz
  step_end
}

start_containerd() {
  step_begin "containerd, bridge CNI, images"
  mkdir -p "$state/containerd" "$state/cni/conf" "$state/cni/networks"
  cat >"$state/containerd/config.toml" <<TOML
version = 2
root = "$state/containerd/root"
state = "$state/containerd/state"
[grpc]
  address = "$state/containerd/containerd.sock"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "k8s.gcr.io/pause:3.2"
  # Where CAP_SYS_RESOURCE is missing from the bounding set, nothing may lower oom_score_adj and the
  # pause container's -998 makes runc fail; keep every score at or above the caller's.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "$cache/root/usr/bin/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$cache/root/usr/lib/cni"
    conf_dir = "$state/cni/conf"
TOML
  cat >"$state/cni/conf/10-pyrometer.conflist" <<JSON
{"cniVersion": "0.4.0", "name": "pyrometer", "plugins": [
  {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false,
   "ipam": {"type": "host-local", "dataDir": "$state/cni/networks",
            "ranges": [[{"subnet": "10.88.0.0/16"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
  {"type": "portmap", "capabilities": {"portMappings": true}}]}
JSON
  start_component containerd containerd --config "$state/containerd/config.toml"
  wait_until containerd 60 "containerd answering on $state/containerd/containerd.sock" ctr_k8s version
  local log=$state/logs/images.log
  run_logged "$log" ctr_k8s images import --base-name k8s.gcr.io/pause "$cache/img/pause.tar"
  run_logged "$log" ctr_k8s images import --base-name docker.io/library/busybox "$cache/img/busybox.tar"
  step_end
}

start_kubelet() {
  step_begin "kubelet (node $node_name) until Ready"
  local pki=$state/pki
  mkdir -p "$state/kubelet"
  cat >"$state/kubelet/config.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: 127.0.0.1
readOnlyPort: 0
authentication: {anonymous: {enabled: false}, webhook: {enabled: false}, x509: {clientCAFile: $pki/ca.crt}}
authorization: {mode: AlwaysAllow}
tlsCertFile: $pki/kubelet-server.crt
tlsPrivateKeyFile: $pki/kubelet-server.key
cgroupDriver: cgroupfs
failSwapOn: false
clusterDomain: cluster.local
featureGates: {EphemeralContainers: true}
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%"}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
YAML
  # --oom-score-adj=0: see restrict_oom_score_adj in containerd's config. The node is named
  # localhost because a loopback --node-ip is refused; with --kubelet-preferred-address-types=Hostname
  # the API server reaches the kubelet (logs, exec) on 127.0.0.1.
  start_component kubelet kubelet --config="$state/kubelet/config.yaml" --kubeconfig="$state/kubelet.kubeconfig" \
    --root-dir="$state/kubelet/root" --cert-dir="$state/kubelet/pki" --hostname-override="$node_name" \
    --oom-score-adj=0 --container-runtime=remote \
    --container-runtime-endpoint="unix://$state/containerd/containerd.sock" \
    --pod-infra-container-image=k8s.gcr.io/pause:3.2
  wait_until kubelet 180 "node $node_name Ready" kc wait --for=condition=Ready "node/$node_name" --timeout=2s
  step_end
}

start_controllers() {
  [ "$with_cm" = 1 ] || {
    kc get serviceaccount default >/dev/null 2>&1 || kc create serviceaccount default >/dev/null \
      || step_fail "creating the default ServiceAccount failed"
    return 0
  }
  step_begin "kube-controller-manager and kube-scheduler"
  local pki=$state/pki
  start_component kube-controller-manager kube-controller-manager --kubeconfig="$kubeconfig" \
    --bind-address=127.0.0.1 --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt" \
    --use-service-account-credentials=true --cluster-signing-cert-file="$pki/ca.crt" \
    --cluster-signing-key-file="$pki/ca.key" --controllers='*,-nodeipam' --leader-elect=false \
    --feature-gates=EphemeralContainers=true
  start_component kube-scheduler kube-scheduler --kubeconfig="$kubeconfig" --bind-address=127.0.0.1 \
    --leader-elect=false
  wait_until kube-controller-manager 120 "the default ServiceAccount and its token secret" \
    sh -c "kubectl --kubeconfig '$kubeconfig' get serviceaccount default -o jsonpath='{.secrets[0].name}' | grep -q ."
  wait_until kube-scheduler 60 "kube-scheduler healthy on https://127.0.0.1:10259/healthz" \
    curl -ksf https://127.0.0.1:10259/healthz
  step_end
}

# Which of the host paths exist now (before `up` starts anything), and which network namespaces.
record_host_state() {
  local path
  # after a crashed `up` the earlier record stays: it knows what existed before the first start
  [ -f "$state/run/host-paths-created" ] && return 0
  : >"$state/run/host-paths-created"
  for path in "${host_paths[@]}"; do
    [ -e "$path" ] || printf '%s\n' "$path" >>"$state/run/host-paths-created"
  done
  ls /run/netns 2>/dev/null >"$state/run/netns-before" || true
}

# The ports the components listen on must be free (a cluster from another state dir, a stray etcd).
check_ports() {
  local port busy=""
  for port in 2379 2380 6443 10248 10250 10257 10259; do
    if ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then
      busy+=" $port"
    fi
  done
  [ -z "$busy" ] || die "up: port(s)$busy on this host are already in use (see 'ss -ltnp'); is another cluster running?"
}

running_components() {
  local name
  for name in "${components[@]}"; do
    component_pid "$name" >/dev/null && printf '%s\n' "$name"
  done
  return 0
}

cmd_up() {
  local started=$SECONDS running wanted
  running=$(running_components | sort | paste -sd ' ' -)
  wanted=$(wanted_components | sort | paste -sd ' ' -)
  if [ -n "$running" ] && [ "$running" = "$wanted" ] && kc get --raw /readyz >/dev/null 2>&1; then
    say "up: the cluster is already running ($running)"
    say "export KUBECONFIG=$kubeconfig"
    return 0
  fi
  if [ -n "$running" ]; then
    say "up: partly running ($running); stopping it first"
    cmd_down
  fi
  if ! cache_complete; then
    cmd_build
  fi
  use_cache_path
  mkdir -p "$state/logs" "$state/run"
  ensure_host_tools "$state/logs"
  check_ports
  fail_hint="the cluster is half up: 'hack/cluster.sh down' stops what was started"
  record_host_state
  say "up: state in $state, logs in $state/logs"
  make_pki
  start_etcd
  start_apiserver
  start_containerd
  start_kubelet
  start_controllers
  fail_hint=""
  say "up: node $node_name Ready; total $(elapsed "$started")"
  say "export KUBECONFIG=$kubeconfig"
}

# stop_component NAME: TERM, up to 10 s, then KILL.
stop_component() {
  local name=$1 pid
  pid=$(component_pid "$name") || { rm -f "$(pid_file "$name")"; return 0; }
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do
    component_pid "$name" >/dev/null || break
    sleep 0.2
  done
  if component_pid "$name" >/dev/null; then
    warn "$name (pid $pid) ignored TERM; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$(pid_file "$name")"
  say "  stopped $name (pid $pid)"
}

# Our processes that are not components: a binary from $cache whose command line names $state (the
# containerd shims), and whatever sits in the pods' cgroups.
leftover_pids() {
  local pid exe
  for pid in /proc/[0-9]*; do
    pid=${pid#/proc/}
    exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || continue
    case $exe in
      "$cache"/*) tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$state/" && printf '%s\n' "$pid" ;;
    esac
  done
  cat /sys/fs/cgroup/*/kubepods/cgroup.procs /sys/fs/cgroup/*/kubepods/*/cgroup.procs \
    /sys/fs/cgroup/*/kubepods/*/*/cgroup.procs /sys/fs/cgroup/*/kubepods/*/*/*/cgroup.procs 2>/dev/null || true
  return 0
}

our_mounts() {
  awk -v state="$state/" 'index($2, state) == 1 { print $2 }' /proc/mounts | sort -r -u
}

new_netns() {
  local path
  for path in /run/netns/*; do
    [ -e "$path" ] || continue
    grep -qxF "${path#/run/netns/}" "$state/run/netns-before" 2>/dev/null || printf '%s\n' "$path"
  done
}

iptables_tools() {
  local tool
  for tool in iptables ip6tables; do command -v "$tool" >/dev/null 2>&1 && printf '%s\n' "$tool"; done
  return 0
}

# Removes the kubelet's KUBE-* and the CNI plugins' CNI-* chains and the rules that jump to them.
remove_chains() {
  local tool table rule chain
  for tool in $(iptables_tools); do
    for table in filter nat mangle; do
      { "$tool" -t "$table" -S 2>/dev/null || true; } | { grep -E '^-A .* -j (KUBE|CNI)-' || true; } \
        | sed 's/^-A /-D /' | while read -r rule; do eval "$tool -t $table $rule" 2>/dev/null || true; done
      for chain in $("$tool" -t "$table" -S 2>/dev/null | awk '/^-N (KUBE|CNI)-/ { print $2 }'); do
        "$tool" -t "$table" -F "$chain" 2>/dev/null || true
      done
      for chain in $("$tool" -t "$table" -S 2>/dev/null | awk '/^-N (KUBE|CNI)-/ { print $2 }'); do
        "$tool" -t "$table" -X "$chain" 2>/dev/null || true
      done
    done
  done
}

leftover_chains() {
  local tool table
  for tool in $(iptables_tools); do
    for table in filter nat mangle; do
      "$tool" -t "$table" -S 2>/dev/null | awk -v where="$tool/$table" '/^-N (KUBE|CNI)-/ { print where ":" $2 }'
    done
  done
  return 0
}

our_cgroups() {
  local dir
  for dir in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods /sys/fs/cgroup/*/k8s.io /sys/fs/cgroup/k8s.io; do
    [ -d "$dir" ] && printf '%s\n' "$dir"
  done
  return 0
}

cmd_down() {
  local started=$SECONDS step name pid mount path command
  say "down: stopping the cluster in $state"
  use_cache_path
  stop_component kube-scheduler
  stop_component kube-controller-manager
  if component_pid kube-apiserver >/dev/null && component_pid kubelet >/dev/null; then
    # let the kubelet stop the pods itself: that tears down their network namespaces and cgroups
    step=$SECONDS
    if kc delete pods --all --all-namespaces --grace-period=0 --force --wait=true --timeout=60s >/dev/null 2>&1; then
      say "  deleted the pod objects in $(elapsed "$step")"
    else
      warn "deleting the pods did not finish in $(elapsed "$step"); killing their containers"
    fi
  fi
  if component_pid containerd >/dev/null; then
    for name in $(ctr_k8s tasks ls -q 2>/dev/null); do ctr_k8s tasks kill -s SIGKILL "$name" >/dev/null 2>&1 || true; done
    for name in $(ctr_k8s tasks ls -q 2>/dev/null); do ctr_k8s tasks delete -f "$name" >/dev/null 2>&1 || true; done
  fi
  for name in kubelet containerd kube-apiserver etcd; do stop_component "$name"; done
  for pid in $(leftover_pids | sort -u); do
    command=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-80 || true)
    if kill -KILL "$pid" 2>/dev/null; then
      say "  killed leftover pid $pid ($command)"
    fi
  done
  sleep 0.5
  for mount in $(our_mounts) $(new_netns); do
    umount -l "$mount" 2>/dev/null || true
  done
  for path in $(new_netns); do rm -f "$path"; done
  ip link show cni0 >/dev/null 2>&1 && { ip link del cni0 || warn "could not delete the cni0 link"; }
  remove_chains
  for path in $(our_cgroups); do
    find "$path" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
  if [ -f "$state/run/host-paths-created" ]; then
    while read -r path; do
      if [ -n "$path" ] && [ -e "$path" ]; then
        rm -rf "$path"
      fi
    done <"$state/run/host-paths-created"
  fi
  # Keep the logs for a post-mortem; everything else `up` made goes (only when nothing is mounted in it).
  if [ -d "$state" ] && [ -z "$(our_mounts)" ]; then
    find "$state" -mindepth 1 -maxdepth 1 ! -name logs -exec rm -rf {} +
  fi
  local left
  left=$(down_leftovers)
  if [ -n "$left" ]; then
    printf '%s\n' "$left" | sed 's/^/[cluster]   left: /' >&2
    die "down: some things could not be removed (see above); total $(elapsed "$started")"
  fi
  say "down: nothing left (processes, mounts, iptables chains, cni0, cgroups); logs kept in $state/logs; total $(elapsed "$started")"
}

down_leftovers() {
  local name
  for name in "${components[@]}"; do component_pid "$name" >/dev/null && printf 'process %s\n' "$name"; done
  leftover_pids | sort -u | sed '/^$/d; s/^/process pid /'
  our_mounts | sed 's/^/mount /'
  new_netns | sed 's/^/netns /'
  leftover_chains | sed 's/^/iptables chain /'
  ip link show cni0 >/dev/null 2>&1 && printf 'link cni0\n'
  our_cgroups | sed 's/^/cgroup /'
  return 0
}

cmd_status() {
  local name pid any=0
  if cache_complete; then say "cache: $cache ($(head -n1 "$cache/.complete"))"; else say "cache: $cache is not built"; fi
  say "state: $state"
  for name in $(wanted_components); do
    if pid=$(component_pid "$name"); then
      say "  $name: running (pid $pid, log $state/logs/$name.log)"
      any=1
    else
      say "  $name: stopped"
    fi
  done
  if [ "$any" = 0 ]; then
    say "the cluster is not running"
    return 0
  fi
  use_cache_path
  if kc get --raw /readyz >/dev/null 2>&1; then
    say "  API: ready at https://127.0.0.1:6443"
    kc get nodes --no-headers 2>/dev/null | sed 's/^/[cluster]   node: /'
    say "export KUBECONFIG=$kubeconfig"
  else
    say "  API: not answering"
  fi
}

cmd_kubeconfig() {
  [ -f "$kubeconfig" ] || die "no kubeconfig at $kubeconfig: run hack/cluster.sh up"
  printf '%s\n' "$kubeconfig"
}

# Notes for tests against this cluster (1.20):
#   - ephemeral containers: PUT the legacy body to the subresource, e.g.
#       kubectl replace --raw /api/v1/namespaces/NS/pods/POD/ephemeralcontainers -f ec.json
#     with {"apiVersion":"v1","kind":"EphemeralContainers","metadata":{"name":POD,"namespace":NS},
#     "ephemeralContainers":[{..., "targetContainerName":"app"}]}. A Pod-shaped patch (>= 1.22) is
#     answered 200 and silently ignored, and any securityContext (SYS_PTRACE) is refused with 422.
#   - images: docker.io/library/busybox:1.35 and k8s.gcr.io/pause:3.2 are imported; use
#     imagePullPolicy: Never or IfNotPresent (there is no registry access).
