package dev.federation.core.observer;

import java.util.Locale;

/**
 * How one {@code _entities} call ended ({@link EntitiesResult#outcome()}); the values of the {@code outcome} tag of
 * {@code federation.entities.requests} and the span attribute of the same name.
 */
public enum EntitiesOutcome {
    /** Every representation resolved to an entity or to {@code null}, none to an error. */
    SUCCESS,
    /** Some representations got an error, not all. */
    PARTIAL,
    /** Every representation got an error (or the call was refused whole). */
    ERROR;

    private final String tag = name().toLowerCase(Locale.ROOT);

    /** The lower-case tag value, e.g. {@code "partial"}. */
    public String tagValue() {
        return tag;
    }
}
