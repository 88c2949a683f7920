package dev.federation.metrics;

/**
 * The health of entity resolution, worst last; the value of the {@code federation.health} gauge is
 * {@link #gaugeValue()}.
 *
 * <p>Public API.
 */
public enum HealthStatus {
    /** Every judged number is within its threshold. */
    HEALTHY(0),
    /** Batching works less well than expected (batch effectiveness below its threshold); no rollback. */
    DEGRADED(1),
    /** Error rate, p99 latency or heap growth above its threshold; confirmed, it triggers the rollback. */
    CRITICAL(2);

    private final int gaugeValue;

    HealthStatus(int gaugeValue) {
        this.gaugeValue = gaugeValue;
    }

    /** 0 healthy, 1 degraded, 2 critical. */
    public int gaugeValue() {
        return gaugeValue;
    }

    /** The worse of this and {@code other}. */
    public HealthStatus worst(HealthStatus other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
