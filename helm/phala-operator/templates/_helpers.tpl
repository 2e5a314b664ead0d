{{- define "phala-operator.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "phala-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "phala-operator.labels" -}}
app.kubernetes.io/name: {{ include "phala-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "phala-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "phala-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "phala-operator.serviceAccountName" -}}
{{- default (include "phala-operator.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{/* The rules the operator needs on watched namespaces: exactly the verbs it uses (reads come from
informer caches, so no get; InstalledOperatorE2E checks the API server's audit log). */}}
{{- define "phala-operator.watchRules" -}}
- apiGroups: [phala.cloud]
  resources: [phalaapps]
  verbs: [list, watch, patch]
- apiGroups: [phala.cloud]
  resources: [phalaapps/status]
  verbs: [patch]
- apiGroups: [""]
  resources: [secrets, configmaps]
  verbs: [list, watch]
# get: the data of referenced Secrets (the informer keeps metadata only). Nothing more: Secrets in
# watched namespaces are only read (a rollback redeploys a revision Phala Cloud keeps).
- apiGroups: [""]
  resources: [secrets]
  verbs: [get]
- apiGroups: [""]
  resources: [events]
  verbs: [create]
{{- end -}}
