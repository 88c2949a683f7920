package dev.federation.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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

    @Test
    void readsScoresAllocationAndCountersOfTheBenchmarks() {
        List<Summary.Result> results = Summary.read(RESULT);

        assertThat(results).hasSize(10);
        Summary.Result library = results.get(3);
        assertThat(library.impl()).isEqualTo("library");
        assertThat(library.representations()).isEqualTo(100);
        assertThat(library.score()).isEqualTo(171.0);
        assertThat(library.error()).isNaN();
        assertThat(library.bytesPerEntity()).isEqualTo(2800.0);
        Summary.Result page = results.get(7);
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
        assertThat(Summary.modes(List.of(257_700.0, 262_500.0, 257_800.0))).isEqualTo("257,750 ×2, 262,500 ×1");
        assertThat(Summary.modes(List.of())).isEqualTo("-");
        String json = "[" + forks("naive", "[[257700.0,257800.0],[262500.0,262500.0],[257750.0,257750.0]]") + ","
                + forks("library", "[[264150.0,264150.0],[269100.0,269100.0],[269000.0,269000.0]]") + "]";
        List<Summary.Result> results = Summary.read(json);
        assertThat(results.get(0).bytesPerFork()).containsExactly(257_750.0, 262_500.0, 257_750.0);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Summary.print(results, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("| 100 | 1 | naive | 100 us/op | 5.00 | 1.00 | 0.01 | 257,750 ×2, 262,500 ×1 |");
        assertThat(out).contains("| 100 | 1 | library | 100 us/op | 5.00 | 1.00 | 0.01 | 264,150 ×1, 269,050 ×2 |");
        // like with like: 264,150 / 257,750 and 269,050 / 262,500
        assertThat(out).contains("| 100 | 1 | 1.00 x | 1.000 x | 1.025 x / 1.025 x |");
        assertThat(out).contains("- library / naive <= 1.03 (bytes per entity, mode for mode): met at 100 × 1 "
                + "(1.025 x / 1.025 x)");

        String oneMode = "[" + forks("naive", "[[257700.0],[262500.0]]") + ","
                + forks("library", "[[269100.0],[269000.0]]") + "]";
        bytes.reset();
        Summary.print(Summary.read(oneMode), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("| 100 | 1 | 1.00 x | 1.000 x | - |");
    }

    @Test
    void printsRatiosAndMarksMissedTargets() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Summary.print(Summary.read(RESULT), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertThat(out).contains("| 100 | 1 | 0.90 x | 1.018 x | - | 0.86 x | 0.43 x | - | - | - | - | 1.75 x |");
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
