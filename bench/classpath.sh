# Sourced by the bench scripts: builds the bench module and copies its classpath to a private folder,
# so that a rebuild while a benchmark runs cannot swap jars under it. Sets BENCH_CP.
# One reactor build: the project's own modules resolve to the jars it has just packaged, so nothing
# is installed into ~/.m2, where it would replace the snapshots another checkout builds against.
mvn -B -q package -DskipTests -pl bench -am dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
BENCH_LIB=$(mktemp -d "${TMPDIR:-/tmp}/robustlab-bench.XXXXXX")
cp -r bench/target/classes "$BENCH_LIB/classes"
tr ':' '\n' < bench/target/bench.classpath | xargs -I{} cp {} "$BENCH_LIB/"
BENCH_CP="$BENCH_LIB/classes:$(ls "$BENCH_LIB"/*.jar | tr '\n' ':')"
