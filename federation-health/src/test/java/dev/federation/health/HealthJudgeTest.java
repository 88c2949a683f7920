package dev.federation.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.federation.core.FederationMode;
import dev.federation.health.HealthJudge.Heap;
import dev.federation.health.HealthJudge.Judgement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The judge as a pure function: statistics in, checks out, table by table. */
class HealthJudgeTest {

    private static final long MB = 1_000_000;
    private static final long HOUR = Duration.ofHours(1).toNanos();
    private final HealthJudge judge = new HealthJudge(HealthMonitorConfig.ofDefaults());

    private static WindowStatistics window(long loads, long loadErrors, long rejections, long calls, double p99,
            long requests, double requestP99) {
        return new WindowStatistics(Duration.ofMinutes(1), loads, loadErrors, rejections, calls, 0, calls,
                loads, p99, p99 / 2, requests, 0, loads, requestP99, requestP99 / 2);
    }

    private static final Heap NO_HEAP = new Heap(0, 0, Double.NaN, Double.NaN, -1, -1, 0);

    /** span in minutes, slope and recent slope in MB/hour, latest and limit in MB, allowance in MB. */
    private static Heap heap(int samples, long spanMinutes, double slope, double recent, long latest, long limit,
            long allowance) {
        return new Heap(samples, Duration.ofMinutes(spanMinutes).toNanos(), slope * MB, recent * MB, latest * MB,
                limit * MB, allowance * MB);
    }

    @Test
    void trafficChecksTable() {
        record Row(String what, WindowStatistics w, HealthStatus expected, boolean judged) {
        }
        Row[] rows = {
            new Row("quiet: nothing judged", window(10, 10, 0, 1, 9, 1, 9), HealthStatus.HEALTHY, false),
            new Row("healthy", window(1000, 0, 0, 10, 0.01, 10, 0.02), HealthStatus.HEALTHY, true),
            new Row("errors at 5 % exactly", window(1000, 50, 0, 10, 0.01, 10, 0.02), HealthStatus.HEALTHY, true),
            new Row("errors above 5 %", window(1000, 51, 0, 10, 0.01, 10, 0.02), HealthStatus.CRITICAL, true),
            new Row("rejections are not errors", window(1000, 0, 100_000, 10, 0.01, 10, 0.02), HealthStatus.HEALTHY,
                    true),
            new Row("slow backend", window(1000, 0, 0, 10, 2.5, 10, 2.6), HealthStatus.CRITICAL, true),
            new Row("slow fields", window(1000, 0, 0, 10, 0.1, 10, 5.5), HealthStatus.CRITICAL, true),
            new Row("poor batching", window(1000, 0, 0, 900, 0.01, 10, 0.02), HealthStatus.DEGRADED, true),
        };
        for (Row r : rows) {
            Judgement j = judge.judge(r.w(), FederationMode.BATCHED, NO_HEAP, false, null);
            assertThat(j.verdict()).as(r.what()).isEqualTo(r.expected());
            assertThat(j.judged()).as(r.what()).isEqualTo(r.judged());
            assertThat(j.checks()).as(r.what()).hasSize(5);
            assertThat(j.comparison()).as(r.what()).isNull();
        }
    }

    @Test
    void heapTable() {
        record Row(String what, Heap heap, HealthStatus expected, boolean judged, String says) {
        }
        Row[] rows = {
            new Row("a quarter of an hour of a warming cache is not judged", heap(31, 15, 140, 0, 85, 256, 0),
                    HealthStatus.HEALTHY, false, "less than 3300 s"),
            new Row("flat", heap(111, 55, 1, 0, 300, 4000, 0), HealthStatus.HEALTHY, true, "within 100.0 MB/hour"),
            new Row("grew, then levelled off", heap(111, 55, 190, 0, 400, 512, 0), HealthStatus.DEGRADED, true,
                    "levelled off"),
            new Row("grew within the allowance", heap(111, 55, 190, 0, 400, 512, 360), HealthStatus.HEALTHY, true,
                    "beyond the 360.0 MB allowance"),
            new Row("a leak, far from the limit", heap(111, 55, 120, 120, 400, 4000, 0), HealthStatus.DEGRADED,
                    true, "later than the heap window"),
            new Row("a leak, no limit known", heap(111, 55, 120, 120, 400, -1, 0), HealthStatus.DEGRADED, true,
                    "no heap limit known"),
            new Row("a leak that reaches the limit within the hour", heap(111, 55, 120, 120, 400, 512, 0),
                    HealthStatus.CRITICAL, true, "within the heap window: a leak"),
            new Row("a leak at the limit already", heap(111, 55, 120, 120, 512, 512, 0), HealthStatus.CRITICAL,
                    true, "in 0.0 hours"),
            new Row("a leak beside a cache within its allowance", heap(111, 55, 220, 120, 400, 512, 100),
                    HealthStatus.CRITICAL, true, "grows 110.9 MB/hour"),
        };
        for (Row r : rows) {
            HealthCheck c = judge.heapGrowth(r.heap());
            assertThat(c.status()).as(r.what()).isEqualTo(r.expected());
            assertThat(c.judged()).as(r.what()).isEqualTo(r.judged());
            assertThat(c.message()).as(r.what()).contains(r.says());
        }
    }

    @Test
    void effectivenessIsNotJudgedInDirectMode() {
        Judgement j = judge.judge(window(1000, 0, 0, 1000, 0.01, 10, 0.02), FederationMode.DIRECT, NO_HEAP, false,
                null);
        assertThat(j.verdict()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(j.checks().get(4).message()).contains("mode is DIRECT");
    }

    @Test
    void directAgainstBatchedTable() {
        HealthJudge.Baseline batched = new HealthJudge.Baseline(0.010, 0.0, 100, true, "");
        HealthJudge.Baseline failing = new HealthJudge.Baseline(0.010, 1.0, 100, true, "");
        record Row(String what, WindowStatistics direct, HealthJudge.Baseline before, HealthStatus expected,
                boolean judged) {
        }
        Row[] rows = {
            new Row("no baseline", window(1000, 0, 0, 1000, 0.001, 10, 0.5), null, HealthStatus.HEALTHY, false),
            new Row("too few calls yet", window(5, 0, 0, 5, 0.001, 0, Double.NaN), batched, HealthStatus.HEALTHY,
                    false),
            new Row("slower per field", window(1000, 0, 0, 1000, 0.001, 10, 0.5), batched, HealthStatus.CRITICAL,
                    true),
            new Row("as fast", window(1000, 0, 0, 1000, 0.001, 10, 0.02), batched, HealthStatus.HEALTHY, true),
            new Row("slower but fixes the errors", window(1000, 0, 0, 1000, 0.001, 10, 0.5), failing,
                    HealthStatus.HEALTHY, true),
            new Row("estimated from calls while no field ended", window(1000, 0, 0, 1000, 0.002, 0, Double.NaN),
                    batched, HealthStatus.CRITICAL, true),
        };
        for (Row r : rows) {
            Judgement j = judge.judge(r.direct(), FederationMode.DIRECT, NO_HEAP, true, r.before());
            assertThat(j.comparison()).as(r.what()).isNotNull();
            assertThat(j.comparison().status()).as(r.what()).isEqualTo(r.expected());
            assertThat(j.comparison().judged()).as(r.what()).isEqualTo(r.judged());
        }
    }
}
