package dev.federation.health;

/**
 * The health of entity resolution, worst last; the value of the {@code federation.health} gauge is
 * {@link #gaugeValue()}.
 *
 * <p>Public API.
 */
public enum HealthStatus {
    /** Every judged number is within its threshold. */
    HEALTHY(0),
    /**
     * Worth a look, never a rollback: batch effectiveness below its threshold, or heap growth above its
     * threshold that has levelled off or would not reach the heap's limit within the heap window.
     */
    DEGRADED(1),
    /**
     * Error rate or p99 latency above its threshold, or heap growth that goes on and would reach the heap's
     * limit within the heap window (a leak); confirmed, it triggers the rollback.
     */
    CRITICAL(2),
    /**
     * The monitor rolled batching back and it has not been restored: the service runs on the fallback. Never
     * the verdict of a single check; the report says why ({@link HealthReport#rollbackReason()}) and still
     * holds every check. Not "worse" than {@code CRITICAL} for {@link #worst(HealthStatus)}.
     */
    ROLLED_BACK(3);

    private final int gaugeValue;

    HealthStatus(int gaugeValue) {
        this.gaugeValue = gaugeValue;
    }

    /** 0 healthy, 1 degraded, 2 critical, 3 rolled back. */
    public int gaugeValue() {
        return gaugeValue;
    }

    /** The worse of this and {@code other}. */
    public HealthStatus worst(HealthStatus other) {
        return other.severity() > severity() ? other : this;
    }

    private int severity() {
        return this == ROLLED_BACK ? 1 : gaugeValue == 2 ? 3 : gaugeValue == 1 ? 2 : 0;
    }
}
