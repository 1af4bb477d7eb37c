# Sourced by the bench scripts: builds the bench module and copies its classpath to a private folder,
# so that a rebuild while a benchmark runs cannot swap jars under it. Sets BENCH_CP.
mvn -B -q install -DskipTests -pl bench -am
mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
BENCH_LIB=$(mktemp -d "${TMPDIR:-/tmp}/robustlab-bench.XXXXXX")
cp -r bench/target/classes "$BENCH_LIB/classes"
tr ':' '\n' < bench/target/bench.classpath | xargs -I{} cp {} "$BENCH_LIB/"
BENCH_CP="$BENCH_LIB/classes:$(ls "$BENCH_LIB"/*.jar | tr '\n' ':')"
