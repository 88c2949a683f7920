package dev.federation.spring;

import static dev.federation.spring.FederationAutoConfiguration.valid;

import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationModeSwitch;
import dev.federation.core.FederationStatistics;
import dev.federation.core.observer.FederationObserver;
import dev.federation.health.FederationHealthMonitor;
import dev.federation.health.HealthClock;
import dev.federation.health.HealthMonitorConfig;
import dev.federation.health.HealthWindow;
import dev.federation.metrics.FederationCacheMetrics;
import dev.federation.metrics.FederationMetrics;
import dev.federation.metrics.HealthMonitorMetrics;
import dev.federation.tracing.FederationTelemetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
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
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * The observable side, each part only when its classes are on the classpath:
 * <ul>
 *   <li>federation-metrics + Micrometer: {@link FederationMetrics} (a {@code MeterBinder}, so Boot binds it to
 *       every registry, with the Prometheus names of the plain library), the cross-request caches' meters, and
 *       the health monitor's meters;</li>
 *   <li>federation-health: the {@link FederationHealthMonitor} started and stopped with the context
 *       ({@code federation.health.enabled}), reading the window of {@link FederationMetrics} when there is one,
 *       else a {@link HealthWindow} of its own (no Micrometer needed);</li>
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

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(
            FederationObservabilityAutoConfiguration.class);

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

        /** The window the health monitor reads: the one these metrics keep, so it is not counted twice. */
        @Bean
        FederationHealthWindow federationMetricsHealthWindow(FederationMetrics metrics) {
            return new FederationHealthWindow(metrics.healthWindow());
        }

        /** {@code federation.health} and {@code federation.health.rollbacks}, when the monitor runs. */
        @Bean
        MeterBinder federationHealthMonitorMetrics(ObjectProvider<FederationHealthMonitor> monitor,
                FederationMetrics metrics) {
            return registry -> monitor.ifAvailable(m -> HealthMonitorMetrics.of(m, metrics.names()).bindTo(registry));
        }
    }

    /** The health monitor: federation-health alone is enough (declared after {@link Metrics}, whose window it prefers). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(FederationHealthMonitor.class)
    @ConditionalOnProperty(prefix = "federation.health", name = "enabled", matchIfMissing = true)
    static class HealthMonitoring {

        /**
         * A window of its own, registered as an observer, when no {@code FederationMetrics} keeps one (decided by
         * the classes present, as {@link Metrics} is, so that the order of the two does not matter).
         */
        @Bean
        @Conditional(WithoutMetrics.class)
        HealthWindow federationHealthWindow(FederationProperties properties) {
            Duration evaluation = properties.getHealth().getEvaluationWindow();
            Duration length = evaluation != null && evaluation.compareTo(HealthWindow.DEFAULT_WINDOW) > 0
                    ? evaluation : HealthWindow.DEFAULT_WINDOW;
            return valid("federation.health.evaluation-window", length,
                    () -> HealthWindow.of(length, HealthClock.system()));
        }

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        FederationHealthMonitor federationHealthMonitor(FederationProperties properties, FederatedEntities entities,
                FederationModeSwitch modeSwitch, ObjectProvider<FederationHealthWindow> metricsWindow,
                ObjectProvider<HealthWindow> ownWindow, ListableBeanFactory beans) {
            FederationHealthWindow fromMetrics = metricsWindow.getIfAvailable();
            HealthWindow window = fromMetrics != null ? fromMetrics.window() : ownWindow.getObject();
            // with Spring's @EntityMapping methods resolving _entities there is no batched path to roll back from
            boolean rollback = !FederationAutoConfiguration.springFederation(beans);
            if (!rollback && properties.getHealth().isAutomaticRollback()) {
                LOG.info("federation health: automatic rollback is off, the kill switch has nothing to act on "
                        + "(Spring's @EntityMapping methods resolve _entities); the checks still run");
            }
            HealthMonitorConfig config = healthConfig(properties.getHealth(), rollback);
            return FederationHealthMonitor.builder(window, modeSwitch)
                    .entities(entities)
                    .config(config)
                    .build();
        }

        @Bean
        FederationHealthMonitorLifecycle federationHealthMonitorLifecycle(FederationHealthMonitor monitor) {
            return new FederationHealthMonitorLifecycle(monitor);
        }

        static HealthMonitorConfig healthConfig(FederationProperties.Health h, boolean rollbackAllowed) {
            HealthMonitorConfig.Builder b = HealthMonitorConfig.custom();
            String p = "federation.health.";
            valid(p + "interval", h.getInterval(), () -> b.checkInterval(h.getInterval()));
            valid(p + "evaluation-window", h.getEvaluationWindow(), () -> b.evaluationWindow(h.getEvaluationWindow()));
            valid(p + "error-rate-threshold", h.getErrorRateThreshold(),
                    () -> b.errorRateThreshold(h.getErrorRateThreshold()));
            valid(p + "p99-threshold", h.getP99Threshold(), () -> b.p99Threshold(h.getP99Threshold()));
            valid(p + "request-p99-threshold", h.getRequestP99Threshold(),
                    () -> b.requestP99Threshold(h.getRequestP99Threshold()));
            valid(p + "heap-growth-threshold-bytes-per-hour", h.getHeapGrowthThresholdBytesPerHour(),
                    () -> b.heapGrowthThresholdBytesPerHour(h.getHeapGrowthThresholdBytesPerHour()));
            valid(p + "heap-window", h.getHeapWindow(), () -> b.heapWindow(h.getHeapWindow()));
            valid(p + "heap-minimum-window", h.getHeapMinimumWindow(),
                    () -> b.heapMinimumWindow(h.getHeapMinimumWindow()));
            valid(p + "heap-allowance", h.getHeapAllowance(),
                    () -> b.heapAllowanceBytes(h.getHeapAllowance().toBytes()));
            valid(p + "cached-entity-size", h.getCachedEntitySize(),
                    () -> b.cachedEntityBytes(h.getCachedEntitySize().toBytes()));
            valid(p + "effectiveness-threshold", h.getEffectivenessThreshold(),
                    () -> b.effectivenessThreshold(h.getEffectivenessThreshold()));
            valid(p + "critical-checks-to-roll-back", h.getCriticalChecksToRollBack(),
                    () -> b.criticalChecksToRollBack(h.getCriticalChecksToRollBack()));
            valid(p + "minimum-loads", h.getMinimumLoads(), () -> b.minimumLoads(h.getMinimumLoads()));
            valid(p + "minimum-backend-calls", h.getMinimumBackendCalls(),
                    () -> b.minimumBackendCalls(h.getMinimumBackendCalls()));
            valid(p + "minimum-requests", h.getMinimumRequests(), () -> b.minimumRequests(h.getMinimumRequests()));
            valid(p + "when-direct-is-worse", h.getWhenDirectIsWorse(),
                    () -> b.whenDirectIsWorse(HealthMonitorConfig.DirectWorsePolicy.valueOf(
                            h.getWhenDirectIsWorse().trim().toUpperCase(java.util.Locale.ROOT))));
            b.automaticRollback(h.isAutomaticRollback() && rollbackAllowed);
            valid(p + "cool-down", String.valueOf(h.getCoolDown()), () -> b.coolDown(h.getCoolDown()));
            return valid(p + "*", "(the combination)", b::build);
        }

        /** The {@code federation} health contributor. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(HealthIndicator.class)
        static class Health {
            @Bean
            @ConditionalOnMissingBean(name = "federationHealthIndicator")
            FederationHealthIndicator federationHealthIndicator(FederationHealthMonitor monitor) {
                return new FederationHealthIndicator(monitor);
            }
        }
    }

    /** True when {@link Metrics} is not configured: federation-metrics or Micrometer is missing. */
    static final class WithoutMetrics implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            ClassLoader loader = context.getClassLoader();
            return !ClassUtils.isPresent("dev.federation.metrics.FederationMetrics", loader)
                    || !ClassUtils.isPresent("io.micrometer.core.instrument.MeterRegistry", loader);
        }
    }

    /** The window kept by {@code FederationMetrics}, handed to the monitor; not an observer bean of its own. */
    record FederationHealthWindow(HealthWindow window) {
    }

    /** The {@code federation} actuator endpoint (its views are federation-health's {@code FederationViews}). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(value = {Endpoint.class, ConditionalOnAvailableEndpoint.class},
            name = "dev.federation.health.FederationViews")
    static class Actuator {
        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint(FederationEndpoint.class)
        FederationEndpoint federationEndpoint(FederatedEntities entities, FederationStatistics statistics,
                ListableBeanFactory beans) {
            return new FederationEndpoint(entities, statistics, !FederationAutoConfiguration.springFederation(beans));
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
