# Sourced by the benchmarks that drive the real services: starts the platform (scripts/run-platform.sh,
# which also imports Fashion-MNIST) on ROBUSTLAB_PORT_BASE, stops it on exit, and gives small helpers
# around the API. The caller sets ROBUSTLAB_PORT_BASE and ROBUSTLAB_VAR first.
mkdir -p "$ROBUSTLAB_VAR"
trap 'scripts/stop-platform.sh > /dev/null' EXIT
scripts/run-platform.sh > "$ROBUSTLAB_VAR/run.log" 2>&1
G=http://127.0.0.1:$ROBUSTLAB_PORT_BASE
# json EXPR: prints EXPR (e.g. '["id"]') of the JSON document on standard input.
json() { python3 -c "import json, sys; print(json.load(sys.stdin)$1)"; }
api() { curl -sf -H @"$ROBUSTLAB_VAR/admin.header" "$@"; }
# submit TYPE SPEC: submits a job and prints its id.
submit() { api -X POST "$G/api/v1/jobs" -H 'Content-Type: application/json' -d "{\"type\": \"$1\", \"spec\": $2}" | json '["id"]'; }
# result JOB EXPR: EXPR of the job's result.
result() { api "$G/api/v1/jobs/$1" | json "[\"result\"]$2"; }
wait_job() {
  while true; do
    s=$(api "$G/api/v1/jobs/$1" | json '["state"]')
    case $s in SUCCEEDED|FAILED|CANCELLED) echo "$s"; return;; esac
    sleep 5
  done
}
# The training split of the import run-platform.sh made.
TRAIN=$(api "$G/api/v1/jobs?type=dataset.import&state=SUCCEEDED&size=1" | json '["items"][0]["result"]["train"]["artifactId"]')
