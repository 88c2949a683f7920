package dev.federation.health;

import dev.federation.core.FederationMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The result of one health check: the overall status, each number judged, and the mode at the time. Public API.
 *
 * @param time when the check ran
 * @param status the worst status of {@code checks}
 * @param mode the mode of the switch when the check ran
 * @param checks each number judged, in the order error rate, p99 resolution, heap growth, batch effectiveness
 * @param window the statistics the check read (its evaluation window)
 * @param consecutiveCritical how many checks in a row, this one included, were {@code CRITICAL}
 * @param rollbackReason while rolled back ({@code status} is {@code ROLLED_BACK}), why the monitor rolled back;
 *     otherwise {@code null}
 */
public record HealthReport(Instant time, HealthStatus status, FederationMode mode, List<HealthCheck> checks,
        WindowStatistics window, int consecutiveCritical, @Nullable String rollbackReason) {

    /** Validates and copies. */
    public HealthReport {
        checks = List.copyOf(checks);
    }

    /** The worst verdict of the checks themselves (what {@code status} is when not rolled back). */
    public HealthStatus checksStatus() {
        HealthStatus worst = HealthStatus.HEALTHY;
        for (HealthCheck c : checks) {
            worst = worst.worst(c.status());
        }
        return worst;
    }

    /** The messages of the checks that are not {@code HEALTHY}; empty when healthy. */
    public List<String> reasons() {
        List<String> out = new ArrayList<>();
        for (HealthCheck c : checks) {
            if (c.status() != HealthStatus.HEALTHY) {
                out.add(c.message());
            }
        }
        return out;
    }

    /** Every check as {@link HealthCheck#asMap()}, in order: the {@code checks} of a health endpoint. */
    public List<java.util.Map<String, Object>> checkMaps() {
        List<java.util.Map<String, Object>> out = new ArrayList<>(checks.size());
        for (HealthCheck c : checks) {
            out.add(c.asMap());
        }
        return out;
    }

    /** The check of the given name, or {@code null} when this report has none of that name. */
    public @Nullable HealthCheck find(CheckName name) {
        for (HealthCheck c : checks) {
            if (c.name() == name) {
                return c;
            }
        }
        return null;
    }

    /** The check of the given name. */
    public HealthCheck check(CheckName name) {
        for (HealthCheck c : checks) {
            if (c.name() == name) {
                return c;
            }
        }
        throw new IllegalArgumentException("no check named " + name + " in " + checks);
    }

    @Override
    public String toString() {
        return "HealthReport{" + status + " at " + time + ", mode " + mode + ", " + checks
                + (rollbackReason == null ? "" : ", rolled back: " + rollbackReason) + '}';
    }
}
