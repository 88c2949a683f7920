package dev.federation.benchmarks;

import static dev.federation.benchmarks.ForkStatistics.interval;
import static dev.federation.benchmarks.ForkStatistics.mean;

import dev.federation.testkit.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** JMH's JSON results, read into {@link Result}s, and the results of one point in several files merged. */
final class JmhResults {

    static final String ENTITIES = "EntitiesBenchmark";
    static final String LATENCY = "BackendLatencyBenchmark";
    static final String GATEWAY = "GatewayWorkloadBenchmark";
    static final String SMALL = "SmallRequestsBenchmark";
    private static final List<String> BENCHMARKS = List.of(ENTITIES, LATENCY, GATEWAY, SMALL);

    private JmhResults() {
    }

    /**
     * One benchmark result: one implementation at one point of the parameters.
     *
     * @param method the benchmark method ({@code threads4} and {@code threads16} in {@link SmallRequestsBenchmark})
     * @param representations the representations of the call; the posts of the page for {@link #GATEWAY}; 0
     *     for {@link #SMALL}
     * @param counters the {@link BatchCounters} summed over the measured iterations, empty when not measured
     * @param bytesPerFork the bytes per call of each fork (the mean of its iterations), empty when not measured
     * @param timePerFork the score of each fork (the mean of its iterations)
     * @param iterations the score of every measured iteration of every fork (JMH's {@code rawData})
     * @param bytesIterations the bytes per call of every measured iteration, empty when not measured
     */
    record Result(String benchmark, String method, String impl, int representations, int types, int threads,
            double score, double error, String unit, @Nullable Double bytesPerOp, Map<String, Double> counters,
            List<Double> bytesPerFork, List<Double> timePerFork, List<Double> iterations,
            List<Double> bytesIterations) {

        /** The same benchmark at the same point: results of one such pair of files are merged. */
        String point() {
            return String.join("/", benchmark, method, impl, Integer.toString(representations),
                    Integer.toString(types), Integer.toString(threads));
        }

        @Nullable Double bytesPerEntity() {
            return bytesPerOp == null || representations == 0 ? null : bytesPerOp / representations;
        }

        @Nullable Double counter(String name) {
            return counters.get(name);
        }

        /** Backend calls per request, or {@code null}. */
        @Nullable Double callsPerRequest() {
            return quotient(counter("backendCalls"), counter("requests"));
        }

        /** Keys per backend call, or {@code null}. */
        @Nullable Double batchSize() {
            return quotient(counter("backendKeys"), counter("backendCalls"));
        }

        /** {@code 1 - backend calls / entity loads}, or {@code null}. */
        @Nullable Double effectiveness() {
            Double q = quotient(counter("backendCalls"), counter("entityLoads"));
            return q == null ? null : 1 - q;
        }

        private static @Nullable Double quotient(@Nullable Double n, @Nullable Double d) {
            return n == null || d == null || d == 0 ? null : n / d;
        }
    }

    /**
     * The results of a JMH JSON document (entries of other benchmarks are skipped).
     *
     * @throws IllegalArgumentException when {@code json} is not a JMH result array
     */
    static List<Result> read(String json) {
        Object root = Json.parse(json);
        if (!(root instanceof List)) {
            throw new IllegalArgumentException("a JMH JSON result is an array");
        }
        List<Result> out = new ArrayList<>();
        for (Object o : (List<?>) root) {
            Map<?, ?> entry = (Map<?, ?>) o;
            String benchmark = String.valueOf(entry.get("benchmark"));
            String[] parts = benchmark.split("\\.");
            String cls = parts.length >= 2 ? parts[parts.length - 2] : benchmark;
            String method = parts[parts.length - 1];
            if (!BENCHMARKS.contains(cls)) {
                continue;
            }
            Map<?, ?> params = (Map<?, ?>) entry.get("params");
            Map<?, ?> primary = (Map<?, ?>) entry.get("primaryMetric");
            Map<?, ?> secondary = (Map<?, ?>) entry.get("secondaryMetrics");
            Double alloc = null;
            Map<String, Double> counters = new LinkedHashMap<>();
            List<Double> forks = new ArrayList<>();
            List<Double> bytesIterations = new ArrayList<>();
            if (secondary != null) {
                if (secondary.get("gc.alloc.rate.norm") instanceof Map) {
                    Map<?, ?> norm = (Map<?, ?>) secondary.get("gc.alloc.rate.norm");
                    alloc = number(norm.get("score"));
                    forks = forkMeans(norm.get("rawData"));
                    bytesIterations = flat(norm.get("rawData"));
                }
                for (String c : List.of("requests", "backendCalls", "backendKeys", "entityLoads")) {
                    if (secondary.get(c) instanceof Map) {
                        counters.put(c, number(((Map<?, ?>) secondary.get(c)).get("score")));
                    }
                }
            }
            int reps = cls.equals(GATEWAY) ? integer(params.get("posts")) : integer(params.get("representations"));
            out.add(new Result(cls, method, String.valueOf(params.get("impl")), reps, integer(params.get("types")),
                    entry.get("threads") == null ? 1 : integer(entry.get("threads")),
                    number(primary.get("score")), number(primary.get("scoreError")),
                    String.valueOf(primary.get("scoreUnit")), alloc, counters, forks, forkMeans(primary.get("rawData")),
                    flat(primary.get("rawData")), bytesIterations));
        }
        return out;
    }

    /**
     * The results with every point measured in several files (say one fork of each implementation per round,
     * so that the machine's drift over the run falls on every implementation alike) merged into one: score and
     * bytes the means of all their iterations, the error JMH's 99.9 % interval over all of them, the forks'
     * bytes and the counters together.
     */
    static List<Result> merge(List<Result> results) {
        Map<String, List<Result>> byPoint = new LinkedHashMap<>();
        for (Result r : results) {
            byPoint.computeIfAbsent(r.point(), k -> new ArrayList<>()).add(r);
        }
        List<Result> out = new ArrayList<>();
        for (List<Result> same : byPoint.values()) {
            if (same.size() == 1) {
                out.add(same.get(0));
                continue;
            }
            Result first = same.get(0);
            List<Double> iterations = new ArrayList<>();
            List<Double> bytesIterations = new ArrayList<>();
            List<Double> forks = new ArrayList<>();
            List<Double> timeForks = new ArrayList<>();
            Map<String, Double> counters = new LinkedHashMap<>();
            for (Result r : same) {
                iterations.addAll(r.iterations());
                bytesIterations.addAll(r.bytesIterations());
                forks.addAll(r.bytesPerFork());
                timeForks.addAll(r.timePerFork());
                r.counters().forEach((name, v) -> counters.merge(name, v, Double::sum));
            }
            out.add(new Result(first.benchmark(), first.method(), first.impl(), first.representations(),
                    first.types(), first.threads(), mean(iterations), interval(iterations), first.unit(),
                    bytesIterations.isEmpty() ? null : mean(bytesIterations), counters, forks, timeForks,
                    iterations, bytesIterations));
        }
        return out;
    }

    /** Every value of JMH's {@code rawData}, fork after fork. */
    private static List<Double> flat(@Nullable Object rawData) {
        List<Double> out = new ArrayList<>();
        if (rawData instanceof List) {
            for (Object fork : (List<?>) rawData) {
                if (fork instanceof List) {
                    for (Object v : (List<?>) fork) {
                        out.add(number(v));
                    }
                }
            }
        }
        return out;
    }

    /** The mean of each fork's iterations in JMH's {@code rawData} ({@code [fork][iteration]}). */
    private static List<Double> forkMeans(@Nullable Object rawData) {
        List<Double> out = new ArrayList<>();
        if (rawData instanceof List) {
            for (Object fork : (List<?>) rawData) {
                if (fork instanceof List && !((List<?>) fork).isEmpty()) {
                    double sum = 0;
                    for (Object v : (List<?>) fork) {
                        sum += number(v);
                    }
                    out.add(sum / ((List<?>) fork).size());
                }
            }
        }
        return out;
    }

    private static int integer(@Nullable Object v) {
        if (v == null) {
            return 0;
        }
        try {
            return Integer.parseInt(String.valueOf(v));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static double number(@Nullable Object v) {
        if (v instanceof Number) {
            return ((Number) v).doubleValue();
        }
        if (v == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(v.toString());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
