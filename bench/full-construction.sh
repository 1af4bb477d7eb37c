#!/usr/bin/env bash
# Times constructions over the full Fashion-MNIST training set through the real services: starts the
# platform (scripts/run-platform.sh, which imports Fashion-MNIST), trains the small CNN (3 epochs),
# then, for each construction in turn, runs dataset.construct and waits for its merge job.
# Usage: bench/full-construction.sh [constructions] [steps] [eps] [shard-size] [step-size]   (defaults: det 100 4.0 5000 0.1)
#   constructions: one of robust, nonrobust, rand, det, or several separated by commas (built one after another)
# Environment: ROBUSTLAB_PORT_BASE (default 29080), ROBUSTLAB_VAR (default var/full-construction).
set -euo pipefail
cd "$(dirname "$0")/.."
CONSTRUCTIONS=${1:-det}
STEPS=${2:-100}
EPS=${3:-4.0}
SHARD=${4:-5000}
STEP_SIZE=${5:-0.1}
export ROBUSTLAB_PORT_BASE=${ROBUSTLAB_PORT_BASE:-29080} ROBUSTLAB_VAR=${ROBUSTLAB_VAR:-var/full-construction}
. bench/lib/platform.sh
T0=$(date +%s)
M=$(submit train.classifier "{\"trainArtifactId\": \"$TRAIN\", \"epochs\": 3, \"learningRate\": 0.05, \"schedule\": \"cosine\", \"seed\": 1}")
echo "train: $(wait_job "$M") in $(( $(date +%s) - T0 )) s"
MODEL=$(result "$M" '["modelArtifactId"]')
# The source model's weights do not change the work, so one standard model serves every construction
# (D_R's real source is an adversarially trained model of the same architecture).
for CONSTRUCTION in ${CONSTRUCTIONS//,/ }; do
  T1=$(date +%s)
  B=$(submit dataset.construct "{\"construction\": \"$CONSTRUCTION\", \"modelArtifactId\": \"$MODEL\", \"trainArtifactId\": \"$TRAIN\",
    \"shardSize\": $SHARD, \"steps\": $STEPS, \"stepSize\": $STEP_SIZE, \"eps\": $EPS, \"batchSize\": 128, \"seed\": 1}")
  wait_job "$B" > /dev/null
  MERGE=$(result "$B" '["mergeJobId"]')
  echo "$CONSTRUCTION full build ($STEPS steps of $STEP_SIZE, eps $EPS): $(wait_job "$MERGE") in $(( $(date +%s) - T1 )) s"
  api "$G/api/v1/jobs/$MERGE" | python3 -c 'import json, sys; r = json.load(sys.stdin)["result"]; print(json.dumps({k: r[k] for k in ("examples", "shards", "quality")}))'
done
