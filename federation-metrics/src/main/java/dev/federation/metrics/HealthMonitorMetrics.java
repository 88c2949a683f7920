package dev.federation.metrics;

import dev.federation.health.FederationHealthMonitor;
import dev.federation.health.HealthStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * The meters of a {@link FederationHealthMonitor}: {@code federation.health} (0 healthy, 1 degraded,
 * 2 critical, 3 rolled back, {@code NaN} before the first check; read from a volatile, never blocked by a
 * check) and {@code federation.health.rollbacks}.
 *
 * <pre>{@code
 * HealthMonitorMetrics.of(monitor).bindTo(meterRegistry);
 * }</pre>
 *
 * <p>Public API.
 */
public final class HealthMonitorMetrics implements MeterBinder {

    private final FederationHealthMonitor monitor;
    private final FederationMeterNames names;

    private HealthMonitorMetrics(FederationHealthMonitor monitor, FederationMeterNames names) {
        this.monitor = monitor;
        this.names = names;
    }

    /** The meters of {@code monitor}, with the default names. */
    public static HealthMonitorMetrics of(FederationHealthMonitor monitor) {
        return of(monitor, FederationMeterNames.ofDefaults());
    }

    /** The meters of {@code monitor}, with the given names (those of the {@link FederationMetrics}). */
    public static HealthMonitorMetrics of(FederationHealthMonitor monitor, FederationMeterNames names) {
        return new HealthMonitorMetrics(Objects.requireNonNull(monitor, "monitor"), Objects.requireNonNull(names,
                "names"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(names.health(), monitor, HealthMonitorMetrics::gaugeValue)
                .description("Health of entity resolution at the latest check: 0 healthy, 1 degraded, 2 critical, "
                        + "3 rolled back to direct mode by the health monitor")
                .strongReference(true)
                .register(registry);
        FunctionCounter.builder(names.healthRollbacks(), monitor, FederationHealthMonitor::rollbackCount)
                .description("Automatic rollbacks of batching to direct mode made by the health monitor")
                .register(registry);
    }

    private static double gaugeValue(FederationHealthMonitor monitor) {
        HealthStatus s = monitor.status();
        return s == null ? Double.NaN : s.gaugeValue();
    }

    @Override
    public String toString() {
        return "HealthMonitorMetrics[" + monitor + "]";
    }
}
