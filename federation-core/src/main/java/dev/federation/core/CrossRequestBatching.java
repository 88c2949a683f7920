package dev.federation.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of cross-request batching: the keys of concurrent {@code _entities} calls with the same entity
 * type, key shape and batch scope go to the batch function together.
 *
 * <p>Natural batching, with no latency floor. A request whose group (type, key shape, scope) has no call in
 * flight is dispatched at once, on its own thread, as without cross-request batching. While a call is in
 * flight, keys that arrive wait and go together in the next call, dispatched at the first of: a call of the
 * group completes; {@link #window()} has passed since the first of them arrived; they fill
 * {@code maxBatchSize}; or, once a call of the group has completed, the latest call has been in flight for
 * its share of a call's time (the recent call time divided by {@link #maxCallsInFlight()}), so that the
 * calls in flight are spread over a call's time and keys wait a fraction of a call, not a whole one. At
 * most {@link #maxCallsInFlight()} merged calls of a group run at once (a bulkhead for the backend), and at
 * most {@link #maxWaitingKeys()} keys wait: past it, a request's keys fail at once with
 * {@code ENTITY_BATCH_FAILED} ("the backend is busy"), never an unbounded queue. A group whose calls are
 * recently faster than {@link #directBelow()} does not merge: each request calls the backend at once, up to
 * {@link #maxCallsInFlight()} such direct calls besides the merged ones (so up to twice as many calls of the
 * group while its calls are that fast), and a key two such requests want is loaded by each.
 *
 * <p>The batch scope is the request's {@link CacheScope} value: a request whose scope is {@code null} is never
 * merged, and two scopes never share a call, a key or an answer. With the default {@link CacheScope#GLOBAL}
 * every request shares one scope: set a scope when callers must not share entities. A merged call's
 * {@link BatchEnvironment} holds the scope and no request's GraphQL context.
 *
 * <pre>{@code
 * FederationOptions options = FederationOptions.custom()
 *     .crossRequest(CrossRequestBatching.custom().window(Duration.ofMillis(2)).build())
 *     .batchExecutor(jdbcPool) // synchronous batch functions of merged calls run here
 *     .build();
 * }</pre>
 *
 * <p>Immutable. Public API.
 */
public final class CrossRequestBatching {

    /** Default longest time a key waits for a call in flight to complete: 2 ms. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMillis(2);
    /** Default most calls of one group in flight at once: 4. */
    public static final int DEFAULT_MAX_CALLS_IN_FLIGHT = 4;
    /** Default most keys of one group waiting for a call: 10,000. */
    public static final int DEFAULT_MAX_WAITING_KEYS = 10_000;
    /** Default recent call time below which a group's requests call the backend at once, unmerged: 50 µs. */
    public static final Duration DEFAULT_DIRECT_BELOW = Duration.ofNanos(50_000);

    private static final CrossRequestBatching DEFAULTS = custom().build();

    private final Duration window;
    private final int maxCallsInFlight;
    private final int maxWaitingKeys;
    private final Duration directBelow;

    private CrossRequestBatching(Builder b) {
        this.directBelow = b.directBelow;
        this.window = b.window;
        this.maxCallsInFlight = b.maxCallsInFlight;
        this.maxWaitingKeys = b.maxWaitingKeys;
    }

    /** The defaults ({@code DEFAULT_*}). */
    public static CrossRequestBatching ofDefaults() {
        return DEFAULTS;
    }

    /** A builder that starts from the defaults. */
    public static Builder custom() {
        return new Builder();
    }

    /** Longest time a key waits while a call of its group is in flight, before it is dispatched anyway. */
    public Duration window() {
        return window;
    }

    /**
     * Most merged calls of one group (type, key shape, scope) in flight at once; and, while the group's calls are
     * faster than {@link #directBelow()}, most direct calls besides them.
     */
    public int maxCallsInFlight() {
        return maxCallsInFlight;
    }

    /** Most distinct keys of one group waiting for a call; past it, requests are answered "busy". */
    public int maxWaitingKeys() {
        return maxWaitingKeys;
    }

    /**
     * A group whose calls recently took less than this (a moving average of its call times) does not merge: each
     * request calls the backend at once, as without cross-request batching, at most {@link #maxCallsInFlight()}
     * such calls at once (past them, requests merge). A call that fast (an in-memory backend, a local cache)
     * costs less than a thread's wait for it, so merging could only slow it. {@link Duration#ZERO} merges always.
     */
    public Duration directBelow() {
        return directBelow;
    }

    @Override
    public String toString() {
        return "CrossRequestBatching{window=" + window + ", maxCallsInFlight=" + maxCallsInFlight
                + ", maxWaitingKeys=" + maxWaitingKeys + ", directBelow=" + directBelow + '}';
    }

    /** Builder of {@link CrossRequestBatching}; each setter rejects a bad value at once. */
    public static final class Builder {
        private Duration window = DEFAULT_WINDOW;
        private int maxCallsInFlight = DEFAULT_MAX_CALLS_IN_FLIGHT;
        private int maxWaitingKeys = DEFAULT_MAX_WAITING_KEYS;
        private Duration directBelow = DEFAULT_DIRECT_BELOW;

        private Builder() {
        }

        /** @param time zero (merge always) or positive */
        public Builder directBelow(Duration time) {
            Objects.requireNonNull(time, "directBelow");
            if (time.isNegative()) {
                throw new IllegalArgumentException("cross-request directBelow must not be negative, was " + time);
            }
            this.directBelow = time;
            return this;
        }

        /** @param window positive */
        public Builder window(Duration window) {
            Objects.requireNonNull(window, "window");
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("cross-request window must be positive, was " + window);
            }
            this.window = window;
            return this;
        }

        /** @param calls at least 1 */
        public Builder maxCallsInFlight(int calls) {
            if (calls < 1) {
                throw new IllegalArgumentException("maxCallsInFlight must be at least 1, was " + calls);
            }
            this.maxCallsInFlight = calls;
            return this;
        }

        /** @param keys at least 1 */
        public Builder maxWaitingKeys(int keys) {
            if (keys < 1) {
                throw new IllegalArgumentException("maxWaitingKeys must be at least 1, was " + keys);
            }
            this.maxWaitingKeys = keys;
            return this;
        }

        /** The settings. */
        public CrossRequestBatching build() {
            return new CrossRequestBatching(this);
        }
    }
}
