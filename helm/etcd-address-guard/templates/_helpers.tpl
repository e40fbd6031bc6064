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

{{/* Where the copies of the hostPath certificates appear inside the pod (an in-memory emptyDir). */}}
{{- define "etcd-address-guard.podCertDir" -}}
/etc/etcd-address-guard/etcd-client
{{- end }}

{{/* Where the init container sees the host's files: one read-only file mount each. */}}
{{- define "etcd-address-guard.hostCertDir" -}}
/etc/etcd-address-guard/host
{{- end }}

{{/*
The hostPath certificate mode, in three pieces any pod of this chart can include (the operator's
Deployment today; a node agent DaemonSet later) so that its long-running containers stay non-root:
  copyCertsInitContainer: runs `copy-certs` once as UID 0 with every capability dropped, a read-only
    root filesystem and the three host files mounted read-only; it copies them into the in-memory
    volume with group podSecurityContext.fsGroup and mode 0440. UID 0 reads the root-owned 0600 key
    as its owner, and may hand a file it owns to a group it belongs to (fsGroup is one): no capability.
  copiedCertsMount: the copies, mounted read-only into a non-root container.
  copyCertsVolumes: the three host files (single files, not the directory: it also holds the etcd CA
    and server keys) and the in-memory emptyDir.
The pod must mount an emptyDir named "tmp" (the JVM's /tmp).
*/}}
{{- define "etcd-address-guard.copyCertsInitContainer" -}}
{{- $hostDir := include "etcd-address-guard.hostCertDir" . -}}
- name: copy-etcd-client-certs
  image: {{ include "etcd-address-guard.image" . }}
  imagePullPolicy: {{ .Values.image.pullPolicy }}
  args:
    - copy-certs
    - --cacert={{ $hostDir }}/ca.crt
    - --cert={{ $hostDir }}/tls.crt
    - --key={{ $hostDir }}/tls.key
    - --to={{ include "etcd-address-guard.podCertDir" . }}
    - --group={{ .Values.podSecurityContext.fsGroup }}
  # Root only to read the root-owned 0600 key as its owner: no capabilities (so no bypassing file
  # permissions), no privilege escalation, nothing of the host writable. Makes no network connection.
  securityContext:
    runAsNonRoot: false
    runAsUser: 0
    runAsGroup: 0
    allowPrivilegeEscalation: false
    readOnlyRootFilesystem: true
    capabilities:
      drop:
        - ALL
  {{- with .Values.resources }}
  resources:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  volumeMounts:
    - name: etcd-ca
      mountPath: {{ $hostDir }}/ca.crt
      readOnly: true
    - name: etcd-client-cert
      mountPath: {{ $hostDir }}/tls.crt
      readOnly: true
    - name: etcd-client-key
      mountPath: {{ $hostDir }}/tls.key
      readOnly: true
    - name: etcd-client-copy
      mountPath: {{ include "etcd-address-guard.podCertDir" . }}
    - name: tmp
      mountPath: /tmp
{{- end }}

{{- define "etcd-address-guard.copiedCertsMount" -}}
# The copies the init container made (group-readable); nothing of the host is mounted here.
- name: etcd-client-copy
  mountPath: {{ include "etcd-address-guard.podCertDir" . }}
  readOnly: true
{{- end }}

{{- define "etcd-address-guard.copyCertsVolumes" -}}
{{- $files := include "etcd-address-guard.hostFiles" . | fromJson -}}
# Single files, not the directory: it also holds the etcd CA and server keys.
- name: etcd-ca
  hostPath:
    path: {{ $files.caFile }}
    type: File
- name: etcd-client-cert
  hostPath:
    path: {{ $files.certFile }}
    type: File
- name: etcd-client-key
  hostPath:
    path: {{ $files.keyFile }}
    type: File
# In memory: the key copy never reaches the node's disk, and goes with the pod.
- name: etcd-client-copy
  emptyDir:
    medium: Memory
    sizeLimit: 1Mi
{{- end }}

{{- define "etcd-address-guard.hostNetwork" -}}
{{- if kindIs "bool" .Values.hostNetwork }}
{{- .Values.hostNetwork }}
{{- else }}
{{- ne .Values.preset "none" }}
{{- end }}
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
{{- if not (gt (int .Values.podSecurityContext.fsGroup) 0) }}
{{- fail "etcd.tls.source=hostPath needs podSecurityContext.fsGroup (a non-zero GID): the copied certificates are readable by that group only" }}
{{- end }}
{{- if not (gt (int .Values.podSecurityContext.runAsUser) 0) }}
{{- fail "podSecurityContext.runAsUser must be a non-zero UID: the operator runs as non-root (the hostPath mode copies the certificates in an init container)" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The node agent. Its own names and labels: app.kubernetes.io/name is "<name>-agent", so that no selector of
the operator's (Deployment, Service, PodDisruptionBudget) matches an agent pod.
*/}}
{{- define "etcd-address-guard.agentEnabled" -}}
{{- if kindIs "bool" .Values.agent.enabled }}
{{- .Values.agent.enabled }}
{{- else }}
{{- has .Values.preset (list "k3s" "rke2") }}
{{- end }}
{{- end }}

{{- define "etcd-address-guard.agentFullname" -}}
{{- printf "%s-agent" (include "etcd-address-guard.fullname" . | trunc 57 | trimSuffix "-") }}
{{- end }}

{{- define "etcd-address-guard.agentSelectorLabels" -}}
app.kubernetes.io/name: {{ printf "%s-agent" (include "etcd-address-guard.name" . | trunc 57 | trimSuffix "-") }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "etcd-address-guard.agentLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "etcd-address-guard.agentSelectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: agent
app.kubernetes.io/part-of: etcd-address-guard
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "etcd-address-guard.agentServiceAccountName" -}}
{{- if .Values.agent.serviceAccount.create }}
{{- default (include "etcd-address-guard.agentFullname" .) .Values.agent.serviceAccount.name }}
{{- else }}
{{- required "agent.serviceAccount.name is required when agent.serviceAccount.create=false" .Values.agent.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Nodes the agent runs on: the etcd servers. Rendered as JSON. */}}
{{- define "etcd-address-guard.agentNodeLabel" -}}
{{- if eq .Values.preset "kubeadm" }}
{{- dict "node-role.kubernetes.io/control-plane" "" | toJson }}
{{- else }}
{{- dict "node-role.kubernetes.io/etcd" "true" | toJson }}
{{- end }}
{{- end }}

{{/*
The ValidatingAdmissionPolicy needs admissionregistration.k8s.io/v1 (Kubernetes 1.30) and the node claim of
bound service account tokens in userInfo.extra (on by default since 1.30).
*/}}
{{- define "etcd-address-guard.agentAdmissionPolicy" -}}
{{- and (eq (include "etcd-address-guard.agentEnabled" .) "true") .Values.agent.admissionPolicy (semverCompare ">=1.30.0-0" .Capabilities.KubeVersion.Version) }}
{{- end }}
