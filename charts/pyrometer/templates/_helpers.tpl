{{/* Names and labels shared by every template. Only functions hack/chart-render knows may be used. */}}

{{/* The operator's resources: <release>-operator (the Service name target pods upload to). */}}
{{- define "pyrometer.fullname" -}}
{{- printf "%s-operator" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "pyrometer.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- include "pyrometer.fullname" . -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "pyrometer.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end -}}

{{- define "pyrometer.labels" -}}
{{ include "pyrometer.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "pyrometer.operatorImage" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "pyrometer.agentImage" -}}
{{- printf "%s:%s" .Values.agent.image.repository (default .Chart.AppVersion .Values.agent.image.tag) -}}
{{- end -}}

{{/* Where target pods upload to the built-in store: the Service's cluster DNS name and upload port. */}}
{{- define "pyrometer.builtInBaseUrl" -}}
{{- default (printf "http://%s.%s.svc:%s" (include "pyrometer.fullname" .) .Release.Namespace (toString .Values.service.uploadPort)) .Values.storage.builtIn.baseUrl -}}
{{- end -}}

{{/* Where signed download links point: publicUrl, else the Service's cluster DNS name and read port. */}}
{{- define "pyrometer.builtInPublicUrl" -}}
{{- default (printf "http://%s.%s.svc:%s" (include "pyrometer.fullname" .) .Release.Namespace (toString .Values.service.port)) .Values.storage.builtIn.publicUrl -}}
{{- end -}}

{{- define "pyrometer.usesS3" -}}
{{- if .Values.storage.s3.bucket -}}true{{- end -}}
{{- end -}}

{{/*
The rights the operator uses inside a namespace it serves. Granted cluster-wide by the ClusterRole when
allowedNamespaces is empty, and by a Role in each allowed namespace otherwise (the operator then lists and
watches each of those namespaces on its own). tests/Pyrometer.Chart.Tests checks them against
Assets/least-privilege-rbac.yaml.
*/}}
{{- define "pyrometer.operatorRules" -}}
# Find target pods (by name or selector) and follow them.
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
# Inject the agent. "patch" is the current API; "get" and "update" serve the legacy
# EphemeralContainers body of Kubernetes 1.16-1.21.
- apiGroups: [""]
  resources: ["pods/ephemeralcontainers"]
  verbs: ["get", "patch", "update"]
# Serve requests: watch them, patch finalizers/metadata, delete them after their TTL.
- apiGroups: ["pyrometer.dev"]
  resources: ["profilerequests"]
  verbs: ["get", "list", "watch", "update", "patch", "delete"]
- apiGroups: ["pyrometer.dev"]
  resources: ["profilerequests/status"]
  verbs: ["get", "update", "patch"]
# Follow a target pod's ReplicaSet to its Deployment, so baseline: latest matches across a rollout.
- apiGroups: ["apps"]
  resources: ["replicasets"]
  verbs: ["get"]
# User-visible transitions as Kubernetes Events.
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end -}}
