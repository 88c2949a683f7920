package dev.federation.benchmarks;

import com.apollographql.federation.graphqljava.Federation;
import com.apollographql.federation.graphqljava._Entity;
import dev.federation.core.EntityBatchLoader;
import dev.federation.core.EntityType;
import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import dev.federation.core.observer.FederationObserver;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLSchema;
import graphql.schema.TypeResolver;
import graphql.schema.idl.RuntimeWiring;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.dataloader.DataLoader;
import org.dataloader.DataLoaderFactory;
import org.dataloader.DataLoaderRegistry;
import org.dataloader.MappedBatchLoader;
import org.jspecify.annotations.Nullable;

/**
 * The implementations compared, by the name the benchmarks' {@code impl} parameter gives them, all over
 * the same schema ({@code benchmark-schema.graphql}), the same {@link Backend} and the same document cache:
 *
 * <ul>
 *   <li>{@value #NAIVE}: a federation-jvm {@code _entities} fetcher that resolves each representation on its
 *       own, as federation-jvm's README shows (with a backend latency it waits for each call in turn);</li>
 *   <li>{@value #DATALOADER}: what a careful user writes by hand with java-dataloader today: a mapped
 *       DataLoader per type in a fresh registry per request, {@code load} per representation, one future of
 *       the whole list;</li>
 *   <li>{@value #SPRING}: Spring for GraphQL's federation support with a batched {@code @EntityMapping} per
 *       type, through its {@code ExecutionGraphQlService} without a web server;</li>
 *   <li>{@value #LIBRARY}: this library's {@link FederatedEntities}, no observer, set up as the README's quick
 *       start does (no {@code javaClass}: the type resolver learns each entity's type from its call);</li>
 *   <li>{@value #LIBRARY_CLASS}: the same with each entity type's {@code javaClass} registered;</li>
 *   <li>{@value #LIBRARY_REGISTRY}: the quick start with {@code entities.withRegistry(input)} per request, as a
 *       service whose fields use DataLoaders runs it (graphql-java then does its DataLoader dispatch
 *       bookkeeping for every field);</li>
 *   <li>{@code library_metrics}, {@code library_tracing}, {@code library_all}: the same with the observers of
 *       federation-metrics, federation-tracing or both ({@link ObservedSubgraphs}).</li>
 * </ul>
 */
final class Subgraphs {

    static final String NAIVE = "naive";
    static final String DATALOADER = "dataloader";
    static final String SPRING = "springgraphql";
    static final String LIBRARY = "library";
    static final String LIBRARY_CLASS = "library_class";
    static final String LIBRARY_REGISTRY = "library_registry";

    /** Every implementation name, in the order the tables show them. */
    static final List<String> ALL = List.of(NAIVE, DATALOADER, SPRING, LIBRARY, LIBRARY_CLASS, LIBRARY_REGISTRY,
            ObservedSubgraphs.LIBRARY_METRICS,
            ObservedSubgraphs.LIBRARY_TRACING, ObservedSubgraphs.LIBRARY_ALL);

    /** The schema every implementation serves. */
    static final String SDL = resource("/benchmark-schema.graphql");

    private Subgraphs() {
    }

    /**
     * The implementation named {@code impl} over {@code backend}.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    static Subgraph create(String impl, Backend backend) {
        switch (impl) {
            case NAIVE:
                return naive(backend);
            case DATALOADER:
                return new DataLoaderSubgraph(backend);
            case SPRING:
                return new SpringGraphQlSubgraph(backend);
            case LIBRARY:
                return library(backend, false, false, List.of(), () -> {
                });
            case LIBRARY_CLASS:
                return library(backend, true, false, List.of(), () -> {
                });
            case LIBRARY_REGISTRY:
                return library(backend, false, true, List.of(), () -> {
                });
            case ObservedSubgraphs.LIBRARY_METRICS:
            case ObservedSubgraphs.LIBRARY_TRACING:
            case ObservedSubgraphs.LIBRARY_ALL:
                return ObservedSubgraphs.create(impl, backend);
            default:
                throw new IllegalArgumentException("unknown implementation '" + impl + "', expected one of " + ALL);
        }
    }

    /** A federation-jvm {@code GraphQL} over the benchmark schema, with the document cache. */
    static GraphQL graphQL(DataFetcher<?> entities, TypeResolver entityTypes) {
        GraphQLSchema schema = Federation.transform(SDL, RuntimeWiring.newRuntimeWiring().build())
                .fetchEntities(entities)
                .resolveEntityType(entityTypes)
                .build();
        return GraphQL.newGraphQL(schema).preparsedDocumentProvider(new DocumentCache()).build();
    }

    static ExecutionInput input(String query, Map<String, Object> variables) {
        return ExecutionInput.newExecutionInput(query).variables(variables).build();
    }

    /** The entity type resolver a user of plain federation-jvm writes: by Java class. */
    static TypeResolver byClass() {
        return env -> {
            Object o = env.getObject();
            String typename = o instanceof User ? "User"
                    : o instanceof Product ? "Product"
                    : o instanceof Review ? "Review"
                    : null;
            return typename == null ? null : env.getSchema().getObjectType(typename);
        };
    }

    /** One backend call per representation, in order, each awaited before the next. */
    static Subgraph naive(Backend backend) {
        boolean async = backend.hasLatency();
        DataFetcher<?> fetcher = env -> env.<List<Map<String, Object>>>getArgument(_Entity.argumentName)
                .stream()
                .map(values -> {
                    Object typename = values.get("__typename");
                    Object id = values.get("id");
                    if (!(typename instanceof String) || !(id instanceof String)) {
                        return null;
                    }
                    Backend.Table<?> table = backend.table((String) typename);
                    return async ? table.findAsync((String) id).join() : table.find((String) id);
                })
                .collect(Collectors.toList());
        GraphQL graphQL = graphQL(fetcher, byClass());
        return (query, variables) -> graphQL.execute(input(query, variables));
    }

    /**
     * This library over {@code backend}, with the given observers.
     *
     * @param javaClass whether the entity types register their Java classes
     * @param registry whether each request gets {@code entities.withRegistry(input)}
     * @param onClose what {@link Subgraph#close()} releases (e.g. an OpenTelemetry SDK)
     */
    static Subgraph library(Backend backend, boolean javaClass, boolean registry, List<FederationObserver> observers,
            Runnable onClose) {
        FederatedEntities.Builder builder = FederatedEntities.builder()
                .modeSwitch(FederationModeSwitch.of(FederationMode.BATCHED))
                .entity(entityType(backend.users(), javaClass ? User.class : null))
                .entity(entityType(backend.products(), javaClass ? Product.class : null))
                .entity(entityType(backend.reviews(), javaClass ? Review.class : null));
        observers.forEach(builder::observer);
        FederatedEntities entities = builder.build();
        GraphQL graphQL = graphQL(entities.fetcher(), entities.typeResolver());
        return new Subgraph() {
            @Override
            public ExecutionResult execute(String query, Map<String, Object> variables) {
                ExecutionInput input = input(query, variables);
                return graphQL.execute(registry ? entities.withRegistry(input) : input);
            }

            @Override
            public void close() {
                onClose.run();
            }
        };
    }

    private static <V> EntityType entityType(Backend.Table<V> table, @Nullable Class<V> javaClass) {
        EntityType.Builder type = EntityType.named(table.typename);
        if (javaClass != null) {
            type.javaClass(javaClass);
        }
        if (table.backendHasLatency()) {
            type.key("id", rep -> rep.getString("id"), EntityBatchLoader.<String, V>mappedAsync(table::findAllAsync));
        } else {
            type.key("id", rep -> rep.getString("id"), EntityBatchLoader.<String, V>mapped(table::findAll));
        }
        return type.build();
    }

    /** Hand-written java-dataloader batching: what a careful user writes today. */
    static final class DataLoaderSubgraph implements Subgraph {
        private final Backend backend;
        private final GraphQL graphQL;

        DataLoaderSubgraph(Backend backend) {
            this.backend = backend;
            DataFetcher<CompletableFuture<List<@Nullable Object>>> fetcher = env -> {
                List<Map<String, Object>> reps = env.getArgument(_Entity.argumentName);
                List<CompletableFuture<Object>> loads = new ArrayList<>(reps.size());
                for (Map<String, Object> rep : reps) {
                    DataLoader<String, Object> loader = env.getDataLoader((String) rep.get("__typename"));
                    if (loader == null) {
                        loads.add(CompletableFuture.failedFuture(
                                new IllegalArgumentException("unknown type " + rep.get("__typename"))));
                    } else {
                        loads.add(loader.load((String) rep.get("id")));
                    }
                }
                return CompletableFuture.allOf(loads.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
                    List<@Nullable Object> out = new ArrayList<>(loads.size());
                    for (CompletableFuture<Object> f : loads) {
                        out.add(f.join());
                    }
                    return out;
                });
            };
            this.graphQL = graphQL(fetcher, byClass());
        }

        /** A fresh registry for one request: a mapped DataLoader per entity type. */
        DataLoaderRegistry newRegistry() {
            return DataLoaderRegistry.newRegistry()
                    .register("User", loader(backend.users()))
                    .register("Product", loader(backend.products()))
                    .register("Review", loader(backend.reviews()))
                    .build();
        }

        private static <V> DataLoader<String, V> loader(Backend.Table<V> table) {
            MappedBatchLoader<String, V> batch = table.backendHasLatency()
                    ? table::findAllAsync
                    : ids -> CompletableFuture.completedFuture(table.findAll(ids));
            return DataLoaderFactory.newMappedDataLoader(batch);
        }

        @Override
        public ExecutionResult execute(String query, Map<String, Object> variables) {
            return graphQL.execute(ExecutionInput.newExecutionInput(query)
                    .variables(variables)
                    .dataLoaderRegistry(newRegistry())
                    .build());
        }
    }

    private static String resource(String name) {
        try (InputStream in = Subgraphs.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
