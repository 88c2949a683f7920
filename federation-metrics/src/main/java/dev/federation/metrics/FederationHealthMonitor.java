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
import java.util.concurrent.locks.ReentrantLock;
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
 *   <li>p99 of whole {@code _entities} fields (what the gateway waits for) above its threshold:
 *       {@code CRITICAL};</li>
 *   <li>heap growth after GC (least-squares slope over the heap window, judged once the samples span the
 *       minimum window) above its threshold: {@code CRITICAL};</li>
 *   <li>batch effectiveness below its threshold, in {@code BATCHED} mode: {@code DEGRADED}.</li>
 * </ul>
 * A number is judged only with enough data ({@link HealthMonitorConfig#minimumLoads()},
 * {@link HealthMonitorConfig#minimumBackendCalls()}, {@link HealthMonitorConfig#minimumRequests()}); otherwise
 * the report says so and it counts as healthy.
 *
 * <p>When {@link HealthMonitorConfig#criticalChecksToRollBack()} checks in a row are {@code CRITICAL} and the
 * switch is {@code BATCHED}, the monitor logs a WARN with the reasons, runs the {@link RollbackAction} (by
 * default the switch goes to {@code DIRECT}), counts it in {@code federation.health.rollbacks} and tells the
 * {@link HealthListener}s. From then on every report says {@link HealthStatus#ROLLED_BACK} with the reason
 * (never {@code HEALTHY}) until batching is restored: by someone who sets the switch to {@code BATCHED}, or,
 * with a {@link HealthMonitorConfig#coolDown()}, when the cool-down has passed and the latest check is not
 * {@code CRITICAL}.
 *
 * <p>A rollback must not make things worse. A slow backend is slow in both modes, and {@code DIRECT} makes
 * one call per representation, so after a rollback the monitor compares {@code DIRECT} with what
 * {@code BATCHED} did before it ({@link HealthCheck#DIRECT_VS_BATCHED}): the mean time of an
 * {@code _entities} field, measured, or estimated as representations per field times the mean one-by-one
 * call while fields are still running, and the error rate. When {@code DIRECT} fixes neither, by
 * {@link HealthMonitorConfig#whenDirectIsWorse()} it switches back to {@code BATCHED} and holds further
 * automatic rollbacks (reporting {@code CRITICAL} with the reason) until a judged check is no longer
 * {@code CRITICAL} or an operator sets the mode; or it holds {@code DIRECT} and says so. A change of mode
 * starts a new count and a new evaluation window, so the numbers of one mode never judge the other.
 *
 * <p>Checks run one at a time. The rollback action and the listeners are called outside the monitor's
 * lock: {@link #status()}, {@link #lastReport()} and the gauge read a volatile and never wait for them, and
 * neither does a manual change of the switch.
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
 * <p>Thread-safe. Public API.
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
    /** One check at a time, its rollback or restore included. Never taken by readers. */
    private final ReentrantLock checking = new ReentrantLock();
    /** Guards the state below; never held while calling user code (actions, listeners). */
    private final Object lock = new Object();

    private volatile @Nullable HealthReport lastReport;
    private volatile boolean rolledBack;
    private int consecutiveCritical;
    private @Nullable String rollbackReason;
    private long rolledBackAtNanos;
    private @Nullable Baseline baseline;
    private @Nullable String heldReason;
    private boolean directWorseLogged;
    private long modeChangedAtNanos = Long.MIN_VALUE;
    /** The thread running the monitor's own action, so that a mode change it makes is not taken for an operator's. */
    private volatile @Nullable Thread actingThread;
    private @Nullable ScheduledFuture<?> task;
    private @Nullable ScheduledExecutorService own;
    private boolean closed;

    /** What {@code BATCHED} mode did just before the rollback, to judge {@code DIRECT} against. */
    private record Baseline(double meanRequestSeconds, double errorRate, double representationsPerRequest,
            boolean judgeable, String why) {
    }

    private enum Plan { NONE, ROLL_BACK, RESTORE_AFTER_COOL_DOWN, RESTORE_DIRECT_WORSE }

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
    public FederationHealthMonitor start() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the health monitor is closed");
            }
            if (task != null) {
                throw new IllegalStateException("the health monitor is started already");
            }
            ScheduledExecutorService s = scheduler != null ? scheduler : ownScheduler();
            long interval = config.checkInterval().toNanos();
            task = s.scheduleAtFixedRate(this::scheduledCheck, interval, interval, TimeUnit.NANOSECONDS);
        }
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
     * back or restores when due. The scheduled checks call it; tests and admin endpoints may too. Checks run
     * one at a time; the rollback action and the listeners run outside the monitor's lock, so a slow webhook
     * delays the next check but never {@link #status()}, {@link #lastReport()} or the gauge.
     *
     * @return the report of this check (with status {@code ROLLED_BACK} when this check rolled back)
     */
    public HealthReport check() {
        checking.lock();
        try {
            HealthReport report;
            Plan plan;
            String restoreReason = null;
            synchronized (lock) {
                long now = clock.monotonicTime();
                Instant time = Instant.ofEpochMilli(clock.wallTime());
                FederationMode mode = modeSwitch.mode();
                long since = now - config.evaluationWindow().toNanos();
                if (modeChangedAtNanos != Long.MIN_VALUE && modeChangedAtNanos > since) {
                    since = modeChangedAtNanos;
                }
                WindowStatistics w = metrics.recentWindow(since);

                List<HealthCheck> checks = new ArrayList<>(6);
                checks.add(errorRate(w));
                checks.add(p99(w));
                checks.add(requestP99(w));
                checks.add(heapGrowth(now));
                checks.add(effectiveness(w, mode));
                HealthCheck comparison = rolledBack && mode == FederationMode.DIRECT ? directVsBatched(w) : null;
                if (comparison != null) {
                    checks.add(comparison);
                }
                HealthStatus verdict = HealthStatus.HEALTHY;
                for (HealthCheck c : checks) {
                    verdict = verdict.worst(c.status());
                }
                consecutiveCritical = verdict == HealthStatus.CRITICAL ? consecutiveCritical + 1 : 0;
                boolean judged = checks.get(0).judged() || checks.get(1).judged() || checks.get(2).judged();
                if (heldReason != null && mode == FederationMode.BATCHED) {
                    if (verdict != HealthStatus.CRITICAL && judged) {
                        LOG.info("federation health: no longer CRITICAL; automatic rollback allowed again");
                        heldReason = null;
                    } else {
                        // the rollback was undone because DIRECT was worse: CRITICAL until a judged check clears it
                        verdict = HealthStatus.CRITICAL;
                    }
                }
                String reason = rolledBack ? rollbackReason : null;
                if (comparison != null && comparison.status() == HealthStatus.CRITICAL) {
                    reason = reason + "; " + comparison.message();
                }
                report = new HealthReport(time, rolledBack ? HealthStatus.ROLLED_BACK : verdict, mode, checks, w,
                        consecutiveCritical, reason);
                plan = Plan.NONE;
                if (comparison != null && comparison.status() == HealthStatus.CRITICAL) {
                    if (config.whenDirectIsWorse() == HealthMonitorConfig.DirectWorsePolicy.RESTORE_BATCHED) {
                        plan = Plan.RESTORE_DIRECT_WORSE;
                        restoreReason = "health monitor: DIRECT serves worse than BATCHED did, so the rollback is "
                                + "undone (" + comparison.message() + ")";
                    } else if (!directWorseLogged) {
                        directWorseLogged = true;
                        LOG.warn("federation health: DIRECT serves worse than BATCHED did; holding DIRECT as "
                                + "configured, an operator decides: {}", comparison.message());
                    }
                } else if (verdict == HealthStatus.CRITICAL && consecutiveCritical >= config.criticalChecksToRollBack()
                        && config.automaticRollback() && !rolledBack && mode == FederationMode.BATCHED) {
                    if (heldReason == null) {
                        plan = Plan.ROLL_BACK;
                    }
                } else if (rolledBack && config.coolDown() != null && verdict != HealthStatus.CRITICAL
                        && now - rolledBackAtNanos >= config.coolDown().toNanos()) {
                    plan = Plan.RESTORE_AFTER_COOL_DOWN;
                    restoreReason = "health monitor: cool-down of " + config.coolDown() + " passed after the rollback";
                }
                if (heldReason != null && mode == FederationMode.BATCHED && plan == Plan.NONE) {
                    report = withReasonNote(report, "automatic rollback held: " + heldReason);
                }
                lastReport = report;
            }
            if (report.status() != HealthStatus.HEALTHY) {
                LOG.info("federation health {}: {}", report.status(), report.reasons());
            }
            for (HealthListener l : listeners) {
                try {
                    l.checked(report);
                } catch (RuntimeException e) {
                    LOG.warn("health listener {} failed", l, e);
                }
            }
            switch (plan) {
                case ROLL_BACK:
                    return rollBack(report);
                case RESTORE_AFTER_COOL_DOWN:
                    restore(report.time(), restoreReason, false);
                    break;
                case RESTORE_DIRECT_WORSE:
                    restore(report.time(), restoreReason, true);
                    break;
                default:
                    break;
            }
            return lastReport == null ? report : lastReport;
        } finally {
            checking.unlock();
        }
    }

    private static HealthReport withReasonNote(HealthReport r, String note) {
        return new HealthReport(r.time(), r.status(), r.mode(), r.checks(), r.window(), r.consecutiveCritical(),
                r.rollbackReason() == null ? note : r.rollbackReason() + "; " + note);
    }

    /** Runs the rollback action outside the state lock; returns the report as it stands afterwards. */
    private HealthReport rollBack(HealthReport report) {
        String reason = String.join("; ", report.reasons()) + " (" + report.consecutiveCritical()
                + " CRITICAL checks in a row)";
        RollbackEvent event = new RollbackEvent(report.time(), reason, report);
        LOG.warn("federation health CRITICAL: rolling back ({}): {}", action, reason);
        Baseline before = baselineOf(report);
        actingThread = Thread.currentThread();
        try {
            action.rollback(event);
        } catch (RuntimeException e) {
            LOG.error("rollback action {} failed; it is tried again at the next CRITICAL check", action, e);
            return report;
        } finally {
            actingThread = null;
        }
        HealthReport after;
        synchronized (lock) {
            rolledBack = true;
            rollbackReason = reason;
            rolledBackAtNanos = clock.monotonicTime();
            baseline = before;
            consecutiveCritical = 0;
            rollbacks.incrementAndGet();
            after = new HealthReport(report.time(), HealthStatus.ROLLED_BACK, modeSwitch.mode(), report.checks(),
                    report.window(), report.consecutiveCritical(), reason);
            lastReport = after;
        }
        for (HealthListener l : listeners) {
            try {
                l.rolledBack(event);
            } catch (RuntimeException e) {
                LOG.warn("health listener {} failed", l, e);
            }
        }
        return after;
    }

    private Baseline baselineOf(HealthReport report) {
        WindowStatistics w = report.window();
        boolean heapInvolved = report.check(HealthCheck.HEAP_GROWTH).status() == HealthStatus.CRITICAL;
        double perRequest = w.representationsPerRequest();
        if (Double.isNaN(perRequest)) {
            perRequest = Double.isNaN(w.averageBatchSize()) ? 1 : w.averageBatchSize();
        }
        double mean = w.meanRequestSeconds();
        if (Double.isNaN(mean)) {
            mean = w.meanResolutionSeconds();
        }
        boolean judgeable = !heapInvolved && !Double.isNaN(mean);
        String why = heapInvolved ? "the rollback was for heap growth, which a comparison of latency cannot judge"
                : Double.isNaN(mean) ? "BATCHED mode left no latency to compare with" : "";
        return new Baseline(mean, w.errorRate(), perRequest, judgeable, why);
    }

    /**
     * After a rollback: does {@code DIRECT} serve better than {@code BATCHED} did? It is better when it fixes
     * the errors, or when an {@code _entities} field takes less time. Requests that have not finished yet still
     * count, through the estimate representations per request × the mean one-by-one call.
     */
    private HealthCheck directVsBatched(WindowStatistics w) {
        Baseline b = baseline;
        if (b == null || !b.judgeable) {
            return new HealthCheck(HealthCheck.DIRECT_VS_BATCHED, HealthStatus.HEALTHY, false, Double.NaN,
                    b == null ? Double.NaN : b.meanRequestSeconds,
                    "DIRECT against BATCHED not judged: " + (b == null ? "no baseline" : b.why));
        }
        if (w.backendCalls() < config.minimumBackendCalls()) {
            return new HealthCheck(HealthCheck.DIRECT_VS_BATCHED, HealthStatus.HEALTHY, false, Double.NaN,
                    b.meanRequestSeconds, "DIRECT against BATCHED not judged yet: " + w.backendCalls()
                            + " backend calls since the rollback, fewer than " + config.minimumBackendCalls());
        }
        boolean measured = w.requests() >= config.minimumRequests();
        double direct = measured ? w.meanRequestSeconds() : b.representationsPerRequest * w.meanResolutionSeconds();
        double directErrors = w.errorRate();
        boolean errorsBetter = !Double.isNaN(b.errorRate) && !Double.isNaN(directErrors)
                && b.errorRate > config.errorRateThreshold() && directErrors <= config.errorRateThreshold();
        boolean fasterOrEqual = direct <= b.meanRequestSeconds;
        boolean worse = !errorsBetter && !fasterOrEqual;
        String how = measured
                ? String.format(Locale.ROOT, "%.3f s per _entities field over %d fields", direct, w.requests())
                : String.format(Locale.ROOT, "about %.3f s per _entities field (%.1f representations x %.3f s a call)",
                        direct, b.representationsPerRequest, w.meanResolutionSeconds());
        String message = String.format(Locale.ROOT, "DIRECT %s: %s, against %.3f s in BATCHED before the rollback; "
                        + "error rate %.4f, against %.4f", worse ? "serves worse than BATCHED" : "serves no worse",
                how, b.meanRequestSeconds, directErrors, b.errorRate);
        return new HealthCheck(HealthCheck.DIRECT_VS_BATCHED, worse ? HealthStatus.CRITICAL : HealthStatus.HEALTHY,
                true, direct, b.meanRequestSeconds, message);
    }

    private void restore(Instant time, String reason, boolean directWorse) {
        LOG.warn("federation health: restoring batching ({})", reason);
        actingThread = Thread.currentThread();
        try {
            action.restore(reason);
        } catch (RuntimeException e) {
            LOG.error("rollback action {} failed to restore; tried again at the next check", action, e);
            return;
        } finally {
            actingThread = null;
        }
        boolean notify = false;
        synchronized (lock) {
            if (directWorse) {
                heldReason = reason;
            }
            if (rolledBack) {
                // a custom action that does not touch the switch
                clearRollback();
                notify = true;
            }
            HealthReport r = lastReport;
            if (r != null && r.status() == HealthStatus.ROLLED_BACK) {
                lastReport = new HealthReport(r.time(), r.checksStatus(), modeSwitch.mode(), r.checks(), r.window(),
                        r.consecutiveCritical(), directWorse ? "rollback undone: " + reason : null);
            }
        }
        if (notify) {
            notifyRestored(time, reason, true);
        }
    }

    private void clearRollback() {
        rolledBack = false;
        rollbackReason = null;
        baseline = null;
        directWorseLogged = false;
        consecutiveCritical = 0;
    }

    private void modeChanged(FederationMode from, FederationMode to, String reason) {
        boolean byMonitor = actingThread == Thread.currentThread();
        boolean restored = false;
        synchronized (lock) {
            modeChangedAtNanos = clock.monotonicTime();
            consecutiveCritical = 0;
            if (!byMonitor) {
                heldReason = null; // an operator decides now
            }
            if (to == FederationMode.BATCHED && rolledBack) {
                clearRollback();
                restored = true;
            }
        }
        if (restored) {
            if (!byMonitor) {
                LOG.warn("federation batching restored by hand after the health rollback: {}", reason);
            }
            notifyRestored(Instant.ofEpochMilli(clock.wallTime()), reason, byMonitor);
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

    private HealthCheck requestP99(WindowStatistics w) {
        double threshold = config.requestP99Threshold().toNanos() / 1e9;
        double p99 = w.p99RequestSeconds();
        if (w.requests() < config.minimumRequests()) {
            return new HealthCheck(HealthCheck.P99_REQUEST, HealthStatus.HEALTHY, false, p99, threshold,
                    "p99 of _entities fields not judged: " + w.requests() + " fields, fewer than "
                            + config.minimumRequests());
        }
        boolean bad = p99 > threshold;
        return new HealthCheck(HealthCheck.P99_REQUEST, bad ? HealthStatus.CRITICAL : HealthStatus.HEALTHY, true,
                p99, threshold, String.format(Locale.ROOT, "p99 of _entities fields %.3f s %s %.3f s (%d fields)",
                        p99, bad ? "above" : "within", threshold, w.requests()));
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

    /** The report of the latest check, or {@code null} before the first. Never blocks. */
    public @Nullable HealthReport lastReport() {
        return lastReport;
    }

    /**
     * The status of the latest check ({@code ROLLED_BACK} while rolled back), or {@code null} before the first.
     * Never blocks.
     */
    public @Nullable HealthStatus status() {
        HealthReport r = lastReport;
        return r == null ? null : r.status();
    }

    /** {@code true} between an automatic rollback and the restore of batching. Never blocks. */
    public boolean isRolledBack() {
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
     * Publishes {@code federation.health} (0 healthy, 1 degraded, 2 critical, 3 rolled back, {@code NaN}
     * before the first check; read from a volatile, never blocked by a check) and
     * {@code federation.health.rollbacks}.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        FederationMeterNames names = metrics.names();
        Gauge.builder(names.health(), this, FederationHealthMonitor::gaugeValue)
                .description("Health of entity resolution at the latest check: 0 healthy, 1 degraded, 2 critical, "
                        + "3 rolled back to direct mode by the health monitor")
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
    public void close() {
        synchronized (lock) {
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
