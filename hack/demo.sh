#!/usr/bin/env bash
# `make demo`: the product end to end on whichever real cluster this machine can run —
#   - k3d, where Docker (with a running engine), k3d and helm exist: hack/e2e-k3d.sh (the chart, MinIO,
#     the demo app, a ProfileRequest), keeping the cluster;
#   - otherwise, as root on Linux, the local Kubernetes built from Debian's sources: hack/demo-cluster.sh;
#   - otherwise the agent alone on the demo service, without Kubernetes: hack/demo-agent.sh.
# Arguments go to the script chosen. PYROMETER_DEMO=k3d|local|agent picks one.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

k3d_possible() {
  command -v docker >/dev/null 2>&1 && command -v k3d >/dev/null 2>&1 && command -v helm >/dev/null 2>&1 \
    && docker info >/dev/null 2>&1
}

choice=${PYROMETER_DEMO:-}
if [ -z "$choice" ]; then
  if k3d_possible; then
    choice=k3d
  elif [ "$(id -u)" = 0 ] && [ "$(uname -s)" = Linux ]; then
    choice=local
  else
    echo "[demo] no cluster can run here (k3d needs Docker, k3d and helm; the local one needs root): the agent alone" >&2
    choice=agent
  fi
fi
case $choice in
  k3d) PYROMETER_E2E_KEEP=1 exec "$here/e2e-k3d.sh" "$@" ;;
  local) exec "$here/demo-cluster.sh" "$@" ;;
  agent) exec "$here/demo-agent.sh" "$@" ;;
  *) echo "[demo] PYROMETER_DEMO must be k3d, local or agent, not '$choice'" >&2; exit 2 ;;
esac
