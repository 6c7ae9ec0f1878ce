#!/usr/bin/env bash
# CI for models with the `ferry` CLI: push the data folder's files, apply the pipeline specs, run every
# pipeline the apply created or changed (all of the folder's when only data changed, or the ones named
# as arguments), wait for each outcome, and fail unless every run was promoted. The evaluation summary
# goes to stdout and, on GitHub Actions, to the job summary ($GITHUB_STEP_SUMMARY).
# Exit code: the first failing run's (docs/cli.md: 10 validation, 11 evaluation, 12 rejected, …), else 0.
#
#   FERRY_API_URL, FERRY_TOKEN   the deployment and a token (role operator; approver when specs change
#                                approval, thresholds, rollout or webhooks)
#   FERRY_CI_PIPELINES_DIR       spec folder (default: pipelines)
#   FERRY_CI_DATA_DIR            folder of <dataset>.csv / <dataset>.parquet to push first (default: none)
#   FERRY_CI_TIMEOUT             how long to wait for each run (default: 2h; then exit 14, the run goes on)
#   FERRY_CI_APPROVAL            approval policy of these runs (default: each spec's own)
#   FERRY_CI_REASON              why (default: "CI <commit>")
#   FERRY_BIN                    how to call the CLI (default: npx ferry)
#
# usage: examples/ci/ferry-ci.sh [pipeline ...]
set -euo pipefail

ferry() { ${FERRY_BIN:-npx ferry} "$@"; }
dir="${FERRY_CI_PIPELINES_DIR:-pipelines}"
timeout="${FERRY_CI_TIMEOUT:-2h}"
reason="${FERRY_CI_REASON:-CI ${GITHUB_SHA:-$(git rev-parse --short HEAD 2>/dev/null || echo local)}}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The CLI's --json output read with node (which the CLI runs on): prints the expression over `v`.
json() { node -e 'const v = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(new Function("v", "return " + process.argv[1])(v))' "$1"; }

if [ -n "${FERRY_CI_DATA_DIR:-}" ]; then
  for f in "$FERRY_CI_DATA_DIR"/*.csv "$FERRY_CI_DATA_DIR"/*.parquet; do
    [ -e "$f" ] || continue
    ferry datasets push "$f" --name "$(basename "${f%.*}")"
  done
fi

ferry pipelines apply -f "$dir" --dry-run
ferry pipelines apply -f "$dir" --json > "$work/plan.json"
if [ "$#" -gt 0 ]; then
  pipelines=("$@")
else
  read -r -a pipelines <<< "$(json 'v.results.filter((r) => r.outcome !== "unchanged").map((r) => r.pipeline).join(" ")' < "$work/plan.json")"
  if [ "${#pipelines[@]}" -eq 0 ]; then
    read -r -a pipelines <<< "$(json 'v.results.map((r) => r.pipeline).join(" ")' < "$work/plan.json")"
  fi
fi

status=0
runs=()
for p in "${pipelines[@]}"; do
  args=(run "$p" --reason "$reason" --json)
  if [ -n "${FERRY_CI_APPROVAL:-}" ]; then args+=(--approval "$FERRY_CI_APPROVAL"); fi
  run_id="$(ferry "${args[@]}" | json 'v.runId')"
  runs+=("$run_id")
  echo "── $p: $run_id"
  code=0
  ferry runs watch "$run_id" --timeout "$timeout" || code=$?
  if [ "$code" -ne 0 ] && [ "$status" -eq 0 ]; then status=$code; fi
done

{
  echo "## Ferry model runs"
  echo
  ferry runs report "${runs[@]}" --markdown
} > "$work/summary.md"
cat "$work/summary.md"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat "$work/summary.md" >> "$GITHUB_STEP_SUMMARY"; fi
exit "$status"
