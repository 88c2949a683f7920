package dev.federation.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Reads JMH JSON result files of {@link EntitiesBenchmark} and {@link BackendLatencyBenchmark} and prints,
 * as Markdown, every result (time and bytes allocated per call and per entity, the latter when run with
 * {@code -prof gc}), the ratios the project publishes, and whether each target is met:
 *
 * <ul>
 *   <li>{@code library / dataloader} at most {@value #TARGET_LIBRARY_VS_DATALOADER};</li>
 *   <li>{@code library / springgraphql} at most {@value #TARGET_LIBRARY_VS_SPRING};</li>
 *   <li>{@code library_all / library} at most {@value #TARGET_ALL_VS_LIBRARY};</li>
 *   <li>{@code naive / library} with {@value #LATENCY_REPRESENTATIONS} representations and a backend
 *       latency at least {@value #TARGET_NAIVE_VS_LIBRARY}.</li>
 * </ul>
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.federation.benchmarks.Summary result.json...}
 */
public final class Summary {

    /** Target: library time over hand-written DataLoader time, at most. */
    public static final double TARGET_LIBRARY_VS_DATALOADER = 1.10;
    /** Target: library time over Spring for GraphQL time, at most. */
    public static final double TARGET_LIBRARY_VS_SPRING = 1.00;
    /** Target: library with metrics, tracing and all observers over library alone, at most. */
    public static final double TARGET_ALL_VS_LIBRARY = 1.25;
    /** Target: one-by-one time over library time with backend latency, at least. */
    public static final double TARGET_NAIVE_VS_LIBRARY = 50.0;
    /** The number of representations the latency target is set at. */
    public static final int LATENCY_REPRESENTATIONS = 100;

    static final String ENTITIES = "EntitiesBenchmark";
    static final String LATENCY = "BackendLatencyBenchmark";

    private static final List<String> IMPL_ORDER = List.of("naive", "dataloader", "springgraphql", "library",
            "library_metrics", "library_tracing", "library_all");

    private Summary() {
    }

    /**
     * Prints the summary of the JMH JSON files named by {@code args} to standard output.
     *
     * @param args one or more JMH JSON result files
     * @throws IOException when a file cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: Summary <jmh-result.json>...");
            System.exit(2);
        }
        List<Result> results = new ArrayList<>();
        for (String a : args) {
            results.addAll(read(Files.readString(Path.of(a), StandardCharsets.UTF_8)));
        }
        print(results, System.out);
    }

    /** One benchmark result: one implementation at one point of the parameters. */
    record Result(String benchmark, String impl, int representations, int types, double score,
            double error, String unit, @Nullable Double bytesPerOp) {

        @Nullable Double bytesPerEntity() {
            return bytesPerOp == null ? null : bytesPerOp / representations;
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
            if (!cls.equals(ENTITIES) && !cls.equals(LATENCY)) {
                continue;
            }
            Map<?, ?> params = (Map<?, ?>) entry.get("params");
            Map<?, ?> primary = (Map<?, ?>) entry.get("primaryMetric");
            Map<?, ?> secondary = (Map<?, ?>) entry.get("secondaryMetrics");
            Double alloc = null;
            if (secondary != null && secondary.get("gc.alloc.rate.norm") instanceof Map) {
                alloc = number(((Map<?, ?>) secondary.get("gc.alloc.rate.norm")).get("score"));
            }
            out.add(new Result(cls, String.valueOf(params.get("impl")),
                    Integer.parseInt(String.valueOf(params.get("representations"))),
                    Integer.parseInt(String.valueOf(params.get("types"))),
                    number(primary.get("score")), number(primary.get("scoreError")),
                    String.valueOf(primary.get("scoreUnit")), alloc));
        }
        return out;
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

    /** Prints the results, the ratio tables and the target verdicts as Markdown. */
    static void print(List<Result> results, PrintStream out) {
        List<Result> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparing(Result::benchmark)
                .thenComparingInt(Result::representations)
                .thenComparingInt(Result::types)
                .thenComparingInt(r -> order(r.impl())));
        out.println("### Results");
        out.println();
        out.println("| benchmark | representations | types | impl | time/op | ± (99.9 %) | B/op | B/entity |");
        out.println("|---|---:|---:|---|---:|---:|---:|---:|");
        for (Result r : sorted) {
            out.printf(Locale.ROOT, "| %s | %d | %d | %s | %s %s | %s | %s | %s |%n", r.benchmark(),
                    r.representations(), r.types(), r.impl(), fmt(r.score()), r.unit(), fmt(r.error()),
                    r.bytesPerOp() == null ? "-" : fmt(r.bytesPerOp()),
                    r.bytesPerEntity() == null ? "-" : fmt(r.bytesPerEntity()));
        }
        out.println();

        Map<String, Result> index = new LinkedHashMap<>();
        for (Result r : results) {
            index.put(key(r.benchmark(), r.representations(), r.types(), r.impl()), r);
        }
        List<Verdict> verdicts = new ArrayList<>();
        TreeSet<String> points = new TreeSet<>(Comparator.comparingInt((String p) -> Integer.parseInt(p.split("/")[0]))
                .thenComparingInt(p -> Integer.parseInt(p.split("/")[1])));
        for (Result r : results) {
            if (r.benchmark().equals(ENTITIES)) {
                points.add(r.representations() + "/" + r.types());
            }
        }
        if (!points.isEmpty()) {
            out.println("### Ratios of time per call, in-memory backend (" + ENTITIES + ")");
            out.println();
            out.println("| representations | types | library / dataloader | library / springgraphql "
                    + "| library_metrics / library | library_tracing / library | library_all / library "
                    + "| library B/entity | dataloader B/entity |");
            out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            for (String p : points) {
                int reps = Integer.parseInt(p.split("/")[0]);
                int types = Integer.parseInt(p.split("/")[1]);
                Double vsDl = ratio(index, ENTITIES, reps, types, "library", "dataloader");
                Double vsSpring = ratio(index, ENTITIES, reps, types, "library", "springgraphql");
                Double metrics = ratio(index, ENTITIES, reps, types, "library_metrics", "library");
                Double tracing = ratio(index, ENTITIES, reps, types, "library_tracing", "library");
                Double all = ratio(index, ENTITIES, reps, types, "library_all", "library");
                Result lib = index.get(key(ENTITIES, reps, types, "library"));
                Result dl = index.get(key(ENTITIES, reps, types, "dataloader"));
                out.printf(Locale.ROOT, "| %d | %d | %s | %s | %s | %s | %s | %s | %s |%n", reps, types,
                        fmtRatio(vsDl), fmtRatio(vsSpring), fmtRatio(metrics), fmtRatio(tracing), fmtRatio(all),
                        lib == null || lib.bytesPerEntity() == null ? "-" : fmt(lib.bytesPerEntity()),
                        dl == null || dl.bytesPerEntity() == null ? "-" : fmt(dl.bytesPerEntity()));
                String at = reps + " representations, " + types + " types";
                addVerdict(verdicts, "library / dataloader <= " + TARGET_LIBRARY_VS_DATALOADER, at, vsDl,
                        vsDl != null && vsDl <= TARGET_LIBRARY_VS_DATALOADER);
                addVerdict(verdicts, "library / springgraphql <= " + TARGET_LIBRARY_VS_SPRING, at, vsSpring,
                        vsSpring != null && vsSpring <= TARGET_LIBRARY_VS_SPRING);
                addVerdict(verdicts, "library_all / library <= " + TARGET_ALL_VS_LIBRARY, at, all,
                        all != null && all <= TARGET_ALL_VS_LIBRARY);
            }
            out.println();
        }

        TreeSet<String> latencyPoints = new TreeSet<>(points.comparator());
        for (Result r : results) {
            if (r.benchmark().equals(LATENCY)) {
                latencyPoints.add(r.representations() + "/" + r.types());
            }
        }
        if (!latencyPoints.isEmpty()) {
            out.println("### End to end with " + BackendLatencyBenchmark.LATENCY.toMillis()
                    + " ms per backend call (" + LATENCY + ")");
            out.println();
            out.println("| representations | types | naive | dataloader | springgraphql | library | naive / library |");
            out.println("|---:|---:|---:|---:|---:|---:|---:|");
            for (String p : latencyPoints) {
                int reps = Integer.parseInt(p.split("/")[0]);
                int types = Integer.parseInt(p.split("/")[1]);
                Double naive = ratio(index, LATENCY, reps, types, "naive", "library");
                out.printf(Locale.ROOT, "| %d | %d | %s | %s | %s | %s | %s |%n", reps, types,
                        time(index, reps, types, "naive"), time(index, reps, types, "dataloader"),
                        time(index, reps, types, "springgraphql"), time(index, reps, types, "library"),
                        fmtRatio(naive));
                if (reps == LATENCY_REPRESENTATIONS) {
                    addVerdict(verdicts, "naive / library >= " + TARGET_NAIVE_VS_LIBRARY + " at "
                            + LATENCY_REPRESENTATIONS + " representations and backend latency",
                            reps + " representations, " + types + " types", naive,
                            naive != null && naive >= TARGET_NAIVE_VS_LIBRARY);
                }
            }
            out.println();
        }

        out.println("### Targets");
        out.println();
        if (verdicts.isEmpty()) {
            out.println("No target could be checked: the results hold none of the implementations compared.");
        }
        for (Verdict v : verdicts) {
            out.printf(Locale.ROOT, "- %s: %s at %s (%s)%n", v.target(), v.met() ? "met" : "MISSED", v.at(),
                    fmtRatio(v.value()));
        }
    }

    private record Verdict(String target, String at, Double value, boolean met) {
    }

    private static void addVerdict(List<Verdict> verdicts, String target, String at, @Nullable Double value,
            boolean met) {
        if (value != null) {
            verdicts.add(new Verdict(target, at, value, met));
        }
    }

    private static String time(Map<String, Result> index, int reps, int types, String impl) {
        Result r = index.get(key(LATENCY, reps, types, impl));
        return r == null ? "-" : fmt(r.score()) + " " + r.unit();
    }

    private static @Nullable Double ratio(Map<String, Result> index, String benchmark, int reps, int types,
            String numerator, String denominator) {
        Result n = index.get(key(benchmark, reps, types, numerator));
        Result d = index.get(key(benchmark, reps, types, denominator));
        if (n == null || d == null || !n.unit().equals(d.unit()) || d.score() == 0) {
            return null;
        }
        return n.score() / d.score();
    }

    private static String key(String benchmark, int reps, int types, String impl) {
        return benchmark + "|" + reps + "|" + types + "|" + impl;
    }

    private static int order(String impl) {
        int i = IMPL_ORDER.indexOf(impl);
        return i < 0 ? IMPL_ORDER.size() : i;
    }

    private static String fmtRatio(@Nullable Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f x", v);
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (Math.abs(v) >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
