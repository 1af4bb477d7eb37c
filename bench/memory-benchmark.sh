#!/usr/bin/env bash
# Issue 3, acceptance 5: resident memory stays flat over 2,000 training and 2,000 attack batches.
# Usage: bench/memory-benchmark.sh [batches]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/classpath.sh
# A fixed, pre-touched heap: resident memory can then grow only through native (libtorch) allocations.
exec java -Xms768m -Xmx768m -XX:+AlwaysPreTouch -XX:MaxDirectMemorySize=256m -Dai.djl.offline=true -cp "$BENCH_CP" \
  io.robustlab.bench.MemoryBenchmark 2 "${1:-2000}"
