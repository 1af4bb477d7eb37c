#!/usr/bin/env bash
# The rule for the targeted eps of D_rand / D_det (issue 13): builds D_rand and D_det at several eps
# from a standard small CNN and measures each with eval.leakage on an adversarially trained one (the
# cpu preset's recipes for both models), then prints, per construction and eps, the attack's success
# on the source model, the robust model's agreement with the new label t on the changed-label
# constructed images and on their originals, and their ratio. The rule's eps is the largest whose
# ratio is at most 2 for both constructions, and at most the adversarial-training eps (the paper
# builds at its training eps).
# Usage: bench/leakage-eps.sh [eps list] [images] [steps]   (defaults: "0.5 1.0 1.5 2.0 3.0 4.0" 1000 50)
# Environment: ROBUSTLAB_PORT_BASE (default 29180), ROBUSTLAB_VAR (default var/leakage-eps).
set -euo pipefail
cd "$(dirname "$0")/.."
EPS_LIST=${1:-0.5 1.0 1.5 2.0 3.0 4.0}
IMAGES=${2:-1000}
STEPS=${3:-50}
ADV_EPS=1.5
export ROBUSTLAB_PORT_BASE=${ROBUSTLAB_PORT_BASE:-29180} ROBUSTLAB_VAR=${ROBUSTLAB_VAR:-var/leakage-eps}
. bench/lib/platform.sh
T0=$(date +%s)
STD=$(submit train.classifier "{\"trainArtifactId\": \"$TRAIN\", \"trainLimit\": 30000, \"epochs\": 2, \"learningRate\": 0.05,
  \"schedule\": \"cosine\", \"seed\": 0}")
ADV=$(submit train.classifier "{\"trainArtifactId\": \"$TRAIN\", \"trainLimit\": 10000, \"epochs\": 2, \"learningRate\": 0.05,
  \"schedule\": \"cosine\", \"seed\": 0, \"adversarial\": {\"norm\": \"l2\", \"eps\": $ADV_EPS, \"steps\": 7, \"stepSize\": 0.3, \"randomStart\": false}}")
echo "models: standard $(wait_job "$STD"), adversarially trained $(wait_job "$ADV") in $(( $(date +%s) - T0 )) s"
STD_MODEL=$(result "$STD" '["modelArtifactId"]')
ADV_MODEL=$(result "$ADV" '["modelArtifactId"]')
rows=()
for EPS in $EPS_LIST; do
  # The step size of the paper's evaluations, 2.5 eps / steps: every eps gets the same optimisation effort.
  STEP_SIZE=$(python3 -c "print(2.5 * $EPS / $STEPS)")
  for C in rand det; do
    B=$(submit dataset.construct "{\"construction\": \"$C\", \"modelArtifactId\": \"$STD_MODEL\", \"trainArtifactId\": \"$TRAIN\",
      \"trainLimit\": $IMAGES, \"shardSize\": $IMAGES, \"steps\": $STEPS, \"stepSize\": $STEP_SIZE, \"eps\": $EPS, \"batchSize\": 125, \"seed\": 0}")
    wait_job "$B" > /dev/null
    MERGE=$(result "$B" '["mergeJobId"]')
    [ "$(wait_job "$MERGE")" = SUCCEEDED ] || { echo "construction $C at eps $EPS failed"; exit 1; }
    L=$(submit eval.leakage "{\"modelArtifactId\": \"$ADV_MODEL\", \"constructedArtifactId\": \"$(result "$MERGE" '["datasetArtifactId"]')\",
      \"originalArtifactId\": \"$TRAIN\"}")
    [ "$(wait_job "$L")" = SUCCEEDED ] || { echo "leakage of $C at eps $EPS failed"; exit 1; }
    rows+=("$C $EPS $(result "$MERGE" '["quality"]["successRateOnSourceModel"]') $(api "$G/api/v1/jobs/$L" | python3 -c '
import json, sys
r = json.load(sys.stdin)["result"]
c, o = r["onConstructed"], r["onOriginals"]
print(r["changedLabels"], c["agreesWithNew"]["rate"], o["agreesWithNew"]["rate"], c["agreesWithOriginal"]["rate"], r["leakageRatio"])')")
  done
done
echo "total $(( $(date +%s) - T0 )) s; robust model: L2 eps $ADV_EPS adversarial training; $IMAGES images, $STEPS steps of 2.5 eps / steps"
printf '%s\n' "${rows[@]}" | python3 -c "
import sys
rows = [l.split() for l in sys.stdin if l.strip()]
print('| dataset | eps | success on source | changed labels | robust model agrees with t: constructed | originals | ratio | agrees with y: constructed |')
print('|---|---|---|---|---|---|---|---|')
ok = {}
for c, eps, success, changed, new_c, new_o, orig_c, ratio in rows:
    r = None if ratio == 'None' else float(ratio)
    print(f'| D_{c} | {eps} | {100 * float(success):.1f} % | {changed} | {100 * float(new_c):.1f} % | {100 * float(new_o):.1f} % | {\"undefined\" if r is None else f\"{r:.2f}\"} | {100 * float(orig_c):.1f} % |')
    ok.setdefault(float(eps), []).append(r is not None and r <= 2)
good = [e for e, v in sorted(ok.items()) if all(v) and e <= $ADV_EPS]
print('rule: largest eps with ratio <= 2 for both, at most the adversarial-training eps $ADV_EPS:', good[-1] if good else 'none of the list')
"
