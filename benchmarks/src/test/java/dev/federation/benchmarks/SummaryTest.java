package dev.federation.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {

    private static String entry(String benchmark, String impl, int reps, int types, String score, String alloc) {
        return "{\"jmhVersion\":\"1.37\",\"benchmark\":\"dev.federation.benchmarks." + benchmark + ".entities\","
                + "\"mode\":\"avgt\",\"threads\":1,\"params\":{\"impl\":\"" + impl + "\",\"representations\":\"" + reps
                + "\",\"types\":\"" + types + "\"},\"primaryMetric\":{\"score\":" + score
                + ",\"scoreError\":\"NaN\",\"scoreUnit\":\"" + (benchmark.equals("EntitiesBenchmark") ? "us/op" : "ms/op")
                + "\"},\"secondaryMetrics\":{\"gc.alloc.rate.norm\":{\"score\":" + alloc
                + ",\"scoreUnit\":\"B/op\"}}}";
    }

    private static String gateway(String impl, int posts, int types, long requests, long calls, long keys) {
        return "{\"benchmark\":\"dev.federation.benchmarks.GatewayWorkloadBenchmark.postsPage\",\"mode\":\"avgt\","
                + "\"threads\":1,\"params\":{\"impl\":\"" + impl + "\",\"posts\":\"" + posts + "\",\"types\":\""
                + types + "\"},\"primaryMetric\":{\"score\":50.0,\"scoreError\":1.5,\"scoreUnit\":\"us/op\"},"
                + "\"secondaryMetrics\":{\"requests\":{\"score\":" + requests + "},\"backendCalls\":{\"score\":"
                + calls + "},\"backendKeys\":{\"score\":" + keys + "},\"entityLoads\":{\"score\":"
                + requests * posts * types + "}}}";
    }

    private static final String RESULT = "[" + String.join(",",
            entry("EntitiesBenchmark", "naive", 100, 1, "190.0", "275000.0"),
            entry("EntitiesBenchmark", "dataloader", 100, 1, "200.0", "300000.0"),
            entry("EntitiesBenchmark", "springgraphql", 100, 1, "400.0", "350000.0"),
            entry("EntitiesBenchmark", "library", 100, 1, "171.0", "280000.0"),
            entry("EntitiesBenchmark", "library_all", 100, 1, "300.0", "320000.0"),
            entry("BackendLatencyBenchmark", "naive", 100, 1, "110.0", "1.0"),
            entry("BackendLatencyBenchmark", "library", 100, 1, "1.1", "1.0"),
            gateway("library", 100, 1, 1000, 1000, 31000),
            gateway("naive", 100, 1, 1000, 100000, 100000),
            gateway("library", 1000, 3, 100, 300, 100000),
            "{\"benchmark\":\"other.SomethingElse.run\",\"params\":{}}") + "]";

    /** What {@link Summary#print} writes for {@code results}. */
    private static String printed(List<JmhResults.Result> results) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Summary.print(results, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void readsScoresAllocationAndCountersOfTheBenchmarks() {
        List<JmhResults.Result> results = JmhResults.read(RESULT);

        assertThat(results).hasSize(10);
        JmhResults.Result library = results.get(3);
        assertThat(library.impl()).isEqualTo("library");
        assertThat(library.representations()).isEqualTo(100);
        assertThat(library.score()).isEqualTo(171.0);
        assertThat(library.error()).isNaN();
        assertThat(library.bytesPerEntity()).isEqualTo(2800.0);
        JmhResults.Result page = results.get(7);
        assertThat(page.benchmark()).isEqualTo("GatewayWorkloadBenchmark");
        assertThat(page.callsPerRequest()).isEqualTo(1.0);
        assertThat(page.batchSize()).isEqualTo(31.0);
        assertThat(page.effectiveness()).isEqualTo(0.99);
    }

    /** An EntitiesBenchmark entry whose bytes per call JMH recorded per fork and iteration. */
    private static String forks(String impl, String rawBytes) {
        return "{\"benchmark\":\"dev.federation.benchmarks.EntitiesBenchmark.entities\",\"mode\":\"avgt\","
                + "\"threads\":1,\"params\":{\"impl\":\"" + impl + "\",\"representations\":\"100\",\"types\":\"1\"},"
                + "\"primaryMetric\":{\"score\":100.0,\"scoreError\":5.0,\"scoreUnit\":\"us/op\"},"
                + "\"secondaryMetrics\":{\"gc.alloc.rate.norm\":{\"score\":1.0,\"rawData\":" + rawBytes + "}}}";
    }

    @Test
    void groupsTheForksAllocationIntoModesAndPairsThem() {
        assertThat(ForkStatistics.modes(List.of(257_700.0, 262_500.0, 257_800.0), ForkStatistics.BYTES_GAP)).isEqualTo("257,750 ×2, 262,500 ×1");
        assertThat(ForkStatistics.modes(List.of(), ForkStatistics.BYTES_GAP)).isEqualTo("-");
        String json = "[" + forks("naive", "[[257700.0,257800.0],[262500.0,262500.0],[257750.0,257750.0]]") + ","
                + forks("library", "[[264150.0,264150.0],[269100.0,269100.0],[269000.0,269000.0]]") + "]";
        List<JmhResults.Result> results = JmhResults.read(json);
        assertThat(results.get(0).bytesPerFork()).containsExactly(257_750.0, 262_500.0, 257_750.0);

        String out = printed(results);
        assertThat(out).contains("| 100 | 1 | naive | 100 us/op | 5.00 | - | 1.00 | 0.01 | 257,750 ×2, 262,500 ×1 |");
        assertThat(out).contains("| 100 | 1 | library | 100 us/op | 5.00 | - | 1.00 | 0.01 | 264,150 ×1, 269,050 ×2 |");
        // like with like: 264,150 / 257,750 and 269,050 / 262,500
        assertThat(out).contains("| 100 | 1 | 1.00 x | - | 1.000 x | 1.025 x / 1.025 x |");
        assertThat(out).contains("- library / naive <= 1.03 (bytes per entity, mode for mode): met at 100 × 1 "
                + "(1.025 x / 1.025 x)");

        String oneMode = "[" + forks("naive", "[[257700.0],[262500.0]]") + ","
                + forks("library", "[[269100.0],[269000.0]]") + "]";
        assertThat(printed(JmhResults.read(oneMode))).contains("| 100 | 1 | 1.00 x | - | 1.000 x | - |");
    }

    /** One EntitiesBenchmark entry with its iterations (rawData, [fork][iteration]) of time and bytes. */
    private static String raw(String impl, String rawTime, String rawBytes) {
        return "{\"benchmark\":\"dev.federation.benchmarks.EntitiesBenchmark.entities\",\"mode\":\"avgt\","
                + "\"threads\":1,\"params\":{\"impl\":\"" + impl + "\",\"representations\":\"1000\",\"types\":\"3\"},"
                + "\"primaryMetric\":{\"score\":0,\"scoreError\":0,\"scoreUnit\":\"us/op\",\"rawData\":" + rawTime
                + "},\"secondaryMetrics\":{\"gc.alloc.rate.norm\":{\"score\":0,\"rawData\":" + rawBytes + "}}}";
    }

    @Test
    void theIntervalIsJmhsOwn() {
        // naive at 100 x 1 in benchmarks/results/2026-12-02-entities.json: JMH gave 102.41781135419042 ± 13.7782409300674
        List<Double> xs = List.of(91.01923962882096, 90.5550066081289, 93.5265824309186, 95.68112300487432,
                95.6822527493545, 117.6569410865475, 117.28988284078963, 118.87326929470434, 121.48584515423852,
                123.65528018786306, 93.8646214694567, 93.75428018691589, 92.86491909654725, 94.19726458157227,
                96.16066199212372);
        assertThat(ForkStatistics.interval(xs)).isCloseTo(13.7782409300674, offset(1e-4));
        assertThat(ForkStatistics.studentT9995(29)).isEqualTo(3.65941);
        assertThat(ForkStatistics.studentT9995(30)).isCloseTo(3.64596, offset(1e-4));
        assertThat(ForkStatistics.studentT9995(120)).isCloseTo(3.37345, offset(1e-4));
        assertThat(ForkStatistics.interval(List.of(1.0))).isNaN();
    }

    @Test
    void mergesOneForkPerFileIntoOnePoint() {
        List<JmhResults.Result> merged = JmhResults.merge(JmhResults.read("[" + raw("library", "[[10.0,12.0]]",
                "[[100.0,100.0]]") + "," + raw("naive", "[[20.0,20.0]]", "[[90.0,90.0]]") + "]"));
        assertThat(merged).hasSize(2); // two points: nothing to merge
        String round1 = raw("library", "[[10.0,12.0]]", "[[100.0,100.0]]");
        String round2 = raw("library", "[[14.0,16.0]]", "[[104.0,104.0]]");
        List<JmhResults.Result> results = new ArrayList<>(JmhResults.read("[" + round1 + "]"));
        results.addAll(JmhResults.read("[" + round2 + "]"));
        merged = JmhResults.merge(results);
        assertThat(merged).hasSize(1);
        JmhResults.Result r = merged.get(0);
        assertThat(r.score()).isEqualTo(13.0);
        assertThat(r.error()).isEqualTo(ForkStatistics.interval(List.of(10.0, 12.0, 14.0, 16.0)));
        // sd of 10, 12, 14, 16 is sqrt(20 / 3); t(3) = 12.92398
        assertThat(r.error()).isCloseTo(12.92398 * Math.sqrt(20.0 / 3) / 2, offset(1e-9));
        assertThat(r.bytesPerOp()).isEqualTo(102.0);
        assertThat(r.bytesPerFork()).containsExactly(100.0, 104.0);
        assertThat(r.iterations()).containsExactly(10.0, 12.0, 14.0, 16.0);
        assertThat(r.timePerFork()).containsExactly(11.0, 15.0);
    }

    @Test
    void comparesTimeModeForMode() {
        List<JmhResults.Result> results = new ArrayList<>();
        String[][] forks = {{"[[100.0,100.0]]", "[[101.0,101.0]]"}, {"[[150.0,150.0]]", "[[153.0,153.0]]"},
            {"[[102.0,102.0]]", "[[104.0,104.0]]"}};
        for (String[] round : forks) { // one fork of each per file, as benchmarks/run.sh writes them
            results.addAll(JmhResults.read("[" + raw("naive", round[0], "[[1.0]]") + "," + raw("library", round[1],
                    "[[1.0]]") + "]"));
        }
        String out = printed(JmhResults.merge(results));
        assertThat(out).contains("| 1000 | 3 | naive | 117 us/op |");
        assertThat(out).contains("| 101 ×2, 150 ×1 |");
        assertThat(out).contains("| 103 ×2, 153 ×1 |");
        // the means say 1.02; fast JVM against fast JVM 102.5 / 101, slow against slow 153 / 150
        assertThat(out).contains("| 1000 | 3 | 1.02 x | 1.01 x / 1.02 x | 1.000 x | - |");
    }

    @Test
    void printsRatiosAndMarksMissedTargets() {
        String out = printed(JmhResults.read(RESULT));

        assertThat(out).contains("| 100 | 1 | 0.90 x | - | 1.018 x | - | 0.86 x | 0.43 x | - | - | - | - | 1.75 x |");
        assertThat(out).contains("- library / naive <= 1.1 (time): met at 100 × 1 (0.90 x)");
        assertThat(out).contains("- library / naive <= 1.03 (bytes per entity): met at 100 × 1 (1.018 x)");
        assertThat(out).contains("- library / dataloader <= 0.9: met at 100 × 1 (0.86 x)");
        assertThat(out).contains("- library_all / library <= 1.1: MISSED at 100 × 1 (1.75 x)");
        assertThat(out).contains("naive / library >= 50.0 with backend latency: met at 100 × 1 (100.00 x)");
        // the gateway page: one call per type, effectiveness, and a batch size the page cannot reach
        assertThat(out).contains("- library backend calls per request = entity types (1): met at 100 posts × 1 (1.00)");
        assertThat(out).contains("- library batch effectiveness >= 80.0 %: met at 100 posts × 1 (99.0 %)");
        assertThat(out).contains("- library batch size >= 50.0: cannot be reached at 100 posts × 1 (31.0; "
                + "the page names only 28.0 distinct keys per type)");
        assertThat(out).contains("- library backend calls per request = entity types (3): met at 1000 posts × 3 (3.00)");
        assertThat(out).contains("- library batch size >= 50.0: met at 1000 posts × 3 (333)");
        assertThat(out).contains("| 100 | 1 | 100 | " + Workload.posts(100, 1).distinctKeys() + " | naive | 50.0 us/op");
    }
}
