package dev.federation.core.observer;

import java.util.Locale;

/**
 * How one load of an entity was served; the values of the {@code outcome} tag of
 * {@code federation.entity.loads}.
 */
public enum LoadOutcome {
    /** Served by a batch call. */
    BATCHED,
    /** Served without a backend call: by the cross-request cache, or a duplicate key of the same call. */
    CACHED,
    /** Served by a one-by-one call in {@code DIRECT} mode. */
    DIRECT,
    /** No entity exists for the key; the result is {@code null}. */
    MISSING,
    /** The load failed (failed batch, failed key, timeout, broken contract). */
    ERROR;

    private final String tag = name().toLowerCase(Locale.ROOT);

    /** The lower-case tag value, e.g. {@code "batched"}. */
    public String tagValue() {
        return tag;
    }
}
