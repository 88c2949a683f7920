package dev.federation.spring;

import dev.federation.health.FederationHealthMonitor;
import dev.federation.health.HealthReport;
import dev.federation.health.HealthStatus;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code federation} health contributor: the health monitor's latest report, each check with its measured
 * value and threshold.
 *
 * <p>{@code HEALTHY} is Boot's {@code UP}; {@code DEGRADED}, {@code CRITICAL} and {@code ROLLED_BACK} are statuses
 * of their own, which Boot's default aggregation leaves out of the overall status and maps to HTTP 200. So the
 * federation verdict never by itself takes a pod out of service: a readiness probe that failed on
 * {@code CRITICAL} would take every pod out at once, while the DIRECT fallback keeps each one serving. Alert on
 * the {@code federation_health} gauge instead; add {@code federation} to a health group of your own (with a
 * status order that includes these codes) to make it count.
 *
 * <p>Public API.
 */
public final class FederationHealthIndicator implements HealthIndicator {

    /** Batching works less well than expected. */
    public static final Status DEGRADED = new Status("DEGRADED", "batching less effective than expected, or the heap grows");
    /** A threshold is crossed. */
    public static final Status CRITICAL = new Status("CRITICAL", "error rate or latency over its threshold, or a heap leak");
    /** The monitor switched to DIRECT by itself. */
    public static final Status ROLLED_BACK = new Status("ROLLED_BACK", "running on DIRECT after an automatic rollback");

    private final FederationHealthMonitor monitor;

    /** A contributor reading {@code monitor}. */
    public FederationHealthIndicator(FederationHealthMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public Health health() {
        HealthReport report = monitor.lastReport();
        if (report == null) {
            report = monitor.check();
        }
        Health.Builder b = Health.status(statusOf(report.status()))
                .withDetail("status", report.status().name())
                .withDetail("mode", report.mode().name())
                .withDetail("checkedAt", report.time().toString())
                .withDetail("reasons", report.reasons())
                .withDetail("rollbacks", monitor.rollbackCount());
        if (report.rollbackReason() != null) {
            b.withDetail("rollbackReason", report.rollbackReason());
        }
        return b.withDetail("checks", report.checkMaps()).build();
    }

    static Status statusOf(HealthStatus status) {
        return switch (status) {
            case HEALTHY -> Status.UP;
            case DEGRADED -> DEGRADED;
            case CRITICAL -> CRITICAL;
            case ROLLED_BACK -> ROLLED_BACK;
        };
    }

}
