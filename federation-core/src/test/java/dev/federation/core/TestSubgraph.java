package dev.federation.core;

import dev.federation.testkit.EntitiesSubgraph;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLContext;
import graphql.schema.idl.RuntimeWiring;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The core tests' subgraph: {@code test-schema.graphql} and its records, on the shared {@link EntitiesSubgraph}
 * (a real federation-jvm schema, executed the way a gateway calls it).
 */
final class TestSubgraph {

    static final String SDL = EntitiesSubgraph.resource(TestSubgraph.class, "/test-schema.graphql");

    record User(String id, String name) {
    }

    record Product(String id, String sku, String pkg, Variation variation, String name) {
        public String getPackage() {
            return pkg;
        }
    }

    record Variation(String id) {
    }

    record Review(String id, String body) {
    }

    final FederatedEntities entities;
    final GraphQL graphQL;
    private final EntitiesSubgraph subgraph;

    TestSubgraph(FederatedEntities entities) {
        this.entities = entities;
        this.subgraph = EntitiesSubgraph.of(SDL, RuntimeWiring.newRuntimeWiring()
                        .type("Product", t -> t.dataFetcher("package", env -> ((Product) env.getSource()).pkg()))
                        .build(),
                entities.fetcher(), entities.typeResolver(), entities::withRegistry);
        this.graphQL = subgraph.graphQL();
    }

    /** Executes {@code _entities} with the given representations and selection, as a gateway does. */
    ExecutionResult entities(List<?> representations, String selection) {
        return subgraph.entities(representations, selection);
    }

    ExecutionResult entities(List<?> representations, String selection, Consumer<GraphQLContext.Builder> context) {
        return subgraph.entities(representations, selection, context);
    }

    /** Executes any query with its variables. */
    ExecutionResult execute(String query, Map<String, Object> variables) {
        return subgraph.execute(query, variables);
    }

    static List<Object> entityList(ExecutionResult result) {
        return EntitiesSubgraph.entityList(result);
    }

    static Map<String, Object> rep(String typename, Object... fieldsAndValues) {
        return EntitiesSubgraph.rep(typename, fieldsAndValues);
    }

    static List<Map<String, Object>> users(int from, int count) {
        return EntitiesSubgraph.reps("User", "u", from, count);
    }

    /** Records every batch call a backend received. */
    static final class Backend {
        final List<List<?>> calls = Collections.synchronizedList(new ArrayList<>());

        Map<String, User> users(List<String> ids) {
            calls.add(List.copyOf(ids));
            Map<String, User> out = new LinkedHashMap<>();
            for (String id : ids) {
                if (!id.startsWith("missing")) {
                    out.put(id, new User(id, "User " + id));
                }
            }
            return out;
        }

        int callCount() {
            return calls.size();
        }
    }
}
