package dev.federation.metrics;

import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import dev.federation.metrics.internal.HeapTrend;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges the health of entity resolution at a fixed interval and rolls batching back by itself when it is
 * {@code CRITICAL} for several checks in a row.
 *
 * <p>Each check reads the recent past from {@link FederationMetrics} (the last
 * {@link HealthMonitorConfig#evaluationWindow()}, and only what happened since the latest change of mode) and
 * the heap used after GC from a {@link HeapSampler}, and judges:
 * <ul>
 *   <li>error rate (failed loads / loads; rejected bad input is not counted: a caller must not be able to
 *       switch batching off by sending garbage) above its threshold: {@code CRITICAL};</li>
 *   <li>p99 of backend call durations above its threshold: {@code CRITICAL};</li>
 *   <li>heap growth after GC (least-squares slope over the heap window, judged once the samples span the
 *       minimum window) above its threshold: {@code CRITICAL};</li>
 *   <li>batch effectiveness below its threshold, in {@code BATCHED} mode: {@code DEGRADED}.</li>
 * </ul>
 * A number is judged only with enough data ({@link HealthMonitorConfig#minimumLoads()},
 * {@link HealthMonitorConfig#minimumBackendCalls()}); otherwise the report says so and it counts as healthy.
 *
 * <p>When {@link HealthMonitorConfig#criticalChecksToRollBack()} checks in a row are {@code CRITICAL} and the
 * switch is {@code BATCHED}, the monitor logs a WARN with the reasons, runs the {@link RollbackAction} (by
 * default the switch goes to {@code DIRECT}), counts it in {@code federation.health.rollbacks} and tells the
 * {@link HealthListener}s. It rolls back once: batching comes back when someone sets the switch to
 * {@code BATCHED}, or, with a {@link HealthMonitorConfig#coolDown()}, when the cool-down has passed and the
 * latest check is not {@code CRITICAL}. A change of mode starts a new count and a new evaluation window, so
 * the numbers of one mode never judge the other and the monitor does not flap.
 *
 * <pre>{@code
 * FederationHealthMonitor monitor = FederationHealthMonitor.builder(metrics, modeSwitch)
 *     .config(HealthMonitorConfig.ofDefaults())
 *     .listener(new HealthListener() {
 *         public void rolledBack(RollbackEvent event) { alerts.send(event.reason()); }
 *     })
 *     .build();
 * monitor.bindTo(meterRegistry); // federation.health, federation.health.rollbacks
 * monitor.start();               // checks every 30 s until close()
 * }</pre>
 *
 * <p>Thread-safe: checks run one at a time. Public API.
 */
public final class FederationHealthMonitor implements MeterBinder, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FederationHealthMonitor.class);
    private static final double MB = 1_000_000.0;

    private final FederationMetrics metrics;
    private final FederationModeSwitch modeSwitch;
    private final HealthMonitorConfig config;
    private final Clock clock;
    private final HeapSampler heapSampler;
    private final RollbackAction action;
    private final List<HealthListener> listeners;
    private final @Nullable ScheduledExecutorService scheduler;
    private final HeapTrend heap;
    private final AtomicLong rollbacks = new AtomicLong();
    private final FederationModeSwitch.Listener modeListener = this::modeChanged;

    private @Nullable HealthReport lastReport;
    private int consecutiveCritical;
    private boolean rolledBack;
    private long rolledBackAtNanos;
    private long modeChangedAtNanos = Long.MIN_VALUE;
    private boolean restoring;
    private @Nullable ScheduledFuture<?> task;
    private @Nullable ScheduledExecutorService own;
    private boolean closed;

    private FederationHealthMonitor(Builder b) {
        this.metrics = b.metrics;
        this.modeSwitch = b.modeSwitch;
        this.config = b.config;
        this.clock = b.clock != null ? b.clock : b.metrics.clock();
        this.heapSampler = b.heapSampler;
        this.action = b.action != null ? b.action : RollbackAction.switchToDirect(b.modeSwitch);
        this.listeners = new CopyOnWriteArrayList<>(b.listeners);
        this.scheduler = b.scheduler;
        this.heap = new HeapTrend(config.heapWindow().toNanos());
        modeSwitch.addListener(modeListener);
    }

    /**
     * A builder of a monitor that reads {@code metrics} and, by default, rolls back by setting
     * {@code modeSwitch} (the switch of the {@code FederatedEntities} that {@code metrics} observes) to
     * {@code DIRECT}.
     */
    public static Builder builder(FederationMetrics metrics, FederationModeSwitch modeSwitch) {
        return new Builder(metrics, modeSwitch);
    }

    /** The configuration. */
    public HealthMonitorConfig config() {
        return config;
    }

    /**
     * Starts the scheduled checks, every {@link HealthMonitorConfig#checkInterval()}, the first one interval
     * from now.
     *
     * @return this
     * @throws IllegalStateException when started already or closed
     */
    public synchronized FederationHealthMonitor start() {
        if (closed) {
            throw new IllegalStateException("the health monitor is closed");
        }
        if (task != null) {
            throw new IllegalStateException("the health monitor is started already");
        }
        ScheduledExecutorService s = scheduler != null ? scheduler : ownScheduler();
        long interval = config.checkInterval().toNanos();
        task = s.scheduleAtFixedRate(this::scheduledCheck, interval, interval, TimeUnit.NANOSECONDS);
        return this;
    }

    private ScheduledExecutorService ownScheduler() {
        if (own == null) {
            own = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "federation-health-monitor");
                t.setDaemon(true);
                return t;
            });
        }
        return own;
    }

    private void scheduledCheck() {
        try {
            check();
        } catch (RuntimeException | Error e) {
            LOG.error("federation health check failed; the next one runs as scheduled", e);
        }
    }

    /**
     * Runs one check now: judges, updates the {@code federation.health} gauge, tells the listeners, and rolls
     * back or restores when due. The scheduled checks call it; tests and admin endpoints may too.
     *
     * @return the report of this check
     */
    public synchronized HealthReport check() {
        long now = clock.monotonicTime();
        Instant time = Instant.ofEpochMilli(clock.wallTime());
        FederationMode mode = modeSwitch.mode();
        long since = now - config.evaluationWindow().toNanos();
        if (modeChangedAtNanos != Long.MIN_VALUE && modeChangedAtNanos > since) {
            since = modeChangedAtNanos;
        }
        WindowStatistics w = metrics.recentWindow(since);

        List<HealthCheck> checks = new ArrayList<>(4);
        checks.add(errorRate(w));
        checks.add(p99(w));
        checks.add(heapGrowth(now));
        checks.add(effectiveness(w, mode));
        HealthStatus status = HealthStatus.HEALTHY;
        for (HealthCheck c : checks) {
            status = status.worst(c.status());
        }
        consecutiveCritical = status == HealthStatus.CRITICAL ? consecutiveCritical + 1 : 0;
        HealthReport report = new HealthReport(time, status, mode, checks, w, consecutiveCritical);
        lastReport = report;
        if (status != HealthStatus.HEALTHY) {
            LOG.info("federation health {}: {}", status, report.reasons());
        }
        for (HealthListener l : listeners) {
            try {
                l.checked(report);
            } catch (RuntimeException e) {
                LOG.warn("health listener {} failed", l, e);
            }
        }
        if (status == HealthStatus.CRITICAL && consecutiveCritical >= config.criticalChecksToRollBack()
                && config.automaticRollback() && !rolledBack && mode == FederationMode.BATCHED) {
            rollBack(report, now);
        } else if (rolledBack && config.coolDown() != null && status != HealthStatus.CRITICAL
                && now - rolledBackAtNanos >= config.coolDown().toNanos()) {
            restore(time);
        }
        return report;
    }

    private void rollBack(HealthReport report, long now) {
        String reason = String.join("; ", report.reasons()) + " (" + report.consecutiveCritical()
                + " CRITICAL checks in a row)";
        RollbackEvent event = new RollbackEvent(report.time(), reason, report);
        LOG.warn("federation health CRITICAL: rolling back ({}): {}", action, reason);
        try {
            action.rollback(event);
        } catch (RuntimeException e) {
            LOG.error("rollback action {} failed; it is tried again at the next CRITICAL check", action, e);
            return;
        }
        rolledBack = true;
        rolledBackAtNanos = now;
        consecutiveCritical = 0;
        rollbacks.incrementAndGet();
        for (HealthListener l : listeners) {
            try {
                l.rolledBack(event);
            } catch (RuntimeException e) {
                LOG.warn("health listener {} failed", l, e);
            }
        }
    }

    private void restore(Instant time) {
        String reason = "health monitor: cool-down of " + config.coolDown() + " passed after the rollback";
        LOG.warn("federation health: restoring batching ({})", reason);
        restoring = true;
        try {
            action.restore(reason);
        } catch (RuntimeException e) {
            LOG.error("rollback action {} failed to restore; tried again at the next check", action, e);
            return;
        } finally {
            restoring = false;
        }
        if (rolledBack) {
            // a custom action that does not touch the switch
            rolledBack = false;
            consecutiveCritical = 0;
            notifyRestored(time, reason, true);
        }
    }

    private synchronized void modeChanged(FederationMode from, FederationMode to, String reason) {
        modeChangedAtNanos = clock.monotonicTime();
        consecutiveCritical = 0;
        if (to == FederationMode.BATCHED && rolledBack) {
            rolledBack = false;
            if (!restoring) {
                LOG.warn("federation batching restored by hand after the health rollback: {}", reason);
            }
            notifyRestored(Instant.ofEpochMilli(clock.wallTime()), reason, restoring);
        }
    }

    private void notifyRestored(Instant time, String reason, boolean automatic) {
        for (HealthListener l : listeners) {
            try {
                l.restored(time, reason, automatic);
            } catch (RuntimeException e) {
                LOG.warn("health listener {} failed", l, e);
            }
        }
    }

    private HealthCheck errorRate(WindowStatistics w) {
        double threshold = config.errorRateThreshold();
        double rate = w.errorRate();
        if (w.loads() < config.minimumLoads()) {
            return new HealthCheck(HealthCheck.ERROR_RATE, HealthStatus.HEALTHY, false, rate, threshold,
                    "error rate not judged: " + w.loads() + " loads, fewer than " + config.minimumLoads());
        }
        boolean bad = rate > threshold;
        return new HealthCheck(HealthCheck.ERROR_RATE, bad ? HealthStatus.CRITICAL : HealthStatus.HEALTHY, true,
                rate, threshold, String.format(Locale.ROOT, "error rate %.4f %s %.4f (%d of %d loads failed)",
                        rate, bad ? "above" : "within", threshold, w.loadErrors(), w.loads()));
    }

    private HealthCheck p99(WindowStatistics w) {
        double threshold = config.p99Threshold().toNanos() / 1e9;
        double p99 = w.p99ResolutionSeconds();
        if (w.backendCalls() < config.minimumBackendCalls()) {
            return new HealthCheck(HealthCheck.P99_RESOLUTION, HealthStatus.HEALTHY, false, p99, threshold,
                    "p99 resolution not judged: " + w.backendCalls() + " backend calls, fewer than "
                            + config.minimumBackendCalls());
        }
        boolean bad = p99 > threshold;
        return new HealthCheck(HealthCheck.P99_RESOLUTION, bad ? HealthStatus.CRITICAL : HealthStatus.HEALTHY,
                true, p99, threshold, String.format(Locale.ROOT, "p99 resolution %.3f s %s %.3f s (%d backend calls)",
                        p99, bad ? "above" : "within", threshold, w.backendCalls()));
    }

    private HealthCheck heapGrowth(long now) {
        double threshold = config.heapGrowthThresholdBytesPerHour();
        long used;
        try {
            used = heapSampler.usedAfterGcBytes();
        } catch (RuntimeException e) {
            LOG.debug("heap sampler failed", e);
            used = -1;
        }
        if (used >= 0) {
            heap.add(now, used);
        }
        double slope = heap.slopeBytesPerHour();
        long span = heap.spanNanos();
        if (span < config.heapMinimumWindow().toNanos() || heap.size() < 3) {
            return new HealthCheck(HealthCheck.HEAP_GROWTH, HealthStatus.HEALTHY, false, slope, threshold,
                    "heap growth not judged: samples span " + Duration.ofNanos(span).toSeconds() + " s, less than "
                            + config.heapMinimumWindow().toSeconds() + " s");
        }
        boolean bad = slope > threshold;
        return new HealthCheck(HealthCheck.HEAP_GROWTH, bad ? HealthStatus.CRITICAL : HealthStatus.HEALTHY, true,
                slope, threshold, String.format(Locale.ROOT,
                        "heap after GC grows %.1f MB/hour, %s %.1f MB/hour (%d samples over %d s)",
                        slope / MB, bad ? "above" : "within", threshold / MB, heap.size(),
                        Duration.ofNanos(span).toSeconds()));
    }

    private HealthCheck effectiveness(WindowStatistics w, FederationMode mode) {
        double threshold = config.effectivenessThreshold();
        double e = w.effectiveness();
        if (mode != FederationMode.BATCHED) {
            return new HealthCheck(HealthCheck.BATCH_EFFECTIVENESS, HealthStatus.HEALTHY, false, e, threshold,
                    "batch effectiveness not judged: mode is " + mode);
        }
        if (w.loads() < config.minimumLoads()) {
            return new HealthCheck(HealthCheck.BATCH_EFFECTIVENESS, HealthStatus.HEALTHY, false, e, threshold,
                    "batch effectiveness not judged: " + w.loads() + " loads, fewer than " + config.minimumLoads());
        }
        boolean bad = e < threshold;
        return new HealthCheck(HealthCheck.BATCH_EFFECTIVENESS, bad ? HealthStatus.DEGRADED : HealthStatus.HEALTHY,
                true, e, threshold, String.format(Locale.ROOT,
                        "batch effectiveness %.4f %s %.4f (%d backend calls for %d loads)", e,
                        bad ? "below" : "within", threshold, w.backendCalls(), w.loads()));
    }

    /** The report of the latest check, or {@code null} before the first. */
    public synchronized @Nullable HealthReport lastReport() {
        return lastReport;
    }

    /** The status of the latest check, or {@code null} before the first. */
    public synchronized @Nullable HealthStatus status() {
        return lastReport == null ? null : lastReport.status();
    }

    /** {@code true} between an automatic rollback and the restore of batching. */
    public synchronized boolean isRolledBack() {
        return rolledBack;
    }

    /** Automatic rollbacks since this monitor was made. */
    public long rollbackCount() {
        return rollbacks.get();
    }

    /** Adds a listener. */
    public void addListener(HealthListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Publishes {@code federation.health} (0 healthy, 1 degraded, 2 critical, {@code NaN} before the first
     * check) and {@code federation.health.rollbacks}.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        FederationMeterNames names = metrics.names();
        Gauge.builder(names.health(), this, FederationHealthMonitor::gaugeValue)
                .description("Health of entity resolution at the latest check: 0 healthy, 1 degraded, 2 critical")
                .strongReference(true)
                .register(registry);
        FunctionCounter.builder(names.healthRollbacks(), rollbacks, AtomicLong::get)
                .description("Automatic rollbacks of batching to direct mode made by the health monitor")
                .register(registry);
    }

    private double gaugeValue() {
        HealthStatus s = status();
        return s == null ? Double.NaN : s.gaugeValue();
    }

    /** Stops the scheduled checks (and the monitor's own thread), and stops listening to the switch. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (task != null) {
            task.cancel(false);
        }
        if (own != null) {
            own.shutdownNow();
        }
        modeSwitch.removeListener(modeListener);
    }

    @Override
    public String toString() {
        return "FederationHealthMonitor[" + status() + ", rolledBack=" + isRolledBack() + "]";
    }

    /** Builder of {@link FederationHealthMonitor}. */
    public static final class Builder {
        private final FederationMetrics metrics;
        private final FederationModeSwitch modeSwitch;
        private HealthMonitorConfig config = HealthMonitorConfig.ofDefaults();
        private @Nullable Clock clock;
        private @Nullable ScheduledExecutorService scheduler;
        private HeapSampler heapSampler = HeapSampler.afterGc();
        private @Nullable RollbackAction action;
        private final List<HealthListener> listeners = new ArrayList<>();

        private Builder(FederationMetrics metrics, FederationModeSwitch modeSwitch) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            this.modeSwitch = Objects.requireNonNull(modeSwitch, "modeSwitch");
        }

        /** Thresholds and timing; {@link HealthMonitorConfig#ofDefaults()} when not set. */
        public Builder config(HealthMonitorConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * The clock of report times, heap samples and the cool-down; the clock of the {@link FederationMetrics}
         * when not set (give the same {@code MockClock} to both in tests).
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The scheduler of the checks; when not set, the monitor makes a daemon thread of its own, stopped by
         * {@link FederationHealthMonitor#close()}. A given scheduler is not shut down by the monitor.
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** How heap usage after GC is read; {@link HeapSampler#afterGc()} when not set. */
        public Builder heapSampler(HeapSampler heapSampler) {
            this.heapSampler = Objects.requireNonNull(heapSampler, "heapSampler");
            return this;
        }

        /** What a confirmed {@code CRITICAL} does; {@link RollbackAction#switchToDirect} when not set. */
        public Builder rollbackAction(RollbackAction action) {
            this.action = Objects.requireNonNull(action, "action");
            return this;
        }

        /** Adds a listener of checks, rollbacks and restores. */
        public Builder listener(HealthListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** The monitor, not started (see {@link FederationHealthMonitor#start()}). */
        public FederationHealthMonitor build() {
            return new FederationHealthMonitor(this);
        }
    }
}
