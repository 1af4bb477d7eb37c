#!/usr/bin/env bash
# The paper's experiment in one request: starts the platform (scripts/run-platform.sh), submits the
# features-not-bugs experiment on Fashion-MNIST with a preset (default cpu, about half an hour on 2
# cores), shows its progress, prints the Figure 2 and Table 1 tables, and writes the full report to
# $ROBUSTLAB_VAR/report/features-not-bugs.{md,html,json} (default ./var/report). The services keep
# running afterwards (the HTML report is also served by the gateway); scripts/stop-platform.sh stops them.
#
# Usage: scripts/run-experiment.sh [smoke|cpu|paper] ['{"parameter": "overrides"}']
# Settings: those of scripts/run-platform.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
PRESET=${1:-cpu}
OVERRIDES=${2:-'{}'}
VAR=$(mkdir -p "${ROBUSTLAB_VAR:-var}" && cd "${ROBUSTLAB_VAR:-var}" && pwd)
GATEWAY=http://127.0.0.1:${ROBUSTLAB_PORT_BASE:-8080}

scripts/run-platform.sh

echo "== submitting the features-not-bugs experiment, preset $PRESET"
EXPERIMENT=$(curl -sf -X POST "$GATEWAY/api/v1/experiments" -H 'Content-Type: application/json' \
  -d "{\"template\": \"features-not-bugs\", \"preset\": \"$PRESET\", \"parameters\": $OVERRIDES}" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
echo "   experiment $EXPERIMENT ($GATEWAY/api/v1/experiments/$EXPERIMENT)"

echo "== progress"
START=$(date +%s)
LAST=
while true; do
  STATUS=$(curl -sf "$GATEWAY/api/v1/experiments/$EXPERIMENT" | python3 -c '
import json, sys
e = json.load(sys.stdin)
steps = e["steps"]
done = sum(s["state"] == "SUCCEEDED" for s in steps)
cached = sum(s["cacheHit"] for s in steps)
running = ", ".join("%s %.0f%%%s" % (s["name"], 100 * s.get("progress", 0), (" (" + s["progressMessage"] + ")") if s.get("progressMessage") else "")
                    for s in steps if s["state"] == "RUNNING")
print(e["state"] + "|%d/%d steps done (%d from cache), %.0f%%%s" % (done, len(steps), cached, 100 * e["progress"],
      "; running: " + running if running else ""))')
  STATE=${STATUS%%|*}
  LINE=${STATUS#*|}
  if [ "$LINE" != "$LAST" ]; then
    printf '   [%4ds] %s\n' $(( $(date +%s) - START )) "$LINE"
    LAST=$LINE
  fi
  [ "$STATE" = RUNNING ] || break
  sleep 5
done
echo "== experiment $STATE after $(( $(date +%s) - START )) s"

mkdir -p "$VAR/report"
curl -sf "$GATEWAY/api/v1/experiments/$EXPERIMENT/report?format=md" > "$VAR/report/features-not-bugs.md"
curl -sf "$GATEWAY/api/v1/experiments/$EXPERIMENT/report?format=json" > "$VAR/report/features-not-bugs.json"
curl -sf "$GATEWAY/api/v1/experiments/$EXPERIMENT/report?format=html&embed=true" > "$VAR/report/features-not-bugs.html"
# The two tables of the paper, as the report has them.
awk '/^## Figure 2/,/^## Figure 3/' "$VAR/report/features-not-bugs.md" | sed '$d'
echo "== full report: $VAR/report/features-not-bugs.md (also .html with the figures inlined, and .json);"
echo "   in a browser: $GATEWAY/api/v1/experiments/$EXPERIMENT/report?format=html"
[ "$STATE" = SUCCEEDED ] || { curl -sf "$GATEWAY/api/v1/experiments/$EXPERIMENT" | python3 -c 'import json, sys; print(json.load(sys.stdin).get("error"))'; exit 1; }
