package dev.federation.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the opt-in cross-request cache of one entity type. Both the maximum size and the time to
 * live are required: the cache is never unbounded.
 *
 * <pre>{@code
 * EntityCacheOptions cache = EntityCacheOptions.custom()
 *     .maximumSize(10_000)
 *     .timeToLive(Duration.ofMinutes(5))
 *     .build();
 * }</pre>
 *
 * <p>Entries are keyed by type, key shape, key and the cache scope of the request (see
 * {@link CacheScope}); only found entities are cached, never a miss or an error. Where they are held is the
 * {@link dev.federation.core.cache.EntityCacheProvider}'s choice: in process by default, or in front of Redis
 * with {@code federation-cache-redis}.
 *
 * <p>Public API.
 */
public final class EntityCacheOptions {

    private final long maximumSize;
    private final Duration timeToLive;
    private final Duration gracePeriod;

    private EntityCacheOptions(long maximumSize, Duration timeToLive, Duration gracePeriod) {
        this.maximumSize = maximumSize;
        this.timeToLive = timeToLive;
        this.gracePeriod = gracePeriod;
    }

    /** Shorthand for {@code custom().maximumSize(maximumSize).timeToLive(timeToLive).build()}. */
    public static EntityCacheOptions of(long maximumSize, Duration timeToLive) {
        return custom().maximumSize(maximumSize).timeToLive(timeToLive).build();
    }

    /** A builder with nothing set. */
    public static Builder custom() {
        return new Builder();
    }

    /** Most entries the cache holds in process (one per key and scope); past it, the least useful are evicted. */
    public long maximumSize() {
        return maximumSize;
    }

    /** Time an entry lives after it was written. */
    public Duration timeToLive() {
        return timeToLive;
    }

    /**
     * How long past its time to live an entry may still be served (stale-while-revalidate): a request that
     * finds it gets it at once, and one refresh loads it again in the background. Zero (the default) serves
     * nothing past the time to live.
     */
    public Duration gracePeriod() {
        return gracePeriod;
    }

    @Override
    public String toString() {
        return "EntityCacheOptions{maximumSize=" + maximumSize + ", timeToLive=" + timeToLive
                + (gracePeriod.isZero() ? "" : ", gracePeriod=" + gracePeriod) + '}';
    }

    /** Builder of {@link EntityCacheOptions}. */
    public static final class Builder {
        private long maximumSize = -1;
        private Duration timeToLive;
        private Duration gracePeriod = Duration.ZERO;

        private Builder() {
        }

        /** @param maximumSize at least 1 */
        public Builder maximumSize(long maximumSize) {
            if (maximumSize < 1) {
                throw new IllegalArgumentException("cache maximumSize must be at least 1, was " + maximumSize);
            }
            this.maximumSize = maximumSize;
            return this;
        }

        /** @param timeToLive positive */
        public Builder timeToLive(Duration timeToLive) {
            Objects.requireNonNull(timeToLive, "timeToLive");
            if (timeToLive.isNegative() || timeToLive.isZero()) {
                throw new IllegalArgumentException("cache timeToLive must be positive, was " + timeToLive);
            }
            this.timeToLive = timeToLive;
            return this;
        }

        /** @param gracePeriod zero or positive; see {@link EntityCacheOptions#gracePeriod()} */
        public Builder gracePeriod(Duration gracePeriod) {
            Objects.requireNonNull(gracePeriod, "gracePeriod");
            if (gracePeriod.isNegative()) {
                throw new IllegalArgumentException("cache gracePeriod must not be negative, was " + gracePeriod);
            }
            this.gracePeriod = gracePeriod;
            return this;
        }

        /**
         * The options.
         *
         * @throws IllegalStateException when the maximum size or the time to live was not set
         */
        public EntityCacheOptions build() {
            if (maximumSize < 1) {
                throw new IllegalStateException("cache maximumSize is required: the cache is never unbounded");
            }
            if (timeToLive == null) {
                throw new IllegalStateException("cache timeToLive is required: entries must expire");
            }
            return new EntityCacheOptions(maximumSize, timeToLive, gracePeriod);
        }
    }
}
