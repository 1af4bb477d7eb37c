#!/usr/bin/env bash
# Issue 4, acceptance 4: images/s of each construction and the projected time for the full Fashion-MNIST training set.
# Usage: bench/construction-benchmark.sh [images-per-row]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/classpath.sh
exec java -XX:MaxDirectMemorySize=256m -Dai.djl.offline=true -cp "$BENCH_CP" io.robustlab.bench.ConstructionBenchmark 2 "${1:-256}"
