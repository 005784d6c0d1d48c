#!/usr/bin/env bash
# End-to-end on a throwaway k3d cluster: build both images, import them, install the chart with an
# in-cluster S3 server (MinIO), deploy the demo app (hack/demo-app) under load, profile it with a
# ProfileRequest and wait for Ready.
#
#   hack/e2e-k3d.sh
#
# Needs docker (with a running engine), k3d, kubectl and helm. When one is missing it says which and
# exits 0 without pretending to have run anything. Environment:
#   PYROMETER_E2E_CLUSTER  cluster name (default pyrometer-e2e)
#   PYROMETER_E2E_KEEP=1   keep the cluster afterwards for poking around
#   PYROMETER_E2E_TIMEOUT  how long the ProfileRequest may take to become Ready (default 5m)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
cluster=${PYROMETER_E2E_CLUSTER:-pyrometer-e2e}
keep=${PYROMETER_E2E_KEEP:-0}
timeout=${PYROMETER_E2E_TIMEOUT:-5m}
tag=e2e-$(git rev-parse --short HEAD 2>/dev/null || echo dev)
operator_image=pyrometer/operator:$tag
agent_image=pyrometer/agent:$tag
demo_image=pyrometer/demo-app:$tag

say() { printf '[e2e-k3d] %s\n' "$*"; }
die() { printf '[e2e-k3d] FAILED: %s\n' "$*" >&2; exit 1; }

skip_without() {
  if ! command -v "$1" >/dev/null 2>&1; then
    say "$1 is not installed: the k3d end-to-end run was NOT performed (install docker, k3d, kubectl and helm to run it)."
    exit 0
  fi
}
for tool in docker k3d kubectl helm; do skip_without "$tool"; done
if ! docker info >/dev/null 2>&1; then
  say "the Docker engine is not reachable: the k3d end-to-end run was NOT performed."
  exit 0
fi

context=k3d-$cluster
kc() { kubectl --context "$context" "$@"; }

diagnose() {
  say "diagnostics:"
  kc get profilerequests -A -o wide || true
  kc describe profilerequests -n demo || true
  kc get pods -A -o wide || true
  kc logs -n pyrometer deployment/pyrometer-operator --tail=200 || true
}

cleanup() {
  local status=$?
  if [ $status -ne 0 ]; then
    diagnose
  fi
  if [ "$keep" = 1 ]; then
    say "keeping cluster $cluster (delete it with: k3d cluster delete $cluster)"
  else
    k3d cluster delete "$cluster" >/dev/null 2>&1 || true
  fi
  exit $status
}

say "creating cluster $cluster"
k3d cluster delete "$cluster" >/dev/null 2>&1 || true
k3d cluster create "$cluster" --agents 0 --wait --timeout 180s
trap cleanup EXIT

say "building images ($tag)"
docker build -f Dockerfile.operator -t "$operator_image" .
docker build -f Dockerfile.agent -t "$agent_image" .
# The demo service's image: bookworm's Python with the same three packages hack/demo-agent.sh needs.
docker build -t "$demo_image" -f - hack/demo-app <<'DOCKERFILE'
FROM python:3.12-slim-bookworm
RUN pip install --no-cache-dir fastapi uvicorn gunicorn
WORKDIR /app
COPY app.py gunicorn.conf.py /app/
USER 1000:1000
CMD ["gunicorn", "-c", "gunicorn.conf.py", "--bind", "0.0.0.0:8000", "app:app"]
DOCKERFILE
k3d image import -c "$cluster" "$operator_image" "$agent_image" "$demo_image"

say "starting MinIO (the S3 server) with bucket 'profiles'"
kc create namespace pyrometer
kc apply -n pyrometer -f - <<'YAML'
apiVersion: v1
kind: Secret
metadata:
  name: minio-credentials
stringData:
  accessKeyId: pyrometer-e2e
  secretAccessKey: pyrometer-e2e-secret
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: minio
spec:
  selector:
    matchLabels: {app: minio}
  template:
    metadata:
      labels: {app: minio}
    spec:
      containers:
        - name: minio
          image: minio/minio:latest
          args: ["server", "/data"]
          env:
            - {name: MINIO_ROOT_USER, valueFrom: {secretKeyRef: {name: minio-credentials, key: accessKeyId}}}
            - {name: MINIO_ROOT_PASSWORD, valueFrom: {secretKeyRef: {name: minio-credentials, key: secretAccessKey}}}
          ports:
            - containerPort: 9000
          readinessProbe:
            httpGet: {path: /minio/health/ready, port: 9000}
          volumeMounts:
            - {name: data, mountPath: /data}
      volumes:
        - {name: data, emptyDir: {}}
---
apiVersion: v1
kind: Service
metadata:
  name: minio
spec:
  selector: {app: minio}
  ports:
    - {port: 9000, targetPort: 9000}
YAML
kc rollout status -n pyrometer deployment/minio --timeout=180s
kc run -n pyrometer make-bucket --restart=Never --rm -i --image=minio/mc:latest \
  --env=MC_HOST_local=http://pyrometer-e2e:pyrometer-e2e-secret@minio.pyrometer.svc:9000 -- mb --ignore-existing local/profiles

say "installing the chart"
helm --kube-context "$context" install pyrometer charts/pyrometer -n pyrometer --wait --timeout 180s \
  --set image.repository=pyrometer/operator --set image.tag="$tag" --set image.pullPolicy=Never \
  --set agent.image.repository=pyrometer/agent --set agent.image.tag="$tag" --set agent.image.pullPolicy=Never \
  --set storage.s3.bucket=profiles --set storage.s3.endpoint=http://minio.pyrometer.svc:9000 \
  --set storage.s3.pathStyle=true --set storage.s3.credentials.secretName=minio-credentials

say "deploying the demo app under load"
kc create namespace demo
# The agent adds SYS_PTRACE, which the baseline and restricted Pod Security levels refuse.
kc label namespace demo pod-security.kubernetes.io/enforce=privileged --overwrite
kc apply -n demo -f - <<YAML
apiVersion: apps/v1
kind: Deployment
metadata:
  name: demo
spec:
  selector:
    matchLabels: {app: demo}
  template:
    metadata:
      labels: {app: demo}
    spec:
      containers:
        - name: app
          image: $demo_image
          imagePullPolicy: Never
          ports:
            - containerPort: 8000
          readinessProbe:
            httpGet: {path: /healthz, port: 8000}
---
apiVersion: v1
kind: Service
metadata:
  name: demo
spec:
  selector: {app: demo}
  ports:
    - {port: 8000, targetPort: 8000}
YAML
kc rollout status -n demo deployment/demo --timeout=180s
kc run -n demo load --restart=Never --image="$demo_image" --image-pull-policy=Never -- \
  python -c 'import urllib.request
while True:
    urllib.request.urlopen("http://demo:8000/slow", timeout=60).read()'

say "profiling"
kc apply -n demo -f - <<'YAML'
apiVersion: pyrometer.dev/v1alpha1
kind: ProfileRequest
metadata:
  name: e2e
spec:
  target:
    selector:
      matchLabels: {app: demo}
    container: app
  duration: 15s
  formats: [flamegraph, speedscope]
YAML
kc wait -n demo profilerequest/e2e --for=condition=Ready --timeout="$timeout" \
  || die "the ProfileRequest did not become Ready within $timeout"
kc get profilerequests -n demo
top=$(kc get profilerequest e2e -n demo -o jsonpath='{.status.summary.topFunctions[0].function}')
artifacts=$(kc get profilerequest e2e -n demo -o jsonpath='{range .status.artifacts[*]}{.uri}{"\n"}{end}')
[ -n "$artifacts" ] || die "Ready, but status.artifacts is empty"
say "artifacts:"; printf '  %s\n' $artifacts
case "$top" in
  normalise_*) say "top function: $top (as expected)" ;;
  *) die "top function is '$top', expected normalise_records or normalise_text" ;;
esac
say "PASSED"
