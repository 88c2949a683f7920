package dev.federation.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.federation.core.FederationMode;
import graphql.ExecutionResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What a client can and cannot do to the automatic rollback, replayed over a real subgraph and a real
 * {@link HealthWindow} on a manual clock moved 30 s (one check interval) at a time: hours of checks in a moment,
 * and no sleep.
 */
class NoClientRollbackTest {

    private static final long MB = 1_000_000;
    private static final Duration INTERVAL = HealthMonitorConfig.DEFAULT_CHECK_INTERVAL;

    private final HealthSubgraph subgraph = new HealthSubgraph();
    private final AtomicLong heapUsed = new AtomicLong(50 * MB);

    /** A heap that holds 50 MB of baseline plus what the test keeps, under a limit of {@code limit}. */
    private HeapSampler heap(long limit) {
        return new HeapSampler() {
            @Override
            public long usedAfterGcBytes() {
                return heapUsed.get();
            }

            @Override
            public long maxBytes() {
                return limit;
            }
        };
    }

    private FederationHealthMonitor monitor(HealthMonitorConfig config, long limit) {
        return FederationHealthMonitor.builder(subgraph.window, subgraph.modeSwitch)
                .config(config)
                .heapSampler(heap(limit))
                .build();
    }

    /** Ordinary traffic of one interval: two gateway requests of 100 users. */
    private void ordinaryTraffic() {
        assertThat(subgraph.users(0, 100).getErrors()).isEmpty();
        assertThat(subgraph.users(100, 100).getErrors()).isEmpty();
    }

    /** A bounded cache of {@code entries} values of {@code bytes} each, as the parsed-query cache of a server. */
    private static final class BoundedCache extends LinkedHashMap<String, byte[]> {
        private final int entries;

        BoundedCache(int entries) {
            super(16, 0.75f, true);
            this.entries = entries;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > entries;
        }

        long bytes() {
            long sum = 0;
            for (byte[] v : values()) {
                sum += v.length;
            }
            return sum;
        }
    }

    private record Replay(HealthStatus worst, double worstHeapGrowth, long rollbacks, FederationMode mode) {
    }

    /**
     * The attack of the issue: a distinct valid query every 15 s fills a bounded cache of 45 entries (it is
     * full after 11 minutes) and goes on for two hours, beside ordinary traffic.
     */
    private Replay replayTheAttack(HealthMonitorConfig config, int entryBytes) {
        BoundedCache cache = new BoundedCache(45);
        try (FederationHealthMonitor monitor = monitor(config, 256 * MB * Math.max(1, entryBytes / 780_000))) {
            HealthStatus worst = HealthStatus.HEALTHY;
            double worstGrowth = 0;
            int query = 0;
            for (int check = 0; check < 240; check++) {
                for (int i = 0; i < 2; i++) { // one query every 15 s
                    cache.put("query " + query++, new byte[entryBytes]);
                }
                heapUsed.set(50 * MB + cache.bytes());
                ordinaryTraffic();
                subgraph.clock.add(INTERVAL);
                HealthReport report = monitor.check();
                worst = worst.worst(report.status());
                HealthCheck heap = report.check(CheckName.HEAP_GROWTH);
                if (heap.judged()) {
                    worstGrowth = Math.max(worstGrowth, heap.value());
                }
            }
            assertThat(cache).hasSize(45);
            return new Replay(worst, worstGrowth, monitor.rollbackCount(), subgraph.modeSwitch.mode());
        }
    }

    @Test
    void aBoundedCacheFilledOverElevenMinutesNeverRollsBack() {
        // 45 queries of 92k characters held about 35 MB in the server
        Replay replay = replayTheAttack(HealthMonitorConfig.ofDefaults(), 780_000);
        System.out.printf("attack replayed, 35 MB cache: worst %s, heap growth at most %.1f MB/hour, %d rollbacks%n",
                replay.worst(), replay.worstHeapGrowth() / MB, replay.rollbacks());
        assertThat(replay.worst()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(replay.rollbacks()).isZero();
        assertThat(replay.mode()).isEqualTo(FederationMode.BATCHED);
    }

    @Test
    void aTenTimesLargerBoundedCacheIsAtMostDegradedAndNeverRollsBack() {
        Replay replay = replayTheAttack(HealthMonitorConfig.ofDefaults(), 7_800_000);
        System.out.printf("attack replayed, 350 MB cache: worst %s, heap growth at most %.1f MB/hour, %d rollbacks%n",
                replay.worst(), replay.worstHeapGrowth() / MB, replay.rollbacks());
        assertThat(replay.worst()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(replay.worstHeapGrowth()).isGreaterThan(HealthMonitorConfig.DEFAULT_HEAP_GROWTH_THRESHOLD_BYTES_PER_HOUR);
        assertThat(replay.rollbacks()).isZero();
        assertThat(replay.mode()).isEqualTo(FederationMode.BATCHED);
    }

    @Test
    void aDeclaredAllowanceCoversTheCache() {
        Replay replay = replayTheAttack(HealthMonitorConfig.custom().heapAllowanceBytes(360 * MB).build(), 7_800_000);
        assertThat(replay.worst()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(replay.rollbacks()).isZero();
    }

    @Test
    void aTrueLeakStillRollsBackBeforeItReachesTheLimit() {
        List<byte[]> leak = new ArrayList<>(); // unbounded: 1 MB more every 30 s, 120 MB an hour
        long limit = 256 * MB;
        try (FederationHealthMonitor monitor = monitor(HealthMonitorConfig.ofDefaults(), limit)) {
            int checks = 0;
            while (subgraph.modeSwitch.mode() == FederationMode.BATCHED && checks < 400) {
                leak.add(new byte[(int) MB]);
                heapUsed.set(50 * MB + (long) leak.size() * MB);
                ordinaryTraffic();
                subgraph.clock.add(INTERVAL);
                monitor.check();
                checks++;
            }
            HealthReport report = monitor.lastReport();
            System.out.printf("leak: rolled back after %d checks (%d min) at %d MB of a %d MB heap: %s%n", checks,
                    checks * INTERVAL.toSeconds() / 60, heapUsed.get() / MB, limit / MB, report.rollbackReason());
            assertThat(monitor.rollbackCount()).isEqualTo(1);
            assertThat(subgraph.modeSwitch.mode()).isEqualTo(FederationMode.DIRECT);
            assertThat(report.status()).isEqualTo(HealthStatus.ROLLED_BACK);
            assertThat(report.rollbackReason()).contains("still growing").contains("a leak");
            assertThat(heapUsed.get()).isLessThan(limit);
            assertThat(checks).isEqualTo(112); // judged once the samples span 55 minutes, confirmed by the next check
        }
    }

    @Test
    void aLeakFarFromTheLimitIsDegradedAndSaysWhenItWouldReachIt() {
        List<byte[]> leak = new ArrayList<>();
        try (FederationHealthMonitor monitor = monitor(HealthMonitorConfig.ofDefaults(), 8_000 * MB)) {
            for (int check = 0; check < 150; check++) {
                leak.add(new byte[(int) MB]);
                heapUsed.set(50 * MB + (long) leak.size() * MB);
                ordinaryTraffic();
                subgraph.clock.add(INTERVAL);
                monitor.check();
            }
            HealthCheck heap = monitor.lastReport().check(CheckName.HEAP_GROWTH);
            assertThat(heap.status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(heap.message()).contains("still growing").contains("8000.0 MB limit in 65.")
                    .contains("no rollback");
            assertThat(monitor.rollbackCount()).isZero();
        }
    }

    /** Garbage of every kind core rejects, one gateway request of 100 representations. */
    private static List<Object> badRepresentations(int n) {
        List<Object> reps = new ArrayList<>();
        for (int i = 0; reps.size() < 100; i++) {
            switch (i % 6) {
                case 0 -> reps.add(Map.of("__typename", "Invented" + n + "_" + i, "id", "x"));
                case 1 -> reps.add(Map.of("__typename", "User"));
                case 2 -> reps.add(Map.of("__typename", "User", "id", Map.of("deep", List.of(1, 2, 3))));
                case 3 -> reps.add(Map.of("id", "u" + i));
                case 4 -> reps.add("just a string");
                default -> reps.add(Map.of("__typename", "User", "sku", "not a declared key"));
            }
        }
        return reps;
    }

    @Test
    void badRepresentationsInHalfTheRequestsNeverRollBack() {
        try (FederationHealthMonitor monitor = monitor(HealthMonitorConfig.ofDefaults(), 256 * MB)) {
            HealthStatus worst = HealthStatus.HEALTHY;
            long rejections = 0;
            for (int check = 0; check < 20; check++) {
                ordinaryTraffic();
                ExecutionResult bad = subgraph.entities(badRepresentations(check));
                assertThat(bad.getErrors()).hasSize(100);
                // and one request over the representation limit, refused whole
                ExecutionResult tooMany = subgraph.users(0, HealthSubgraph.MAX_REPRESENTATIONS + 1);
                assertThat(tooMany.getErrors()).isNotEmpty();
                subgraph.clock.add(INTERVAL);
                HealthReport report = monitor.check();
                worst = worst.worst(report.status());
                rejections += report.window().rejections();
                assertThat(report.check(CheckName.ERROR_RATE).judged()).isTrue();
                assertThat(report.check(CheckName.ERROR_RATE).value()).isZero();
            }
            System.out.printf("bad input in half the requests: worst %s, %d rejections seen, %d rollbacks%n", worst,
                    rejections, monitor.rollbackCount());
            assertThat(worst).isEqualTo(HealthStatus.HEALTHY);
            assertThat(rejections).isGreaterThan(0);
            assertThat(monitor.rollbackCount()).isZero();
            assertThat(subgraph.modeSwitch.mode()).isEqualTo(FederationMode.BATCHED);
        }
    }

    @Test
    void aFailingBackendStillRollsBack() {
        try (FederationHealthMonitor monitor = monitor(HealthMonitorConfig.ofDefaults(), 256 * MB)) {
            subgraph.failing.set(true);
            for (int check = 0; check < 2; check++) {
                subgraph.users(0, 100);
                subgraph.users(100, 100);
                subgraph.clock.add(INTERVAL);
                monitor.check();
            }
            assertThat(monitor.rollbackCount()).isEqualTo(1);
            assertThat(subgraph.modeSwitch.mode()).isEqualTo(FederationMode.DIRECT);
            assertThat(subgraph.modeSwitch.lastChange().changedBy()).isEqualTo(RollbackAction.CHANGED_BY);
        }
    }
}
