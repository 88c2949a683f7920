package dev.federation.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationMode;
import dev.federation.core.observer.BatchCall;
import dev.federation.core.observer.BatchObservation;
import dev.federation.core.observer.BatchResult;
import dev.federation.core.observer.FederationObserver;
import dev.federation.health.FederationHealthMonitor;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.graphql.autoconfigure.GraphQlAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.data.federation.EntityMapping;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.execution.GraphQlSource;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

/**
 * An app that keeps Spring for GraphQL's own {@code FederationSchemaFactory} and has no {@code EntityType} bean:
 * Spring's {@code @EntityMapping} methods resolve, the starter observes them. Through Spring's real schema and
 * graphql-java's execution of the gateway's query.
 */
class EntityMappingObservationTest {

    record User(String id, String name) {
    }

    /** Records each batch call and its result. */
    static final class Batches implements FederationObserver {
        final List<BatchCall> calls = Collections.synchronizedList(new ArrayList<>());
        final List<BatchResult> results = Collections.synchronizedList(new ArrayList<>());

        @Override
        public BatchObservation batchStarted(BatchCall call) {
            calls.add(call);
            return new BatchObservation() {
                @Override
                public void completed(BatchResult result) {
                    results.add(result);
                }
            };
        }
    }

    /** The test's own beans: a batch recorder and a meter registry. */
    @Configuration(proxyBeanMethods = false)
    static class TestBeans {
        @Bean
        Batches batches() {
            return new Batches();
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    /** Spring's federation as its reference documentation wires it, and nothing of the library's. */
    @Configuration(proxyBeanMethods = false)
    @org.springframework.context.annotation.Import({FederationAutoConfigurationTest.SpringFederationWiring.class,
        TestBeans.class})
    static class SpringOnly {
    }

    /** A batched mapping that fails for an id, as a backend that is down does. */
    @Controller
    static class BatchedUsers {
        @EntityMapping
        List<User> user(@Argument List<String> idList) {
            if (idList.contains("down")) {
                throw new IllegalStateException("users backend down");
            }
            List<User> out = new ArrayList<>();
            idList.forEach(id -> out.add(id.startsWith("missing") ? null : new User(id, "Spring " + id)));
            return out;
        }
    }

    /** A one-by-one mapping that answers asynchronously, with a Mono; empty when there is no such user. */
    @Controller
    static class MonoUsers {
        @EntityMapping
        Mono<User> user(@Argument String id) {
            if ("never".equals(id)) {
                return Mono.never();
            }
            return "down".equals(id) ? Mono.error(new IllegalStateException("users backend down"))
                    : "none".equals(id) ? Mono.empty() : Mono.fromSupplier(() -> new User(id, "Mono " + id));
        }
    }

    /** A mapping a subclass proxy cannot intercept: its method is final. */
    @Controller
    static class FinalUsers {
        private final String prefix = "Final ";

        @EntityMapping
        final User user(@Argument String id) {
            return new User(id, prefix + id);
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GraphQlAutoConfiguration.class, FederationAutoConfiguration.class,
                    FederationObservabilityAutoConfiguration.class))
            .withUserConfiguration(SpringOnly.class)
            .withPropertyValues("federation.max-representations=10",
                    "management.endpoints.web.exposure.include=health,federation");

    private static ExecutionResult entities(GraphQL graphQL, String... ids) {
        List<Map<String, Object>> reps = new ArrayList<>();
        for (String id : ids) {
            reps.add(Map.of("__typename", "User", "id", id));
        }
        return graphQL.execute(ExecutionInput.newExecutionInput(
                        "query($representations:[_Any!]!){_entities(representations:$representations){...on User{id name}}}")
                .variables(Map.of("representations", reps)).build());
    }

    /** An SDK that exports each span to {@code exporter} as it ends. */
    private static io.opentelemetry.sdk.OpenTelemetrySdk sdk(
            io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter exporter) {
        return io.opentelemetry.sdk.OpenTelemetrySdk.builder()
                .setTracerProvider(io.opentelemetry.sdk.trace.SdkTracerProvider.builder()
                        .addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(exporter))
                        .build())
                .build();
    }

    /** The app's registry, with the library's meters bound as Boot's metrics auto-configuration would. */
    private static MeterRegistry meters(org.springframework.context.ApplicationContext context) {
        MeterRegistry meters = context.getBean(MeterRegistry.class);
        context.getBean(dev.federation.metrics.FederationMetrics.class).bindTo(meters);
        return meters;
    }

    private static double loads(MeterRegistry meters, String outcome) {
        var c = meters.find("federation.entity.loads").tag("typename", "User").tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aBatchedMappingIsOneBatchAndItsFailureIsAnErrorAtEachOfItsIndexes() {
        runner.withBean(BatchedUsers.class).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean("federationSchemaCustomizer")
                    .hasBean("federationEntitiesInstrumentation");
            assertThat(context.getBean(FederatedEntities.class).entityTypes()).isEmpty();
            GraphQL graphQL = context.getBean(GraphQlSource.class).graphQl();
            Batches batches = context.getBean(Batches.class);
            MeterRegistry meters = meters(context);

            ExecutionResult ok = entities(graphQL, "1", "2", "missing3");
            assertThat(ok.getErrors()).isEmpty();
            assertThat(ok.toSpecification().toString()).contains("Spring 2");
            assertThat(batches.calls).singleElement().satisfies(c -> {
                assertThat(c.typename()).isEqualTo("User");
                assertThat(c.keyShape()).isEqualTo("id");
                assertThat(c.mode()).isEqualTo(FederationMode.BATCHED);
                assertThat(c.size()).isEqualTo(3);
                assertThat(c.loaderName()).isEqualTo("@EntityMapping BatchedUsers.user");
            });
            assertThat(batches.results).singleElement().satisfies(r -> {
                assertThat(r.entityCount()).isEqualTo(2);
                assertThat(r.missingCount()).isEqualTo(1);
                assertThat(r.succeeded()).isTrue();
            });
            assertThat(loads(meters, "batched")).isEqualTo(2);
            assertThat(loads(meters, "missing")).isEqualTo(1);

            ExecutionResult down = entities(graphQL, "4", "down");
            assertThat(down.getErrors()).hasSize(2);
            assertThat(batches.results).hasSize(2).last().satisfies(r -> assertThat(r.failure())
                    .hasMessage("users backend down"));
            assertThat(loads(meters, "error")).isEqualTo(2);
            assertThat(meters.find("federation.backend.calls").tag("typename", "User").tag("outcome", "error")
                    .counter().count()).isEqualTo(1);

            // and the subgraph still answers afterwards
            assertThat(entities(graphQL, "5").getErrors()).isEmpty();
        });
    }

    @Test
    void aMonoMappingIsTimedUntilItsValueAndEachCallIsOneKey() {
        runner.withBean(MonoUsers.class).run(context -> {
            assertThat(context).hasNotFailed();
            GraphQL graphQL = context.getBean(GraphQlSource.class).graphQl();
            Batches batches = context.getBean(Batches.class);
            MeterRegistry meters = meters(context);

            ExecutionResult r = entities(graphQL, "1", "2", "down", "none");

            // Spring answers the empty Mono with an error too, but no such user is a missing load, not a failure
            assertThat(r.getErrors()).hasSize(2);
            assertThat(loads(meters, "missing")).isEqualTo(1);
            assertThat(batches.results).filteredOn(x -> x.missingCount() == 1).hasSize(1);
            assertThat(batches.calls).hasSize(4).allSatisfy(c -> {
                assertThat(c.mode()).isEqualTo(FederationMode.DIRECT);
                assertThat(c.size()).isEqualTo(1);
            });
            assertThat(batches.results).hasSize(4);
            assertThat(batches.results).filteredOn(x -> x.succeeded() && x.entityCount() == 1).hasSize(2);
            assertThat(loads(meters, "direct")).isEqualTo(2);
            assertThat(loads(meters, "error")).isEqualTo(1);
        });
    }

    @Test
    void aFinalMappingIsNotProxiedAndStillResolvesWithItsLoadsCounted() {
        runner.withBean(FinalUsers.class).run(context -> {
            assertThat(context).hasNotFailed();
            // not a subclass proxy: a final method called on one would read the proxy's empty fields
            assertThat(org.springframework.aop.support.AopUtils.isAopProxy(context.getBean(FinalUsers.class)))
                    .isFalse();
            MeterRegistry meters = meters(context);
            ExecutionResult r = entities(context.getBean(GraphQlSource.class).graphQl(), "1", "2");
            assertThat(r.getErrors()).isEmpty();
            assertThat(r.toSpecification().toString()).contains("Final 2");
            assertThat(context.getBean(Batches.class).calls).isEmpty();
            assertThat(loads(meters, "direct")).isEqualTo(2);
        });
    }

    @Test
    void aCancelledMonoEndsItsBatchOnceWithTheCancellation() {
        Batches batches = new Batches();
        org.springframework.beans.factory.support.DefaultListableBeanFactory beans =
                new org.springframework.beans.factory.support.DefaultListableBeanFactory();
        beans.registerSingleton("entities", FederatedEntities.builder().observer(batches).build());
        EntityMappingObservation.Batches processor = new EntityMappingObservation.Batches(
                beans.getBeanProvider(FederatedEntities.class));
        processor.setBeanFactory(beans);
        MonoUsers proxy = (MonoUsers) processor.postProcessAfterInitialization(new MonoUsers(), "monoUsers");
        assertThat(org.springframework.aop.support.AopUtils.isAopProxy(proxy)).isTrue();

        reactor.core.Disposable subscription = proxy.user("never").subscribe();
        assertThat(batches.calls).hasSize(1);
        assertThat(batches.results).isEmpty();
        subscription.dispose();
        subscription.dispose();

        assertThat(batches.results).singleElement().satisfies(r -> assertThat(r.failure())
                .isInstanceOf(java.util.concurrent.CancellationException.class));
    }

    @Test
    void overTheLimitSpringsMethodsAreNotCalled() {
        runner.withBean(BatchedUsers.class).run(context -> {
            GraphQL graphQL = context.getBean(GraphQlSource.class).graphQl();
            Batches batches = context.getBean(Batches.class);

            ExecutionResult r = entities(graphQL, "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11");

            assertThat(r.getErrors()).singleElement().satisfies(e -> assertThat(e.getExtensions())
                    .containsEntry("code", "TOO_MANY_REPRESENTATIONS"));
            assertThat(batches.calls).isEmpty();
        });
    }

    @Test
    void concurrentRequestsAreEachTheirOwnBatch() throws Exception {
        runner.withBean(BatchedUsers.class).run(context -> {
            GraphQL graphQL = context.getBean(GraphQlSource.class).graphQl();
            Batches batches = context.getBean(Batches.class);
            int threads = 16;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<ExecutionResult>> answers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String a = "t" + t + "a";
                    String b = "t" + t + "b";
                    answers.add(pool.submit(() -> {
                        start.await();
                        return entities(graphQL, a, b);
                    }));
                }
                start.countDown();
                for (int t = 0; t < threads; t++) {
                    ExecutionResult r = answers.get(t).get(60, TimeUnit.SECONDS);
                    assertThat(r.getErrors()).isEmpty();
                    // each request gets its own users, never another's
                    assertThat(r.toSpecification().toString()).contains("Spring t" + t + "a", "Spring t" + t + "b")
                            .doesNotContain("Spring t" + ((t + 1) % threads) + "a");
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(batches.calls).hasSize(threads).allSatisfy(c -> assertThat(c.size()).isEqualTo(2));
            assertThat(batches.results).hasSize(threads).allSatisfy(r -> assertThat(r.entityCount()).isEqualTo(2));
        });
    }

    @Test
    void theHealthMonitorChecksButDoesNotRollBackAndTheModeCannotBeSet() {
        runner.withBean(BatchedUsers.class).run(context -> {
            assertThat(context.getBean(FederationHealthMonitor.class).config().automaticRollback()).isFalse();
            FederationEndpoint endpoint = context.getBean(FederationEndpoint.class);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> endpoint.mode("DIRECT", "drill"))
                    .isInstanceOf(org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException.class)
                    .hasMessageContaining("@EntityMapping");
        });
    }

    @Test
    void withAnOpenTelemetryBeanEachMethodCallIsABatchSpanUnderTheEntitiesSpan() {
        io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter exporter =
                io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter.create();
        io.opentelemetry.sdk.OpenTelemetrySdk sdk = sdk(exporter);
        runner.withBean(BatchedUsers.class).withBean(io.opentelemetry.api.OpenTelemetry.class, () -> sdk)
                .run(context -> {
                    assertThat(entities(context.getBean(GraphQlSource.class).graphQl(), "1", "2").getErrors())
                            .isEmpty();
                    var spans = exporter.getFinishedSpanItems();
                    assertThat(spans).extracting(io.opentelemetry.sdk.trace.data.SpanData::getName)
                            .containsExactlyInAnyOrder("GraphQL _entities",
                                    "GraphQL DataLoader Batch @EntityMapping BatchedUsers.user");
                    var entitiesSpan = spans.stream().filter(x -> x.getName().equals("GraphQL _entities"))
                            .findFirst().orElseThrow();
                    assertThat(spans).filteredOn(x -> x != entitiesSpan).singleElement().satisfies(x -> assertThat(
                            x.getParentSpanId()).isEqualTo(entitiesSpan.getSpanId()));
                });
        sdk.close();
    }

    /** Spring's federation with an executor for blocking methods, as Boot wires it with virtual threads on. */
    @Configuration(proxyBeanMethods = false)
    @org.springframework.context.annotation.Import(TestBeans.class)
    static class SpringOnExecutor {
        static final ExecutorService EXECUTOR = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "entity-mapping-executor");
            t.setDaemon(true);
            return t;
        });

        @Bean
        org.springframework.graphql.data.federation.FederationSchemaFactory federationSchemaFactory() {
            var factory = new org.springframework.graphql.data.federation.FederationSchemaFactory();
            factory.setExecutor(EXECUTOR);
            factory.setBlockingMethodPredicate(method -> true);
            return factory;
        }

        @Bean
        org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer customizer(
                org.springframework.graphql.data.federation.FederationSchemaFactory factory) {
            return builder -> builder.schemaFactory(factory::createGraphQLSchema);
        }
    }

    @Test
    void aBlockingMappingRunOnSpringsExecutorHasItsBatchSpanUnderTheEntitiesSpan() {
        io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter exporter =
                io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter.create();
        io.opentelemetry.sdk.OpenTelemetrySdk sdk = sdk(exporter);
        java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GraphQlAutoConfiguration.class,
                        FederationAutoConfiguration.class, FederationObservabilityAutoConfiguration.class))
                .withUserConfiguration(SpringOnExecutor.class)
                .withBean(BatchedUsers.class).withBean(io.opentelemetry.api.OpenTelemetry.class, () -> sdk)
                .withBean(FederationObserver.class, () -> new FederationObserver() {
                    @Override
                    public BatchObservation batchStarted(BatchCall call) {
                        threads.add(Thread.currentThread().getName());
                        return null;
                    }
                })
                .run(context -> {
                    assertThat(entities(context.getBean(GraphQlSource.class).graphQl(), "1", "2").getErrors())
                            .isEmpty();
                    assertThat(threads).containsExactly("entity-mapping-executor"); // not the request's thread
                    var spans = exporter.getFinishedSpanItems();
                    var entitiesSpan = spans.stream().filter(x -> x.getName().equals("GraphQL _entities"))
                            .findFirst().orElseThrow();
                    assertThat(spans).filteredOn(x -> x != entitiesSpan).singleElement().satisfies(x -> {
                        assertThat(x.getName()).isEqualTo("GraphQL DataLoader Batch @EntityMapping BatchedUsers.user");
                        assertThat(x.getParentSpanId()).isEqualTo(entitiesSpan.getSpanId());
                        assertThat(x.getTraceId()).isEqualTo(entitiesSpan.getTraceId());
                    });
                });
        sdk.close();
    }

    @Test
    void withNeitherAnEntityTypeNorSpringsFactoryStartupSaysWhatToAdd() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GraphQlAutoConfiguration.class,
                        FederationAutoConfiguration.class, FederationObservabilityAutoConfiguration.class))
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageStartingWith("federation-spring-boot found no EntityType bean")
                        .hasMessageContaining("FederationSchemaFactory"));
    }
}
