package dev.federation.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import dev.federation.core.observer.BatchCall;
import dev.federation.core.observer.BatchObservation;
import dev.federation.core.observer.FederationObserver;
import dev.federation.health.FederationHealthMonitor;
import dev.federation.health.CheckName;
import dev.federation.health.HealthCheck;
import dev.federation.health.HealthListener;
import dev.federation.health.HealthMonitorConfig;
import dev.federation.health.HealthReport;
import dev.federation.health.HealthStatus;
import dev.federation.health.HeapSampler;
import dev.federation.health.RollbackEvent;
import graphql.ExecutionResult;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The health monitor over a real subgraph: traffic is real {@code _entities} execution; time is a
 * {@link MockClock} moved 30 s (one check interval) between checks, and checks are called directly.
 */
class FederationHealthMonitorTest {

    private static final long MB = 1_000_000;

    private final MockClock clock = new MockClock();
    private final FederationModeSwitch modeSwitch = FederationModeSwitch.of(FederationMode.BATCHED);
    private final FederationMetrics metrics = FederationMetrics.builder().modeSwitch(modeSwitch).clock(clock).build();
    private final List<FederationMode> batchModes = Collections.synchronizedList(new ArrayList<>());
    private final FederationObserver modeRecorder = new FederationObserver() {
        @Override
        public BatchObservation batchStarted(BatchCall call) {
            batchModes.add(call.mode());
            return null;
        }
    };
    private final TestSubgraph subgraph = new TestSubgraph(modeSwitch, metrics, modeRecorder);
    private final AtomicLong heapBytes = new AtomicLong(300 * MB);
    private final AtomicLong heapLimit = new AtomicLong(4_000 * MB);
    private final HeapSampler heapSampler = new HeapSampler() {
        @Override
        public long usedAfterGcBytes() {
            return heapBytes.get();
        }

        @Override
        public long maxBytes() {
            return heapLimit.get();
        }
    };
    private final List<RollbackEvent> rollbacks = Collections.synchronizedList(new ArrayList<>());
    private final List<String> restores = Collections.synchronizedList(new ArrayList<>());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private FederationHealthMonitor monitor;

    private final HealthListener recorder = new HealthListener() {
        @Override
        public void rolledBack(RollbackEvent event) {
            rollbacks.add(event);
        }

        @Override
        public void restored(Instant time, String reason, boolean automatic) {
            restores.add((automatic ? "automatic: " : "manual: ") + reason);
        }
    };

    private FederationHealthMonitor monitor(HealthMonitorConfig config) {
        monitor = FederationHealthMonitor.builder(metrics.healthWindow(), modeSwitch)
                .config(config)
                .heapSampler(heapSampler)
                .listener(recorder)
                .build();
        metrics.bindTo(registry);
        HealthMonitorMetrics.of(monitor).bindTo(registry);
        return monitor;
    }

    @AfterEach
    void close() {
        if (monitor != null) {
            monitor.close();
        }
    }

    /** Two gateway requests of 100 users each, then one check interval passes and the monitor checks. */
    private HealthReport period() {
        subgraph.users(0, 100);
        subgraph.users(100, 100);
        clock.add(Duration.ofSeconds(30));
        return monitor.check();
    }

    private double healthGauge() {
        return registry.get("federation.health").gauge().value();
    }

    @Test
    void healthyRunNeverTripsTheRollback() {
        monitor(HealthMonitorConfig.custom().minimumBackendCalls(2).minimumRequests(2).build());
        assertThat(registry.get("federation.health").gauge().value()).isNaN();
        List<HealthStatus> statuses = new ArrayList<>();
        for (int i = 0; i < 120; i++) { // an hour, so that the heap is judged too
            heapBytes.set(300 * MB + (i % 2) * 5 * MB); // after-GC level that wobbles, not grows
            statuses.add(period().status());
        }
        assertThat(statuses).containsOnly(HealthStatus.HEALTHY);
        HealthReport last = monitor.lastReport();
        assertThat(last.checks()).allMatch(HealthCheck::judged);
        assertThat(last.check(CheckName.ERROR_RATE).value()).isZero();
        assertThat(last.check(CheckName.BATCH_EFFECTIVENESS).value()).isEqualTo(0.99);
        assertThat(last.check(CheckName.HEAP_GROWTH).value()).isLessThan(10 * MB);
        assertThat(last.window().loads()).isEqualTo(200);
        assertThat(last.window().window()).isEqualTo(Duration.ofMinutes(1));
        assertThat(modeSwitch.mode()).isEqualTo(FederationMode.BATCHED);
        assertThat(rollbacks).isEmpty();
        assertThat(healthGauge()).isZero();
        assertThat(registry.get("federation.health.rollbacks").functionCounter().count()).isZero();
    }

    @Test
    void failingBatchFunctionRollsBackToDirectAfterTheConfiguredChecks() {
        monitor(HealthMonitorConfig.ofDefaults());
        assertThat(period().status()).isEqualTo(HealthStatus.HEALTHY);

        subgraph.backend.failing.set(true);
        HealthReport first = period();
        assertThat(first.status()).isEqualTo(HealthStatus.CRITICAL);
        assertThat(first.consecutiveCritical()).isEqualTo(1);
        assertThat(first.check(CheckName.ERROR_RATE).value()).isEqualTo(1.0);
        assertThat(modeSwitch.mode()).isEqualTo(FederationMode.BATCHED);
        assertThat(rollbacks).isEmpty();

        HealthReport second = period();
        assertThat(second.checksStatus()).isEqualTo(HealthStatus.CRITICAL);
        assertThat(second.status()).isEqualTo(HealthStatus.ROLLED_BACK);
        assertThat(modeSwitch.mode()).isEqualTo(FederationMode.DIRECT);
        assertThat(monitor.isRolledBack()).isTrue();
        assertThat(rollbacks).hasSize(1);
        assertThat(rollbacks.get(0).reason())
                .contains("error rate 1.0000 above 0.0500 (200 of 200 loads failed)")
                .contains("2 CRITICAL checks in a row");
        assertThat(second.rollbackReason()).isEqualTo(rollbacks.get(0).reason());
        assertThat(healthGauge()).isEqualTo(3);
        assertThat(registry.get("federation.health.rollbacks").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("federation.mode").gauge().value()).isZero();

        // later requests take the direct path: one backend call of one key per representation
        subgraph.backend.failing.set(false);
        long singleCallsBefore = subgraph.backend.userCallsOfSize(1);
        batchModes.clear();
        ExecutionResult result = subgraph.users(0, 100);
        assertThat(result.getErrors()).isEmpty();
        assertThat(subgraph.backend.userCallsOfSize(1) - singleCallsBefore).isEqualTo(100);
        assertThat(batchModes).hasSize(100).containsOnly(FederationMode.DIRECT);
        assertThat(registry.get("federation.backend.calls").tag("mode", "direct").tag("outcome", "success")
                .counter().count()).isEqualTo(100);
    }

    @Test
    void directThatFailsJustTheSameIsUndoneAndTheRollbackIsHeldUntilTheFailureClears() {
        monitor(HealthMonitorConfig.ofDefaults());
        subgraph.backend.delayMillis.set(2); // every call costs the same, so 100 one-by-one calls cost 100 times one
        subgraph.backend.failing.set(true);
        period();
        period();
        assertThat(modeSwitch.mode()).isEqualTo(FederationMode.DIRECT);

        // the first check after the change of mode reads only what came after it, which is not enough yet;
        // it is not HEALTHY either: the service runs on the fallback
        HealthReport afterChange = period();
        assertThat(afterChange.status()).isEqualTo(HealthStatus.ROLLED_BACK);
        assertThat(afterChange.check(CheckName.ERROR_RATE).judged()).isFalse();
        assertThat(healthGauge()).isEqualTo(3);
        // still failing in direct mode, and slower: the monitor undoes its own rollback
        HealthReport judged = period();
        HealthCheck comparison = judged.check(CheckName.DIRECT_VS_BATCHED);
        assertThat(comparison.judged()).isTrue();
        assertThat(comparison.status()).isEqualTo(HealthStatus.CRITICAL);
        assertThat(comparison.message()).startsWith("DIRECT serves worse than BATCHED");
        assertThat(modeSwitch.mode()).isEqualTo(FederationMode.BATCHED);
        assertThat(restores).singleElement().asString()
                .startsWith("automatic: health monitor: DIRECT serves worse than BATCHED did");
        // still CRITICAL in batched mode, but the rollback is not repeated while the failure lasts
        for (int i = 0; i < 4; i++) {
            HealthReport held = period();
            assertThat(held.status()).isEqualTo(HealthStatus.CRITICAL);
        }
        assertThat(monitor.lastReport().rollbackReason()).startsWith("automatic rollback held: ");
        assertThat(modeSwitch.mode()).isEqualTo(FederationMode.BATCHED);
        assertThat(monitor.rollbackCount()).isEqualTo(1);
        // once the failure clears, a new one can roll back again
        subgraph.backend.failing.set(false);
        assertThat(period().status()).isEqualTo(HealthStatus.HEALTHY);
        failingAgainRollsBackASecondTime();
    }

    /** A slow database: every call takes as long whatever its size, so one call per representation is worse. */
    private HealthReport slowPeriod() {
        subgraph.users(0, 20);
        subgraph.users(20, 20);
        clock.add(Duration.ofSeconds(30));
        return monitor.check();
    }

    private static HealthMonitorConfig.Builder slowDatabaseConfig() {
        return HealthMonitorConfig.custom()
                .p99Threshold(Duration.ofMillis(10))
                .minimumLoads(10)
                .minimumBackendCalls(2)
                .minimumRequests(2);
    }

    @Test
    void slowDatabaseRollbackIsUndoneWhenDirectProvesWorseAndNeverReportsHealthyMeanwhile() {
        monitor(slowDatabaseConfig().build());
        subgraph.backend.delayMillis.set(30); // 30 ms per query, whatever its size
        List<HealthReport> reports = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            reports.add(slowPeriod());
        }

        // BATCHED: CRITICAL on p99 twice, so it rolled back
        assertThat(reports.get(0).status()).isEqualTo(HealthStatus.CRITICAL);
        assertThat(reports.get(1).status()).isEqualTo(HealthStatus.ROLLED_BACK);
        assertThat(rollbacks).singleElement().extracting(RollbackEvent::reason).asString().startsWith("p99 resolution");
        // in DIRECT each request of 20 made 20 calls of 30 ms: worse, so the monitor switched back by itself
        HealthReport verdict = reports.get(3);
        HealthCheck comparison = verdict.check(CheckName.DIRECT_VS_BATCHED);
        assertThat(comparison.status()).isEqualTo(HealthStatus.CRITICAL);
        assertThat(comparison.value()).isGreaterThan(comparison.threshold() * 5);
        assertThat(verdict.rollbackReason()).contains("DIRECT serves worse than BATCHED");
        assertThat(restores).singleElement().asString().startsWith("automatic: health monitor: DIRECT serves worse");
        assertThat(modeSwitch.mode()).isEqualTo(FederationMode.BATCHED);
        // from the rollback on, no report and no gauge value said HEALTHY; no second rollback
        assertThat(reports.subList(1, 8)).extracting(HealthReport::status).doesNotContain(HealthStatus.HEALTHY);
        assertThat(reports.subList(4, 8)).extracting(HealthReport::status).containsOnly(HealthStatus.CRITICAL);
        assertThat(reports.get(7).rollbackReason()).startsWith("automatic rollback held: ");
        assertThat(monitor.rollbackCount()).isEqualTo(1);
        assertThat(healthGauge()).isEqualTo(2);

        // the database recovers: healthy, and the hold is lifted
        subgraph.backend.delayMillis.set(0);
        assertThat(slowPeriod().status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(monitor.lastReport().rollbackReason()).isNull();
    }

    @Test
    void slowDatabaseWithTheHoldPolicyStaysDirectAndSaysWhy() {
        monitor(slowDatabaseConfig().whenDirectIsWorse(HealthMonitorConfig.DirectWorsePolicy.HOLD).build());
        subgraph.backend.delayMillis.set(30);
        HealthReport last = null;
        for (int i = 0; i < 6; i++) {
            last = slowPeriod();
        }

        assertThat(modeSwitch.mode()).isEqualTo(FederationMode.DIRECT);
        assertThat(last.status()).isEqualTo(HealthStatus.ROLLED_BACK);
        assertThat(last.rollbackReason()).startsWith("p99 resolution").contains("DIRECT serves worse than BATCHED");
        assertThat(healthGauge()).isEqualTo(3);
        assertThat(restores).isEmpty();
    }

    @Test
    void aSlowRollbackActionBlocksNeitherTheStatusNorTheGaugeNorTheSwitch() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        monitor = FederationHealthMonitor.builder(metrics.healthWindow(), modeSwitch)
                .heapSampler(heapSampler)
                .rollbackAction(event -> {
                    entered.countDown();
                    try {
                        release.await(60, TimeUnit.SECONDS); // a webhook that hangs
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                })
                .build();
        HealthMonitorMetrics.of(monitor).bindTo(registry);
        subgraph.backend.failing.set(true);
        period();
        subgraph.users(0, 100);
        subgraph.users(100, 100);
        clock.add(Duration.ofSeconds(30));
        java.util.concurrent.ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<HealthReport> checking = threads.submit(monitor::check);
            assertThat(entered.await(60, TimeUnit.SECONDS)).isTrue();

            // while the action hangs: status, report, gauge and a manual switch all answer
            java.util.concurrent.Future<Object[]> reads = threads.submit(() -> {
                HealthStatus status = monitor.status();
                double gauge = healthGauge();
                modeSwitch.set(FederationMode.DIRECT, "operator, while the webhook hangs");
                return new Object[] {status, gauge, monitor.lastReport()};
            });
            Object[] read = reads.get(60, TimeUnit.SECONDS);
            assertThat(read[0]).isEqualTo(HealthStatus.CRITICAL);
            assertThat(read[1]).isEqualTo(2.0);
            assertThat(modeSwitch.mode()).isEqualTo(FederationMode.DIRECT);
            assertThat(checking.isDone()).isFalse();

            release.countDown();
            assertThat(checking.get(60, TimeUnit.SECONDS).status()).isEqualTo(HealthStatus.ROLLED_BACK);
            assertThat(monitor.rollbackCount()).isEqualTo(1);
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
    }

    @Test
    void shortSpikeBelowTheCheckCountDoesNotTrip() {
        monitor(HealthMonitorConfig.ofDefaults());
        for (int i = 0; i < 3; i++) {
            subgraph.backend.failing.set(true);
            assertThat(period().status()).isEqualTo(HealthStatus.CRITICAL);
            subgraph.backend.failing.set(false);
            assertThat(period().status()).isEqualTo(HealthStatus.HEALTHY);
        }
        assertThat(modeSwitch.mode()).isEqualTo(FederationMode.BATCHED);
        assertThat(rollbacks).isEmpty();
    }

    @Test
    void checkCountIsConfigurable() {
        monitor(HealthMonitorConfig.custom().criticalChecksToRollBack(3).build());
        subgraph.backend.failing.set(true);
        period();
        period();
        assertThat(modeSwitch.mode()).isEqualTo(FederationMode.BATCHED);
        period();
        assertThat(modeSwitch.mode()).isEqualTo(FederationMode.DIRECT);
    }

    @Test
    void recoveryIsManualByDefault() {
        monitor(HealthMonitorConfig.ofDefaults());
        subgraph.backend.failing.set(true);
        period();
        period();
        subgraph.backend.failing.set(false);
        for (int i = 0; i < 20; i++) {
            HealthReport report = period();
            // direct mode fixes the errors: it stays, and the report says it runs rolled back, never HEALTHY
            assertThat(report.status()).isEqualTo(HealthStatus.ROLLED_BACK);
            assertThat(report.checksStatus()).isEqualTo(HealthStatus.HEALTHY);
        }
        assertThat(monitor.lastReport().check(CheckName.DIRECT_VS_BATCHED).message())
                .startsWith("DIRECT serves no worse");
        assertThat(modeSwitch.mode()).isEqualTo(FederationMode.DIRECT);

        modeSwitch.set(FederationMode.BATCHED, "operator: backend fixed");
        assertThat(monitor.isRolledBack()).isFalse();
        assertThat(restores).containsExactly("manual: operator: backend fixed");
        assertThat(period().status()).isEqualTo(HealthStatus.HEALTHY);

        // a new failure trips again
        failingAgainRollsBackASecondTime();
    }

    @Test
    void coolDownRestoresBatchingOnlyWhenNoLongerCritical() {
        monitor(HealthMonitorConfig.custom().coolDown(Duration.ofMinutes(5))
                .whenDirectIsWorse(HealthMonitorConfig.DirectWorsePolicy.HOLD).build());
        subgraph.backend.failing.set(true);
        period();
        period();
        assertThat(modeSwitch.mode()).isEqualTo(FederationMode.DIRECT);

        // still failing after the cool-down: stays direct
        period(); // the first check after the change of mode has too little data of the new mode
        for (int i = 0; i < 12; i++) {
            HealthReport report = period();
            assertThat(report.status()).isEqualTo(HealthStatus.ROLLED_BACK);
            assertThat(report.checksStatus()).isEqualTo(HealthStatus.CRITICAL);
        }
        assertThat(modeSwitch.mode()).isEqualTo(FederationMode.DIRECT);

        subgraph.backend.failing.set(false);
        assertThat(period().status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(modeSwitch.mode()).isEqualTo(FederationMode.BATCHED);
        assertThat(restores).singleElement().asString().startsWith("automatic: health monitor: cool-down of PT5M");
        for (int i = 0; i < 10; i++) {
            assertThat(period().status()).isEqualTo(HealthStatus.HEALTHY);
        }
        assertThat(monitor.rollbackCount()).isEqualTo(1);
    }

    @Test
    void customRollbackActionReplacesTheSwitch() {
        List<String> webhook = new ArrayList<>();
        monitor = FederationHealthMonitor.builder(metrics.healthWindow(), modeSwitch)
                .heapSampler(heapSampler)
                .rollbackAction(event -> webhook.add(event.reason()))
                .build();
        subgraph.backend.failing.set(true);
        period();
        period();
        period();
        assertThat(webhook).hasSize(1);
        assertThat(webhook.get(0)).contains("error rate");
        assertThat(modeSwitch.mode()).isEqualTo(FederationMode.BATCHED);
    }

    @Test
    void reportOnlyMonitorNeverRollsBack() {
        monitor(HealthMonitorConfig.custom().automaticRollback(false).build());
        subgraph.backend.failing.set(true);
        for (int i = 0; i < 5; i++) {
            assertThat(period().status()).isEqualTo(HealthStatus.CRITICAL);
        }
        assertThat(modeSwitch.mode()).isEqualTo(FederationMode.BATCHED);
        assertThat(rollbacks).isEmpty();
    }

    @Test
    void tooFewLoadsAreNotJudged() {
        monitor(HealthMonitorConfig.ofDefaults());
        subgraph.backend.failing.set(true);
        subgraph.users(0, 50);
        clock.add(Duration.ofSeconds(30));
        HealthReport report = monitor.check();
        assertThat(report.status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(report.check(CheckName.ERROR_RATE).judged()).isFalse();
        assertThat(report.check(CheckName.ERROR_RATE).message()).contains("50 loads, fewer than 100");
    }

    @Test
    void rejectedBadInputDoesNotCountAsErrors() {
        monitor(HealthMonitorConfig.ofDefaults());
        List<Object> garbage = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            garbage.add(TestSubgraph.rep("Invented" + i, "id", "x"));
        }
        for (int i = 0; i < 3; i++) {
            subgraph.entities(garbage, TestSubgraph.USER_SELECTION);
            HealthReport report = period();
            assertThat(report.status()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(report.window().rejections()).isEqualTo(500);
        }
        assertThat(modeSwitch.mode()).isEqualTo(FederationMode.BATCHED);
    }

    @Test
    void slowBackendIsCriticalOnP99() {
        monitor(HealthMonitorConfig.custom().p99Threshold(Duration.ofMillis(1)).build());
        subgraph.backend.delayMillis.set(3);
        for (int i = 0; i < 10; i++) {
            subgraph.users(i * 10, 10);
        }
        clock.add(Duration.ofSeconds(30));
        HealthReport report = monitor.check();
        assertThat(report.status()).isEqualTo(HealthStatus.CRITICAL);
        HealthCheck p99 = report.check(CheckName.P99_RESOLUTION);
        assertThat(p99.judged()).isTrue();
        assertThat(p99.value()).isGreaterThan(0.003);
        assertThat(report.reasons()).singleElement().asString().startsWith("p99 resolution");
    }

    @Test
    void poorBatchingIsDegradedAndNeverRollsBack() {
        monitor(HealthMonitorConfig.ofDefaults());
        for (int p = 0; p < 4; p++) {
            for (int i = 0; i < 100; i++) {
                subgraph.users(i, 1);
            }
            clock.add(Duration.ofSeconds(30));
            HealthReport report = monitor.check();
            assertThat(report.status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(report.check(CheckName.BATCH_EFFECTIVENESS).value()).isZero();
        }
        assertThat(healthGauge()).isEqualTo(1);
        assertThat(modeSwitch.mode()).isEqualTo(FederationMode.BATCHED);
    }

    @Test
    void aLeakIsJudgedOnlyOverTheHourAndRollsBackWhenItWouldReachTheHeapsLimit() {
        monitor(HealthMonitorConfig.ofDefaults());
        heapLimit.set(500 * MB);
        List<HealthReport> reports = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            heapBytes.addAndGet(MB); // 1 MB per 30 s: 120 MB per hour, never levelling off
            reports.add(period());
            if (modeSwitch.mode() == FederationMode.DIRECT) {
                break;
            }
        }
        // samples span 55 minutes at the 111th check (410 MB + 120 MB in the next hour > 500 MB); the 112th confirms
        assertThat(reports).hasSize(112);
        assertThat(reports.get(109).check(CheckName.HEAP_GROWTH).judged()).isFalse();
        assertThat(reports.get(109).status()).isEqualTo(HealthStatus.HEALTHY);
        HealthCheck heap = reports.get(110).check(CheckName.HEAP_GROWTH);
        assertThat(heap.judged()).isTrue();
        assertThat(heap.status()).isEqualTo(HealthStatus.CRITICAL);
        assertThat(heap.value()).isBetween(119.9 * MB, 120.1 * MB);
        assertThat(rollbacks).singleElement().extracting(RollbackEvent::reason).asString()
                .contains("heap after GC grows 120.0 MB/hour beyond the 0.0 MB allowance")
                .contains("reaches the 500.0 MB limit");
    }

    @Test
    void scheduledChecksRunOnTheGivenSchedulerUntilClosed() throws InterruptedException {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            CountDownLatch checks = new CountDownLatch(3);
            monitor = FederationHealthMonitor.builder(metrics.healthWindow(), modeSwitch)
                    .config(HealthMonitorConfig.custom().checkInterval(Duration.ofMillis(20)).build())
                    .scheduler(scheduler)
                    .heapSampler(heapSampler)
                    .listener(countingDown(checks))
                    .build()
                    .start();
            assertThat(checks.await(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(monitor::start).isInstanceOf(IllegalStateException.class);
            monitor.close();
            assertThat(scheduler.isShutdown()).isFalse();
            assertThat(monitor.status()).isEqualTo(HealthStatus.HEALTHY);
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void ownSchedulerStopsOnClose() throws InterruptedException {
        CountDownLatch checks = new CountDownLatch(1);
        monitor = FederationHealthMonitor.builder(metrics.healthWindow(), modeSwitch)
                .config(HealthMonitorConfig.custom().checkInterval(Duration.ofMillis(20)).build())
                .listener(countingDown(checks))
                .build()
                .start();
        assertThat(checks.await(10, TimeUnit.SECONDS)).isTrue();
        List<Thread> own = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("federation-health-monitor")).toList();
        assertThat(own).isNotEmpty();
        monitor.close();
        for (Thread t : own) {
            t.join(TimeUnit.SECONDS.toMillis(60)); // the thread ends once shut down, however long that takes
            assertThat(t.isAlive()).isFalse();
        }
    }

    @Test
    void configRejectsBadValues() {
        assertThatThrownBy(() -> HealthMonitorConfig.custom().errorRateThreshold(1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
        assertThatThrownBy(() -> HealthMonitorConfig.custom().criticalChecksToRollBack(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
        assertThatThrownBy(() -> HealthMonitorConfig.custom().heapMinimumWindow(Duration.ofHours(2)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("PT2H");
        HealthMonitorConfig d = HealthMonitorConfig.ofDefaults();
        assertThat(d.checkInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.errorRateThreshold()).isEqualTo(0.05);
        assertThat(d.p99Threshold()).isEqualTo(Duration.ofSeconds(2));
        assertThat(d.heapGrowthThresholdBytesPerHour()).isEqualTo(100_000_000L);
        assertThat(d.effectivenessThreshold()).isEqualTo(0.60);
        assertThat(d.criticalChecksToRollBack()).isEqualTo(2);
        assertThat(d.coolDown()).isNull();
    }

    /** A listener counting {@code checks} down at each check. */
    private static HealthListener countingDown(CountDownLatch checks) {
        return new HealthListener() {
            @Override
            public void checked(HealthReport report) {
                checks.countDown();
            }
        };
    }

    /** The backend fails again for two periods: the monitor rolls back a second time. */
    private void failingAgainRollsBackASecondTime() {
        subgraph.backend.failing.set(true);
        period();
        period();
        assertThat(modeSwitch.mode()).isEqualTo(FederationMode.DIRECT);
        assertThat(monitor.rollbackCount()).isEqualTo(2);
    }
}
