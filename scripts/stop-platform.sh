#!/usr/bin/env bash
# Stops the services scripts/run-platform.sh started. SIGTERM lets each hand its running jobs back.
set -uo pipefail
cd "$(dirname "$0")/.."
VAR=${ROBUSTLAB_VAR:-var}
for pidfile in "$VAR"/run/*.pid; do
  [ -e "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill -TERM "$pid" 2>/dev/null; then
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "stopped $(basename "$pidfile" .pid)"
  fi
  rm -f "$pidfile"
done
