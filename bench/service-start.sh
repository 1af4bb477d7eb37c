#!/usr/bin/env bash
# Seconds from launching all five packaged services at once until every one reports UP, for each set of
# JVM flags given (one argument per set; "" is the JVM's defaults). The system tests launch their
# services with the flags this measures by default (Platform.SERVICE_JVM_FLAGS).
# Usage: bench/service-start.sh ["" "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" ...]
# Needs the services packaged (mvn -B -q package -DskipTests) and PostgreSQL on 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/.."
SERVICES=(gateway-service dataset-service training-service attack-service eval-service)
[ $# -gt 0 ] || set -- "" "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export ROBUSTLAB_DB_USER=${ROBUSTLAB_DB_USER:-postgres} ROBUSTLAB_DB_PASSWORD=${ROBUSTLAB_DB_PASSWORD:-}
export ROBUSTLAB_ARTIFACTS=$WORK/artifacts DJL_CACHE_DIR=$WORK/djl-cache ROBUSTLAB_ML_THREADS=1 OMP_WAIT_POLICY=PASSIVE
export ROBUSTLAB_SERVICE_TOKEN=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
export ROBUSTLAB_ADMIN_TOKEN=$(scripts/new-token.sh)
BASE=${PORT_BASE:-19100}
export ROBUSTLAB_SERVICES_ATTACKURL=http://127.0.0.1:$((BASE + 3)) ROBUSTLAB_SERVICES_DATASETURL=http://127.0.0.1:$((BASE + 1))

start_all() { # $1: flags; prints seconds until all UP
  local db=robustlab_bench_start_$$ pids=() t0 t1
  psql -h 127.0.0.1 -U "$ROBUSTLAB_DB_USER" -d postgres -qc "CREATE DATABASE $db"
  t0=$(date +%s.%N)
  for i in "${!SERVICES[@]}"; do
    # shellcheck disable=SC2086 # the flags are words
    ROBUSTLAB_DB_URL=jdbc:postgresql://127.0.0.1:5432/$db PORT=$((BASE + i)) \
      java $1 -Xmx1g -XX:MaxDirectMemorySize=256m -jar "${SERVICES[$i]}/target/${SERVICES[$i]}.jar" > "$WORK/${SERVICES[$i]}.log" 2>&1 &
    pids+=($!)
  done
  for i in "${!SERVICES[@]}"; do
    until curl -sf "http://127.0.0.1:$((BASE + i))/actuator/health" | grep -q '"UP"'; do
      kill -0 "${pids[$i]}" 2>/dev/null || { echo "${SERVICES[$i]} exited; its log:"; tail -20 "$WORK/${SERVICES[$i]}.log"; exit 1; }
      sleep 0.25
    done
  done
  t1=$(date +%s.%N)
  kill "${pids[@]}"; wait "${pids[@]}" 2>/dev/null || true
  psql -h 127.0.0.1 -U "$ROBUSTLAB_DB_USER" -d postgres -qc "DROP DATABASE $db"
  python3 -c "print('%.1f' % ($t1 - $t0))"
}

echo "warm-up start (libtorch is unpacked into the DJL cache once): $(start_all "") s"
for flags in "$@"; do
  for round in 1 2; do
    printf '%-45s round %d: %s s\n' "[${flags:-JVM defaults}]" "$round" "$(start_all "$flags")"
  done
done
