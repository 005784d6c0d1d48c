# shellcheck shell=bash
# Sourced by hack/e2e.sh and hack/demo-cluster.sh: puts Pyrometer and the demo service on the local cluster
# (hack/cluster.sh). The operator runs on the node as a process, with the token of a ServiceAccount
# bound to exactly the RBAC the Helm chart grants (tests/Pyrometer.Chart.Tests/Assets/
# least-privilege-rbac.yaml, which the chart tests compare rule by rule). It runs outside the cluster
# because this node has no kube-proxy, so a pod cannot reach the API server's Service address.
# Pods reach the node on the bridge's gateway address, where the operator's upload port (and nothing
# else of the operator) and the S3 server listen; the operator's read port (links, health) is on loopback only.

deploy_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
deploy_state=${PYROMETER_DEPLOY_STATE:-/tmp/pyrometer-deploy}
node_address=10.88.0.1        # cni0's gateway (hack/lib/cluster/runtime.sh: bridge 10.88.0.0/16)
operator_namespace=pyrometer  # the namespace least-privilege-rbac.yaml binds the ServiceAccount in
demo_namespace=${PYROMETER_DEMO_NAMESPACE:-pyrometer-demo}
admin_kubeconfig=/tmp/pyrometer-cluster/admin.kubeconfig
operator_kubeconfig=$deploy_state/operator.kubeconfig

kadmin() { kubectl --kubeconfig "$admin_kubeconfig" "$@"; }

# deploy_images [NAME...]: builds the images (default: agent, operator and demo; the cluster demo adds
# postgres) and imports them into the node's containerd.
deploy_images() {
  [ $# -gt 0 ] || set -- agent operator demo
  "$deploy_repo/hack/images.sh" build "$@"
  "$deploy_repo/hack/images.sh" import "$@"
}

# deploy_operator_access: the CRD, the operator's namespace, ServiceAccount and RBAC, and a kubeconfig
# with the ServiceAccount's token in $operator_kubeconfig.
deploy_operator_access() {
  mkdir -p "$deploy_state"
  # 1.20 does not know x-kubernetes-validations (CEL, 1.25+): kubectl's client-side check refuses the
  # field and the API server drops it, so on this cluster only the OpenAPI bounds and enums apply.
  kadmin apply --validate=false -f "$deploy_repo/crds/pyrometer.dev_profilerequests.yaml" >/dev/null
  kadmin wait --for=condition=Established crd/profilerequests.pyrometer.dev --timeout=60s >/dev/null
  kadmin create namespace "$operator_namespace" --dry-run=client -o yaml | kadmin apply -f - >/dev/null
  kadmin -n "$operator_namespace" create serviceaccount pyrometer-operator --dry-run=client -o yaml | kadmin apply -f - >/dev/null
  kadmin apply -f "$deploy_repo/tests/Pyrometer.Chart.Tests/Assets/least-privilege-rbac.yaml" >/dev/null
  local secret="" i
  for i in $(seq 1 120); do
    secret=$(kadmin -n "$operator_namespace" get serviceaccount pyrometer-operator -o jsonpath='{.secrets[0].name}' 2>/dev/null || true)
    [ -n "$secret" ] && break
    sleep 0.5
  done
  [ -n "$secret" ] || die "kube-controller-manager did not create the ServiceAccount token within 60 s"
  local token ca server
  token=$(kadmin -n "$operator_namespace" get secret "$secret" -o jsonpath='{.data.token}' | base64 -d)
  ca=$(kadmin -n "$operator_namespace" get secret "$secret" -o jsonpath='{.data.ca\.crt}')
  server=$(kadmin config view -o jsonpath='{.clusters[0].cluster.server}')
  umask 077
  cat >"$operator_kubeconfig" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster: {server: "$server", certificate-authority-data: "$ca"}
users:
- name: pyrometer-operator
  user: {token: "$token"}
contexts:
- name: pyrometer-operator
  context: {cluster: local, user: pyrometer-operator, namespace: $operator_namespace}
current-context: pyrometer-operator
YAML
  umask 022
  # the rules the operator needs, checked as the operator: a missing one fails here, not mid-scenario
  local check
  for check in "get pods" "watch pods" "patch pods --subresource=ephemeralcontainers" \
    "patch profilerequests.pyrometer.dev --subresource=status" "create events" "get replicasets.apps"; do
    # shellcheck disable=SC2086 # the check is a word list
    [ "$(kubectl --kubeconfig "$operator_kubeconfig" auth can-i $check -n "$demo_namespace")" = yes ] \
      || die "the chart's RBAC does not let the operator '$check' in $demo_namespace"
  done
}

# deploy_postgres: the demo's database (the postgres image: a throwaway cluster seeded at start) as pod
# `postgres` in $demo_namespace, made afresh; prints its address once it accepts TCP connections. The demo
# pods get the address itself: this node has no kube-proxy, so a Service's address would lead nowhere.
deploy_postgres() {
  kadmin create namespace "$demo_namespace" --dry-run=client -o yaml | kadmin apply -f - >/dev/null
  kadmin -n "$demo_namespace" delete pod postgres --ignore-not-found --wait=true --timeout=60s >/dev/null
  kadmin -n "$demo_namespace" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata: {name: postgres, labels: {app: demo-postgres}}
spec:
  terminationGracePeriodSeconds: 2
  automountServiceAccountToken: false
  containers:
  - name: postgres
    image: pyrometer.local/postgres:dev
    imagePullPolicy: Never
    ports: [{containerPort: 5432}]
    readinessProbe: {tcpSocket: {port: 5432}, periodSeconds: 1}
YAML
  kadmin -n "$demo_namespace" wait --for=condition=Ready pod/postgres --timeout=120s >/dev/null \
    || die "pod postgres did not become Ready: $(kadmin -n "$demo_namespace" logs postgres 2>&1 | tail -n 5)"
  kadmin -n "$demo_namespace" get pod postgres -o jsonpath='{.status.podIP}'
}

# deploy_demo [DATABASE_URL]: the demo service (2 replicas of gunicorn with 4 uvicorn workers, label app=demo)
# and a busybox pod named not-python, in $demo_namespace; returns when they are Ready. With DATABASE_URL
# (deploy_postgres), its /listings endpoint queries that database; without, /listings answers 503.
deploy_demo() {
  local database_url=${1:-}
  kadmin create namespace "$demo_namespace" --dry-run=client -o yaml | kadmin apply -f - >/dev/null
  kadmin -n "$demo_namespace" apply -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: demo}
spec:
  replicas: 2
  selector: {matchLabels: {app: demo}}
  template:
    metadata: {labels: {app: demo}}
    spec:
      terminationGracePeriodSeconds: 2
      automountServiceAccountToken: false
      containers:
      - name: app
        image: pyrometer.local/demo:dev
        imagePullPolicy: Never
        ports: [{containerPort: 8000}]
        readinessProbe: {httpGet: {path: /healthz, port: 8000}, periodSeconds: 2}
        env: [{name: DEMO_DATABASE_URL, value: "$database_url"}]
---
apiVersion: v1
kind: Pod
metadata: {name: not-python}
spec:
  terminationGracePeriodSeconds: 1
  automountServiceAccountToken: false
  containers:
  - {name: app, image: docker.io/library/busybox:1.35, imagePullPolicy: Never, command: [sleep, "86400"]}
YAML
  kadmin -n "$demo_namespace" rollout status deployment/demo --timeout=180s >/dev/null \
    || die "the demo Deployment did not become ready: $(kadmin -n "$demo_namespace" get pods 2>&1 | tail -n 5)"
  kadmin -n "$demo_namespace" wait --for=condition=Ready pod/not-python --timeout=120s >/dev/null \
    || die "pod not-python did not become Ready"
}

# deploy_start_operator PORT [KEY=VALUE...]: starts the operator on the node in the background with the
# ServiceAccount's kubeconfig, the agent image imported by deploy_images and the built-in store (reads and
# signed links on 127.0.0.1:PORT, uploads on the bridge address at PORT+8), plus the given settings; sets
# operator_pid and returns once it leads. Its log is $deploy_state/operator.log.
deploy_start_operator() {
  local port=$1 i; shift
  local upload_port=$((port + 8))
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && die "port $port is in use (another operator?)"
  # DOTNET_GCgen0size as the chart sets it, so what runs here is what the chart deploys.
  env KUBECONFIG="$operator_kubeconfig" DOTNET_GCgen0size=0x200000 \
    ASPNETCORE_URLS="http://127.0.0.1:$port;http://$node_address:$upload_port" \
    Operator__AgentImage=pyrometer.local/agent:dev Operator__AgentImagePullPolicy=Never \
    LeaderElection__LeaseNamespace="$operator_namespace" \
    Storage__BuiltIn__RootPath="$deploy_state/store" \
    Storage__BuiltIn__BaseUrl="http://$node_address:$upload_port" Storage__BuiltIn__UploadPort="$upload_port" \
    Storage__BuiltIn__PublicUrl="http://127.0.0.1:$port" \
    "$@" setsid dotnet "$deploy_repo/artifacts/operator/pyrometer-operator.dll" >"$deploy_state/operator.log" 2>&1 &
  operator_pid=$!
  for i in $(seq 1 240); do
    curl -fsS "http://127.0.0.1:$port/readyz" 2>/dev/null | grep -q leader && return 0
    kill -0 "$operator_pid" 2>/dev/null || die "the operator exited at start: $(tail -n 5 "$deploy_state/operator.log")"
    sleep 0.25
  done
  die "the operator did not become leader within 60 s (log: $deploy_state/operator.log)"
}

# deploy_remove_demo: deletes the demo namespace (its pods, ephemeral containers and ProfileRequests).
deploy_remove_demo() {
  kadmin delete namespace "$demo_namespace" --ignore-not-found --wait=true --timeout=120s >/dev/null 2>&1 || true
}
