#!/bin/sh
# The container's entry point: runs one of Ferry's roles (api, serve, worker) or the health probe.
# Secrets arrive as files: every file in /run/secrets named after a FERRY_* variable (compose
# secrets, a Kubernetes Secret volume) becomes that variable, so no secret sits in the image or in
# the container's declared environment. An existing variable of the same name wins.
set -eu

usage() {
  cat >&2 <<'USAGE'
usage: entrypoint.sh <role> [args]
  api                         the HTTP API (with serving inside it)          port FERRY_API_PORT
  serve [--port N]            a serving replica (predict, feedback)           port FERRY_API_PORT or --port
  worker [--queue Q[,Q]]      a Temporal worker; Q = pipeline | train         port FERRY_WORKER_PORT
  healthcheck                 probes /healthz of the role this container runs (the image's HEALTHCHECK)
USAGE
  exit 64
}

secrets_dir=/run/secrets
if [ -d "$secrets_dir" ] && { [ ! -r "$secrets_dir" ] || [ ! -x "$secrets_dir" ]; }; then
  echo "entrypoint: $secrets_dir is not readable by uid $(id -u): its FERRY_* files are not read" >&2
elif [ -d "$secrets_dir" ]; then
  for file in "$secrets_dir"/FERRY_*; do
    [ -f "$file" ] || continue
    name=$(basename "$file")
    case "$name" in *[!A-Z0-9_]*) continue ;; esac
    if eval "[ -z \"\${$name:-}\" ]"; then
      # Command substitution drops trailing newlines, as a secret written with `echo` has.
      value=$(cat "$file")
      export "$name=$value"
    fi
  done
fi

# Where the health probe looks: written once the role is known, read by `healthcheck` (a separate exec).
probe_file=/tmp/ferry-health-url
scheme=http
[ -n "${FERRY_API_TLS_CERT:-}" ] && scheme=https

role=${1:-}
[ -n "$role" ] || usage
shift

case "$role" in
  api)
    echo "$scheme://127.0.0.1:${FERRY_API_PORT:-8080}/healthz" > "$probe_file"
    exec node --import tsx api/main.ts "$@"
    ;;
  serve)
    port=${FERRY_API_PORT:-8080}
    prev=
    for arg in "$@"; do
      case "$arg" in --port=*) port=${arg#--port=} ;; esac
      [ "$prev" = "--port" ] && port=$arg
      prev=$arg
    done
    echo "$scheme://127.0.0.1:$port/healthz" > "$probe_file"
    exec node --import tsx api/serve-main.ts "$@"
    ;;
  worker)
    echo "http://127.0.0.1:${FERRY_WORKER_PORT:-8091}/healthz" > "$probe_file"
    exec node --import tsx worker/main.ts "$@"
    ;;
  healthcheck)
    [ -f "$probe_file" ] || { echo "no role started yet" >&2; exit 1; }
    # A self-signed API certificate is fine for a liveness probe from inside the container itself.
    NODE_TLS_REJECT_UNAUTHORIZED=0 exec node -e '
      const url = process.argv[1];
      fetch(url, { signal: AbortSignal.timeout(4000) })
        .then((r) => process.exit(r.ok ? 0 : 1))
        .catch((e) => { console.error(`${url}: ${e.cause?.code ?? e.message}`); process.exit(1); });
    ' "$(cat "$probe_file")"
    ;;
  -h | --help | help) usage ;;
  *)
    echo "unknown role: $role" >&2
    usage
    ;;
esac
