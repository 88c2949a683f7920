package dev.federation.core;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Immutable, validated limits of entity resolution.
 *
 * <pre>{@code
 * FederationOptions options = FederationOptions.custom()
 *     .maxBatchSize(500)
 *     .maxRepresentations(5_000)
 *     .batchTimeout(Duration.ofSeconds(2))
 *     .batchExecutor(Executors.newFixedThreadPool(16)) // synchronous batch functions run here
 *     .build();
 * }</pre>
 *
 * <p>Public API.
 */
public final class FederationOptions {

    /** Default largest number of keys handed to one batch function call. */
    public static final int DEFAULT_MAX_BATCH_SIZE = 1_000;
    /** Default largest number of representations accepted by one {@code _entities} call. */
    public static final int DEFAULT_MAX_REPRESENTATIONS = 10_000;
    /** Default time a batch function call may take to complete. */
    public static final Duration DEFAULT_BATCH_TIMEOUT = Duration.ofSeconds(30);

    private static final FederationOptions DEFAULTS = custom().build();

    private final int maxBatchSize;
    private final int maxRepresentations;
    private final Duration batchTimeout;
    private final @Nullable Executor batchExecutor;
    private final @Nullable CrossRequestBatching crossRequest;

    private FederationOptions(Builder b) {
        this.maxBatchSize = b.maxBatchSize;
        this.maxRepresentations = b.maxRepresentations;
        this.batchTimeout = b.batchTimeout;
        this.batchExecutor = b.batchExecutor;
        this.crossRequest = b.crossRequest;
    }

    /** The defaults: {@value #DEFAULT_MAX_BATCH_SIZE} keys a batch, {@value #DEFAULT_MAX_REPRESENTATIONS} representations a call, 30 s a batch. */
    public static FederationOptions ofDefaults() {
        return DEFAULTS;
    }

    /** A builder that starts from the defaults. */
    public static Builder custom() {
        return new Builder();
    }

    /** A builder that starts from {@code options}. */
    public static Builder from(FederationOptions options) {
        return new Builder()
                .maxBatchSize(options.maxBatchSize)
                .maxRepresentations(options.maxRepresentations)
                .batchTimeout(options.batchTimeout)
                .batchExecutor(options.batchExecutor)
                .crossRequest(options.crossRequest);
    }

    /** Largest number of distinct keys in one batch function call; larger groups are split. */
    public int maxBatchSize() {
        return maxBatchSize;
    }

    /**
     * Largest number of representations in one request, counted over all of its {@code _entities} fields
     * together (a gateway sends one field; aliases can send many). Every {@code _entities} field of a request
     * over the limit is refused whole with {@code TOO_MANY_REPRESENTATIONS}, before any backend call.
     */
    public int maxRepresentations() {
        return maxRepresentations;
    }

    /**
     * Time one batch function call may take; past it, the keys of that call fail with
     * {@code ENTITY_BATCH_TIMEOUT}. It bounds every call:
     * <ul>
     *   <li>an asynchronous function's stage is failed when the time is up;</li>
     *   <li>a synchronous function runs on {@link #batchExecutor()} when one is set, and its call is failed when
     *       the time is up, while the function itself runs on to its end on that executor's thread (a Java
     *       call cannot be stopped from outside; it is not interrupted) and its result is discarded;</li>
     *   <li>without an executor a synchronous function runs on the calling thread: a call that returns after
     *       the time is up is failed all the same (its result is discarded), so the answer comes when it
     *       returns.</li>
     * </ul>
     * In {@code DIRECT} mode the one-by-one calls of one {@code _entities} field share one deadline, this long
     * from the field's start: once it has passed, the representations not yet loaded fail with
     * {@code ENTITY_BATCH_TIMEOUT} without a backend call.
     */
    public Duration batchTimeout() {
        return batchTimeout;
    }

    /**
     * Where synchronous batch functions ({@link EntityBatchLoader#mapped}, {@link EntityBatchLoader#ordered},
     * {@link EntityBatchLoader#withDirect}) run, or {@code null} (the default) for the thread that executes the
     * query. Use a bounded pool sized for the backend (its connection pool): a call the executor rejects fails
     * with {@code ENTITY_BATCH_FAILED}. Never the JDK's common pool, which has one thread on a 2-core machine.
     */
    public @Nullable Executor batchExecutor() {
        return batchExecutor;
    }

    /**
     * Cross-request batching for every entity type that does not say otherwise
     * ({@link EntityType.Builder#crossRequest}), or {@code null} (the default): each request's keys go to
     * their own calls. A synchronous batch function of a merged call runs on {@link #batchExecutor()}, which
     * must then be set: a merged call never runs on another request's thread.
     */
    public @Nullable CrossRequestBatching crossRequest() {
        return crossRequest;
    }

    @Override
    public String toString() {
        return "FederationOptions{maxBatchSize=" + maxBatchSize + ", maxRepresentations=" + maxRepresentations
                + ", batchTimeout=" + batchTimeout + ", batchExecutor=" + batchExecutor + ", crossRequest="
                + (crossRequest == null ? "off" : crossRequest) + '}';
    }

    /** Builder of {@link FederationOptions}; each setter rejects a bad value at once. */
    public static final class Builder {
        private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
        private int maxRepresentations = DEFAULT_MAX_REPRESENTATIONS;
        private Duration batchTimeout = DEFAULT_BATCH_TIMEOUT;
        private @Nullable Executor batchExecutor;
        private @Nullable CrossRequestBatching crossRequest;

        private Builder() {
        }

        /** @param maxBatchSize at least 1 */
        public Builder maxBatchSize(int maxBatchSize) {
            if (maxBatchSize < 1) {
                throw new IllegalArgumentException("maxBatchSize must be at least 1, was " + maxBatchSize);
            }
            this.maxBatchSize = maxBatchSize;
            return this;
        }

        /** @param maxRepresentations at least 1 */
        public Builder maxRepresentations(int maxRepresentations) {
            if (maxRepresentations < 1) {
                throw new IllegalArgumentException(
                        "maxRepresentations must be at least 1, was " + maxRepresentations);
            }
            this.maxRepresentations = maxRepresentations;
            return this;
        }

        /** @param batchTimeout positive */
        public Builder batchTimeout(Duration batchTimeout) {
            Objects.requireNonNull(batchTimeout, "batchTimeout");
            if (batchTimeout.isNegative() || batchTimeout.isZero()) {
                throw new IllegalArgumentException("batchTimeout must be positive, was " + batchTimeout);
            }
            this.batchTimeout = batchTimeout;
            return this;
        }

        /** @param crossRequest cross-request batching for every type, or {@code null} for none */
        public Builder crossRequest(@Nullable CrossRequestBatching crossRequest) {
            this.crossRequest = crossRequest;
            return this;
        }

        /** @param batchExecutor where synchronous batch functions run; {@code null} for the calling thread */
        public Builder batchExecutor(@Nullable Executor batchExecutor) {
            this.batchExecutor = batchExecutor;
            return this;
        }

        /** The options. */
        public FederationOptions build() {
            return new FederationOptions(this);
        }
    }
}
