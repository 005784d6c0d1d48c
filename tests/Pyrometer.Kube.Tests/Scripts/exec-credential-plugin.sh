#!/bin/sh
# A kubeconfig exec credential plugin, as EKS, GKE and AKS ship them: prints an ExecCredential on stdout.
# PLUGIN_STATE (a directory) receives the run count, the newest token and the KUBERNETES_EXEC_INFO it was given;
# PLUGIN_LIFETIME_SECONDS sets how long each token lives.
set -eu
runs=$(( $(cat "$PLUGIN_STATE/runs" 2>/dev/null || echo 0) + 1 ))
token="exec-token-$runs"
expiry=$(date -u -d "+${PLUGIN_LIFETIME_SECONDS} seconds" +%Y-%m-%dT%H:%M:%SZ)
printf '%s' "${KUBERNETES_EXEC_INFO:-}" > "$PLUGIN_STATE/exec-info"
printf '%s' "$token" > "$PLUGIN_STATE/issued"
echo "$runs" > "$PLUGIN_STATE/runs"
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"%s"}}\n' "$token" "$expiry"
