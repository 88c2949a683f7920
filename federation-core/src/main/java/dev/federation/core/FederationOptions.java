package dev.federation.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable, validated limits of entity resolution.
 *
 * <pre>{@code
 * FederationOptions options = FederationOptions.custom()
 *     .maxBatchSize(500)
 *     .maxRepresentations(5_000)
 *     .batchTimeout(Duration.ofSeconds(2))
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

    private FederationOptions(Builder b) {
        this.maxBatchSize = b.maxBatchSize;
        this.maxRepresentations = b.maxRepresentations;
        this.batchTimeout = b.batchTimeout;
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
                .batchTimeout(options.batchTimeout);
    }

    /** Largest number of distinct keys in one batch function call; larger groups are split. */
    public int maxBatchSize() {
        return maxBatchSize;
    }

    /** Largest number of representations in one {@code _entities} call; a larger call is refused whole. */
    public int maxRepresentations() {
        return maxRepresentations;
    }

    /**
     * Time a batch function's returned stage may take; past it, the keys of that batch fail with a timeout
     * error. A synchronous batch function is not interrupted: the limit applies to what it returns.
     */
    public Duration batchTimeout() {
        return batchTimeout;
    }

    @Override
    public String toString() {
        return "FederationOptions{maxBatchSize=" + maxBatchSize + ", maxRepresentations=" + maxRepresentations
                + ", batchTimeout=" + batchTimeout + '}';
    }

    /** Builder of {@link FederationOptions}; each setter rejects a bad value at once. */
    public static final class Builder {
        private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
        private int maxRepresentations = DEFAULT_MAX_REPRESENTATIONS;
        private Duration batchTimeout = DEFAULT_BATCH_TIMEOUT;

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

        /** The options. */
        public FederationOptions build() {
            return new FederationOptions(this);
        }
    }
}
