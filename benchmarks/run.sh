#!/usr/bin/env bash
# Runs the benchmark suite sized for a 2-core machine (3 forks each), writes JMH's JSON results to
# benchmarks/target/results/ and prints (and saves as summary.md) the tables of results, ratios, batching
# counters and targets. Run it on an otherwise idle machine: about 35 minutes on 2 cores.
#
#   benchmarks/run.sh                      # build, then measure
#   SKIP_BUILD=1 benchmarks/run.sh         # reuse benchmarks/target/benchmarks.jar
#   REPS=100 TYPES=1 FORKS=1 benchmarks/run.sh   # a smaller grid
#
# Settings (environment): REPS, TYPES, IMPLS (EntitiesBenchmark), POSTS, GATEWAY_IMPLS
# (GatewayWorkloadBenchmark), SMALL_IMPLS (SmallRequestsBenchmark), LATENCY_REPS, LATENCY_TYPES,
# LATENCY_IMPLS (BackendLatencyBenchmark), FORKS, JMH_OPTS (warm-up and measurement), OUT (result folder).
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=benchmarks/target/benchmarks.jar
OUT=${OUT:-benchmarks/target/results}
REPS=${REPS:-100,1000}
TYPES=${TYPES:-1,3}
IMPLS=${IMPLS:-naive,dataloader,springgraphql,library,library_class,library_registry,library_all}
POSTS=${POSTS:-100,1000}
GATEWAY_IMPLS=${GATEWAY_IMPLS:-naive,dataloader,springgraphql,library}
SMALL_IMPLS=${SMALL_IMPLS:-naive,dataloader,springgraphql,library}
LATENCY_REPS=${LATENCY_REPS:-100}
LATENCY_TYPES=${LATENCY_TYPES:-1,3}
LATENCY_IMPLS=${LATENCY_IMPLS:-naive,dataloader,springgraphql,library}
FORKS=${FORKS:-3}
JMH_OPTS=${JMH_OPTS:--wi 4 -w 1s -i 5 -r 1s -foe true}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -q -pl benchmarks -am package -DskipTests
fi
mkdir -p "$OUT"

# shellcheck disable=SC2086 # JMH_OPTS is a list of options
java -jar "$JAR" EntitiesBenchmark -p representations="$REPS" -p types="$TYPES" -p impl="$IMPLS" \
  -f "$FORKS" $JMH_OPTS -prof gc -rf json -rff "$OUT/entities.json"
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
  echo "Command: benchmarks/run.sh (forks $FORKS, $JMH_OPTS)"
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
  echo
  java -cp "$JAR" dev.federation.benchmarks.Summary "$OUT/entities.json" "$OUT/gateway.json" "$OUT/small.json" \
    "$OUT/latency.json"
} | tee "$OUT/summary.md"
