#!/usr/bin/env bash
# Issue 2, acceptance 5: jobs/s through the worker pool with 1, 4 and 16 workers on the local PostgreSQL.
# Usage: bench/queue-benchmark.sh [jobs-per-run]   (ROBUSTLAB_TEST_PG_URL picks another server)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests -pl bench -am
mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
exec java -cp "bench/target/classes:$(cat bench/target/bench.classpath)" io.robustlab.bench.QueueBenchmark "$@"
