package dev.federation.spring;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code federation.cache.redis.*} properties: the shared entity cache of federation-cache-redis. It is on
 * when federation-cache-redis is on the class path and a Redis is named, by {@code federation.cache.redis.url}
 * or by Spring Data Redis's {@code spring.data.redis.url} / {@code spring.data.redis.host}; and
 * {@code federation.cache.redis.enabled} is not false. Defaults are {@code RedisEntityCaches.Builder}'s.
 *
 * <p>Public API.
 */
@ConfigurationProperties("federation.cache.redis")
public class FederationRedisCacheProperties {

    /** Whether the entity types' cross-request caches get a shared level on Redis (when a Redis is named). */
    private boolean enabled = true;

    /** The Redis, e.g. redis://cache:6379; spring.data.redis.url or host and port when not set. */
    private @Nullable String url;

    /**
     * The first part of every key and of the invalidation channel, one per subgraph (two subgraphs on one Redis
     * must not share it); spring.application.name when not set, else "federation".
     */
    private @Nullable String prefix;

    /** How long a Redis command may take before it counts as failed (the request goes on without it). */
    private Duration commandTimeout = Duration.ofMillis(100);

    /** How long connecting to Redis may take. */
    private Duration connectTimeout = Duration.ofSeconds(1);

    /** Failures in a row after which Redis is skipped (the caches fail open). */
    private int failureThreshold = 5;

    /** How long Redis is skipped before it is tried again. */
    private Duration retryAfter = Duration.ofSeconds(5);

    /** Per entity type (by typename): its time to live, local size and grace period here, over its EntityType's. */
    private final Map<String, Type> types = new LinkedHashMap<>();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public @Nullable String getUrl() {
        return url;
    }

    public void setUrl(@Nullable String url) {
        this.url = url;
    }

    public @Nullable String getPrefix() {
        return prefix;
    }

    public void setPrefix(@Nullable String prefix) {
        this.prefix = prefix;
    }

    public Duration getCommandTimeout() {
        return commandTimeout;
    }

    public void setCommandTimeout(Duration commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public int getFailureThreshold() {
        return failureThreshold;
    }

    public void setFailureThreshold(int failureThreshold) {
        this.failureThreshold = failureThreshold;
    }

    public Duration getRetryAfter() {
        return retryAfter;
    }

    public void setRetryAfter(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    public Map<String, Type> getTypes() {
        return types;
    }

    /** {@code federation.cache.redis.types.<typename>.*}. */
    public static class Type {

        /** Time an entry lives after it was written, on both levels. */
        private @Nullable Duration timeToLive;

        /** Most entries of the local level. */
        private @Nullable Long maximumSize;

        /** How long past its time to live an entry may still be served while one refresh loads it. */
        private @Nullable Duration gracePeriod;

        public @Nullable Duration getTimeToLive() {
            return timeToLive;
        }

        public void setTimeToLive(@Nullable Duration timeToLive) {
            this.timeToLive = timeToLive;
        }

        public @Nullable Long getMaximumSize() {
            return maximumSize;
        }

        public void setMaximumSize(@Nullable Long maximumSize) {
            this.maximumSize = maximumSize;
        }

        public @Nullable Duration getGracePeriod() {
            return gracePeriod;
        }

        public void setGracePeriod(@Nullable Duration gracePeriod) {
            this.gracePeriod = gracePeriod;
        }
    }
}
