#!/usr/bin/env bash
# Issue 3, acceptance 5: resident memory stays flat over 2,000 training and 2,000 attack batches.
# Usage: bench/memory-benchmark.sh [batches]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests -pl bench -am
mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
exec java -XX:MaxDirectMemorySize=256m -Dai.djl.offline=true -cp "bench/target/classes:$(cat bench/target/bench.classpath)" \
  io.robustlab.bench.MemoryBenchmark 2 "${1:-2000}"
