# shellcheck shell=bash
# shellcheck disable=SC2154 # settings come from common.sh, sourced first by hack/cluster.sh
# Sourced by hack/cluster.sh: `smoke` proves a running cluster does what the e2e tests need: a
# busybox pod runs, logs and exec work, and an ephemeral container targeting its container (legacy
# 1.20 body, kind EphemeralContainers) starts in the target's PID namespace. The pod is deleted after.

smoke_pod=pyrometer-smoke
smoke_namespace=default

smoke_fail() {
  printf '[cluster] smoke FAILED: %s\n' "$1" >&2
  kc -n "$smoke_namespace" describe pod "$smoke_pod" 2>/dev/null | tail -n 20 | sed 's/^/    /' >&2
  printf '[cluster] kubelet log: %s/logs/kubelet.log\n' "$state" >&2
  kc -n "$smoke_namespace" delete pod "$smoke_pod" --grace-period=1 --wait=false >/dev/null 2>&1 || true
  exit 1
}

# smoke_wait SECONDS DESCRIPTION COMMAND...
smoke_wait() {
  local seconds=$1 description=$2; shift 2
  local deadline=$(( SECONDS + seconds ))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || smoke_fail "timed out after ${seconds}s waiting for: $description"
    sleep 0.2
  done
}

ephemeral_running() {
  kc -n "$smoke_namespace" get pod "$smoke_pod" \
    -o jsonpath='{.status.ephemeralContainerStatuses[0].state.running.startedAt}' | grep -q T
}

cmd_smoke() {
  local started=$SECONDS step work
  use_cache_path
  kc get --raw /readyz >/dev/null 2>&1 || die "smoke: the cluster is not running (hack/cluster.sh up)"
  work=$(mktemp -d)
  # shellcheck disable=SC2064 # expand now: $work is local
  trap "rm -rf '$work'" RETURN
  kc -n "$smoke_namespace" delete pod "$smoke_pod" --ignore-not-found --grace-period=1 --wait=true >/dev/null 2>&1 || true

  step=$SECONDS
  # without kube-scheduler (PYROMETER_CLUSTER_WITH_CM=0) the pod is bound to the node directly
  local binding=""
  component_pid kube-scheduler >/dev/null || binding="nodeName: $node_name"
  cat >"$work/pod.yaml" <<YAML
apiVersion: v1
kind: Pod
metadata: {name: $smoke_pod, namespace: $smoke_namespace}
spec:
  terminationGracePeriodSeconds: 1
  $binding
  automountServiceAccountToken: false   # no token without kube-controller-manager (PYROMETER_CLUSTER_WITH_CM=0)
  containers:
  - {name: app, image: docker.io/library/busybox:1.35, imagePullPolicy: Never,
     command: [sh, -c, 'echo smoke-started; exec sleep 3600']}
YAML
  kc apply -f "$work/pod.yaml" >/dev/null || smoke_fail "creating pod $smoke_pod"
  smoke_wait 120 "pod $smoke_pod Ready" kc -n "$smoke_namespace" wait --for=condition=Ready "pod/$smoke_pod" --timeout=2s
  say "smoke: pod $smoke_pod Running in $(elapsed "$step")"
  kc -n "$smoke_namespace" logs "$smoke_pod" -c app | grep -q smoke-started || smoke_fail "kubectl logs did not show the output"
  kc -n "$smoke_namespace" exec "$smoke_pod" -c app -- true || smoke_fail "kubectl exec into app failed"

  step=$SECONDS
  cat >"$work/ephemeral.json" <<JSON
{"apiVersion": "v1", "kind": "EphemeralContainers",
 "metadata": {"name": "$smoke_pod", "namespace": "$smoke_namespace"},
 "ephemeralContainers": [{"name": "debug", "image": "docker.io/library/busybox:1.35", "imagePullPolicy": "Never",
   "command": ["sleep", "3600"], "targetContainerName": "app", "terminationMessagePolicy": "File"}]}
JSON
  kc replace --raw "/api/v1/namespaces/$smoke_namespace/pods/$smoke_pod/ephemeralcontainers" -f "$work/ephemeral.json" \
    >/dev/null || smoke_fail "PUT of the EphemeralContainers body was refused"
  smoke_wait 60 "ephemeral container debug running" ephemeral_running
  say "smoke: ephemeral container debug Running $(elapsed "$step") after the PUT"

  local pid1 app_ns debug_ns
  pid1=$(kc -n "$smoke_namespace" exec "$smoke_pod" -c debug -- cat /proc/1/cmdline | tr '\0' ' ')
  app_ns=$(kc -n "$smoke_namespace" exec "$smoke_pod" -c app -- readlink /proc/self/ns/pid)
  debug_ns=$(kc -n "$smoke_namespace" exec "$smoke_pod" -c debug -- readlink /proc/self/ns/pid)
  case $pid1 in
    "sleep 3600"*) ;;
    *) smoke_fail "PID 1 seen from the ephemeral container is '$pid1', not the target's 'sleep 3600'" ;;
  esac
  if [ -z "$app_ns" ] || [ "$app_ns" != "$debug_ns" ]; then
    smoke_fail "PID namespaces differ: app '$app_ns', debug '$debug_ns'"
  fi
  say "smoke: the ephemeral container shares the target's PID namespace ($app_ns; PID 1 is '${pid1% }')"

  kc -n "$smoke_namespace" delete pod "$smoke_pod" --grace-period=1 --wait=true --timeout=60s >/dev/null \
    || smoke_fail "deleting pod $smoke_pod"
  say "smoke: passed in $(elapsed "$started")"
}
