#!/usr/bin/env bash
# Issue 2, acceptance 5: jobs/s through the worker pool with 1, 4 and 16 workers on the local PostgreSQL.
# Usage: bench/queue-benchmark.sh [jobs-per-run]   (ROBUSTLAB_TEST_PG_URL picks another server)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/classpath.sh
exec java -cp "$BENCH_CP" io.robustlab.bench.QueueBenchmark "$@"
