package dev.federation.benchmarks;

import static dev.federation.benchmarks.ForkStatistics.BYTES_GAP;
import static dev.federation.benchmarks.ForkStatistics.TIME_GAP;
import static dev.federation.benchmarks.ForkStatistics.clusters;
import static dev.federation.benchmarks.ForkStatistics.modes;
import static dev.federation.benchmarks.JmhResults.ENTITIES;
import static dev.federation.benchmarks.JmhResults.GATEWAY;
import static dev.federation.benchmarks.JmhResults.LATENCY;
import static dev.federation.benchmarks.JmhResults.SMALL;
import static dev.federation.benchmarks.JmhResults.merge;
import static dev.federation.benchmarks.JmhResults.read;

import dev.federation.benchmarks.JmhResults.Result;
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
 * Reads JMH JSON result files of the benchmarks and prints, as Markdown, every result (time and bytes
 * allocated per call and per entity, the latter when run with {@code -prof gc}; the {@link BatchCounters}
 * where measured), the ratios the project publishes, and whether each target is met:
 *
 * <ul>
 *   <li>batching for free: {@code library / naive} at most {@value #TARGET_LIBRARY_VS_NAIVE} in time and
 *       {@value #TARGET_LIBRARY_VS_NAIVE_BYTES} in bytes, at 100 and 1000 representations of one type;</li>
 *   <li>{@code library / dataloader} and {@code library / springgraphql} at most
 *       {@value #TARGET_LIBRARY_VS_DATALOADER} in time at 100 × 1, 1000 × 1 and 1000 × 3;</li>
 *   <li>{@code library_all / library} at most {@value #TARGET_ALL_VS_LIBRARY} at the same points;</li>
 *   <li>{@code naive / library} with {@value #LATENCY_REPRESENTATIONS} representations and a backend
 *       latency at least {@value #TARGET_NAIVE_VS_LIBRARY};</li>
 *   <li>on the gateway workload ({@link GatewayWorkloadBenchmark}): the library makes one backend call per
 *       entity type, batch effectiveness at least {@value #TARGET_EFFECTIVENESS} and batch size at least
 *       {@value #TARGET_BATCH_SIZE} where the page has that many distinct keys of a type (else it says it
 *       cannot).</li>
 * </ul>
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.federation.benchmarks.Summary result.json...}
 */
public final class Summary {

    /** Target: library time over one-by-one time on the free in-memory backend, at most. */
    public static final double TARGET_LIBRARY_VS_NAIVE = 1.10;
    /** Target: library bytes per entity over one-by-one bytes per entity, at most. */
    public static final double TARGET_LIBRARY_VS_NAIVE_BYTES = 1.03;
    /** Target: library time over hand-written DataLoader time, at most. */
    public static final double TARGET_LIBRARY_VS_DATALOADER = 0.90;
    /** Target: library time over Spring for GraphQL time, at most. */
    public static final double TARGET_LIBRARY_VS_SPRING = 0.90;
    /** Target: library with metrics and tracing over library alone, at most. */
    public static final double TARGET_ALL_VS_LIBRARY = 1.10;
    /** Target: one-by-one time over library time with backend latency, at least. */
    public static final double TARGET_NAIVE_VS_LIBRARY = 50.0;
    /** Target (go-live): batch effectiveness, at least. */
    public static final double TARGET_EFFECTIVENESS = 0.80;
    /** Target (go-live): average batch size (keys per backend call), at least. */
    public static final double TARGET_BATCH_SIZE = 50.0;
    /** The number of representations the latency target is set at. */
    public static final int LATENCY_REPRESENTATIONS = 100;

    /** The points of {@link EntitiesBenchmark} the comparisons with naive are made at: {representations, types}. */
    private static final int[][] NAIVE_POINTS = {{100, 1}, {1000, 1}};
    /** The points of the comparisons with dataloader, springgraphql and the observers. */
    private static final int[][] TARGET_POINTS = {{100, 1}, {1000, 1}, {1000, 3}};

    private static final List<String> IMPL_ORDER = List.of("naive", "dataloader", "springgraphql", "library",
            "library_class", "library_registry", "library_metrics", "library_tracing", "library_all");

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
        print(merge(results), System.out);
    }

    /**
     * {@code impl} over {@code base} in time ({@code time}) or bytes per call, mode for mode (lowest over
     * lowest, and so on), when both show the same number of modes, at least two; else empty: then the modes
     * cannot be paired.
     */
    static List<Double> modeRatios(Map<String, Result> index, int reps, int types, String impl, String base,
            boolean time) {
        Result a = index.get(key(ENTITIES, reps, types, impl));
        Result b = index.get(key(ENTITIES, reps, types, base));
        if (a == null || b == null) {
            return List.of();
        }
        List<double[]> am = time ? clusters(a.timePerFork(), TIME_GAP) : clusters(a.bytesPerFork(), BYTES_GAP);
        List<double[]> bm = time ? clusters(b.timePerFork(), TIME_GAP) : clusters(b.bytesPerFork(), BYTES_GAP);
        if (am.size() < 2 || am.size() != bm.size()) {
            return List.of();
        }
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < am.size(); i++) {
            out.add(am.get(i)[0] / bm.get(i)[0]);
        }
        return out;
    }

    private static String fmtRatios(List<Double> ratios, boolean time) {
        if (ratios.isEmpty()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        for (Double r : ratios) {
            sb.append(sb.length() == 0 ? "" : " / ").append(time ? fmtRatio(r) : fmtBytesRatio(r));
        }
        return sb.toString();
    }

    /** Prints the results, the ratio tables and the target verdicts as Markdown. */
    static void print(List<Result> results, PrintStream out) {
        Map<String, Result> index = new LinkedHashMap<>();
        for (Result r : results) {
            index.put(key(r.benchmark(), r.representations(), r.types(), r.impl()), r);
        }
        List<Verdict> verdicts = new ArrayList<>();
        printEntities(results, index, verdicts, out);
        printLatency(results, index, verdicts, out);
        printGateway(results, verdicts, out);
        printSmall(results, out);

        out.println("### Targets");
        out.println();
        if (verdicts.isEmpty()) {
            out.println("No target could be checked: the results hold none of the implementations compared.");
        }
        for (Verdict v : verdicts) {
            String verdict = v.met() == null ? "cannot be reached" : v.met() ? "met" : "MISSED";
            out.printf(Locale.ROOT, "- %s: %s at %s (%s)%n", v.target(), verdict, v.at(), v.value());
        }
    }

    private static void printEntities(List<Result> results, Map<String, Result> index, List<Verdict> verdicts,
            PrintStream out) {
        List<Result> sorted = sorted(results, ENTITIES);
        if (sorted.isEmpty()) {
            return;
        }
        out.println("### One `_entities` call, in-memory backend (" + ENTITIES + ")");
        out.println();
        out.println("| representations | types | impl | time/op | ± (99.9 %) | time of the forks, by mode | B/op "
                + "| B/entity | B/op of the forks, by mode |");
        out.println("|---:|---:|---|---:|---:|---|---:|---:|---|");
        for (Result r : sorted) {
            out.printf(Locale.ROOT, "| %d | %d | %s | %s %s | %s | %s | %s | %s | %s |%n", r.representations(),
                    r.types(), r.impl(), fmt(r.score()), r.unit(), fmt(r.error()), modes(r.timePerFork(), TIME_GAP),
                    r.bytesPerOp() == null ? "-" : fmt(r.bytesPerOp()),
                    r.bytesPerEntity() == null ? "-" : fmt(r.bytesPerEntity()), modes(r.bytesPerFork(), BYTES_GAP));
        }
        out.println();
        out.println("Ratios of time per call (bytes per entity where marked B):");
        out.println();
        out.println("| representations | types | library / naive | library / naive, mode for mode "
                + "| library / naive B | library / naive B, mode for mode | library / dataloader "
                + "| library / springgraphql | library_class / library | library_registry / library "
                + "| library_metrics / library "
                + "| library_tracing / library | library_all / library |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (String p : points(results, ENTITIES)) {
            int reps = Integer.parseInt(p.split("/")[0]);
            int types = Integer.parseInt(p.split("/")[1]);
            out.printf(Locale.ROOT, "| %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", reps,
                    types, fmtRatio(ratio(index, ENTITIES, reps, types, "library", "naive")),
                    fmtRatios(modeRatios(index, reps, types, "library", "naive", true), true),
                    fmtBytesRatio(bytesRatio(index, reps, types, "library", "naive")),
                    fmtRatios(modeRatios(index, reps, types, "library", "naive", false), false),
                    fmtRatio(ratio(index, ENTITIES, reps, types, "library", "dataloader")),
                    fmtRatio(ratio(index, ENTITIES, reps, types, "library", "springgraphql")),
                    fmtRatio(ratio(index, ENTITIES, reps, types, "library_class", "library")),
                    fmtRatio(ratio(index, ENTITIES, reps, types, "library_registry", "library")),
                    fmtRatio(ratio(index, ENTITIES, reps, types, "library_metrics", "library")),
                    fmtRatio(ratio(index, ENTITIES, reps, types, "library_tracing", "library")),
                    fmtRatio(ratio(index, ENTITIES, reps, types, "library_all", "library")));
        }
        out.println();
        for (int[] p : NAIVE_POINTS) {
            String at = p[0] + " × " + p[1];
            for (String lib : List.of("library", "library_class")) {
                Double time = ratio(index, ENTITIES, p[0], p[1], lib, "naive");
                addVerdict(verdicts, lib + " / naive <= " + TARGET_LIBRARY_VS_NAIVE + " (time)", at, time,
                        time != null && time <= TARGET_LIBRARY_VS_NAIVE);
                List<Double> timeByMode = modeRatios(index, p[0], p[1], lib, "naive", true);
                if (!timeByMode.isEmpty()) {
                    addVerdict(verdicts, lib + " / naive <= " + TARGET_LIBRARY_VS_NAIVE + " (time, mode for mode)",
                            at, timeByMode.get(0), timeByMode.stream().allMatch(r -> r <= TARGET_LIBRARY_VS_NAIVE),
                            fmtRatios(timeByMode, true));
                }
                Double bytes = bytesRatio(index, p[0], p[1], lib, "naive");
                addVerdict(verdicts, lib + " / naive <= " + TARGET_LIBRARY_VS_NAIVE_BYTES + " (bytes per entity)",
                        at, bytes, bytes != null && bytes <= TARGET_LIBRARY_VS_NAIVE_BYTES, fmtBytesRatio(bytes));
                List<Double> byMode = modeRatios(index, p[0], p[1], lib, "naive", false);
                if (!byMode.isEmpty()) {
                    addVerdict(verdicts, lib + " / naive <= " + TARGET_LIBRARY_VS_NAIVE_BYTES
                            + " (bytes per entity, mode for mode)", at, byMode.get(byMode.size() - 1),
                            byMode.stream().allMatch(r -> r <= TARGET_LIBRARY_VS_NAIVE_BYTES),
                            fmtRatios(byMode, false));
                }
            }
        }
        for (int[] p : TARGET_POINTS) {
            String at = p[0] + " × " + p[1];
            Double vsDl = ratio(index, ENTITIES, p[0], p[1], "library", "dataloader");
            addVerdict(verdicts, "library / dataloader <= " + TARGET_LIBRARY_VS_DATALOADER, at, vsDl,
                    vsDl != null && vsDl <= TARGET_LIBRARY_VS_DATALOADER);
            Double vsSpring = ratio(index, ENTITIES, p[0], p[1], "library", "springgraphql");
            addVerdict(verdicts, "library / springgraphql <= " + TARGET_LIBRARY_VS_SPRING, at, vsSpring,
                    vsSpring != null && vsSpring <= TARGET_LIBRARY_VS_SPRING);
            Double all = ratio(index, ENTITIES, p[0], p[1], "library_all", "library");
            addVerdict(verdicts, "library_all / library <= " + TARGET_ALL_VS_LIBRARY, at, all,
                    all != null && all <= TARGET_ALL_VS_LIBRARY);
        }
    }

    private static void printLatency(List<Result> results, Map<String, Result> index, List<Verdict> verdicts,
            PrintStream out) {
        TreeSet<String> latencyPoints = points(results, LATENCY);
        if (latencyPoints.isEmpty()) {
            return;
        }
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
                addVerdict(verdicts, "naive / library >= " + TARGET_NAIVE_VS_LIBRARY + " with backend latency",
                        reps + " × " + types, naive, naive != null && naive >= TARGET_NAIVE_VS_LIBRARY);
            }
        }
        out.println();
    }

    private static void printGateway(List<Result> results, List<Verdict> verdicts, PrintStream out) {
        List<Result> sorted = sorted(results, GATEWAY);
        if (sorted.isEmpty()) {
            return;
        }
        out.println("### The gateway's posts page, keys repeating (" + GATEWAY + ")");
        out.println();
        out.println("| posts | types | representations | distinct keys | impl | time/op | ± (99.9 %) | B/entity "
                + "| backend calls / request | batch size | effectiveness |");
        out.println("|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|");
        for (Result r : sorted) {
            Workload w = Workload.posts(r.representations(), r.types());
            Double bytes = r.bytesPerOp() == null ? null : r.bytesPerOp() / w.representations;
            out.printf(Locale.ROOT, "| %d | %d | %d | %d | %s | %s %s | %s | %s | %s | %s | %s |%n",
                    r.representations(), r.types(), w.representations, w.distinctKeys(), r.impl(), fmt(r.score()),
                    r.unit(), fmt(r.error()), bytes == null ? "-" : fmt(bytes), fmtNullable(r.callsPerRequest()),
                    fmtNullable(r.batchSize()), fmtPercent(r.effectiveness()));
            if (!r.impl().equals("library")) {
                continue;
            }
            String at = r.representations() + " posts × " + r.types();
            Double calls = r.callsPerRequest();
            addVerdict(verdicts, "library backend calls per request = entity types (" + r.types() + ")", at,
                    calls, calls != null && Math.abs(calls - r.types()) < 1e-9, fmtNullable(calls));
            Double eff = r.effectiveness();
            addVerdict(verdicts, "library batch effectiveness >= " + fmtPercent(TARGET_EFFECTIVENESS), at, eff,
                    eff != null && eff >= TARGET_EFFECTIVENESS, fmtPercent(eff));
            double distinctPerType = (double) w.distinctKeys() / r.types();
            Double size = r.batchSize();
            if (distinctPerType < TARGET_BATCH_SIZE) {
                verdicts.add(new Verdict("library batch size >= " + fmt(TARGET_BATCH_SIZE), at, fmtNullable(size)
                        + "; the page names only " + fmt(distinctPerType) + " distinct keys per type", null));
            } else {
                addVerdict(verdicts, "library batch size >= " + fmt(TARGET_BATCH_SIZE), at, size,
                        size != null && size >= TARGET_BATCH_SIZE, fmtNullable(size));
            }
        }
        out.println();
    }

    private static void printSmall(List<Result> results, PrintStream out) {
        List<Result> sorted = sorted(results, SMALL);
        if (sorted.isEmpty()) {
            return;
        }
        sorted.sort(Comparator.comparingInt(Result::threads).thenComparingInt(r -> order(r.impl())));
        out.println("### Small requests of 1 to 5 representations, many threads (" + SMALL + ")");
        out.println();
        out.println("| threads | impl | throughput | ± (99.9 %) | backend calls / request | batch size "
                + "| effectiveness |");
        out.println("|---:|---|---:|---:|---:|---:|---:|");
        for (Result r : sorted) {
            out.printf(Locale.ROOT, "| %d | %s | %s %s | %s | %s | %s | %s |%n", r.threads(), r.impl(),
                    fmt(r.score()), r.unit(), fmt(r.error()), fmtNullable(r.callsPerRequest()),
                    fmtNullable(r.batchSize()), fmtPercent(r.effectiveness()));
        }
        out.println();
        out.println("Per-request batching cannot reach a batch size of " + fmt(TARGET_BATCH_SIZE) + " here: a request "
                + "holds at most " + SmallRequestsBenchmark.MAX_SIZE + " keys. This is the baseline for "
                + "cross-request batching.");
        out.println();
    }

    /** One target at one point; {@code met} is {@code null} when the workload cannot reach it. */
    private record Verdict(String target, String at, String value, @Nullable Boolean met) {
    }

    private static void addVerdict(List<Verdict> verdicts, String target, String at, @Nullable Double value,
            boolean met) {
        addVerdict(verdicts, target, at, value, met, fmtRatio(value));
    }

    private static void addVerdict(List<Verdict> verdicts, String target, String at, @Nullable Double value,
            boolean met, String shown) {
        if (value != null) {
            verdicts.add(new Verdict(target, at, shown, met));
        }
    }

    private static List<Result> sorted(List<Result> results, String benchmark) {
        List<Result> sorted = new ArrayList<>();
        for (Result r : results) {
            if (r.benchmark().equals(benchmark)) {
                sorted.add(r);
            }
        }
        sorted.sort(Comparator.comparingInt(Result::representations)
                .thenComparingInt(Result::types)
                .thenComparingInt(r -> order(r.impl())));
        return sorted;
    }

    private static TreeSet<String> points(List<Result> results, String benchmark) {
        TreeSet<String> points = new TreeSet<>(Comparator.comparingInt((String p) -> Integer.parseInt(p.split("/")[0]))
                .thenComparingInt(p -> Integer.parseInt(p.split("/")[1])));
        for (Result r : results) {
            if (r.benchmark().equals(benchmark)) {
                points.add(r.representations() + "/" + r.types());
            }
        }
        return points;
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

    private static @Nullable Double bytesRatio(Map<String, Result> index, int reps, int types, String numerator,
            String denominator) {
        Result n = index.get(key(ENTITIES, reps, types, numerator));
        Result d = index.get(key(ENTITIES, reps, types, denominator));
        if (n == null || d == null || n.bytesPerOp() == null || d.bytesPerOp() == null || d.bytesPerOp() == 0) {
            return null;
        }
        return n.bytesPerOp() / d.bytesPerOp();
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

    private static String fmtBytesRatio(@Nullable Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.3f x", v);
    }

    private static String fmtPercent(@Nullable Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f %%", v * 100);
    }

    private static String fmtNullable(@Nullable Double v) {
        return v == null ? "-" : fmt(v);
    }

    static String fmt(double v) {
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
