package dev.federation.health.internal;

import dev.federation.health.HealthClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of the recent past in a ring of time slices: the window is cut in {@value #SLICES} slices, each event
 * goes to the slice of its time, and a read sums the slices of the last window (so a read covers between one
 * window and one window plus one slice). A slice is reused, and reset, once it falls out of the window.
 *
 * <p>Thread-safe. Recording costs a clock read, a few striped-counter increments and, for a backend call, one
 * atomic increment of a latency bucket.
 */
public final class SlidingWindow {

    /** How many slices a window is cut in. */
    public static final int SLICES = 30;

    private final HealthClock clock;
    private final Duration window;
    private final long sliceNanos;
    private final Slice[] ring = new Slice[SLICES + 1];

    /**
     * @param window the length of the window, at least {@value #SLICES} ms
     * @param clock the clock whose monotonic time places events in slices
     */
    public SlidingWindow(Duration window, HealthClock clock) {
        if (window.toMillis() < SLICES) {
            throw new IllegalArgumentException("window must be at least " + SLICES + " ms, was " + window);
        }
        this.window = window;
        this.clock = clock;
        this.sliceNanos = window.toNanos() / SLICES;
        for (int i = 0; i < ring.length; i++) {
            ring[i] = new Slice();
        }
    }

    /** The length of the window. */
    public Duration window() {
        return window;
    }

    /** The length of one slice: the granularity of the window. */
    public Duration slice() {
        return Duration.ofNanos(sliceNanos);
    }

    /** The clock. */
    public HealthClock clock() {
        return clock;
    }

    private Slice current() {
        long epoch = Math.floorDiv(clock.monotonicNanos(), sliceNanos);
        Slice s = ring[(int) Math.floorMod(epoch, (long) ring.length)];
        if (s.epoch != epoch) {
            synchronized (s) {
                if (s.epoch != epoch) {
                    s.reset(epoch);
                }
            }
        }
        return s;
    }

    /** {@code count} loads served (not rejected) ended; {@code error} when they failed. */
    public void recordLoads(long count, boolean error) {
        Slice s = current();
        s.loads.add(count);
        if (error) {
            s.loadErrors.add(count);
        }
    }

    /** A representation was rejected as bad input. */
    public void recordRejection() {
        current().rejections.increment();
    }

    /**
     * A backend call ended.
     *
     * @param batched {@code true} for a batch call, {@code false} for a one-by-one call of {@code DIRECT} mode
     * @param size its keys
     * @param failed {@code true} when it failed as a whole
     * @param durationNanos its duration
     */
    public void recordBackendCall(boolean batched, int size, boolean failed, long durationNanos) {
        Slice s = current();
        s.backendCalls.increment();
        if (failed) {
            s.backendErrors.increment();
        }
        if (batched) {
            s.batchCalls.increment();
            s.batchedKeys.add(size);
        }
        s.backendNanos.add(durationNanos);
        s.latency.incrementAndGet(LatencyBuckets.index(durationNanos));
    }

    /**
     * An {@code _entities} field ended.
     *
     * @param representations its representations
     * @param failed {@code true} when any of them failed
     * @param durationNanos the field's duration
     */
    public void recordRequest(int representations, boolean failed, long durationNanos) {
        Slice s = current();
        s.requests.increment();
        if (failed) {
            s.requestErrors.increment();
        }
        s.requestRepresentations.add(representations);
        s.requestNanos.add(durationNanos);
        s.requestLatency.incrementAndGet(LatencyBuckets.index(durationNanos));
    }

    /** The sums of the last window. */
    public Totals totals() {
        return totals(Long.MIN_VALUE, true);
    }

    /**
     * The sums of the last window, leaving out the slices up to and including the one of
     * {@code sinceMonotonicNanos} (to read only what happened after an event, such as a change of mode).
     */
    public Totals totals(long sinceMonotonicNanos) {
        return totals(sinceMonotonicNanos, true);
    }

    /**
     * {@link #totals(long)}, {@code Long.MIN_VALUE} for the whole window; without {@code latency} the
     * latency buckets are left empty (a cheaper read for gauges).
     */
    public Totals totals(long sinceMonotonicNanos, boolean latency) {
        long now = Math.floorDiv(clock.monotonicNanos(), sliceNanos);
        long from = now - SLICES;
        if (sinceMonotonicNanos != Long.MIN_VALUE) {
            from = Math.max(from, Math.floorDiv(sinceMonotonicNanos, sliceNanos) + 1);
        }
        long loads = 0;
        long loadErrors = 0;
        long rejections = 0;
        long backendCalls = 0;
        long backendErrors = 0;
        long batchCalls = 0;
        long batchedKeys = 0;
        long backendNanos = 0;
        long requests = 0;
        long requestErrors = 0;
        long requestRepresentations = 0;
        long requestNanos = 0;
        long[] buckets = new long[latency ? LatencyBuckets.COUNT : 0];
        long[] requestBuckets = new long[latency ? LatencyBuckets.COUNT : 0];
        for (Slice s : ring) {
            synchronized (s) {
                long e = s.epoch;
                if (e < from || e > now) {
                    continue;
                }
                loads += s.loads.sum();
                loadErrors += s.loadErrors.sum();
                rejections += s.rejections.sum();
                backendCalls += s.backendCalls.sum();
                backendErrors += s.backendErrors.sum();
                batchCalls += s.batchCalls.sum();
                batchedKeys += s.batchedKeys.sum();
                backendNanos += s.backendNanos.sum();
                requests += s.requests.sum();
                requestErrors += s.requestErrors.sum();
                requestRepresentations += s.requestRepresentations.sum();
                requestNanos += s.requestNanos.sum();
                for (int i = 0; i < buckets.length; i++) {
                    buckets[i] += s.latency.get(i);
                    requestBuckets[i] += s.requestLatency.get(i);
                }
            }
        }
        return new Totals(loads, loadErrors, rejections, backendCalls, backendErrors, batchCalls, batchedKeys,
                backendNanos, buckets, requests, requestErrors, requestRepresentations, requestNanos, requestBuckets);
    }

    /**
     * Sums over a window.
     *
     * @param loads loads served (every outcome), rejected representations excluded
     * @param loadErrors loads that ended in an error
     * @param rejections representations rejected as bad input
     * @param backendCalls backend calls, batched and one-by-one
     * @param backendErrors backend calls that failed as a whole
     * @param batchCalls batch calls ({@code BATCHED} mode)
     * @param batchedKeys keys sent in batch calls
     * @param backendNanos the summed durations of the backend calls
     * @param latencyBuckets backend call durations in {@link LatencyBuckets}
     * @param requests {@code _entities} fields that ended
     * @param requestErrors those of them with at least one failed representation
     * @param requestRepresentations their representations
     * @param requestNanos their summed durations
     * @param requestLatencyBuckets their durations in {@link LatencyBuckets}
     */
    public record Totals(long loads, long loadErrors, long rejections, long backendCalls, long backendErrors,
            long batchCalls, long batchedKeys, long backendNanos, long[] latencyBuckets, long requests,
            long requestErrors, long requestRepresentations, long requestNanos, long[] requestLatencyBuckets) {

        /** The {@code q} quantile of the backend call durations in nanoseconds, or -1 without a call. */
        public long latencyQuantileNanos(double q) {
            return LatencyBuckets.quantile(latencyBuckets, q);
        }

        /** The {@code q} quantile of the {@code _entities} field durations in nanoseconds, or -1 without one. */
        public long requestQuantileNanos(double q) {
            return LatencyBuckets.quantile(requestLatencyBuckets, q);
        }
    }

    private static final class Slice {
        volatile long epoch = Long.MIN_VALUE;
        final LongAdder loads = new LongAdder();
        final LongAdder loadErrors = new LongAdder();
        final LongAdder rejections = new LongAdder();
        final LongAdder backendCalls = new LongAdder();
        final LongAdder backendErrors = new LongAdder();
        final LongAdder batchCalls = new LongAdder();
        final LongAdder batchedKeys = new LongAdder();
        final LongAdder backendNanos = new LongAdder();
        final AtomicLongArray latency = new AtomicLongArray(LatencyBuckets.COUNT);
        final LongAdder requests = new LongAdder();
        final LongAdder requestErrors = new LongAdder();
        final LongAdder requestRepresentations = new LongAdder();
        final LongAdder requestNanos = new LongAdder();
        final AtomicLongArray requestLatency = new AtomicLongArray(LatencyBuckets.COUNT);

        void reset(long newEpoch) {
            loads.reset();
            loadErrors.reset();
            rejections.reset();
            backendCalls.reset();
            backendErrors.reset();
            batchCalls.reset();
            batchedKeys.reset();
            backendNanos.reset();
            requests.reset();
            requestErrors.reset();
            requestRepresentations.reset();
            requestNanos.reset();
            for (int i = 0; i < latency.length(); i++) {
                latency.set(i, 0);
                requestLatency.set(i, 0);
            }
            epoch = newEpoch;
        }
    }
}
