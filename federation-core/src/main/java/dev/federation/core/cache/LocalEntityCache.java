package dev.federation.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.federation.core.EntityCacheOptions;
import dev.federation.core.KeyShape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The in-process cross-request cache of one entity type: bounded by {@link EntityCacheOptions#maximumSize()}
 * entries (one per key and scope), each expiring {@link EntityCacheOptions#timeToLive()} after it was written
 * and served stale for {@link EntityCacheOptions#gracePeriod()} more. The entries of one key in all its scopes
 * are held together, so that invalidating a key drops it in every scope at once.
 *
 * <p>The default cache, and the local level of {@code federation-cache-redis}. Reads complete at once.
 * Thread-safe. Public API.
 */
public final class LocalEntityCache implements EntityCache {

    /** An entity key: its shape and value. */
    private record Key(KeyShape shape, Object key) {
    }

    /** One scope's entity and when it was written ({@link #clock} nanos). */
    private record Entry(Object entity, long writtenNanos) {
    }

    private final Cache<Key, Map<Object, Entry>> cache;
    private final long ttlNanos;
    private final long staleUntilNanos;
    private final LongSupplier clock;
    private final LongAdder hits = new LongAdder();
    private final LongAdder staleHits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final String levelName;
    /** When ({@link System#nanoTime()}) the latest invalidation happened; writes of loads started before it are dropped. */
    private volatile long invalidatedNanos;
    private volatile boolean invalidated;

    private LocalEntityCache(EntityCacheOptions options, LongSupplier clock, String levelName) {
        this.clock = clock;
        this.levelName = levelName;
        this.ttlNanos = options.timeToLive().toNanos();
        this.staleUntilNanos = saturatedAdd(ttlNanos, options.gracePeriod().toNanos());
        this.cache = Caffeine.newBuilder()
                .maximumWeight(options.maximumSize())
                .weigher((Key k, Map<Object, Entry> v) -> v.size())
                .expireAfterWrite(java.time.Duration.ofNanos(staleUntilNanos))
                .ticker(clock::getAsLong)
                .executor(Runnable::run) // maintenance on the calling thread, never on the JDK's common pool
                .recordStats()
                .build();
    }

    /** A cache with {@code options}, on the system's clock. */
    public static LocalEntityCache create(EntityCacheOptions options) {
        return create(options, System::nanoTime, "local");
    }

    /**
     * A cache with {@code options} whose ages are read from {@code nanoClock} (a {@link System#nanoTime()}-like
     * clock: tests move it), reported as level {@code levelName}.
     */
    public static LocalEntityCache create(EntityCacheOptions options, LongSupplier nanoClock, String levelName) {
        return new LocalEntityCache(Objects.requireNonNull(options, "options"),
                Objects.requireNonNull(nanoClock, "nanoClock"), Objects.requireNonNull(levelName, "levelName"));
    }

    @Override
    public CompletionStage<CacheLookup> getAll(KeyShape shape, Object scope, List<?> keys) {
        return CompletableFuture.completedFuture(read(shape, scope, keys));
    }

    /** {@link #getAll}, answered on the calling thread. */
    public CacheLookup read(KeyShape shape, Object scope, List<?> keys) {
        int size = keys.size();
        CacheLookup lookup = CacheLookup.of(size);
        long now = clock.getAsLong();
        int fresh = 0;
        int stale = 0;
        for (int i = 0; i < size; i++) {
            Map<Object, Entry> scopes = cache.getIfPresent(new Key(shape, keys.get(i)));
            Entry e = scopes == null ? null : scopes.get(scope);
            if (e == null) {
                continue;
            }
            long age = now - e.writtenNanos;
            if (age < ttlNanos) {
                lookup.hit(i, e.entity);
                fresh++;
            } else if (age < staleUntilNanos) {
                lookup.stale(i, e.entity);
                stale++;
            }
        }
        hits.add(fresh);
        staleHits.add(stale);
        misses.add(size - fresh - stale);
        return lookup;
    }

    @Override
    public void putAll(KeyShape shape, Object scope, List<?> keys, List<?> entities, long loadStartedNanos) {
        if (invalidated && invalidatedNanos - loadStartedNanos >= 0) {
            return; // loaded before an invalidation: it may be what was invalidated
        }
        write(shape, scope, keys, entities);
    }

    /** Writes entities with no check against invalidations, as written now. */
    public void write(KeyShape shape, Object scope, List<?> keys, List<?> entities) {
        write(shape, scope, keys, entities, null);
    }

    /**
     * Writes entities with no check against invalidations: what another level read just now, {@code ageNanos[i]}
     * old already there (so that it expires here when it expires there); {@code null} ages mean new.
     */
    public void write(KeyShape shape, Object scope, List<?> keys, List<?> entities, long @Nullable [] ageNanos) {
        Entry[] entries = new Entry[keys.size()];
        long now = clock.getAsLong();
        for (int i = 0; i < entries.length; i++) {
            long age = ageNanos == null ? 0 : Math.max(0, ageNanos[i]);
            entries[i] = new Entry(Objects.requireNonNull(entities.get(i), "entity"), now - age);
        }
        for (int i = 0; i < entries.length; i++) {
            Entry e = entries[i];
            cache.asMap().compute(new Key(shape, keys.get(i)), (k, old) -> with(old, scope, e));
        }
    }

    private static Map<Object, Entry> with(@Nullable Map<Object, Entry> old, Object scope, Entry e) {
        if (old == null || old.isEmpty() || (old.size() == 1 && old.containsKey(scope))) {
            return Map.of(scope, e);
        }
        Map<Object, Entry> m = new HashMap<>(old);
        m.put(scope, e);
        return Map.copyOf(m);
    }

    @Override
    public void invalidate(KeyShape shape, Object key) {
        markInvalidated();
        cache.invalidate(new Key(shape, key));
    }

    @Override
    public void invalidateAll() {
        markInvalidated();
        cache.invalidateAll();
    }

    private void markInvalidated() {
        invalidatedNanos = System.nanoTime(); // compared with loadStartedNanos, a System.nanoTime() value
        invalidated = true;
    }

    /** Entries held (one per key and scope), estimated. */
    public long size() {
        // the weight of a key is its number of scopes: the weighted size is the number of entries, read at once
        return cache.policy().eviction().orElseThrow().weightedSize().orElseThrow();
    }

    /** This level's statistics ({@code evictions}: entries dropped for size or expiry, as Caffeine counts them). */
    public EntityCacheStats.Level level() {
        cache.cleanUp(); // pending evictions done, so the size is within the bound
        return new EntityCacheStats.Level(levelName, hits.sum(), staleHits.sum(), misses.sum(), size(),
                cache.stats().evictionWeight());
    }

    @Override
    public EntityCacheStats stats() {
        return new EntityCacheStats(List.of(level()), null);
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    @Override
    public String toString() {
        return "LocalEntityCache[" + levelName + ", " + cache.estimatedSize() + " keys]";
    }
}
