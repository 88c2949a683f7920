package dev.federation.tracing;

import dev.federation.core.FederatedEntities;
import dev.federation.testkit.EntitiesSubgraph;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLContext;
import graphql.schema.idl.RuntimeWiring;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.dataloader.DataLoader;

/**
 * The tracing tests' subgraph: {@code tracing-schema.graphql} and its records, on the shared {@link EntitiesSubgraph}
 * (a real federation-jvm schema, executed the way a gateway calls it).
 */
final class Subgraph {

    static final String SDL = EntitiesSubgraph.resource(Subgraph.class, "/tracing-schema.graphql");
    static final String USER_AND_REVIEW = "...on User{id name} ...on Review{id body}";

    record User(String id, String name) {
    }

    record Review(String id, String body) {
    }

    final FederatedEntities entities;
    final GraphQL graphQL;
    private final EntitiesSubgraph subgraph;

    Subgraph(FederatedEntities entities) {
        this.entities = entities;
        this.subgraph = EntitiesSubgraph.of(SDL, RuntimeWiring.newRuntimeWiring()
                        .type("User", t -> t.dataFetcher("bestFriend", env -> {
                            DataLoader<String, String> friends = env.getDataLoader("bestFriends");
                            return friends.load(((User) env.getSource()).id());
                        }))
                        .build(),
                entities.fetcher(), entities.typeResolver(), entities::withRegistry);
        this.graphQL = subgraph.graphQL();
    }

    ExecutionResult entities(List<?> representations, String selection) {
        return entities(representations, selection, b -> {
        });
    }

    /** Executes {@code _entities} with the given representations, selection and GraphQL context. */
    ExecutionResult entities(List<?> representations, String selection, Consumer<GraphQLContext.Builder> context) {
        return subgraph.entities(representations, selection, context);
    }

    static Map<String, Object> rep(String typename, String id) {
        return EntitiesSubgraph.rep(typename, "id", id);
    }

    static List<Map<String, Object>> reps(String typename, String prefix, int count) {
        return EntitiesSubgraph.reps(typename, prefix, 0, count);
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

    static List<Object> entityList(ExecutionResult result) {
        return EntitiesSubgraph.entityList(result);
    }
}
