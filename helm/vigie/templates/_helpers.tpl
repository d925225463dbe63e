{{- define "vigie.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's full name, within the 63 characters of a Kubernetes name. */}}
{{- define "vigie.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "vigie.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "vigie.selectorLabels" -}}
app.kubernetes.io/name: {{ include "vigie.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "vigie.labels" -}}
{{ include "vigie.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: operator
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "vigie.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "vigie.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
What the operator does in the namespaces it watches: exactly the requests its code makes
(checked against the requests of the whole integration suite by RbacCoverageCheck), no wildcards.
*/}}
{{- define "vigie.namespacedRules" -}}
# Rollouts: informer, fresh reads, finalizer and control annotations (JSON patches), status.
- apiGroups: ["vigie.io"]
  resources: ["rollouts"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["vigie.io"]
  resources: ["rollouts/status"]
  verbs: ["update"]
- apiGroups: ["vigie.io"]
  resources: ["analysistemplates", "notificationchannels"]
  verbs: ["get"]
# The target Deployment (spec.paused only) and the canary Deployment it owns.
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: ["apps"]
  resources: ["replicasets"]
  verbs: ["list", "watch"]
# The user's Service (read; a blue-green Rollout without a router pins its selector) and the Services it owns.
- apiGroups: [""]
  resources: ["services"]
  verbs: ["get", "list", "watch", "create", "update", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: {{ if $.Values.dashboard.enabled }}["create", "list", "watch"]{{ else }}["create"]{{ end }}
# Analysis args, provider credentials and notification channels' URLs and keys (labelled Secrets only);
# with vigie.io/track-configs, the ConfigMaps and Secrets the target's pod template names (a Secret's
# resourceVersion is all that is kept).
- apiGroups: [""]
  resources: ["secrets", "configmaps"]
  verbs: ["get"]
# Job metrics: the Job of a measurement, created, followed until it ends, deleted when the analysis ends first.
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["list", "watch", "create", "delete"]
# Traffic routers: the weights of the user's HTTPRoute, VirtualService or NGINX canary Ingress.
- apiGroups: ["gateway.networking.k8s.io"]
  resources: ["httproutes"]
  verbs: ["get", "list", "watch", "update"]
- apiGroups: ["networking.istio.io"]
  resources: ["virtualservices"]
  verbs: ["get", "list", "watch", "update"]
- apiGroups: ["networking.k8s.io"]
  resources: ["ingresses"]
  verbs: ["get", "list", "watch", "create", "update", "delete"]
{{- end -}}

{{/* What stays cluster-scoped in every mode. */}}
{{- define "vigie.clusterRules" -}}
# The start-up check that the Rollout CRD is installed.
- apiGroups: ["apiextensions.k8s.io"]
  resources: ["customresourcedefinitions"]
  resourceNames: ["rollouts.vigie.io"]
  verbs: ["get"]
- apiGroups: ["vigie.io"]
  resources: ["clusteranalysistemplates", "clusternotificationchannels"]
  verbs: ["get"]
{{- end -}}

{{/* Refuses values that cannot work, with the reason. */}}
{{- define "vigie.validate" -}}
{{- with .Values.notifications.defaultChannel -}}
{{- if .enabled -}}
{{- if not (or .slack .teams .webhook) -}}
{{- fail "notifications.defaultChannel.enabled is true but gives none of slack, teams or webhook: give one, e.g. slack: {urlSecretRef: {name: vigie-slack, key: url}}" -}}
{{- end -}}
{{- if and $.Values.watchNamespaces (not (has $.Release.Namespace $.Values.watchNamespaces)) -}}
{{- fail (printf "notifications.defaultChannel keeps its Secrets in the release namespace %s, which watchNamespaces does not list: the operator could not read them. Add %s to watchNamespaces." $.Release.Namespace $.Release.Namespace) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if and .Values.dashboard.enabled (gt (len .Values.watchNamespaces) 1) -}}
{{- fail (printf "dashboard.enabled shows all namespaces or one, and watchNamespaces lists %d: turn it off (people can run `vigie dashboard -n NS` on their machine) or watch one namespace." (len .Values.watchNamespaces)) -}}
{{- end -}}
{{- if and (gt (int .Values.replicas) 1) (not .Values.leaderElection.enabled) -}}
{{- fail (printf "replicas is %d but leaderElection.enabled is false: several replicas without leader election would all act on the same Rollouts. Set leaderElection.enabled=true, or replicas=1." (int .Values.replicas)) -}}
{{- end -}}
{{- end -}}
