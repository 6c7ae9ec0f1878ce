#!/bin/sh
# Writes fresh random secrets for deploy/compose/compose.yaml into ./secrets (mode 0700 folder),
# one file per secret; existing files are kept. Prints the API tokens once, for you to store.
set -eu
cd "$(dirname "$0")"
mkdir -p secrets && chmod 0700 secrets
rand() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }
put() { [ -s "secrets/$1" ] || { printf '%s' "$2" > "secrets/$1"; chmod 0644 "secrets/$1"; echo "wrote secrets/$1"; }; }
put postgres_password "$(rand)"
put minio_root_user "ferry-root"
put minio_root_password "$(rand)"
put FERRY_S3_ACCESS_KEY "ferry-app"
put FERRY_S3_SECRET_KEY "$(rand)"
put FERRY_API_TOKENS "ci:operator:$(rand),reviewer:approver:$(rand),admin:admin:$(rand),viewer:viewer:$(rand)"
echo "API tokens (name:role:secret) are in secrets/FERRY_API_TOKENS"
