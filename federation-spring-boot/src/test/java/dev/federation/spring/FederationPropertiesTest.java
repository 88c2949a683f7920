package dev.federation.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.federation.core.FederationMode;
import dev.federation.core.FederationOptions;
import dev.federation.health.HealthMonitorConfig;
import dev.federation.metrics.FederationMetrics;
import dev.federation.tracing.FederationTelemetry;
import org.junit.jupiter.api.Test;

/** The properties' defaults are the library's own. */
class FederationPropertiesTest {

    @Test
    void defaultsAreTheLibrarysDefaults() {
        FederationProperties p = new FederationProperties();
        HealthMonitorConfig h = HealthMonitorConfig.ofDefaults();

        assertThat(p.startMode()).isEqualTo(FederationMode.BATCHED);
        assertThat(p.getMaxBatchSize()).isEqualTo(FederationOptions.DEFAULT_MAX_BATCH_SIZE);
        assertThat(p.getMaxRepresentations()).isEqualTo(FederationOptions.DEFAULT_MAX_REPRESENTATIONS);
        assertThat(p.getBatchTimeout()).isEqualTo(FederationOptions.DEFAULT_BATCH_TIMEOUT);
        assertThat(p.getHealth().getInterval()).isEqualTo(h.checkInterval());
        assertThat(p.getHealth().getErrorRateThreshold()).isEqualTo(h.errorRateThreshold());
        assertThat(p.getHealth().getP99Threshold()).isEqualTo(h.p99Threshold());
        assertThat(p.getHealth().getRequestP99Threshold()).isEqualTo(h.requestP99Threshold());
        assertThat(p.getHealth().getHeapGrowthThresholdBytesPerHour()).isEqualTo(h.heapGrowthThresholdBytesPerHour());
        assertThat(p.getHealth().getEffectivenessThreshold()).isEqualTo(h.effectivenessThreshold());
        assertThat(p.getHealth().getCriticalChecksToRollBack()).isEqualTo(h.criticalChecksToRollBack());
        assertThat(p.getHealth().isAutomaticRollback()).isEqualTo(h.automaticRollback());
        assertThat(p.getHealth().getCoolDown()).isEqualTo(h.coolDown());
        assertThat(p.getHealth().getEvaluationWindow()).isEqualTo(h.evaluationWindow());
        assertThat(p.getHealth().getHeapWindow()).isEqualTo(h.heapWindow());
        assertThat(p.getHealth().getHeapMinimumWindow()).isEqualTo(h.heapMinimumWindow());
        assertThat(p.getHealth().getHeapAllowance().toBytes()).isEqualTo(h.heapAllowanceBytes());
        assertThat(p.getHealth().getCachedEntitySize().toBytes()).isEqualTo(h.cachedEntityBytes());
        assertThat(p.getHealth().getMinimumLoads()).isEqualTo(h.minimumLoads());
        assertThat(p.getHealth().getMinimumBackendCalls()).isEqualTo(h.minimumBackendCalls());
        assertThat(p.getHealth().getMinimumRequests()).isEqualTo(h.minimumRequests());
        assertThat(p.getHealth().getWhenDirectIsWorse()).isEqualTo(h.whenDirectIsWorse().name());
        assertThat(p.getMetrics().getWindow()).isEqualTo(FederationMetrics.DEFAULT_WINDOW);
        assertThat(p.getTracing().getSlowBatchThreshold()).isEqualTo(FederationTelemetry.DEFAULT_SLOW_BATCH_THRESHOLD);
    }
}
