package dev.federation.health;

import dev.federation.core.FederationMode;
import dev.federation.core.observer.BatchCall;
import dev.federation.core.observer.BatchObservation;
import dev.federation.core.observer.BatchResult;
import dev.federation.core.observer.EntitiesCall;
import dev.federation.core.observer.EntitiesObservation;
import dev.federation.core.observer.EntitiesResult;
import dev.federation.core.observer.FederationObserver;
import dev.federation.core.observer.LoadOutcome;
import dev.federation.core.observer.Rejection;
import dev.federation.health.internal.SlidingWindow;
import java.time.Duration;
import java.util.Objects;

/**
 * The recent past of entity resolution, kept for the health monitor: an observer of federation-core that
 * counts loads, errors, rejections, backend calls and their latency, and whole {@code _entities} fields, in
 * a ring of time slices (the window cut in 30 slices). Needs no metrics library.
 *
 * <p>Register it as an observer of the {@code FederatedEntities} the monitor watches. With federation-metrics,
 * {@code FederationMetrics} keeps one already: use {@code metrics.healthWindow()} instead of a second.
 *
 * <pre>{@code
 * HealthWindow window = HealthWindow.create();
 * FederatedEntities entities = FederatedEntities.builder().observer(window)...build();
 * FederationHealthMonitor monitor = FederationHealthMonitor.builder(window, entities.modeSwitch()).build();
 * }</pre>
 *
 * <p>What counts: a representation rejected as bad input is a rejection, never a load, so it never counts
 * as a load error (a client must not be able to switch batching off by sending garbage). The loads of a
 * service's own DataLoaders are counted from their batch results.
 *
 * <p>Thread-safe; recording costs a clock read and a few striped-counter increments. Public API.
 */
public final class HealthWindow implements FederationObserver {

    /** The default length of the window: 5 minutes. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

    private final SlidingWindow window;
    private final EntitiesObservation entities = new EntitiesObservation() {
        @Override
        public void completed(EntitiesResult result) {
            window.recordRequest(result.representationCount(), result.errorCount() > 0, result.durationNanos());
        }
    };
    private final BatchObservation batched = new Backend(true);
    private final BatchObservation direct = new Backend(false);
    private final BatchObservation userLoader = new BatchObservation() {
        /** A service's own DataLoader reports no loads of its own: they are counted from its batch. */
        @Override
        public void completed(BatchResult result) {
            record(true, result);
            if (!result.succeeded()) {
                window.recordLoads(result.size(), true);
                return;
            }
            window.recordLoads(result.entityCount() + result.missingCount(), false);
            window.recordLoads(result.keyErrorCount(), true);
        }
    };

    private HealthWindow(Duration length, HealthClock clock) {
        this.window = new SlidingWindow(length, clock);
    }

    /** A window of {@link #DEFAULT_WINDOW} on the system clock. */
    public static HealthWindow create() {
        return of(DEFAULT_WINDOW, HealthClock.system());
    }

    /**
     * A window of the given length on the given clock.
     *
     * @param length at least 30 ms; the window's granularity is a thirtieth of it
     * @throws IllegalArgumentException when {@code length} is shorter than 30 ms
     */
    public static HealthWindow of(Duration length, HealthClock clock) {
        Objects.requireNonNull(length, "length");
        return new HealthWindow(length, Objects.requireNonNull(clock, "clock"));
    }

    /** The length of the window. */
    public Duration length() {
        return window.window();
    }

    /** The clock that places events in the window. */
    public HealthClock clock() {
        return window.clock();
    }

    /** What happened over the whole window. */
    public WindowStatistics statistics() {
        return toStatistics(window.totals(), window.window());
    }

    /**
     * What happened over the window after {@code sinceMonotonicNanos} (a time of {@link #clock()}'s monotonic
     * time, such as the latest change of mode), leaving out the slice that holds it.
     */
    public WindowStatistics statistics(long sinceMonotonicNanos) {
        long span = window.clock().monotonicNanos() - sinceMonotonicNanos;
        Duration length = span > 0 && span < window.window().toNanos() ? Duration.ofNanos(span) : window.window();
        return toStatistics(window.totals(sinceMonotonicNanos), length);
    }

    /** 1 - backend calls / loads over the whole window, or {@code NaN} without a load; a cheap read for gauges. */
    public double batchEffectiveness() {
        SlidingWindow.Totals t = window.totals(Long.MIN_VALUE, false);
        return t.loads() == 0 ? Double.NaN : 1.0 - (double) t.backendCalls() / t.loads();
    }

    private static WindowStatistics toStatistics(SlidingWindow.Totals t, Duration length) {
        long p99 = t.latencyQuantileNanos(0.99);
        long requestP99 = t.requestQuantileNanos(0.99);
        return new WindowStatistics(length, t.loads(), t.loadErrors(), t.rejections(), t.backendCalls(),
                t.backendErrors(), t.batchCalls(), t.batchedKeys(), p99 < 0 ? Double.NaN : p99 / 1e9,
                t.backendCalls() == 0 ? Double.NaN : t.backendNanos() / 1e9 / t.backendCalls(),
                t.requests(), t.requestErrors(), t.requestRepresentations(),
                requestP99 < 0 ? Double.NaN : requestP99 / 1e9,
                t.requests() == 0 ? Double.NaN : t.requestNanos() / 1e9 / t.requests());
    }

    @Override
    public EntitiesObservation entitiesStarted(EntitiesCall call) {
        return entities;
    }

    @Override
    public BatchObservation batchStarted(BatchCall call) {
        if (call.keyShape() == null) {
            return userLoader;
        }
        return call.mode() == FederationMode.BATCHED ? batched : direct;
    }

    @Override
    public void loadsCompleted(String typename, LoadOutcome outcome, int count) {
        window.recordLoads(count, outcome == LoadOutcome.ERROR);
    }

    @Override
    public void representationRejected(Rejection rejection) {
        window.recordRejection();
    }

    private void record(boolean batchedCall, BatchResult result) {
        window.recordBackendCall(batchedCall, result.size(), !result.succeeded(), result.durationNanos());
    }

    /** The end of the backend calls of one mode. */
    private final class Backend implements BatchObservation {
        private final boolean batchedCall;

        Backend(boolean batchedCall) {
            this.batchedCall = batchedCall;
        }

        @Override
        public void completed(BatchResult result) {
            record(batchedCall, result);
        }
    }

    @Override
    public String toString() {
        return "HealthWindow[" + window.window() + "]";
    }
}
