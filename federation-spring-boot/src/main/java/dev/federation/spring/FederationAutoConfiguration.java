package dev.federation.spring;

import com.apollographql.federation.graphqljava.Federation;
import dev.federation.core.CrossRequestBatching;
import dev.federation.core.EntityType;
import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationModeSwitch;
import dev.federation.core.FederationOptions;
import dev.federation.core.FederationStatistics;
import dev.federation.core.observer.FederationObserver;
import graphql.GraphQL;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.dataloader.EmptyDataLoaderRegistryInstance;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.dataloader.DataLoaderRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.graphql.autoconfigure.GraphQlAutoConfiguration;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.data.federation.FederationSchemaFactory;
import org.springframework.graphql.server.WebGraphQlInterceptor;

/**
 * Auto-configuration of batched {@code _entities} resolution for Spring for GraphQL: a
 * {@link FederationModeSwitch}, {@link FederationOptions} and {@link FederatedEntities} built from every
 * {@link EntityType} bean and {@link FederatedEntitiesCustomizer}, installed into the schema Spring for GraphQL
 * builds from the app's schema files (federation-jvm's {@code Federation.transform}), and the app's own
 * DataLoaders observed on each request. Every bean gives way to one of the user's own.
 *
 * <p>An app that defines Spring's own {@code FederationSchemaFactory} keeps it: its {@code @EntityMapping}
 * methods resolve {@code _entities}, observed by the starter (said once at INFO).
 *
 * <p>Metrics, health, the actuator endpoint and tracing are in
 * {@link FederationObservabilityAutoConfiguration}.
 */
@AutoConfiguration(after = GraphQlAutoConfiguration.class)
@ConditionalOnClass({GraphQL.class, GraphQlSourceBuilderCustomizer.class, Federation.class})
@EnableConfigurationProperties(FederationProperties.class)
public class FederationAutoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(FederationAutoConfiguration.class);
    private static final String SPRING_FEDERATION = "org.springframework.graphql.data.federation.FederationSchemaFactory";

    /** The kill switch, starting in {@code federation.mode} or as {@code federation.enabled} says. */
    @Bean
    @ConditionalOnMissingBean
    public FederationModeSwitch federationModeSwitch(FederationProperties properties) {
        return FederationModeSwitch.of(properties.startMode());
    }

    /** The name of the executor bean synchronous batch functions run on, when the app defines one. */
    public static final String BATCH_EXECUTOR_BEAN = "federationBatchExecutor";

    /**
     * The limits, from {@code federation.max-batch-size}, {@code max-representations}, {@code batch-timeout},
     * and cross-request batching from {@code federation.cross-request.*}. The batch executor is the bean
     * {@value #BATCH_EXECUTOR_BEAN} when there is one; with cross-request batching on and none, Spring's
     * {@code applicationTaskExecutor} (a merged call must not run on another request's thread).
     */
    @Bean
    @ConditionalOnMissingBean
    public FederationOptions federationOptions(FederationProperties p, BeanFactory beans) {
        FederationOptions.Builder b = FederationOptions.custom();
        valid("federation.max-batch-size", p.getMaxBatchSize(), () -> b.maxBatchSize(p.getMaxBatchSize()));
        valid("federation.max-representations", p.getMaxRepresentations(),
                () -> b.maxRepresentations(p.getMaxRepresentations()));
        valid("federation.batch-timeout", p.getBatchTimeout(), () -> b.batchTimeout(p.getBatchTimeout()));
        Executor executor = executor(beans, BATCH_EXECUTOR_BEAN);
        FederationProperties.CrossRequest c = p.getCrossRequest();
        if (c.isEnabled()) {
            String q = "federation.cross-request.";
            CrossRequestBatching.Builder cb = CrossRequestBatching.custom();
            valid(q + "window", c.getWindow(), () -> cb.window(c.getWindow()));
            valid(q + "max-calls-in-flight", c.getMaxCallsInFlight(),
                    () -> cb.maxCallsInFlight(c.getMaxCallsInFlight()));
            valid(q + "max-waiting-keys", c.getMaxWaitingKeys(), () -> cb.maxWaitingKeys(c.getMaxWaitingKeys()));
            valid(q + "direct-below", c.getDirectBelow(), () -> cb.directBelow(c.getDirectBelow()));
            b.crossRequest(cb.build());
            if (executor == null) {
                executor = executor(beans, "applicationTaskExecutor");
            }
        }
        b.batchExecutor(executor);
        return b.build();
    }

    private static @Nullable Executor executor(BeanFactory beans, String name) {
        return beans.containsBean(name) && beans.isTypeMatch(name, Executor.class)
                ? beans.getBean(name, Executor.class) : null;
    }

    /** Counts per type for the {@code federation} actuator endpoint's views. */
    @Bean
    @ConditionalOnMissingBean
    public FederationStatistics federationStatistics() {
        return new FederationStatistics();
    }

    /**
     * The entities: every {@link EntityType} bean, every {@link FederationObserver} bean (statistics, metrics,
     * tracing, the app's own), then the {@link FederatedEntitiesCustomizer}s in order.
     */
    @Bean
    @ConditionalOnMissingBean
    public FederatedEntities federatedEntities(ObjectProvider<EntityType> types, FederationModeSwitch modeSwitch,
            FederationOptions options, ObjectProvider<FederationObserver> observers,
            ObjectProvider<FederatedEntitiesCustomizer> customizers, ListableBeanFactory beans) {
        FederatedEntities.Builder b = FederatedEntities.builder().modeSwitch(modeSwitch).options(options);
        types.orderedStream().forEach(b::entity);
        observers.orderedStream().forEach(b::observer);
        customizers.orderedStream().forEach(c -> c.customize(b));
        FederatedEntities entities = b.build();
        if (entities.entityTypes().isEmpty() && !springFederation(beans)) {
            entities.close();
            throw new IllegalStateException("federation-spring-boot found no EntityType bean to resolve _entities "
                    + "with: declare one (@Bean EntityType user(...) { return EntityType.named(\"User\")...build(); }), "
                    + "or keep Spring for GraphQL's FederationSchemaFactory with @EntityMapping methods");
        }
        return entities;
    }

    /** True when the app defines Spring for GraphQL's own {@code FederationSchemaFactory}. */
    static boolean springFederation(ListableBeanFactory beans) {
        return beans.getBeanNamesForType(FederationSchemaFactory.class, false, false).length > 0;
    }

    /**
     * Installs the {@code _entities} fetcher and the entity type resolver into the schema Spring for GraphQL
     * builds, unless the app has Spring's own {@code FederationSchemaFactory}.
     */
    @Bean
    @ConditionalOnMissingBean(type = SPRING_FEDERATION, name = "federationSchemaCustomizer")
    public GraphQlSourceBuilderCustomizer federationSchemaCustomizer(FederatedEntities entities,
            org.springframework.core.env.Environment environment) {
        boolean inspect = environment.getProperty("spring.graphql.schema.inspection.enabled", Boolean.class, true);
        return builder -> {
            builder.schemaFactory((registry, wiring) -> Federation.transform(registry, wiring)
                    .fetchEntities(entities.fetcher())
                    .resolveEntityType(entities.typeResolver())
                    .build());
            if (inspect) {
                builder.inspectSchemaMappings(report -> {
                    String text = SchemaInspection.withoutFederationFields(report);
                    if (text != null) {
                        SchemaInspection.LOG.info(text);
                    }
                });
            }
        };
    }

    /**
     * An app that keeps Spring for GraphQL's own {@code FederationSchemaFactory}: its {@code @EntityMapping} methods
     * resolve {@code _entities}, and the starter observes them ({@link EntityMappingObservation}): each method call
     * as a batch, Spring's {@code _entities} fetcher wrapped with the representation limit and the call's events.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = SPRING_FEDERATION)
    @ConditionalOnBean(type = SPRING_FEDERATION)
    static class SpringEntityMappings {

        @Bean
        static EntityMappingObservation.Batches federationEntityMappingBatches(
                ObjectProvider<FederatedEntities> entities) {
            return new EntityMappingObservation.Batches(entities);
        }

        @Bean
        @ConditionalOnMissingBean(name = "federationEntitiesInstrumentation")
        Instrumentation federationEntitiesInstrumentation(FederatedEntities entities,
                EntityMappingObservation.Batches batches) {
            return new EntityMappingObservation.EntitiesField(entities, batches.mappings());
        }

        /** Says once that the batched fetcher is not installed, and what the app gets instead. */
        @Bean
        SmartInitializingSingleton federationCoexistenceNotice(FederatedEntities entities) {
            return () -> LOG.info("Spring for GraphQL's FederationSchemaFactory is configured: its @EntityMapping "
                    + "methods resolve _entities{}. federation-spring-boot observes them (batches, loads, the "
                    + "representation limit, meters, spans, health); batching, the cache and the kill switch "
                    + "apply to EntityType beans only.", entities.entityTypes().isEmpty() ? ""
                    : ", and the EntityType beans (" + String.join(", ", entities.entityTypes().keySet())
                            + ") are not installed");
        }
    }

    /**
     * Observes the app's own DataLoaders ({@code BatchLoaderRegistry}) on each request: a registry carrying the
     * library's DataLoader instrumentation is put on the request before Spring registers the loaders into it,
     * so each loader keeps its own instrumentation, chained with this one.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(WebGraphQlInterceptor.class)
    static class DataLoaderObservation {

        @Bean
        @ConditionalOnMissingBean(name = "federationDataLoaderInterceptor")
        WebGraphQlInterceptor federationDataLoaderInterceptor(FederatedEntities entities) {
            return (request, chain) -> {
                request.configureExecutionInput((input, builder) -> {
                    DataLoaderRegistry existing = input.getDataLoaderRegistry();
                    if (existing == null
                            || existing == EmptyDataLoaderRegistryInstance.EMPTY_DATALOADER_REGISTRY) {
                        builder.dataLoaderRegistry(DataLoaderRegistry.newRegistry()
                                .instrumentation(entities.dataLoaderInstrumentation(input.getGraphQLContext()))
                                .build());
                    }
                    return builder.build();
                });
                return chain.next(request);
            };
        }
    }

    /**
     * Runs {@code apply}; a value the library refuses becomes the startup failure Boot explains with the
     * property's name and value.
     */
    static <T> T valid(String property, Object value, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
        }
    }
}
