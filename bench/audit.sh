#!/usr/bin/env bash
# Times the feature audit (eval.audit) of the small CNN at the cpu preset's audit settings, through
# the real services: starts the platform (scripts/run-platform.sh, which imports Fashion-MNIST),
# trains the small CNN as the cpu preset's train-std step does, then runs one eval.audit job with
# the preset's "audit" parameters and prints its time and figures.
# Usage: bench/audit.sh [preset]   (default cpu; the preset file under libs/experiments/.../features-not-bugs/)
# Environment: ROBUSTLAB_PORT_BASE (default 29180), ROBUSTLAB_VAR (default var/audit-bench), those of run-platform.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
PRESET_FILE=libs/experiments/src/main/resources/experiments/features-not-bugs/${1:-cpu}.json
export ROBUSTLAB_PORT_BASE=${ROBUSTLAB_PORT_BASE:-29180} ROBUSTLAB_VAR=${ROBUSTLAB_VAR:-var/audit-bench}
mkdir -p "$ROBUSTLAB_VAR"
trap 'scripts/stop-platform.sh > /dev/null' EXIT
scripts/run-platform.sh > "$ROBUSTLAB_VAR/run.log" 2>&1
ROBUSTLAB="scripts/robustlab --url http://127.0.0.1:$ROBUSTLAB_PORT_BASE --token-file $ROBUSTLAB_VAR/admin-token"
IMPORT=$($ROBUSTLAB job list --type dataset.import --state SUCCEEDED --size 1 | head -n 1 | cut -d' ' -f1)
ARTIFACTS=$($ROBUSTLAB artifact list --job "$IMPORT")
TRAIN=$(echo "$ARTIFACTS" | awk '/train.npz/ {print $1}')
TEST=$(echo "$ARTIFACTS" | awk '/test.npz/ {print $1}')

spec() { python3 - "$PRESET_FILE" "$@" <<'PY'
import json, sys
p = json.load(open(sys.argv[1])); kind = sys.argv[2]
if kind == "train":
    t = p["training"]
    print(json.dumps({"trainArtifactId": sys.argv[3], "architecture": p["architecture"], "trainLimit": p["trainLimit"],
                      "epochs": t["epochs"], "batchSize": t["batchSize"], "learningRate": t["learningRate"],
                      "schedule": t["schedule"], "seed": p["seed"]}))
else:
    a = p["audit"]
    print(json.dumps({"modelArtifactId": sys.argv[3], "datasetArtifactId": sys.argv[4], "trainArtifactId": sys.argv[5],
                      "limit": a["limit"], "trainLimit": a["trainLimit"], "attack": a["attack"], "imagesPerPass": a["imagesPerPass"],
                      "thresholds": {"rho": a["rhoThreshold"], "gamma": a["gammaThreshold"]},
                      "probe": {"epochs": a["probeEpochs"], "evaluationLimit": a["probeEvaluationLimit"]}, "seed": p["seed"]}))
PY
}
result() { $ROBUSTLAB job get "$1" | python3 -c "import json, sys; r = json.load(sys.stdin)['result']; print($2)"; }

T0=$(date +%s)
M=$($ROBUSTLAB job submit --type train.classifier --spec "$(spec train "$TRAIN")")
$ROBUSTLAB job watch "$M" > /dev/null
echo "train: $(( $(date +%s) - T0 )) s"
MODEL=$(result "$M" "r['modelArtifactId']")
T1=$(date +%s)
A=$($ROBUSTLAB job submit --type eval.audit --spec "$(spec audit "$MODEL" "$TEST" "$TRAIN")")
$ROBUSTLAB job watch "$A" > /dev/null
echo "audit: $(( $(date +%s) - T1 )) s from submission; the job's own time: $(result "$A" "round(r['seconds'])") s"
result "$A" "json.dumps({k: r[k] for k in ('architecture', 'examples', 'features', 'classes', 'attack', 'pairs', 'featuresByBestCategory', 'robustUsefulShareOfUseful', 'probes', 'device')})"
