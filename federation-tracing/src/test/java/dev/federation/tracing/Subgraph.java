package dev.federation.tracing;

import com.apollographql.federation.graphqljava.Federation;
import dev.federation.core.FederatedEntities;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.dataloader.DataLoader;

/** A real federation-jvm subgraph over {@code tracing-schema.graphql}, executed the way a gateway calls it. */
final class Subgraph {

    static final String SDL = read("/tracing-schema.graphql");
    static final String USER_AND_REVIEW = "...on User{id name} ...on Review{id body}";

    record User(String id, String name) {
    }

    record Review(String id, String body) {
    }

    final FederatedEntities entities;
    final GraphQL graphQL;

    Subgraph(FederatedEntities entities) {
        this.entities = entities;
        GraphQLSchema schema = Federation.transform(SDL, RuntimeWiring.newRuntimeWiring()
                        .type("User", t -> t.dataFetcher("bestFriend", env -> {
                            DataLoader<String, String> friends = env.getDataLoader("bestFriends");
                            return friends.load(((User) env.getSource()).id());
                        }))
                        .build())
                .fetchEntities(entities.fetcher())
                .resolveEntityType(entities.typeResolver())
                .build();
        this.graphQL = GraphQL.newGraphQL(schema).build();
    }

    ExecutionResult entities(List<?> representations, String selection) {
        return entities(representations, selection, b -> {
        });
    }

    /** Executes {@code _entities} with the given representations, selection and GraphQL context. */
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

    static Map<String, Object> rep(String typename, String id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("__typename", typename);
        m.put("id", id);
        return m;
    }

    static List<Map<String, Object>> reps(String typename, String prefix, int count) {
        List<Map<String, Object>> reps = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            reps.add(rep(typename, prefix + i));
        }
        return reps;
    }

    /** {@code count} users and {@code count} reviews, interleaved. */
    static List<Map<String, Object>> usersAndReviews(int count) {
        List<Map<String, Object>> reps = new ArrayList<>(count * 2);
        for (int i = 0; i < count; i++) {
            reps.add(rep("User", "u" + i));
            reps.add(rep("Review", "r" + i));
        }
        return reps;
    }

    static Map<String, User> users(List<String> ids) {
        Map<String, User> out = new LinkedHashMap<>();
        for (String id : ids) {
            if (!id.startsWith("missing")) {
                out.put(id, new User(id, "User " + id));
            }
        }
        return out;
    }

    static Map<String, Review> reviews(List<String> ids) {
        Map<String, Review> out = new LinkedHashMap<>();
        for (String id : ids) {
            out.put(id, new Review(id, "Review " + id));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<Object> entityList(ExecutionResult result) {
        Map<String, Object> data = result.getData();
        return (List<Object>) data.get("_entities");
    }

    private static String read(String resource) {
        try (InputStream in = Subgraph.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
