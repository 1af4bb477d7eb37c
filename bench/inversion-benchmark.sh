#!/usr/bin/env bash
# What the D_R inversion needs: remaining representation distance, seconds and images/s of RobustLab's
# inversion of 200 Fashion-MNIST training images through an adversarially trained small CNN, for each
# number of steps x step size x straight-through last ReLU, and the cheapest setting under 5 %.
# Usage: bench/inversion-benchmark.sh [model-file] [steps,...] [step-sizes,...]
# The model file (default bench/target/inversion-model.bin) is loaded when it exists, else trained and written.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/classpath.sh
exec java -XX:MaxDirectMemorySize=256m -Dai.djl.offline=true -cp "$BENCH_CP" io.robustlab.bench.InversionBenchmark 2 \
  "${1:-bench/target/inversion-model.bin}" ${2:+"$2"} ${3:+"$3"}
