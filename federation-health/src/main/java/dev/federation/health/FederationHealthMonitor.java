package dev.federation.health;

import dev.federation.core.EntityCacheOptions;
import dev.federation.core.EntityType;
import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import dev.federation.health.HealthJudge.Judgement;
import dev.federation.health.RollbackPolicy.Decision;
import dev.federation.health.internal.HeapTrend;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * <p>Each check reads the recent past from a {@link HealthWindow} (the last
 * {@link HealthMonitorConfig#evaluationWindow()}, and only what happened since the latest change of mode) and
 * the heap used after GC from a {@link HeapSampler}, and judges:
 * <ul>
 *   <li>error rate (failed loads / loads; rejected bad input is not counted: a caller must not be able to
 *       switch batching off by sending garbage) above its threshold: {@code CRITICAL};</li>
 *   <li>p99 of backend call durations above its threshold: {@code CRITICAL};</li>
 *   <li>p99 of whole {@code _entities} fields (what the gateway waits for) above its threshold:
 *       {@code CRITICAL};</li>
 *   <li>heap growth after GC over the heap window (an hour), less what bounded caches may hold
 *       ({@link HealthMonitorConfig#heapAllowanceBytes()} and the library's own cross-request caches): above
 *       its threshold {@code DEGRADED}; {@code CRITICAL} only while it goes on in the latest half of the window
 *       and would reach the heap's limit within one more window. A bounded cache that warms levels off, so it
 *       never rolls back;</li>
 *   <li>batch effectiveness below its threshold, in {@code BATCHED} mode: {@code DEGRADED}.</li>
 * </ul>
 * A number is judged only with enough data ({@link HealthMonitorConfig#minimumLoads()},
 * {@link HealthMonitorConfig#minimumBackendCalls()}, {@link HealthMonitorConfig#minimumRequests()}); otherwise
 * the report says so and it counts as healthy.
 *
 * <p>When {@link HealthMonitorConfig#criticalChecksToRollBack()} checks in a row are {@code CRITICAL} and the
 * switch is {@code BATCHED}, the monitor logs a WARN with the reasons, runs the {@link RollbackAction} (by
 * default the switch goes to {@code DIRECT}), counts it in {@link #rollbackCount()} and tells the
 * {@link HealthListener}s. From then on every report says {@link HealthStatus#ROLLED_BACK} with the reason
 * (never {@code HEALTHY}) until batching is restored: by someone who sets the switch to {@code BATCHED}, or,
 * with a {@link HealthMonitorConfig#coolDown()}, when the cool-down has passed and the latest check is not
 * {@code CRITICAL}.
 *
 * <p>A rollback must not make things worse. A slow backend is slow in both modes, and {@code DIRECT} makes
 * one call per representation, so after a rollback the monitor compares {@code DIRECT} with what
 * {@code BATCHED} did before it ({@link CheckName#DIRECT_VS_BATCHED}). When {@code DIRECT} fixes neither the
 * latency nor the errors, by {@link HealthMonitorConfig#whenDirectIsWorse()} it switches back to
 * {@code BATCHED} and holds further automatic rollbacks (reporting {@code CRITICAL} with the reason) until a
 * judged check is no longer {@code CRITICAL} or an operator sets the mode; or it holds {@code DIRECT} and says
 * so. A change of mode starts a new count and a new evaluation window. The switch's own record of who changed
 * it ({@link FederationModeSwitch.Change#changedBy()}) tells an operator's change from the monitor's.
 *
 * <p>Three parts: a judge (statistics in, checks out), a rollback policy (a state machine over verdicts),
 * and this shell, which owns the clock, the scheduler and the lock. Checks run one at a time. The rollback
 * action and the listeners are called after the lock is released: {@link #status()}, {@link #lastReport()}
 * never wait for them, and neither does a manual change of the switch. Meters: federation-metrics'
 * {@code HealthMonitorMetrics}.
 *
 * <pre>{@code
 * HealthWindow window = HealthWindow.create();              // an observer of the FederatedEntities
 * FederationHealthMonitor monitor = FederationHealthMonitor.builder(window, entities.modeSwitch())
 *     .entities(entities)                                   // its caches' bound is a heap allowance
 *     .config(HealthMonitorConfig.custom().heapAllowanceBytes(64_000_000).build())
 *     .listener(new HealthListener() {
 *         public void rolledBack(RollbackEvent event) { alerts.send(event.reason()); }
 *     })
 *     .build();
 * monitor.start();                                          // checks every 30 s until close()
 * }</pre>
 *
 * <p>Thread-safe. Public API.
 */
public final class FederationHealthMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FederationHealthMonitor.class);

    private final HealthWindow window;
    private final FederationModeSwitch modeSwitch;
    private final HealthMonitorConfig config;
    private final HealthClock clock;
    private final HeapSampler heapSampler;
    private final RollbackAction action;
    private final List<HealthListener> listeners;
    private final @Nullable ScheduledExecutorService scheduler;
    private final long allowanceBytes;
    private final HealthJudge judge;
    private final RollbackPolicy policy;
    private final HeapTrend heap;
    private final AtomicLong rollbacks = new AtomicLong();
    private final FederationModeSwitch.Listener modeListener = new FederationModeSwitch.Listener() {
        @Override
        public void modeChanged(FederationMode from, FederationMode to, String reason) {
            // not called: changed(Change) is overridden, to know who changed the mode
        }

        @Override
        public void changed(FederationModeSwitch.Change change) {
            switchChanged(change);
        }
    };
    /** One check at a time, its rollback or restore included. Never taken by readers. */
    private final ReentrantLock checking = new ReentrantLock();
    /** Guards the policy and the heap trend; never held while calling user code (actions, listeners). */
    private final Object lock = new Object();

    private volatile @Nullable HealthReport lastReport;
    private @Nullable ScheduledFuture<?> task;
    private @Nullable ScheduledExecutorService own;
    private boolean closed;

    private FederationHealthMonitor(Builder b) {
        this.window = b.window;
        this.modeSwitch = b.modeSwitch;
        this.config = b.config;
        this.clock = b.clock != null ? b.clock : b.window.clock();
        this.heapSampler = b.heapSampler;
        this.action = b.action != null ? b.action : RollbackAction.switchToDirect(b.modeSwitch);
        this.listeners = new CopyOnWriteArrayList<>(b.listeners);
        this.scheduler = b.scheduler;
        this.allowanceBytes = config.heapAllowanceBytes() + b.cachedEntities * config.cachedEntityBytes();
        this.judge = new HealthJudge(config);
        this.policy = new RollbackPolicy(config);
        this.heap = new HeapTrend(config.heapWindow().toNanos());
        modeSwitch.addListener(modeListener);
    }

    /**
     * A builder of a monitor that reads {@code window} (an observer of the {@code FederatedEntities} whose
     * switch is {@code modeSwitch}) and, by default, rolls back by setting {@code modeSwitch} to
     * {@code DIRECT}.
     */
    public static Builder builder(HealthWindow window, FederationModeSwitch modeSwitch) {
        return new Builder(window, modeSwitch);
    }

    /** The configuration. */
    public HealthMonitorConfig config() {
        return config;
    }

    /**
     * Bytes of heap growth over the heap window taken as bounded caches warming: the configured allowance plus
     * the library's cross-request caches' most entries times {@link HealthMonitorConfig#cachedEntityBytes()}.
     */
    public long heapAllowanceBytes() {
        return allowanceBytes;
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
     * Runs one check now: judges, tells the listeners, and rolls back or restores when due. The scheduled
     * checks call it; tests and admin endpoints may too. Checks run one at a time; the rollback action and the
     * listeners run after the monitor's lock is released, so a slow webhook delays the next check but never
     * {@link #status()} or {@link #lastReport()}.
     *
     * @return the report of this check (with status {@code ROLLED_BACK} when this check rolled back)
     */
    public HealthReport check() {
        checking.lock();
        try {
            HealthReport report;
            Decision decision;
            synchronized (lock) {
                long now = clock.monotonicNanos();
                FederationMode mode = modeSwitch.mode();
                WindowStatistics w = window.statistics(policy.windowStart(now));
                Judgement j = judge.judge(w, mode, sampleHeap(now), policy.comparing(mode), policy.baseline());
                decision = policy.decide(j, mode, now);
                report = new HealthReport(clock.now(), decision.status(), mode, j.checks(), w,
                        decision.consecutiveCritical(), decision.reason());
                lastReport = report;
            }
            if (decision.info() != null) {
                LOG.info(decision.info());
            }
            if (decision.warning() != null) {
                LOG.warn(decision.warning());
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
            switch (decision.plan()) {
                case ROLL_BACK:
                    return rollBack(report);
                case RESTORE_AFTER_COOL_DOWN:
                    restore(report.time(), Objects.requireNonNull(decision.restoreReason()), false);
                    break;
                case RESTORE_DIRECT_WORSE:
                    restore(report.time(), Objects.requireNonNull(decision.restoreReason()), true);
                    break;
                default:
                    break;
            }
            HealthReport last = lastReport;
            return last == null ? report : last;
        } finally {
            checking.unlock();
        }
    }

    private HealthJudge.Heap sampleHeap(long now) {
        long used;
        long max;
        try {
            used = heapSampler.usedAfterGcBytes();
            max = heapSampler.maxBytes();
        } catch (RuntimeException e) {
            LOG.debug("heap sampler failed", e);
            used = -1;
            max = -1;
        }
        if (used >= 0) {
            heap.add(now, used);
        }
        return new HealthJudge.Heap(heap.size(), heap.spanNanos(), heap.slopeBytesPerHour(),
                heap.recentSlopeBytesPerHour(), heap.latestBytes(), max, allowanceBytes);
    }

    /** Runs the rollback action outside the state lock; returns the report as it stands afterwards. */
    private HealthReport rollBack(HealthReport report) {
        String reason = String.join("; ", report.reasons()) + " (" + report.consecutiveCritical()
                + " CRITICAL checks in a row)";
        RollbackEvent event = new RollbackEvent(report.time(), reason, report);
        LOG.warn("federation health CRITICAL: rolling back ({}): {}", action, reason);
        try {
            action.rollback(event);
        } catch (RuntimeException e) {
            LOG.error("rollback action {} failed; it is tried again at the next CRITICAL check", action, e);
            return report;
        }
        HealthReport after;
        synchronized (lock) {
            policy.rolledBack(reason, clock.monotonicNanos(), HealthJudge.baselineOf(report));
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

    private void restore(Instant time, String reason, boolean directWorse) {
        LOG.warn("federation health: restoring batching ({})", reason);
        try {
            action.restore(reason);
        } catch (RuntimeException e) {
            LOG.error("rollback action {} failed to restore; tried again at the next check", action, e);
            return;
        }
        boolean notify;
        synchronized (lock) {
            notify = policy.restored(reason, directWorse);
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

    private void switchChanged(FederationModeSwitch.Change change) {
        boolean byOperator = !RollbackAction.CHANGED_BY.equals(change.changedBy());
        boolean restored;
        synchronized (lock) {
            restored = policy.modeChanged(change.to(), byOperator, clock.monotonicNanos());
        }
        if (restored) {
            if (byOperator) {
                LOG.warn("federation batching restored by {} after the health rollback: {}", change.changedBy(),
                        change.reason());
            }
            notifyRestored(clock.now(), change.reason(), !byOperator);
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
        return policy.rolledBack();
    }

    /** Automatic rollbacks since this monitor was made. */
    public long rollbackCount() {
        return rollbacks.get();
    }

    /** Adds a listener. */
    public void addListener(HealthListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
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
        private final HealthWindow window;
        private final FederationModeSwitch modeSwitch;
        private HealthMonitorConfig config = HealthMonitorConfig.ofDefaults();
        private @Nullable HealthClock clock;
        private @Nullable ScheduledExecutorService scheduler;
        private HeapSampler heapSampler = HeapSampler.afterGc();
        private @Nullable RollbackAction action;
        private long cachedEntities;
        private final List<HealthListener> listeners = new ArrayList<>();

        private Builder(HealthWindow window, FederationModeSwitch modeSwitch) {
            this.window = Objects.requireNonNull(window, "window");
            this.modeSwitch = Objects.requireNonNull(modeSwitch, "modeSwitch");
        }

        /** Thresholds and timing; {@link HealthMonitorConfig#ofDefaults()} when not set. */
        public Builder config(HealthMonitorConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * The entity resolution watched: the most entries of its cross-request caches, times
         * {@link HealthMonitorConfig#cachedEntityBytes()}, are added to the heap allowance.
         */
        public Builder entities(FederatedEntities entities) {
            long entries = 0;
            for (EntityType type : entities.entityTypes().values()) {
                EntityCacheOptions cache = type.cache();
                if (cache != null) {
                    entries += cache.maximumSize();
                }
            }
            this.cachedEntities = entries;
            return this;
        }

        /**
         * The clock of report times, heap samples and the cool-down; the window's clock when not set (a test
         * gives the same manual clock to both).
         */
        public Builder clock(HealthClock clock) {
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

        /** How heap usage after GC and its limit are read; {@link HeapSampler#afterGc()} when not set. */
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
