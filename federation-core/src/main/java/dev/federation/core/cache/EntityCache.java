package dev.federation.core.cache;

import dev.federation.core.KeyShape;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The cross-request cache of one entity type, as the load step of {@code _entities} calls it. Entries are keyed by
 * key shape, key and the request's cache scope ({@link dev.federation.core.CacheScope}); only found entities are
 * written, never a miss or an error.
 *
 * <p>The contract an implementation keeps:
 * <ul>
 *   <li>Two scopes never read each other's entries: an entry is returned only for the scope it was written
 *       under ({@code equals}).</li>
 *   <li>It never fails the request: {@link #getAll} completes normally (a level it cannot read answers misses),
 *       and {@link #putAll}, {@link #invalidate} and {@link #invalidateAll} do not throw for a level that is
 *       down.</li>
 *   <li>A write of entities loaded by a call that started before an invalidation this cache has seen since is
 *       dropped ({@code loadStartedNanos}), so a slow load never puts back what was just invalidated.</li>
 *   <li>It is bounded and entries expire; it is thread-safe.</li>
 * </ul>
 *
 * <p>Public SPI.
 */
public interface EntityCache extends AutoCloseable {

    /**
     * Reads {@code keys} of one key shape in one scope. The lookup holds, per key in order, the entity, a stale
     * entity (past its time to live, within its grace period: served while one refresh loads it) or a miss.
     * May complete later (a remote level); completes normally always.
     */
    CompletionStage<CacheLookup> getAll(KeyShape shape, Object scope, List<?> keys);

    /**
     * Writes found entities: {@code entities.get(i)} (never {@code null}) is the entity of {@code keys.get(i)}.
     *
     * @param loadStartedNanos the {@link System#nanoTime()} at which the call that loaded them started
     */
    void putAll(KeyShape shape, Object scope, List<?> keys, List<?> entities, long loadStartedNanos);

    /** Drops the entity of {@code key} in every scope, on every level (and every replica, for a shared level). */
    void invalidate(KeyShape shape, Object key);

    /** Drops every entity of this type, in every scope, on every level. */
    void invalidateAll();

    /** Hits, misses and sizes per level, and the state of a remote level. */
    EntityCacheStats stats();

    /** Releases what this cache holds (a connection, a subscription). Idempotent; the default does nothing. */
    @Override
    default void close() {
    }
}
