package dev.federation.benchmarks;

import graphql.ExecutionResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.graphql.ExecutionGraphQlResponse;
import org.springframework.graphql.ExecutionGraphQlService;
import org.springframework.graphql.data.federation.EntityMapping;
import org.springframework.graphql.data.federation.FederationSchemaFactory;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.execution.DefaultExecutionGraphQlService;
import org.springframework.graphql.execution.GraphQlSource;
import org.springframework.graphql.support.DefaultExecutionGraphQlRequest;
import org.springframework.stereotype.Controller;

/**
 * Spring for GraphQL's federation support, as its documentation sets it up, driven through its
 * {@link ExecutionGraphQlService} without a web server: a {@link FederationSchemaFactory} over an
 * application context holding one controller with a batched {@link EntityMapping} per type (a {@code List}
 * of ids in, a {@code List} of entities out, in id order).
 */
final class SpringGraphQlSubgraph implements Subgraph {

    private final AnnotationConfigApplicationContext context;
    private final ExecutionGraphQlService service;
    private final AtomicLong requestIds = new AtomicLong();

    SpringGraphQlSubgraph(Backend backend) {
        this.context = new AnnotationConfigApplicationContext();
        if (backend.hasLatency()) {
            context.registerBean(AsyncEntityController.class, () -> new AsyncEntityController(backend));
        } else {
            context.registerBean(EntityController.class, () -> new EntityController(backend));
        }
        context.refresh();
        FederationSchemaFactory schemaFactory = new FederationSchemaFactory();
        schemaFactory.setApplicationContext(context);
        schemaFactory.afterPropertiesSet();
        GraphQlSource source = GraphQlSource.schemaResourceBuilder()
                .schemaResources(new ClassPathResource("benchmark-schema.graphql"))
                .schemaFactory(schemaFactory::createGraphQLSchema)
                .configureGraphQl(b -> b.preparsedDocumentProvider(new DocumentCache()))
                .build();
        this.service = new DefaultExecutionGraphQlService(source);
    }

    @Override
    public ExecutionResult execute(String query, Map<String, Object> variables) {
        ExecutionGraphQlResponse response = service.execute(new DefaultExecutionGraphQlRequest(query, null,
                variables, null, Long.toString(requestIds.incrementAndGet()), null)).block();
        if (response == null) {
            throw new IllegalStateException("Spring for GraphQL returned no response");
        }
        return response.getExecutionResult();
    }

    @Override
    public void close() {
        context.close();
    }

    /** The entities of {@code ids} in id order ({@code null} where unknown), as a batched mapping returns them. */
    static <V> List<@Nullable V> inOrder(Collection<String> ids, Map<String, V> byId) {
        List<@Nullable V> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            out.add(byId.get(id));
        }
        return out;
    }

    /** Batched entity mappings over an in-memory backend. */
    @Controller
    static final class EntityController {
        private final Backend backend;

        EntityController(Backend backend) {
            this.backend = backend;
        }

        @EntityMapping
        public List<@Nullable User> user(@Argument List<String> idList) {
            return inOrder(idList, backend.users().findAll(idList));
        }

        @EntityMapping
        public List<@Nullable Product> product(@Argument List<String> idList) {
            return inOrder(idList, backend.products().findAll(idList));
        }

        @EntityMapping
        public List<@Nullable Review> review(@Argument List<String> idList) {
            return inOrder(idList, backend.reviews().findAll(idList));
        }
    }

    /** Batched entity mappings over a backend with latency: each returns a future of the list. */
    @Controller
    static final class AsyncEntityController {
        private final Backend backend;

        AsyncEntityController(Backend backend) {
            this.backend = backend;
        }

        @EntityMapping
        public CompletableFuture<List<@Nullable User>> user(@Argument List<String> idList) {
            return backend.users().findAllAsync(idList).thenApply(byId -> inOrder(idList, byId));
        }

        @EntityMapping
        public CompletableFuture<List<@Nullable Product>> product(@Argument List<String> idList) {
            return backend.products().findAllAsync(idList).thenApply(byId -> inOrder(idList, byId));
        }

        @EntityMapping
        public CompletableFuture<List<@Nullable Review>> review(@Argument List<String> idList) {
            return backend.reviews().findAllAsync(idList).thenApply(byId -> inOrder(idList, byId));
        }
    }
}
