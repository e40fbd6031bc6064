{{/* Names and labels. */}}
{{- define "etcd-address-guard.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "etcd-address-guard.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "etcd-address-guard.selectorLabels" -}}
app.kubernetes.io/name: {{ include "etcd-address-guard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "etcd-address-guard.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "etcd-address-guard.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: etcd-address-guard
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "etcd-address-guard.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "etcd-address-guard.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create=false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "etcd-address-guard.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
What each preset means. One place, so that the Deployment, the RBAC and the default policy agree.
  endpoints:       etcd client URLs, reached through hostNetwork on the server node
  caFile/certFile/keyFile: the distribution's etcd client certificate on the host
  nodeLabel:       label of the nodes that run etcd (pods are pinned there; the policy selects them)
  nodeSelector:    the policy's Node selector
*/}}
{{- define "etcd-address-guard.presetDefaults" -}}
{{- $preset := .Values.preset -}}
{{- if eq $preset "k3s" }}
endpoints: [https://127.0.0.1:2379]
caFile: /var/lib/rancher/k3s/server/tls/etcd/server-ca.crt
certFile: /var/lib/rancher/k3s/server/tls/etcd/client.crt
keyFile: /var/lib/rancher/k3s/server/tls/etcd/client.key
nodeLabel: {node-role.kubernetes.io/etcd: "true"}
nodeSelector: {matchLabels: {node-role.kubernetes.io/etcd: "true"}}
{{- else if eq $preset "rke2" }}
endpoints: [https://127.0.0.1:2379]
caFile: /var/lib/rancher/rke2/server/tls/etcd/server-ca.crt
certFile: /var/lib/rancher/rke2/server/tls/etcd/client.crt
keyFile: /var/lib/rancher/rke2/server/tls/etcd/client.key
nodeLabel: {node-role.kubernetes.io/etcd: "true"}
nodeSelector: {matchLabels: {node-role.kubernetes.io/etcd: "true"}}
{{- else if eq $preset "kubeadm" }}
endpoints: [https://127.0.0.1:2379]
caFile: /etc/kubernetes/pki/etcd/ca.crt
certFile: /etc/kubernetes/pki/etcd/healthcheck-client.crt
keyFile: /etc/kubernetes/pki/etcd/healthcheck-client.key
nodeLabel: {node-role.kubernetes.io/control-plane: ""}
nodeSelector: {matchExpressions: [{key: node-role.kubernetes.io/control-plane, operator: Exists}]}
{{- else }}
endpoints: []
nodeLabel: {}
nodeSelector: {}
{{- end }}
{{- end }}

{{- define "etcd-address-guard.preset" -}}
{{- include "etcd-address-guard.presetDefaults" . | fromYaml | toJson }}
{{- end }}

{{/* The etcd endpoints: the user's, else the preset's. Rendered as JSON. */}}
{{- define "etcd-address-guard.endpoints" -}}
{{- $preset := include "etcd-address-guard.preset" . | fromJson }}
{{- default $preset.endpoints .Values.etcd.endpoints | toJson }}
{{- end }}

{{/* hostPath, secret or none. */}}
{{- define "etcd-address-guard.tlsSource" -}}
{{- if .Values.etcd.tls.source }}
{{- .Values.etcd.tls.source }}
{{- else if ne .Values.preset "none" }}
{{- "hostPath" }}
{{- else }}
{{- "secret" }}
{{- end }}
{{- end }}

{{/* Host files of the hostPath source, as JSON {caFile, certFile, keyFile}: the user's, else the preset's. */}}
{{- define "etcd-address-guard.hostFiles" -}}
{{- $preset := include "etcd-address-guard.preset" . | fromJson }}
{{- $v := .Values.etcd.tls.hostPath }}
{{- $files := dict "caFile" (default $preset.caFile $v.caFile) "certFile" (default $preset.certFile $v.certFile) "keyFile" (default $preset.keyFile $v.keyFile) }}
{{- range $k, $path := $files }}
{{- if not $path }}
{{- fail (printf "etcd.tls.source=hostPath needs etcd.tls.hostPath.%s (or preset k3s, rke2 or kubeadm)" $k) }}
{{- end }}
{{- end }}
{{- $files | toJson }}
{{- end }}

{{/* Where the hostPath certificates appear inside the pod: one read-only file mount each. */}}
{{- define "etcd-address-guard.podCertDir" -}}
/etc/etcd-address-guard/etcd-client
{{- end }}

{{- define "etcd-address-guard.hostNetwork" -}}
{{- if kindIs "bool" .Values.hostNetwork }}
{{- .Values.hostNetwork }}
{{- else }}
{{- ne .Values.preset "none" }}
{{- end }}
{{- end }}

{{- define "etcd-address-guard.runsAsRoot" -}}
{{- and (eq (include "etcd-address-guard.tlsSource" .) "hostPath") .Values.etcd.tls.hostPath.runAsRoot }}
{{- end }}

{{- define "etcd-address-guard.policyName" -}}
{{- default (include "etcd-address-guard.fullname" .) .Values.policy.name }}
{{- end }}

{{/* Settings that cannot work together: fail early with the fix in the message. */}}
{{- define "etcd-address-guard.validate" -}}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.leaderElection.enabled) }}
{{- fail "replicaCount > 1 needs leaderElection.enabled=true: two active operators would both report" }}
{{- end }}
{{- if and (eq (include "etcd-address-guard.tlsSource" .) "secret") (not .Values.etcd.tls.secret.name) }}
{{- fail "etcd.tls.source=secret needs etcd.tls.secret.name" }}
{{- end }}
{{- if eq (include "etcd-address-guard.tlsSource" .) "hostPath" }}
{{- $_ := include "etcd-address-guard.hostFiles" . }}
{{- end }}
{{- end }}
