package dev.federation.health;

/** What a {@link HealthCheck} measured. Public API. */
public enum CheckName {
    /** Failed loads / loads over the evaluation window. */
    ERROR_RATE("error_rate"),
    /** p99 of backend call durations over the evaluation window, seconds. */
    P99_RESOLUTION("p99_resolution_seconds"),
    /** p99 of whole {@code _entities} field durations, seconds. */
    P99_REQUEST("p99_request_seconds"),
    /** Growth of heap used after GC beyond the heap allowance, bytes per hour. */
    HEAP_GROWTH("heap_growth_bytes_per_hour"),
    /** 1 - backend calls / loads over the evaluation window. */
    BATCH_EFFECTIVENESS("batch_effectiveness"),
    /**
     * The comparison made after a rollback: the estimated seconds per {@code _entities} field in {@code DIRECT}
     * mode (value) against the mean of {@code BATCHED} mode before the rollback (threshold). {@code CRITICAL} when
     * {@code DIRECT} is worse.
     */
    DIRECT_VS_BATCHED("direct_vs_batched_request_seconds");

    private final String id;

    CheckName(String id) {
        this.id = id;
    }

    /** The name health endpoints and logs show, e.g. {@code error_rate}. */
    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id;
    }
}
