package dev.federation.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.federation.core.EntityBatchLoader;
import dev.federation.core.EntityType;
import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import dev.federation.core.FederationOptions;
import dev.federation.health.FederationHealthMonitor;
import dev.federation.health.HealthReport;
import dev.federation.health.HealthWindow;
import dev.federation.metrics.FederationMetrics;
import dev.federation.tracing.FederationTelemetry;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.graphql.autoconfigure.GraphQlAutoConfiguration;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.data.federation.EntityMapping;
import org.springframework.graphql.data.federation.FederationSchemaFactory;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.stereotype.Controller;
import org.springframework.graphql.execution.GraphQlSource;

/** The auto-configuration in an {@link ApplicationContextRunner}, with a real Spring for GraphQL schema. */
class FederationAutoConfigurationTest {

    record User(String id, String name) {
    }

    /** An app with one entity type whose batch function records its calls. */
    @Configuration(proxyBeanMethods = false)
    static class App {
        final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());

        @Bean
        EntityType userEntity() {
            return users(calls).build();
        }
    }

    /** {@code User} by id, each batch call recorded in {@code calls}: the entity of these tests' apps. */
    static EntityType.Builder users(List<List<String>> calls) {
        return EntityType.named("User").javaClass(User.class)
                .key("id", rep -> rep.getString("id"), EntityBatchLoader.<String, User>mapped(ids -> {
                    calls.add(List.copyOf(ids));
                    Map<String, User> out = new LinkedHashMap<>();
                    ids.forEach(id -> out.put(id, new User(id, "User " + id)));
                    return out;
                }));
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GraphQlAutoConfiguration.class, FederationAutoConfiguration.class,
                    FederationObservabilityAutoConfiguration.class))
            .withUserConfiguration(App.class)
            .withPropertyValues("management.endpoints.web.exposure.include=health,federation");

    /** The gateway's {@code _entities} query for users {@code u0} to {@code u<count-1>}. */
    static ExecutionResult entities(GraphQL graphQL, int count) {
        List<Map<String, Object>> reps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            reps.add(Map.of("__typename", "User", "id", "u" + i));
        }
        return graphQL.execute(ExecutionInput.newExecutionInput(
                        "query($representations:[_Any!]!){_entities(representations:$representations){...on User{id name}}}")
                .variables(Map.of("representations", reps)).build());
    }

    @Test
    void withGraphQlTheEntitiesAreInstalledInSpringsSchemaAndBatch() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(FederatedEntities.class)
                    .hasSingleBean(FederationModeSwitch.class).hasSingleBean(FederationOptions.class)
                    .hasBean("federationSchemaCustomizer").hasSingleBean(FederationMetrics.class)
                    .hasSingleBean(FederationHealthMonitor.class).hasSingleBean(FederationEndpoint.class)
                    .hasBean("federationHealthIndicator").doesNotHaveBean(FederationTelemetry.class);
            GraphQL graphQL = context.getBean(GraphQlSource.class).graphQl();

            ExecutionResult result = entities(graphQL, 100);

            assertThat(result.getErrors()).isEmpty();
            assertThat(context.getBean(App.class).calls).singleElement().asList().hasSize(100);
            assertThat(context.getBean(FederatedEntities.class).modeSwitch().mode()).isEqualTo(FederationMode.BATCHED);
        });
    }

    @Test
    void springsSchemaReportNoLongerCallsTheFederationFieldsUnmapped() {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger("org.springframework.boot.graphql.autoconfigure.GraphQlAutoConfiguration");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            runner.run(context -> {
                assertThat(context).hasNotFailed();
                context.getBean(GraphQlSource.class).graphQl();
            });
        } finally {
            logger.detachAppender(appender);
        }
        // the report is still made (Query.me has no data fetcher here), without the two fields the library serves
        assertThat(appender.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.contains("Unmapped fields: {Query=[me]}"))
                .noneMatch(m -> m.contains("_entities") || m.contains("_service"));
    }

    @Test
    void withoutGraphQlNothingIsConfigured() {
        runner.withClassLoader(new FilteredClassLoader(GraphQL.class)).run(context -> assertThat(context)
                .hasNotFailed().doesNotHaveBean(FederatedEntities.class).doesNotHaveBean(FederationMetrics.class));
    }

    @Test
    void eachOptionalPartIsLeftOutWhenItsClassesAreMissing() {
        runner.withClassLoader(new FilteredClassLoader(FederationHealthMonitor.class)).run(context -> assertThat(context)
                .hasNotFailed().hasSingleBean(FederatedEntities.class).hasSingleBean(FederationMetrics.class)
                .doesNotHaveBean(FederationHealthMonitor.class));
        runner.withClassLoader(new FilteredClassLoader(Endpoint.class)).run(context -> assertThat(context)
                .hasNotFailed().hasSingleBean(FederatedEntities.class).doesNotHaveBean(FederationEndpoint.class));
        // no federation-health: no monitor, and no endpoint (its views are health's), rather than one that fails
        runner.withClassLoader(new FilteredClassLoader("dev.federation.health.")).run(context -> assertThat(context)
                .hasNotFailed().hasSingleBean(FederatedEntities.class).doesNotHaveBean(FederationEndpoint.class)
                .doesNotHaveBean(FederationHealthMonitor.class));
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(context -> assertThat(context)
                .hasNotFailed().hasSingleBean(FederationHealthMonitor.class)
                .doesNotHaveBean("federationHealthIndicator"));
        runner.withClassLoader(new FilteredClassLoader(OpenTelemetry.class)).run(context -> assertThat(context)
                .hasNotFailed().hasSingleBean(FederatedEntities.class).doesNotHaveBean(FederationTelemetry.class));
    }

    @Test
    void anOpenTelemetryBeanTurnsTracingOn() {
        runner.withBean(OpenTelemetry.class, OpenTelemetry::noop).run(context -> assertThat(context).hasNotFailed()
                .hasSingleBean(FederationTelemetry.class).hasBean("federationTracingObserver"));
        runner.withBean(OpenTelemetry.class, OpenTelemetry::noop).withPropertyValues("federation.tracing.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FederationTelemetry.class));
    }

    @Test
    void withAnOpenTelemetryBeanEachBatchHasASpanUnderTheRequestsSpan() {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();
        runner.withBean(OpenTelemetry.class, () -> sdk).run(context -> {
            GraphQL graphQL = context.getBean(GraphQlSource.class).graphQl();
            Span request = sdk.getTracer("test").spanBuilder("POST /graphql").startSpan();
            try (Scope ignored = request.makeCurrent()) {
                assertThat(entities(graphQL, 10).getErrors()).isEmpty();
            } finally {
                request.end();
            }
            List<SpanData> spans = exporter.getFinishedSpanItems();
            assertThat(spans).extracting(SpanData::getName)
                    .contains("GraphQL _entities", "GraphQL DataLoader Batch User(id)", "POST /graphql");
            assertThat(spans).allSatisfy(span ->
                    assertThat(span.getTraceId()).isEqualTo(request.getSpanContext().getTraceId()));
        });
        sdk.close();
    }

    @Test
    void aUsersOwnBeanWins() {
        FederationModeSwitch own = FederationModeSwitch.of(FederationMode.DIRECT);
        runner.withBean(FederationModeSwitch.class, () -> own).run(context -> {
            assertThat(context.getBean(FederationModeSwitch.class)).isSameAs(own);
            assertThat(context.getBean(FederatedEntities.class).modeSwitch()).isSameAs(own);
        });
    }

    @Test
    void propertiesAreBound() {
        runner.withPropertyValues("federation.max-batch-size=40", "federation.max-representations=500",
                "federation.batch-timeout=2s", "federation.health.enabled=false", "federation.enabled=false")
                .run(context -> {
                    FederationOptions options = context.getBean(FederationOptions.class);
                    assertThat(options.maxBatchSize()).isEqualTo(40);
                    assertThat(options.maxRepresentations()).isEqualTo(500);
                    assertThat(options.batchTimeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(context).doesNotHaveBean(FederationHealthMonitor.class);
                    assertThat(context.getBean(FederationModeSwitch.class).mode()).isEqualTo(FederationMode.DIRECT);
                    GraphQL graphQL = context.getBean(GraphQlSource.class).graphQl();
                    assertThat(entities(graphQL, 100).getErrors()).isEmpty();
                    assertThat(context.getBean(App.class).calls).hasSize(100); // DIRECT: one call each
                });
        runner.withPropertyValues("federation.mode=DIRECT", "federation.enabled=true").run(context ->
                assertThat(context.getBean(FederationModeSwitch.class).mode()).isEqualTo(FederationMode.DIRECT));
    }

    @Test
    void withoutMicrometerTheHealthMonitorStillRunsOnAWindowOfItsOwn() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .withPropertyValues("federation.health.minimum-loads=10").run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(FederationMetrics.class)
                            .hasSingleBean(FederationHealthMonitor.class).hasSingleBean(HealthWindow.class);
                    assertThat(entities(context.getBean(GraphQlSource.class).graphQl(), 20).getErrors()).isEmpty();
                    HealthReport report = context.getBean(FederationHealthMonitor.class).check();
                    assertThat(report.window().loads()).isEqualTo(20);
                    assertThat(report.check(dev.federation.health.CheckName.ERROR_RATE).judged()).isTrue();
                });
    }

    @Test
    void withMetricsTheMonitorReadsTheirWindowAndNoSecondOneIsCounting() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(FederationMetrics.class)
                    .doesNotHaveBean(HealthWindow.class);
            assertThat(entities(context.getBean(GraphQlSource.class).graphQl(), 20).getErrors()).isEmpty();
            assertThat(context.getBean(FederationHealthMonitor.class).check().window().loads()).isEqualTo(20);
            assertThat(context.getBean(FederationMetrics.class).recentWindow().loads()).isEqualTo(20);
        });
    }

    @Test
    void everyHealthMonitorSettingHasAProperty() {
        runner.withPropertyValues("federation.health.evaluation-window=2m", "federation.health.heap-window=2h",
                "federation.health.heap-minimum-window=90m", "federation.health.heap-allowance=64MB",
                "federation.health.cached-entity-size=1KB", "federation.health.minimum-loads=7",
                "federation.health.minimum-backend-calls=8", "federation.health.minimum-requests=9",
                "federation.health.when-direct-is-worse=hold").run(context -> {
                    assertThat(context).hasNotFailed();
                    FederationHealthMonitor monitor = context.getBean(FederationHealthMonitor.class);
                    dev.federation.health.HealthMonitorConfig c = monitor.config();
                    assertThat(c.evaluationWindow()).isEqualTo(java.time.Duration.ofMinutes(2));
                    assertThat(c.heapWindow()).isEqualTo(java.time.Duration.ofHours(2));
                    assertThat(c.heapMinimumWindow()).isEqualTo(java.time.Duration.ofMinutes(90));
                    assertThat(c.heapAllowanceBytes()).isEqualTo(64L * 1024 * 1024);
                    assertThat(c.cachedEntityBytes()).isEqualTo(1024);
                    assertThat(c.minimumLoads()).isEqualTo(7);
                    assertThat(c.minimumBackendCalls()).isEqualTo(8);
                    assertThat(c.minimumRequests()).isEqualTo(9);
                    assertThat(c.whenDirectIsWorse())
                            .isEqualTo(dev.federation.health.HealthMonitorConfig.DirectWorsePolicy.HOLD);
                    assertThat(monitor.heapAllowanceBytes()).isEqualTo(64L * 1024 * 1024);
                });
        runner.withPropertyValues("federation.health.when-direct-is-worse=sometimes").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("federation.health.when-direct-is-worse"));
    }

    /** A batch executor of the app's own, under the name the auto-configuration looks for. */
    @Configuration(proxyBeanMethods = false)
    static class BatchExecutor {
        @Bean(name = FederationAutoConfiguration.BATCH_EXECUTOR_BEAN, destroyMethod = "shutdown")
        java.util.concurrent.ExecutorService federationBatchExecutor() {
            return java.util.concurrent.Executors.newFixedThreadPool(2);
        }
    }

    @Test
    void crossRequestBatchingIsConfiguredFromPropertiesOnTheAppsBatchExecutor() {
        runner.withUserConfiguration(BatchExecutor.class)
                .withPropertyValues("federation.cross-request.enabled=true", "federation.cross-request.window=5ms",
                        "federation.cross-request.max-calls-in-flight=2", "federation.cross-request.max-waiting-keys=500",
                        "federation.cross-request.direct-below=0")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    dev.federation.core.FederationOptions options = context.getBean(
                            dev.federation.core.FederationOptions.class);
                    assertThat(options.crossRequest()).isNotNull();
                    assertThat(options.crossRequest().window()).isEqualTo(java.time.Duration.ofMillis(5));
                    assertThat(options.crossRequest().maxCallsInFlight()).isEqualTo(2);
                    assertThat(options.crossRequest().maxWaitingKeys()).isEqualTo(500);
                    assertThat(options.crossRequest().directBelow()).isZero();
                    assertThat(options.batchExecutor()).isSameAs(
                            context.getBean(FederationAutoConfiguration.BATCH_EXECUTOR_BEAN));
                    ExecutionResult result = entities(context.getBean(GraphQlSource.class).graphQl(), 30);
                    assertThat(result.getErrors()).isEmpty();
                    assertThat(context.getBean(App.class).calls).singleElement().asList().hasSize(30);
                });
        runner.withPropertyValues("federation.cross-request.enabled=true").run(context -> assertThat(context)
                .hasFailed().getFailure().rootCause().hasMessageContaining("needs FederationOptions.batchExecutor"));
        runner.withPropertyValues("federation.cross-request.enabled=true", "federation.cross-request.window=0s")
                .withUserConfiguration(BatchExecutor.class).run(context -> assertThat(context).hasFailed()
                        .getFailure().rootCause().hasMessageContaining("federation.cross-request.window"));
    }

    @Test
    void aBadValueFailsStartupNamingThePropertyAndTheValue() {
        runner.withPropertyValues("federation.max-batch-size=0").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("federation.max-batch-size")
                .hasMessageContaining("0").hasMessageContaining("maxBatchSize must be at least 1"));
        runner.withPropertyValues("federation.health.error-rate-threshold=1.5").run(context -> assertThat(context)
                .hasFailed().getFailure().rootCause().hasMessageContaining("federation.health.error-rate-threshold")
                .hasMessageContaining("1.5"));
        runner.withPropertyValues("federation.batch-timeout=-1s").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("federation.batch-timeout"));
    }

    /** How an app wires Spring's own federation support (Spring for GraphQL's reference documentation). */
    @Configuration(proxyBeanMethods = false)
    static class SpringFederationWiring {
        @Bean
        FederationSchemaFactory federationSchemaFactory() {
            return new FederationSchemaFactory();
        }

        @Bean
        GraphQlSourceBuilderCustomizer customizer(FederationSchemaFactory factory) {
            return builder -> builder.schemaFactory(factory::createGraphQLSchema);
        }
    }

    /** Spring's wiring with one {@code @EntityMapping} controller. */
    @Configuration(proxyBeanMethods = false)
    @org.springframework.context.annotation.Import(SpringFederationWiring.class)
    static class SpringFederation {
        @Bean
        UserEntities userEntities() {
            return new UserEntities();
        }
    }

    /** An {@code @EntityMapping} of Spring for GraphQL. */
    @Controller
    static class UserEntities {
        @EntityMapping
        User user(@Argument String id) {
            return new User(id, "Spring " + id);
        }
    }

    @Test
    void springsOwnFederationSchemaFactoryIsKeptAndTheRestStillWorks() {
        runner.withUserConfiguration(SpringFederation.class).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean("federationSchemaCustomizer")
                    .hasBean("federationCoexistenceNotice").hasSingleBean(FederatedEntities.class)
                    .hasSingleBean(FederationMetrics.class).hasSingleBean(FederationEndpoint.class);
            ExecutionResult result = entities(context.getBean(GraphQlSource.class).graphQl(), 3);
            assertThat(result.getErrors()).isEmpty();
            assertThat(result.toSpecification().toString()).contains("Spring u2");
            assertThat(context.getBean(App.class).calls).isEmpty(); // Spring's mapping answered, not the library
            // the EntityType bean is not installed, so the kill switch controls nothing: no rollback, no mode write
            assertThat(context.getBean(FederationHealthMonitor.class).config().automaticRollback()).isFalse();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> context.getBean(FederationEndpoint.class)
                    .mode("DIRECT", "drill")).hasMessageContaining("@EntityMapping");
        });
    }
}
