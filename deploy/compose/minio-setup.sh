#!/bin/sh
# One-shot: creates Ferry's bucket and its bucket-scoped MinIO user (the root user is for this step
# alone, as `npm run up` does locally). Idempotent, so `docker compose up` may run it every time.
set -eu
s=/run/secrets
mc alias set ferry http://minio:9000 "$(cat "$s/minio_root_user")" "$(cat "$s/minio_root_password")" >/dev/null
mc mb --ignore-existing ferry/ferry
user=$(cat "$s/FERRY_S3_ACCESS_KEY")
mc admin user add ferry "$user" "$(cat "$s/FERRY_S3_SECRET_KEY")"
mc admin policy create ferry ferry-bucket /setup/ferry-bucket-policy.json
# Attaching twice is an error in mc; the policy being attached already is the state we want.
mc admin policy attach ferry ferry-bucket --user "$user" || mc admin user info ferry "$user" | grep -q ferry-bucket
echo "bucket ferry and user $user ready"
