#!/usr/bin/env bash
# Runs the benchmark suite sized for a 2-core machine, writes JMH's JSON results to benchmarks/target/results/
# and prints (and saves as summary.md) the tables of results, ratios, batching counters and targets. Run it
# on an otherwise idle machine: about 50 minutes on 2 cores (SmallRequestsBenchmark's long warm-up is 20 of them).
#
# EntitiesBenchmark runs 6 forks at each point of the targets, in rounds of one fork of every implementation
# (their order reversed every other round), so that the machine's drift over the run falls on all of them
# alike; Summary merges the rounds. graphql-java's allocation per call takes one of a few values per JVM (how
# the JIT compiled it) and its time spreads more between forks than within one, so a mean needs forks more
# than iterations; Summary shows each fork's time and bytes by mode. The other benchmarks run 3 forks each.
#
#   benchmarks/run.sh                      # build, then measure
#   SKIP_BUILD=1 benchmarks/run.sh         # reuse benchmarks/target/benchmarks.jar
#   POINTS=100x1 ENTITIES_FORKS=2 FORKS=1 benchmarks/run.sh   # a smaller grid
#
#   BENCHMARKS=entities benchmarks/run.sh  # one part; the summary covers every result in OUT
#
# Settings (environment): BENCHMARKS (any of entities, gateway, small, latency), POINTS (representations x
# types), IMPLS, ENTITIES_FORKS (EntitiesBenchmark), POSTS, TYPES, GATEWAY_IMPLS (GatewayWorkloadBenchmark),
# SMALL_IMPLS (SmallRequestsBenchmark), LATENCY_REPS, LATENCY_TYPES, LATENCY_IMPLS (BackendLatencyBenchmark),
# FORKS (all but EntitiesBenchmark), JMH_OPTS (warm-up and measurement), SMALL_JMH_OPTS (the same for
# SmallRequestsBenchmark, whose 16 threads on 2 cores leave the JIT compiler so little CPU that throughput was
# still rising several-fold 28 s in: 40 s of warm-up), OUT (result folder).
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
BENCHMARKS=${BENCHMARKS:-entities gateway small latency}
ENTITIES_FORKS=${ENTITIES_FORKS:-6}
FORKS=${FORKS:-3}
JMH_OPTS=${JMH_OPTS:--wi 3 -w 1s -i 3 -r 1s -foe true}
SMALL_JMH_OPTS=${SMALL_JMH_OPTS:--wi 20 -w 2s -i 3 -r 2s -foe true}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -q -pl benchmarks -am package -DskipTests
fi
mkdir -p "$OUT"

if [[ " $BENCHMARKS " == *" entities "* ]]; then
  rm -f "$OUT"/entities*.json
  REVERSED=$(echo "$IMPLS" | tr ',' '\n' | tac | paste -sd, -)
  for round in $(seq 1 "$ENTITIES_FORKS"); do
    impls=$IMPLS
    if [ $((round % 2)) = 0 ]; then impls=$REVERSED; fi
    for point in $POINTS; do
      # shellcheck disable=SC2086 # JMH_OPTS is a list of options
      java -jar "$JAR" EntitiesBenchmark -p representations="${point%x*}" -p types="${point#*x}" \
        -p impl="$impls" -f 1 $JMH_OPTS -prof gc -rf json -rff "$OUT/entities-$point-$round.json"
    done
  done
fi
if [[ " $BENCHMARKS " == *" gateway "* ]]; then
  # shellcheck disable=SC2086
  java -jar "$JAR" GatewayWorkloadBenchmark -p posts="$POSTS" -p types="$TYPES" -p impl="$GATEWAY_IMPLS" \
    -f "$FORKS" $JMH_OPTS -prof gc -rf json -rff "$OUT/gateway.json"
fi
if [[ " $BENCHMARKS " == *" small "* ]]; then
  # shellcheck disable=SC2086
  java -jar "$JAR" SmallRequestsBenchmark -p impl="$SMALL_IMPLS" \
    -f "$FORKS" $SMALL_JMH_OPTS -rf json -rff "$OUT/small.json"
fi
if [[ " $BENCHMARKS " == *" latency "* ]]; then
  # shellcheck disable=SC2086
  java -jar "$JAR" BackendLatencyBenchmark -p representations="$LATENCY_REPS" -p types="$LATENCY_TYPES" \
    -p impl="$LATENCY_IMPLS" -f "$FORKS" $JMH_OPTS -rf json -rff "$OUT/latency.json"
fi

{
  echo "Command: benchmarks/run.sh (EntitiesBenchmark at $POINTS: $ENTITIES_FORKS rounds of 1 fork each;" \
    "the others: $FORKS forks; $JMH_OPTS)"
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
  echo
  # the results in $OUT, of this run and of any earlier one (BENCHMARKS= runs a part)
  java -cp "$JAR" dev.federation.benchmarks.Summary "$OUT"/*.json
} | tee "$OUT/summary.md"
