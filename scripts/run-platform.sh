#!/usr/bin/env bash
# Starts the five RobustLab services against PostgreSQL, imports Fashion-MNIST through the public
# API while showing its progress stream, and prints the job's result. The services keep running;
# scripts/stop-platform.sh stops them.
#
# Settings (environment):
#   ROBUSTLAB_DB_URL     JDBC URL (default: the local server's database "robustlab", created if missing)
#   ROBUSTLAB_DB_USER    default postgres
#   ROBUSTLAB_PORT_BASE  gateway port; the other services take the next four (default 8080)
#   ROBUSTLAB_VAR        folder for logs, pids and artifacts (default ./var)
#   ROBUSTLAB_SKIP_BUILD set to 1 to use the jars already in */target
#   ROBUSTLAB_ML_THREADS libtorch threads per service (default: the cores shared by the four ML services)
#   ROBUSTLAB_SERVICE_TOKEN the services' credential for each other's internal endpoints (default: random)
#   ROBUSTLAB_JAVA_OPTS  extra JVM flags for every service (default none; the system tests start them with
#                        "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC", which halves a 2-core start, bench/service-start.sh)
#   ONEDNN_MAX_CPU_ISA   set it to AVX where the CPU reports no L2 cache size (some VMs; the script says so)
#                        before training or attacking resnet50 or densenet on the CPU: libtorch's oneDNN
#                        otherwise dies with SIGFPE planning their 1x1-convolution backward passes. Not set
#                        by default: the CPU presets' models do not need it, and it slows PGD on the small
#                        CNN by about 40 % (docs/benchmarks.md)
#   ROBUSTLAB_ADMIN_TOKEN   the gateway's bootstrap admin API token (default: the one in $ROBUSTLAB_VAR/admin-token,
#                           made at the first start and kept, so tokens made with it stay valid across restarts)
#
# Every API call needs a token: $ROBUSTLAB_VAR/admin-token holds the admin's, and $ROBUSTLAB_VAR/admin.header
# the header curl reads with -H @file (so the token shows in no process list). Both are readable by you only.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -e /sys/devices/system/cpu/cpu0/cache/index2/size ] && [ -z "${ONEDNN_MAX_CPU_ISA:-}" ]; then
  echo "note: this CPU reports no cache sizes; before training or attacking resnet50 or densenet on it," \
    "start the platform with ONEDNN_MAX_CPU_ISA=AVX (see this script's header)" >&2
fi
DB_URL=${ROBUSTLAB_DB_URL:-jdbc:postgresql://127.0.0.1:5432/robustlab}
DB_USER=${ROBUSTLAB_DB_USER:-postgres}
PORT_BASE=${ROBUSTLAB_PORT_BASE:-8080}
VAR=$(mkdir -p "${ROBUSTLAB_VAR:-var}" && cd "${ROBUSTLAB_VAR:-var}" && pwd)
SERVICES=(gateway-service training-service attack-service dataset-service eval-service)
GATEWAY=http://127.0.0.1:$PORT_BASE

if [ "${ROBUSTLAB_SKIP_BUILD:-0}" != 1 ]; then
  echo "== building (mvn package, tests skipped: 'mvn verify' runs them)"
  mvn -B -q package -DskipTests
fi

if [ -z "${ROBUSTLAB_DB_URL:-}" ]; then
  pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not answering on 127.0.0.1:5432 (see README)"; exit 1; }
  psql -h 127.0.0.1 -U "$DB_USER" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'robustlab'" | grep -q 1 \
    || psql -h 127.0.0.1 -U "$DB_USER" -d postgres -qc "CREATE DATABASE robustlab"
fi

mkdir -p "$VAR/logs" "$VAR/run" "$VAR/artifacts" "$VAR/djl-cache"
# Four services run libtorch on these cores at once (an experiment keeps them all busy). Each gets its
# share of the cores, and OpenMP threads sleep instead of spinning when idle: with every service using
# all cores and spinning, a 2-core machine ran each job 5 to 30 times slower than alone.
export ROBUSTLAB_ML_THREADS=${ROBUSTLAB_ML_THREADS:-$(( $(nproc) / 4 > 0 ? $(nproc) / 4 : 1 ))}
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
# The credential the services present to each other's internal endpoints: a fresh random one per
# start unless given (all five services of one start share it; nothing else knows it).
export ROBUSTLAB_SERVICE_TOKEN=${ROBUSTLAB_SERVICE_TOKEN:-$(head -c 32 /dev/urandom | base64 | tr -d '/+=')}
# The bootstrap admin API token, for the gateway only (which stores its hash).
if [ -n "${ROBUSTLAB_ADMIN_TOKEN:-}" ]; then
  (umask 077; printf '%s\n' "$ROBUSTLAB_ADMIN_TOKEN" > "$VAR/admin-token")
elif [ ! -s "$VAR/admin-token" ]; then
  (umask 077; scripts/new-token.sh > "$VAR/admin-token")
fi
ADMIN_TOKEN=$(cat "$VAR/admin-token")
(umask 077; printf 'Authorization: Bearer %s\n' "$ADMIN_TOKEN" > "$VAR/admin.header")
for i in "${!SERVICES[@]}"; do
  s=${SERVICES[$i]}
  if [ -f "$VAR/run/$s.pid" ] && kill -0 "$(cat "$VAR/run/$s.pid")" 2>/dev/null; then
    echo "== $s is already running (pid $(cat "$VAR/run/$s.pid"))"
    continue
  fi
  ROBUSTLAB_DB_URL=$DB_URL ROBUSTLAB_DB_USER=$DB_USER ROBUSTLAB_DB_PASSWORD=${ROBUSTLAB_DB_PASSWORD:-} ROBUSTLAB_ARTIFACTS=$VAR/artifacts \
    ROBUSTLAB_SERVICES_ATTACKURL=http://127.0.0.1:$((PORT_BASE + 2)) ROBUSTLAB_SERVICES_DATASETURL=http://127.0.0.1:$((PORT_BASE + 3)) \
    PORT=$((PORT_BASE + i)) \
    ROBUSTLAB_ADMIN_TOKEN=$([ "$s" = gateway-service ] && echo "$ADMIN_TOKEN" || true) \
    nohup java ${ROBUSTLAB_JAVA_OPTS:-} -Xmx1g -XX:MaxDirectMemorySize=256m -jar "$s/target/$s.jar" > "$VAR/logs/$s.log" 2>&1 &
  echo $! > "$VAR/run/$s.pid"
  echo "== started $s on port $((PORT_BASE + i)) (pid $!, log $VAR/logs/$s.log)"
done

echo "== waiting for all five services to report UP"
for i in "${!SERVICES[@]}"; do
  port=$((PORT_BASE + i))
  for _ in $(seq 1 180); do
    curl -sf "http://127.0.0.1:$port/actuator/health" 2>/dev/null | grep -q '"UP"' && break
    kill -0 "$(cat "$VAR/run/${SERVICES[$i]}.pid")" 2>/dev/null || { echo "${SERVICES[$i]} exited; see $VAR/logs/${SERVICES[$i]}.log"; exit 1; }
    sleep 1
  done
  curl -sf "http://127.0.0.1:$port/actuator/health" | grep -q '"UP"' || { echo "${SERVICES[$i]} did not come up"; exit 1; }
  echo "   ${SERVICES[$i]}: UP"
done

echo "== submitting the Fashion-MNIST import"
JOB=$(curl -sf -X POST "$GATEWAY/api/v1/jobs" -H @"$VAR/admin.header" -H 'Content-Type: application/json' \
  -d '{"type": "dataset.import", "spec": {"dataset": "fashion-mnist"}}')
ID=$(printf '%s' "$JOB" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
echo "   job $ID"

echo "== progress (Server-Sent Events from $GATEWAY/api/v1/jobs/$ID/progress)"
curl -sN --max-time 600 -H @"$VAR/admin.header" "$GATEWAY/api/v1/jobs/$ID/progress" | python3 -u -c '
import json, sys
for line in sys.stdin:
    if line.startswith("data:"):
        job = json.loads(line[5:])
        print("   %-9s %5.1f%%  %s" % (job["state"], 100 * job["progress"], job.get("progressMessage", "")))
'

echo "== result"
curl -sf -H @"$VAR/admin.header" "$GATEWAY/api/v1/jobs/$ID" | python3 -c '
import json, sys
job = json.load(sys.stdin)
print(json.dumps({k: job.get(k) for k in ("id", "state", "attempt", "device", "error", "result")}, indent=2))
sys.exit(0 if job["state"] == "SUCCEEDED" else 1)
'
echo "== artifacts: $GATEWAY/api/v1/artifacts?jobId=$ID   API docs: $GATEWAY/swagger-ui/index.html"
echo "== API token (admin): $VAR/admin-token; for curl: -H @$VAR/admin.header"
echo "== the services keep running; stop them with scripts/stop-platform.sh"
