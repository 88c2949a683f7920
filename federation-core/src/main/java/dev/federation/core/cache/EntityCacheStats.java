package dev.federation.core.cache;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The statistics of one {@link EntityCache}: per level (the local one first), and the state of its remote
 * level if it has one. Counters are cumulative since the cache was made.
 *
 * <p>Public API.
 *
 * @param levels the levels, nearest first (e.g. {@code local}, then {@code redis})
 * @param remote the remote level's commands and state, or {@code null} when the cache has none
 */
public record EntityCacheStats(List<Level> levels, @Nullable Remote remote) {

    public EntityCacheStats {
        levels = List.copyOf(levels);
    }

    /** The level named {@code name}, or {@code null}. */
    public @Nullable Level level(String name) {
        for (Level l : levels) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        return null;
    }

    /**
     * One level of a cache.
     *
     * @param name e.g. {@code local} or {@code redis}
     * @param hits keys found fresh
     * @param staleHits keys found stale and served while a refresh loads them
     * @param misses keys not found (or found expired, or not read because the level was skipped)
     * @param size entries held, estimated; {@code -1} when the level cannot tell cheaply
     * @param evictions entries dropped to stay within the maximum size or because they expired
     */
    public record Level(String name, long hits, long staleHits, long misses, long size, long evictions) {
        public Level {
            Objects.requireNonNull(name, "name");
        }

        /** Hits (fresh and stale) over reads, or {@code NaN} before the first read. */
        public double hitRate() {
            long reads = hits + staleHits + misses;
            return reads == 0 ? Double.NaN : (double) (hits + staleHits) / reads;
        }
    }

    /**
     * The remote level's commands and state.
     *
     * @param commands commands sent (reads, writes, deletes, publishes)
     * @param commandNanos their summed latency
     * @param errors commands that failed or timed out
     * @param skipped reads and writes not sent because the level was skipped after repeated failures
     * @param invalidationsSent invalidations this cache published to the other replicas
     * @param invalidationsReceived invalidations received from the other replicas (and itself)
     * @param available {@code false} while the level is skipped after repeated failures (failing open)
     */
    public record Remote(long commands, long commandNanos, long errors, long skipped, long invalidationsSent,
            long invalidationsReceived, boolean available) {
    }
}
