#!/usr/bin/env bash
# The paper's experiment in one request: starts the platform (scripts/run-platform.sh), submits the
# features-not-bugs experiment on Fashion-MNIST with a preset (default cpu, about 15 minutes on 2
# cores) through the robustlab CLI (scripts/robustlab), shows its progress, prints the Figure 2 and
# Table 1 tables, and writes the full report to $ROBUSTLAB_VAR/report/features-not-bugs.{md,html,json}
# (default ./var/report). The services keep running afterwards (the HTML report is also served by
# the gateway); scripts/stop-platform.sh stops them.
#
# Usage: scripts/run-experiment.sh [smoke|cpu|cpu-replicated|paper] ['{"parameter": "overrides"}']
# Settings: those of scripts/run-platform.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
PRESET=${1:-cpu}
OVERRIDES=${2:-'{}'}
VAR=$(mkdir -p "${ROBUSTLAB_VAR:-var}" && cd "${ROBUSTLAB_VAR:-var}" && pwd)
GATEWAY=http://127.0.0.1:${ROBUSTLAB_PORT_BASE:-8080}

scripts/run-platform.sh

ROBUSTLAB="scripts/robustlab --url $GATEWAY --token-file $VAR/admin-token"
echo "== submitting the features-not-bugs experiment, preset $PRESET"
EXPERIMENT=$($ROBUSTLAB experiment submit --preset "$PRESET" --parameters "$OVERRIDES")
echo "   experiment $EXPERIMENT ($GATEWAY/api/v1/experiments/$EXPERIMENT)"

echo "== progress (a bar per step; redrawn in place on a terminal, a line per tenth of progress otherwise)"
START=$(date +%s)
$ROBUSTLAB experiment watch "$EXPERIMENT" || true
STATE=$($ROBUSTLAB experiment get "$EXPERIMENT" | python3 -c 'import json, sys; print(json.load(sys.stdin)["state"])')
echo "== experiment $STATE after $(( $(date +%s) - START )) s"

mkdir -p "$VAR/report"
$ROBUSTLAB experiment report "$EXPERIMENT" --format md -o "$VAR/report/features-not-bugs.md" > /dev/null
$ROBUSTLAB experiment report "$EXPERIMENT" --format json -o "$VAR/report/features-not-bugs.json" > /dev/null
$ROBUSTLAB experiment report "$EXPERIMENT" --format html --embed -o "$VAR/report/features-not-bugs.html" > /dev/null
# The two tables of the paper, as the report has them.
awk '/^## Figure 2/,/^## Figure 3/' "$VAR/report/features-not-bugs.md" | sed '$d'
echo "== full report: $VAR/report/features-not-bugs.md (also .html with the figures inlined, and .json);"
echo "   from the API (with a token): $GATEWAY/api/v1/experiments/$EXPERIMENT/report?format=html"
echo "== share link (opens in a browser without a token for a week; revoking the admin token kills it):"
$ROBUSTLAB experiment share "$EXPERIMENT" | sed -n 1p | sed 's/^/   /'
[ "$STATE" = SUCCEEDED ] || { $ROBUSTLAB experiment get "$EXPERIMENT" | python3 -c 'import json, sys; print(json.load(sys.stdin).get("error"))'; exit 1; }
