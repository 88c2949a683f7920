package dev.federation.core;

/**
 * How {@code _entities} representations are resolved.
 *
 * <p>Public API.
 */
public enum FederationMode {
    /** Representations are grouped by type and key shape; each group costs one backend call per batch. */
    BATCHED,
    /**
     * The one-by-one path kept for rollback and comparison: one backend call per representation, no
     * de-duplication, no cross-request cache.
     */
    DIRECT
}
