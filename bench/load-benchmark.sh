#!/usr/bin/env bash
# Issue 8, acceptance 3: submits jobs at a steady rate to a real gateway and prints throughput,
# latency percentiles and errors, then counts in PostgreSQL that every accepted job exists exactly once.
# The gateway runs alone against a fresh database (dropped afterwards), so the jobs stay queued: this
# measures the public submission path (validation, cache key, insert, response), not the workers.
# Usage: bench/load-benchmark.sh [jobs] [rate-per-second]   (defaults: 10000 200)
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${1:-10000}
RATE=${2:-200}
PORT=${ROBUSTLAB_LOAD_PORT:-29280}
DB=robustlab_load_$$
RUN=load-$(date +%s)
. bench/classpath.sh
mvn -B -q package -DskipTests -pl gateway-service -am
LOG=$(mktemp "${TMPDIR:-/tmp}/robustlab-load-gateway.XXXXXX.log")
ARTIFACTS=$(mktemp -d "${TMPDIR:-/tmp}/robustlab-load-artifacts.XXXXXX")

psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $DB"
cleanup() {
  [ -n "${GATEWAY_PID:-}" ] && kill "$GATEWAY_PID" 2>/dev/null && wait "$GATEWAY_PID" 2>/dev/null || true
  psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
  rm -rf "$ARTIFACTS"
}
trap cleanup EXIT

# One admin token for the generator; the per-token submission rate is set above the target so that it
# measures the submission path rather than the limiter (which answers 429 before any database work).
ROBUSTLAB_TOKEN=$(scripts/new-token.sh)
export ROBUSTLAB_TOKEN
ROBUSTLAB_DB_URL=jdbc:postgresql://127.0.0.1:5432/$DB ROBUSTLAB_DB_USER=postgres ROBUSTLAB_ARTIFACTS=$ARTIFACTS PORT=$PORT \
  ROBUSTLAB_ADMIN_TOKEN=$ROBUSTLAB_TOKEN ROBUSTLAB_SUBMISSIONS_PER_MINUTE=$(( RATE * 120 )) ROBUSTLAB_SUBMISSION_BURST=$(( RATE * 2 )) \
  java -Xmx1g -jar gateway-service/target/gateway-service.jar > "$LOG" 2>&1 &
GATEWAY_PID=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/actuator/health" 2>/dev/null | grep -q '"UP"' && break
  kill -0 "$GATEWAY_PID" 2>/dev/null || { echo "gateway exited; see $LOG"; exit 1; }
  sleep 1
done
echo "gateway up on port $PORT (log $LOG); $(nproc) cores shared by the gateway, PostgreSQL and the load generator"
# A short warm-up (JIT, connection pool) that is not measured; its jobs are not counted below.
java -cp "$BENCH_CP" io.robustlab.bench.LoadBenchmark "http://127.0.0.1:$PORT" 500 "$RATE" "warmup-$RUN" > /dev/null
java -cp "$BENCH_CP" io.robustlab.bench.LoadBenchmark "http://127.0.0.1:$PORT" "$JOBS" "$RATE" "$RUN"
psql -h 127.0.0.1 -U postgres -d "$DB" -tAc "SELECT 'in the job table: ' || count(*) || ' jobs of this run, ' || count(DISTINCT idempotency_key)
  || ' distinct keys, ' || count(*) FILTER (WHERE state = 'QUEUED') || ' queued' FROM job WHERE idempotency_key LIKE '$RUN-%'"
echo "gateway 5xx or errors in its log: $(grep -c -E ' ERROR |Exception' "$LOG" || true)"
