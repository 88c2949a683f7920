package dev.federation.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.federation.health.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyBucketsTest {

    @Test
    void everyDurationFallsInABucketWhoseUpperBoundIsAtMostAnEighthAbove() {
        for (long nanos = 2_000; nanos < 1L << 39; nanos = nanos * 3 / 2 + 7) {
            int i = LatencyBuckets.index(nanos);
            long upper = LatencyBuckets.upperBound(i);
            assertThat(upper).as("%d ns", nanos).isGreaterThan(nanos);
            assertThat((double) upper / nanos).as("%d ns", nanos).isLessThanOrEqualTo(1.125 + 1e-9);
            assertThat(i == 0 ? 0 : LatencyBuckets.upperBound(i - 1)).isLessThanOrEqualTo(nanos);
        }
    }

    @Test
    void p99IsReadFromTheSlowestPercent() {
        SlidingWindow w = new SlidingWindow(Duration.ofMinutes(5), new ManualClock());
        for (int i = 0; i < 990; i++) {
            w.recordBackendCall(true, 10, false, Duration.ofMillis(5).toNanos());
        }
        for (int i = 0; i < 10; i++) {
            w.recordBackendCall(true, 10, false, Duration.ofSeconds(3).toNanos());
        }
        assertThat(w.totals().latencyQuantileNanos(0.99)).isBetween(5_000_000L, 5_625_000L);
        w.recordBackendCall(true, 10, false, Duration.ofSeconds(3).toNanos());
        assertThat(w.totals().latencyQuantileNanos(0.99)).isBetween(3_000_000_000L, 3_375_000_000L);
        assertThat(new SlidingWindow(Duration.ofMinutes(5), new ManualClock()).totals().latencyQuantileNanos(0.99))
                .isEqualTo(-1);
    }

    @Test
    void sinceLeavesOutTheSlicesUpToTheEvent() {
        ManualClock clock = new ManualClock();
        SlidingWindow w = new SlidingWindow(Duration.ofMinutes(5), clock);
        w.recordLoads(100, false);
        clock.add(Duration.ofSeconds(10));
        long event = clock.monotonicNanos();
        clock.add(Duration.ofSeconds(10));
        w.recordLoads(7, true);
        assertThat(w.totals().loads()).isEqualTo(107);
        assertThat(w.totals(event).loads()).isEqualTo(7);
        assertThat(w.totals(event).loadErrors()).isEqualTo(7);
    }
}
