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
                + "\"mode\":\"avgt\",\"params\":{\"impl\":\"" + impl + "\",\"representations\":\"" + reps
                + "\",\"types\":\"" + types + "\"},\"primaryMetric\":{\"score\":" + score
                + ",\"scoreError\":\"NaN\",\"scoreUnit\":\"" + (benchmark.equals("EntitiesBenchmark") ? "us/op" : "ms/op")
                + "\"},\"secondaryMetrics\":{\"gc.alloc.rate.norm\":{\"score\":" + alloc
                + ",\"scoreUnit\":\"B/op\"}}}";
    }

    private static final String RESULT = "[" + String.join(",",
            entry("EntitiesBenchmark", "dataloader", 100, 1, "200.0", "300000.0"),
            entry("EntitiesBenchmark", "springgraphql", 100, 1, "400.0", "350000.0"),
            entry("EntitiesBenchmark", "library", 100, 1, "210.0", "280000.0"),
            entry("EntitiesBenchmark", "library_all", 100, 1, "300.0", "320000.0"),
            entry("BackendLatencyBenchmark", "naive", 100, 1, "110.0", "1.0"),
            entry("BackendLatencyBenchmark", "library", 100, 1, "1.1", "1.0"),
            "{\"benchmark\":\"other.SomethingElse.run\",\"params\":{}}") + "]";

    @Test
    void readsScoresAndAllocationOfTheEntitiesBenchmarks() {
        List<Summary.Result> results = Summary.read(RESULT);

        assertThat(results).hasSize(6);
        Summary.Result library = results.get(2);
        assertThat(library.impl()).isEqualTo("library");
        assertThat(library.representations()).isEqualTo(100);
        assertThat(library.score()).isEqualTo(210.0);
        assertThat(library.error()).isNaN();
        assertThat(library.bytesPerEntity()).isEqualTo(2800.0);
    }

    @Test
    void printsRatiosAndMarksMissedTargets() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Summary.print(Summary.read(RESULT), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertThat(out).contains("| 100 | 1 | 1.05 x | 0.53 x | - | - | 1.43 x | 2,800 | 3,000 |");
        assertThat(out).contains("- library / dataloader <= 1.1: met at 100 representations, 1 types (1.05 x)");
        assertThat(out).contains("- library_all / library <= 1.25: MISSED at 100 representations, 1 types (1.43 x)");
        assertThat(out).contains("naive / library >= 50.0 at 100 representations and backend latency: met");
        assertThat(out).contains("(100.00 x)");
    }
}
