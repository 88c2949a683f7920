#!/usr/bin/env bash
# Runs the benchmark suite sized for a 2-core machine, writes JMH's JSON results to benchmarks/target/results/
# and prints (and saves as summary.md) the tables of results, ratios, batching counters and targets. Run it
# on an otherwise idle machine: about 40 minutes on 2 cores.
#
# EntitiesBenchmark runs 6 forks at each point of the targets, the other benchmarks 3: graphql-java's time
# and allocation per call take one of a few values per JVM (how the JIT compiled it), so a mean needs
# forks more than iterations; Summary shows each fork's bytes by mode.
#
#   benchmarks/run.sh                      # build, then measure
#   SKIP_BUILD=1 benchmarks/run.sh         # reuse benchmarks/target/benchmarks.jar
#   POINTS=100x1 ENTITIES_FORKS=2 FORKS=1 benchmarks/run.sh   # a smaller grid
#
# Settings (environment): POINTS (representations x types), IMPLS, ENTITIES_FORKS (EntitiesBenchmark),
# POSTS, TYPES, GATEWAY_IMPLS (GatewayWorkloadBenchmark), SMALL_IMPLS (SmallRequestsBenchmark),
# LATENCY_REPS, LATENCY_TYPES, LATENCY_IMPLS (BackendLatencyBenchmark), FORKS (all but EntitiesBenchmark),
# JMH_OPTS (warm-up and measurement), OUT (result folder).
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=benchmarks/target/benchmarks.jar
OUT=${OUT:-benchmarks/target/results}
POINTS=${POINTS:-100x1 1000x1 1000x3}
TYPES=${TYPES:-1,3}
IMPLS=${IMPLS:-naive,dataloader,springgraphql,library,library_class,library_registry,library_all}
POSTS=${POSTS:-100,1000}
GATEWAY_IMPLS=${GATEWAY_IMPLS:-naive,dataloader,springgraphql,library}
SMALL_IMPLS=${SMALL_IMPLS:-naive,dataloader,springgraphql,library}
LATENCY_REPS=${LATENCY_REPS:-100}
LATENCY_TYPES=${LATENCY_TYPES:-1,3}
LATENCY_IMPLS=${LATENCY_IMPLS:-naive,dataloader,springgraphql,library}
ENTITIES_FORKS=${ENTITIES_FORKS:-6}
FORKS=${FORKS:-3}
JMH_OPTS=${JMH_OPTS:--wi 3 -w 1s -i 3 -r 1s -foe true}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -q -pl benchmarks -am package -DskipTests
fi
mkdir -p "$OUT"
rm -f "$OUT"/entities-*.json

ENTITIES_FILES=()
for point in $POINTS; do
  # shellcheck disable=SC2086 # JMH_OPTS is a list of options
  java -jar "$JAR" EntitiesBenchmark -p representations="${point%x*}" -p types="${point#*x}" -p impl="$IMPLS" \
    -f "$ENTITIES_FORKS" $JMH_OPTS -prof gc -rf json -rff "$OUT/entities-$point.json"
  ENTITIES_FILES+=("$OUT/entities-$point.json")
done
# shellcheck disable=SC2086
java -jar "$JAR" GatewayWorkloadBenchmark -p posts="$POSTS" -p types="$TYPES" -p impl="$GATEWAY_IMPLS" \
  -f "$FORKS" $JMH_OPTS -prof gc -rf json -rff "$OUT/gateway.json"
# shellcheck disable=SC2086
java -jar "$JAR" SmallRequestsBenchmark -p impl="$SMALL_IMPLS" \
  -f "$FORKS" $JMH_OPTS -rf json -rff "$OUT/small.json"
# shellcheck disable=SC2086
java -jar "$JAR" BackendLatencyBenchmark -p representations="$LATENCY_REPS" -p types="$LATENCY_TYPES" \
  -p impl="$LATENCY_IMPLS" -f "$FORKS" $JMH_OPTS -rf json -rff "$OUT/latency.json"

{
  echo "Command: benchmarks/run.sh (EntitiesBenchmark at $POINTS: $ENTITIES_FORKS forks; the others: $FORKS forks; $JMH_OPTS)"
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
  echo
  java -cp "$JAR" dev.federation.benchmarks.Summary "${ENTITIES_FILES[@]}" "$OUT/gateway.json" "$OUT/small.json" \
    "$OUT/latency.json"
} | tee "$OUT/summary.md"
