{{/* Names, labels and the pieces every Deployment shares. */}}

{{- define "ferry.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ferry.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels every object carries. */}}
{{- define "ferry.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "ferry.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: ferry
{{- end -}}

{{/* Selector labels of one component: (dict "root" $ "component" "api"). */}}
{{- define "ferry.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ferry.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "ferry.image" -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{- define "ferry.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "ferry.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding FERRY_S3_ACCESS_KEY, FERRY_S3_SECRET_KEY and FERRY_API_TOKENS. */}}
{{- define "ferry.secretName" -}}
{{- if .Values.secrets.existingSecret -}}
{{- .Values.secrets.existingSecret -}}
{{- else -}}
{{- printf "%s-secrets" (include "ferry.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* Fails the render with a clear message when the values cannot work together. */}}
{{- define "ferry.validateValues" -}}
{{- if and (not .Values.secrets.existingSecret) (not .Values.secrets.create) -}}
{{- fail "secrets: set secrets.existingSecret to a Secret you manage, or secrets.create=true with secrets.s3AccessKey, secrets.s3SecretKey and secrets.apiTokens" -}}
{{- end -}}
{{- if and .Values.secrets.create (not .Values.secrets.existingSecret) -}}
{{- if or (and (eq .Values.s3.credentials "keys") (or (not .Values.secrets.s3AccessKey) (not .Values.secrets.s3SecretKey))) (not .Values.secrets.apiTokens) -}}
{{- fail "secrets.create=true needs secrets.s3AccessKey, secrets.s3SecretKey and secrets.apiTokens (or use secrets.existingSecret)" -}}
{{- end -}}
{{- end -}}
{{- if and .Values.metrics.serviceMonitor.enabled .Values.metrics.requireToken .Values.secrets.create (not .Values.secrets.existingSecret) (not .Values.metrics.serviceMonitor.tokenSecret.name) (not .Values.secrets.metricsToken) -}}
{{- fail "metrics.serviceMonitor with metrics.requireToken needs a token for Prometheus: secrets.metricsToken (a viewer token) or metrics.serviceMonitor.tokenSecret.name" -}}
{{- end -}}
{{- if not (has .Values.s3.credentials (list "keys" "aws-default-chain")) -}}
{{- fail (printf "s3.credentials must be keys or aws-default-chain, got %q" .Values.s3.credentials) -}}
{{- end -}}
{{- if not .Values.temporal.address -}}
{{- fail "temporal.address is required (host:port of the Temporal frontend)" -}}
{{- end -}}
{{- if not (regexMatch "^https?://" (tpl .Values.s3.endpoint .)) -}}
{{- fail (printf "s3.endpoint must be an http(s) URL, got %q" .Values.s3.endpoint) -}}
{{- end -}}
{{- if and .Values.temporal.tls.enabled .Values.temporal.tls.mtls (not .Values.temporal.tls.existingSecret) -}}
{{- fail "temporal.tls.mtls=true needs temporal.tls.existingSecret (a Secret with the client certificate and key)" -}}
{{- end -}}
{{- if and .Values.serving.enabled .Values.serving.autoscaling.enabled (gt (int .Values.serving.autoscaling.minReplicas) (int .Values.serving.autoscaling.maxReplicas)) -}}
{{- fail "serving.autoscaling.minReplicas must not exceed serving.autoscaling.maxReplicas" -}}
{{- end -}}
{{- end -}}

{{/* Pod security: non-root (the image's uid), no privilege escalation, read-only root file system. */}}
{{- define "ferry.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "ferry.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}

{{/* Env shared by every Ferry container: config from the ConfigMap, secrets as files (see entrypoint.sh). */}}
{{- define "ferry.envFrom" -}}
- configMapRef:
    name: {{ include "ferry.fullname" . }}-config
{{- end -}}

{{- define "ferry.temporalTlsEnv" -}}
{{- if .Values.temporal.tls.enabled }}
- name: FERRY_TEMPORAL_TLS
  value: "true"
{{- if .Values.temporal.tls.serverName }}
- name: FERRY_TEMPORAL_TLS_SERVER_NAME
  value: {{ .Values.temporal.tls.serverName | quote }}
{{- end }}
{{- if and .Values.temporal.tls.existingSecret .Values.temporal.tls.caKey }}
- name: FERRY_TEMPORAL_TLS_CA
  value: /etc/ferry/temporal-tls/{{ .Values.temporal.tls.caKey }}
{{- end }}
{{- if .Values.temporal.tls.mtls }}
- name: FERRY_TEMPORAL_TLS_CERT
  value: /etc/ferry/temporal-tls/{{ .Values.temporal.tls.certKey }}
- name: FERRY_TEMPORAL_TLS_KEY
  value: /etc/ferry/temporal-tls/{{ .Values.temporal.tls.keyKey }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Volumes: secrets as files under /run/secrets, writable scratch for a read-only root, Temporal TLS. */}}
{{- define "ferry.volumes" -}}
{{- $root := .root -}}
- name: secrets
  secret:
    secretName: {{ include "ferry.secretName" $root }}
    items:
{{- if eq $root.Values.s3.credentials "keys" }}
      - key: {{ $root.Values.secrets.keys.s3AccessKey }}
        path: FERRY_S3_ACCESS_KEY
      - key: {{ $root.Values.secrets.keys.s3SecretKey }}
        path: FERRY_S3_SECRET_KEY
{{- end }}
{{- if .apiTokens }}
      - key: {{ $root.Values.secrets.keys.apiTokens }}
        path: FERRY_API_TOKENS
{{- end }}
- name: tmp
  emptyDir: {}
- name: state
  emptyDir:
    sizeLimit: {{ .stateSize | default "2Gi" }}
{{- if and $root.Values.temporal.tls.enabled $root.Values.temporal.tls.existingSecret }}
- name: temporal-tls
  secret:
    secretName: {{ $root.Values.temporal.tls.existingSecret }}
{{- end }}
{{- end -}}

{{- define "ferry.volumeMounts" -}}
- name: secrets
  mountPath: /run/secrets
  readOnly: true
- name: tmp
  mountPath: /tmp
- name: state
  mountPath: /var/lib/ferry
{{- if and .Values.temporal.tls.enabled .Values.temporal.tls.existingSecret }}
- name: temporal-tls
  mountPath: /etc/ferry/temporal-tls
  readOnly: true
{{- end }}
{{- end -}}

{{/* Checksums in pod annotations: a changed config or secret rolls the pods. */}}
{{- define "ferry.podAnnotations" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
{{- if not .Values.secrets.existingSecret }}
checksum/secret: {{ include (print .Template.BasePath "/secret.yaml") . | sha256sum }}
{{- end }}
{{- with .Values.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end -}}
