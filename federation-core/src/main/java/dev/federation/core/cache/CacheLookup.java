package dev.federation.core.cache;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link EntityCache} found for the keys of one read, in key order: per key an entity, a stale entity
 * (served while one refresh loads it) or a miss. Filled by the cache, read by the load step; not thread-safe
 * while it is filled.
 *
 * <p>Public SPI.
 */
public final class CacheLookup {

    private final @Nullable Object[] entities;
    private boolean[] stale;
    private int found;

    private CacheLookup(int size) {
        this.entities = new Object[size];
    }

    /** A lookup of {@code size} keys, all misses until set. */
    public static CacheLookup of(int size) {
        return new CacheLookup(size);
    }

    /** Key {@code i} was found fresh. */
    public CacheLookup hit(int i, Object entity) {
        if (entities[i] == null) {
            found++;
        }
        entities[i] = entity;
        if (stale != null) {
            stale[i] = false;
        }
        return this;
    }

    /** Key {@code i} was found past its time to live but within its grace period. */
    public CacheLookup stale(int i, Object entity) {
        hit(i, entity);
        if (stale == null) {
            stale = new boolean[entities.length];
        }
        stale[i] = true;
        return this;
    }

    /** The number of keys. */
    public int size() {
        return entities.length;
    }

    /** The entity found for key {@code i}, or {@code null} for a miss. */
    public @Nullable Object entity(int i) {
        return entities[i];
    }

    /** {@code true} when key {@code i} was found stale. */
    public boolean isStale(int i) {
        return stale != null && stale[i];
    }

    /** The number of keys found, fresh or stale. */
    public int found() {
        return found;
    }

    /** {@code true} when some key was found stale. */
    public boolean anyStale() {
        if (stale != null) {
            for (boolean s : stale) {
                if (s) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "CacheLookup" + Arrays.toString(entities);
    }
}
