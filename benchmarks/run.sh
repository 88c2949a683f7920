#!/usr/bin/env bash
# Runs the benchmark suite with short settings sized for a 2-core machine, writes JMH's JSON results to
# benchmarks/target/results/ and prints (and saves as summary.md) the table of results, ratios and targets.
#
#   benchmarks/run.sh                      # build, then about 10 minutes of measuring
#   SKIP_BUILD=1 benchmarks/run.sh         # reuse benchmarks/target/benchmarks.jar
#   REPS=100 TYPES=1 benchmarks/run.sh     # a smaller grid
#
# Settings (environment): REPS, TYPES, IMPLS (EntitiesBenchmark), LATENCY_REPS, LATENCY_IMPLS
# (BackendLatencyBenchmark), JMH_OPTS (forks, warm-up and measurement), OUT (result folder).
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=benchmarks/target/benchmarks.jar
OUT=${OUT:-benchmarks/target/results}
REPS=${REPS:-100,1000}
TYPES=${TYPES:-1,3}
IMPLS=${IMPLS:-naive,dataloader,springgraphql,library,library_metrics,library_tracing,library_all}
LATENCY_REPS=${LATENCY_REPS:-100,1000}
LATENCY_IMPLS=${LATENCY_IMPLS:-naive,dataloader,springgraphql,library}
JMH_OPTS=${JMH_OPTS:--f 1 -wi 3 -w 2s -i 5 -r 1s -foe true}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -q -pl benchmarks -am package -DskipTests
fi
mkdir -p "$OUT"

# shellcheck disable=SC2086 # JMH_OPTS is a list of options
java -jar "$JAR" EntitiesBenchmark -p representations="$REPS" -p types="$TYPES" -p impl="$IMPLS" \
  $JMH_OPTS -prof gc -rf json -rff "$OUT/entities.json"
# shellcheck disable=SC2086
java -jar "$JAR" BackendLatencyBenchmark -p representations="$LATENCY_REPS" -p types="$TYPES" \
  -p impl="$LATENCY_IMPLS" $JMH_OPTS -prof gc -rf json -rff "$OUT/latency.json"

java -cp "$JAR" dev.federation.benchmarks.Summary "$OUT/entities.json" "$OUT/latency.json" | tee "$OUT/summary.md"
