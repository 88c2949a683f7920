package dev.federation.spring;

import static dev.federation.spring.FederationAutoConfiguration.valid;

import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationModeSwitch;
import dev.federation.core.FederationStatistics;
import dev.federation.core.observer.FederationObserver;
import dev.federation.metrics.FederationCacheMetrics;
import dev.federation.metrics.FederationHealthMonitor;
import dev.federation.metrics.FederationMetrics;
import dev.federation.metrics.HealthMonitorConfig;
import dev.federation.tracing.FederationTelemetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The observable side, each part only when its classes are on the classpath:
 * <ul>
 *   <li>federation-metrics + Micrometer: {@link FederationMetrics} (a {@code MeterBinder}, so Boot binds it to
 *       every registry, with the Prometheus names of the plain library), the cross-request caches' meters, and
 *       the {@link FederationHealthMonitor} started and stopped with the context
 *       ({@code federation.health.enabled});</li>
 *   <li>Spring Boot's health module: the {@code federation} health contributor;</li>
 *   <li>the actuator: the {@code federation} endpoint;</li>
 *   <li>federation-tracing + an {@code OpenTelemetry} bean: {@link FederationTelemetry} as an observer
 *       ({@code federation.tracing.enabled}).</li>
 * </ul>
 */
@AutoConfiguration(after = FederationAutoConfiguration.class)
@ConditionalOnBean(FederatedEntities.class)
@EnableConfigurationProperties(FederationProperties.class)
public class FederationObservabilityAutoConfiguration {

    /** Meters and the health monitor. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({FederationMetrics.class, MeterRegistry.class})
    static class Metrics {

        @Bean
        @ConditionalOnMissingBean
        FederationMetrics federationMetrics(FederationProperties properties, FederationModeSwitch modeSwitch) {
            FederationMetrics.Builder b = FederationMetrics.builder().modeSwitch(modeSwitch);
            valid("federation.metrics.window", properties.getMetrics().getWindow(),
                    () -> b.window(properties.getMetrics().getWindow()));
            return b.build();
        }

        @Bean
        @ConditionalOnMissingBean
        FederationCacheMetrics federationCacheMetrics(FederatedEntities entities) {
            return FederationCacheMetrics.of(entities);
        }

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        @ConditionalOnProperty(prefix = "federation.health", name = "enabled", matchIfMissing = true)
        FederationHealthMonitor federationHealthMonitor(FederationProperties properties, FederationMetrics metrics,
                FederationModeSwitch modeSwitch) {
            return FederationHealthMonitor.builder(metrics, modeSwitch).config(healthConfig(properties.getHealth()))
                    .build();
        }

        @Bean
        @ConditionalOnProperty(prefix = "federation.health", name = "enabled", matchIfMissing = true)
        FederationHealthMonitorLifecycle federationHealthMonitorLifecycle(FederationHealthMonitor monitor) {
            return new FederationHealthMonitorLifecycle(monitor);
        }

        private static HealthMonitorConfig healthConfig(FederationProperties.Health h) {
            HealthMonitorConfig.Builder b = HealthMonitorConfig.custom();
            String p = "federation.health.";
            valid(p + "interval", h.getInterval(), () -> b.checkInterval(h.getInterval()));
            valid(p + "error-rate-threshold", h.getErrorRateThreshold(),
                    () -> b.errorRateThreshold(h.getErrorRateThreshold()));
            valid(p + "p99-threshold", h.getP99Threshold(), () -> b.p99Threshold(h.getP99Threshold()));
            valid(p + "request-p99-threshold", h.getRequestP99Threshold(),
                    () -> b.requestP99Threshold(h.getRequestP99Threshold()));
            valid(p + "heap-growth-threshold-bytes-per-hour", h.getHeapGrowthThresholdBytesPerHour(),
                    () -> b.heapGrowthThresholdBytesPerHour(h.getHeapGrowthThresholdBytesPerHour()));
            valid(p + "effectiveness-threshold", h.getEffectivenessThreshold(),
                    () -> b.effectivenessThreshold(h.getEffectivenessThreshold()));
            valid(p + "critical-checks-to-roll-back", h.getCriticalChecksToRollBack(),
                    () -> b.criticalChecksToRollBack(h.getCriticalChecksToRollBack()));
            b.automaticRollback(h.isAutomaticRollback());
            valid(p + "cool-down", String.valueOf(h.getCoolDown()), () -> b.coolDown(h.getCoolDown()));
            return valid(p + "*", "(the combination)", b::build);
        }

        /** The {@code federation} health contributor. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(HealthIndicator.class)
        @ConditionalOnProperty(prefix = "federation.health", name = "enabled", matchIfMissing = true)
        static class Health {
            @Bean
            @ConditionalOnMissingBean(name = "federationHealthIndicator")
            FederationHealthIndicator federationHealthIndicator(FederationHealthMonitor monitor) {
                return new FederationHealthIndicator(monitor);
            }
        }
    }

    /** The {@code federation} actuator endpoint. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
    static class Actuator {
        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint(FederationEndpoint.class)
        FederationEndpoint federationEndpoint(FederatedEntities entities, FederationStatistics statistics) {
            return new FederationEndpoint(entities, statistics);
        }
    }

    /** Spans and batch logs, when the app has an {@code OpenTelemetry} bean. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({FederationTelemetry.class, OpenTelemetry.class})
    @ConditionalOnBean(OpenTelemetry.class)
    @ConditionalOnProperty(prefix = "federation.tracing", name = "enabled", matchIfMissing = true)
    static class Tracing {
        @Bean
        @ConditionalOnMissingBean
        FederationTelemetry federationTelemetry(OpenTelemetry openTelemetry, FederationProperties properties) {
            FederationTelemetry.Builder b = FederationTelemetry.builder(openTelemetry);
            Object threshold = properties.getTracing().getSlowBatchThreshold();
            valid("federation.tracing.slow-batch-threshold", threshold,
                    () -> b.slowBatchThreshold(properties.getTracing().getSlowBatchThreshold()));
            return b.build();
        }

        @Bean
        @ConditionalOnMissingBean(name = "federationTracingObserver")
        FederationObserver federationTracingObserver(FederationTelemetry telemetry) {
            return telemetry.observer();
        }
    }

    /** Starts the health monitor with the context and closes it when the context stops. */
    static final class FederationHealthMonitorLifecycle implements SmartLifecycle {
        private final FederationHealthMonitor monitor;
        private volatile boolean running;

        FederationHealthMonitorLifecycle(FederationHealthMonitor monitor) {
            this.monitor = monitor;
        }

        @Override
        public void start() {
            monitor.start();
            running = true;
        }

        @Override
        public void stop() {
            monitor.close();
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }
    }
}
