package dev.federation.examples.quickstart;

import com.apollographql.federation.graphqljava.Federation;
import dev.federation.core.EntityBatchLoader;
import dev.federation.core.EntityType;
import dev.federation.core.FederatedEntities;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class QuickStart {

    record User(String id, String name) {
    }

    /** Stands for your database: findByIds is one query for all the ids of a batch. */
    static class UserRepository {
        Map<String, User> findByIds(List<String> ids) {
            System.out.println("findByIds " + ids); // one call for the whole _entities request
            Map<String, User> users = new LinkedHashMap<>();
            ids.forEach(id -> users.put(id, new User(id, "User " + id)));
            return users;
        }
    }

    static final String SDL = """
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
            type User @key(fields: "id") { id: ID! name: String }
            type Query { me: User }
            """;

    public static void main(String[] args) {
        UserRepository userRepository = new UserRepository();

        // 1. Declare each entity type: one batch function per @key, receiving the List of distinct keys
        FederatedEntities entities = FederatedEntities.builder()
                .entity(EntityType.named("User")
                        .key("id", rep -> rep.getString("id"),
                                EntityBatchLoader.mapped(userRepository::findByIds))
                        .build())
                .build();

        // 2. Hand the _entities fetcher and the type resolver to federation-jvm
        GraphQLSchema schema = Federation.transform(SDL, RuntimeWiring.newRuntimeWiring().build())
                .fetchEntities(entities.fetcher())
                .resolveEntityType(entities.typeResolver())
                .build();
        GraphQL graphQL = GraphQL.newGraphQL(schema).build();

        // 3. Execute what a gateway sends. _entities needs no DataLoaderRegistry; once your own fields load
        //    through DataLoaders, pass entities.withRegistry(input) instead of input on every request
        String query = "query($representations:[_Any!]!){_entities(representations:$representations){...on User{id name}}}";
        Map<String, Object> variables = Map.of("representations", List.of(
                Map.of("__typename", "User", "id", "u1"),
                Map.of("__typename", "User", "id", "u2"),
                Map.of("__typename", "User", "id", "u1")));
        ExecutionResult result = graphQL.execute(ExecutionInput.newExecutionInput()
                .query(query)
                .variables(variables)
                .build());

        System.out.println(result.toSpecification());
    }
}
