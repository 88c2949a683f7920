package dev.federation.health;

/**
 * One number judged by a health check. Public API.
 *
 * @param name what was measured: {@value #ERROR_RATE}, {@value #P99_RESOLUTION}, {@value #P99_REQUEST},
 *     {@value #HEAP_GROWTH}, {@value #BATCH_EFFECTIVENESS}, and after a rollback {@value #DIRECT_VS_BATCHED}
 * @param status its verdict; {@code HEALTHY} when it was not judged
 * @param judged {@code false} when there was too little data for a verdict (see {@code message})
 * @param value the measured value ({@code NaN} when nothing was measured): a ratio for the error rate and the
 *     effectiveness, seconds for the latency, bytes per hour for the heap growth
 * @param threshold the threshold it was judged against, in the same unit
 * @param message what was measured and why this verdict, for logs and events
 */
public record HealthCheck(String name, HealthStatus status, boolean judged, double value, double threshold,
        String message) {

    /** Name of the error rate check: failed loads / loads over the evaluation window. */
    public static final String ERROR_RATE = "error_rate";
    /** Name of the latency check: p99 of backend call durations over the evaluation window, seconds. */
    public static final String P99_RESOLUTION = "p99_resolution_seconds";
    /** Name of the heap check: growth of heap used after GC beyond the heap allowance, bytes per hour. */
    public static final String HEAP_GROWTH = "heap_growth_bytes_per_hour";
    /** Name of the request latency check: p99 of whole {@code _entities} field durations, seconds. */
    public static final String P99_REQUEST = "p99_request_seconds";
    /**
     * Name of the comparison made after a rollback: the estimated seconds per {@code _entities} field in
     * {@code DIRECT} mode (value) against the mean of {@code BATCHED} mode before the rollback (threshold).
     * {@code CRITICAL} when {@code DIRECT} is worse.
     */
    public static final String DIRECT_VS_BATCHED = "direct_vs_batched_request_seconds";
    /** Name of the batching check: 1 - backend calls / loads over the evaluation window. */
    public static final String BATCH_EFFECTIVENESS = "batch_effectiveness";

    /**
     * This check as a JSON-ready map for a health endpoint: {@code name}, {@code status}, {@code judged},
     * {@code value}, {@code threshold} (rounded to 4 decimals; {@code "n/a"} when not a finite number) and
     * {@code message}.
     */
    public java.util.Map<String, Object> asMap() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("name", name);
        m.put("status", status.name());
        m.put("judged", judged);
        m.put("value", finite(value));
        m.put("threshold", finite(threshold));
        m.put("message", message);
        return m;
    }

    private static Object finite(double v) {
        return Double.isFinite(v) ? Math.round(v * 10_000) / 10_000.0 : "n/a";
    }

    @Override
    public String toString() {
        return name + "=" + status + (judged ? "" : " (not judged)") + ": " + message;
    }
}
