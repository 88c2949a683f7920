package dev.federation.health;


/**
 * One number judged by a health check. Public API.
 *
 * @param name what was measured (after a rollback also {@link CheckName#DIRECT_VS_BATCHED})
 * @param status its verdict; {@code HEALTHY} when it was not judged
 * @param judged {@code false} when there was too little data for a verdict (see {@code message})
 * @param value the measured value ({@code NaN} when nothing was measured): a ratio for the error rate and the
 *     effectiveness, seconds for the latency, bytes per hour for the heap growth
 * @param threshold the threshold it was judged against, in the same unit
 * @param message what was measured and why this verdict, for logs and events
 */
public record HealthCheck(CheckName name, HealthStatus status, boolean judged, double value, double threshold,
        String message) {

    /**
     * This check as a JSON-ready map for a health endpoint: {@code name}, {@code status}, {@code judged},
     * {@code value}, {@code threshold} (rounded to 4 decimals; {@code "n/a"} when not a finite number) and
     * {@code message}.
     */
    public java.util.Map<String, Object> asMap() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("name", name.id());
        m.put("status", status.name());
        m.put("judged", judged);
        m.put("value", FederationViews.jsonNumber(value));
        m.put("threshold", FederationViews.jsonNumber(threshold));
        m.put("message", message);
        return m;
    }

    @Override
    public String toString() {
        return name + "=" + status + (judged ? "" : " (not judged)") + ": " + message;
    }
}
