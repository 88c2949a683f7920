package dev.federation.core;

import com.apollographql.federation.graphqljava.Federation;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLContext;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** A real federation-jvm subgraph over {@code test-schema.graphql}, executed the way a gateway calls it. */
final class TestSubgraph {

    static final String SDL = read("/test-schema.graphql");

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

    TestSubgraph(FederatedEntities entities) {
        this.entities = entities;
        GraphQLSchema schema = Federation.transform(SDL, RuntimeWiring.newRuntimeWiring()
                        .type("Product", t -> t.dataFetcher("package", env -> ((Product) env.getSource()).pkg()))
                        .build())
                .fetchEntities(entities.fetcher())
                .resolveEntityType(entities.typeResolver())
                .build();
        this.graphQL = GraphQL.newGraphQL(schema).build();
    }

    /** Executes {@code _entities} with the given representations and selection, as a gateway does. */
    ExecutionResult entities(List<?> representations, String selection) {
        return entities(representations, selection, b -> {
        });
    }

    ExecutionResult entities(List<?> representations, String selection, Consumer<GraphQLContext.Builder> context) {
        String query = "query($representations:[_Any!]!){_entities(representations:$representations){"
                + selection + "}}";
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("representations", representations);
        ExecutionInput input = ExecutionInput.newExecutionInput(query)
                .variables(variables)
                .graphQLContext(context)
                .build();
        return graphQL.execute(entities.withRegistry(input));
    }

    @SuppressWarnings("unchecked")
    static List<Object> entityList(ExecutionResult result) {
        Map<String, Object> data = result.getData();
        return (List<Object>) data.get("_entities");
    }

    static Map<String, Object> rep(String typename, Object... fieldsAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("__typename", typename);
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            m.put((String) fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return m;
    }

    static List<Map<String, Object>> users(int from, int count) {
        List<Map<String, Object>> reps = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            reps.add(rep("User", "id", "u" + i));
        }
        return reps;
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

    private static String read(String resource) {
        try (InputStream in = TestSubgraph.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
