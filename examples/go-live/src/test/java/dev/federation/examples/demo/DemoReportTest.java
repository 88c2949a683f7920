package dev.federation.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.federation.core.FederationMode;
import dev.federation.examples.subgraphs.DataSettings;
import org.junit.jupiter.api.Test;

/** The go-live table judges each target from the measured values, and one miss fails the run. */
class DemoReportTest {

    private static final DemoConfig CONFIG = DemoConfig.custom().data(DataSettings.sizes(1_000, 1_000, 1_000)).rounds(10).progress(null)
            .build();

    private static PhaseResult direct() {
        return new PhaseResult(FederationMode.DIRECT, 40, 0, 10_000_000, 30_000_000, 3_010, 10, 1_000, 3_000, 3_000,
                0, 0, 50_000, 50L << 20);
    }

    private static PhaseResult batched(long errors, long p99ResolutionNanos) {
        return new PhaseResult(FederationMode.BATCHED, 40, errors, 2_000_000, 9_000_000, 40, 10, 10, 3_000, 30,
                30, 3_000, p99ResolutionNanos, 50L << 20);
    }

    @Test
    void everyTargetHeldPassesTheRun() {
        DemoReport report = new DemoReport(CONFIG, direct(), batched(0, 2_000_000), 1_000_000_000L);

        assertThat(report.targetsMet()).isTrue();
        assertThat(report.rows()).extracting(DemoReport.Row::metric).startsWith("SQL queries per request");
        assertThat(report.rows().get(0).result()).isEqualTo("PASS (-98.7 %)");
        assertThat(report.table()).contains("| Response time p50", "5.0x faster", "8 of 8 go-live targets met");
    }

    @Test
    void slowEntityResolutionFailsItsRowAndTheRun() {
        DemoReport report = new DemoReport(CONFIG, direct(), batched(0, 150_000_000), 1_000_000_000L);

        assertThat(report.targetsMet()).isFalse();
        assertThat(report.misses()).extracting(DemoReport.Row::metric).containsExactly("p99 entity resolution (per backend call)");
        assertThat(report.table()).contains("FAIL", "7 of 8 go-live targets met");
    }

    @Test
    void aSlowerBatchedMedianNeverSaysPass() {
        PhaseResult slower = new PhaseResult(FederationMode.BATCHED, 40, 0, 10_500_000, 9_000_000, 40, 10, 10, 3_000,
                30, 30, 3_000, 2_000_000, 50L << 20);

        DemoReport report = new DemoReport(CONFIG, direct(), slower, 1_000_000_000L);

        DemoReport.Row p50 = report.rows().stream().filter(r -> r.metric().equals("Response time p50")).findFirst()
                .orElseThrow();
        assertThat(p50.result()).isEqualTo("FAIL (1.1x slower)");
        assertThat(p50.met()).isFalse();
        assertThat(p50.timing()).isTrue();
        assertThat(report.targetsMet()).isFalse();
        assertThat(report.table()).contains("is the time of one backend call");
    }

    @Test
    void errorsAboveOnePercentFailTheRun() {
        DemoReport report = new DemoReport(CONFIG, direct(), batched(1, 2_000_000), 1_000_000_000L);

        assertThat(report.misses()).extracting(DemoReport.Row::metric).containsExactly("Error rate");
        assertThat(report.misses().get(0).after()).isEqualTo("2.5 %");
    }
}
