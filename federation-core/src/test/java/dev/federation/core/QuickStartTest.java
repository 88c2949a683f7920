package dev.federation.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.apollographql.federation.graphqljava.Federation;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs the README's quick start, and checks that the README shows exactly this code. */
class QuickStartTest {

    record User(String id, String name) {
    }

    static final class UserRepository {
        final List<List<String>> calls = new ArrayList<>();

        Map<String, User> findByIds(List<String> ids) {
            calls.add(ids);
            Map<String, User> users = new LinkedHashMap<>();
            ids.forEach(id -> users.put(id, new User(id, "User " + id)));
            return users;
        }
    }

    final UserRepository userRepository = new UserRepository();
    final String sdl = """
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
            type User @key(fields: "id") { id: ID! name: String }
            type Query { me: User }
            """;
    final String query = "query($representations:[_Any!]!){_entities(representations:$representations){...on User{id name}}}";
    final Map<String, Object> variables = Map.of("representations", List.of(
            Map.of("__typename", "User", "id", "u1"),
            Map.of("__typename", "User", "id", "u2"),
            Map.of("__typename", "User", "id", "u3")));

    @Test
    void quickStartResolvesAllRepresentationsInOneBackendCall() {
        ExecutionResult result = quickStart();

        assertThat(result.getErrors()).isEmpty();
        assertThat(result.toSpecification()).isEqualTo(Map.of("data", Map.of("_entities", List.of(
                Map.of("id", "u1", "name", "User u1"),
                Map.of("id", "u2", "name", "User u2"),
                Map.of("id", "u3", "name", "User u3")))));
        assertThat(userRepository.calls).containsExactly(List.of("u1", "u2", "u3"));
    }

    ExecutionResult quickStart() {
        // 1. Declare each entity type: one batch function per @key
        FederatedEntities entities = FederatedEntities.builder()
                .entity(EntityType.named("User")
                        .key("id", rep -> rep.getString("id"),
                                EntityBatchLoader.mapped(ids -> userRepository.findByIds(ids)))
                        .build())
                .build();

        // 2. Hand the _entities fetcher and the type resolver to federation-jvm
        GraphQLSchema schema = Federation.transform(sdl, RuntimeWiring.newRuntimeWiring().build())
                .fetchEntities(entities.fetcher())
                .resolveEntityType(entities.typeResolver())
                .build();
        GraphQL graphQL = GraphQL.newGraphQL(schema).build();

        // 3. Execute what a gateway sends (_entities needs no DataLoaderRegistry)
        ExecutionResult result = graphQL.execute(ExecutionInput.newExecutionInput()
                .query(query)
                .variables(variables)
                .build());
        return result;
    }

    @Test
    void readmeShowsTheQuickStartProgramVerbatim() throws IOException {
        String program = Files.readString(
                Path.of("../examples/quickstart/src/main/java/dev/federation/examples/quickstart/QuickStart.java"),
                StandardCharsets.UTF_8);
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);

        assertThat(readme).contains("```java\n" + program.stripTrailing() + "\n```");
    }

    @Test
    void readmeShowsTheQuickStartPomVerbatimAndTheCommandThatRunsIt() throws IOException {
        String pom = Files.readString(Path.of("../examples/quickstart/pom.xml"), StandardCharsets.UTF_8);
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);

        assertThat(readme).contains("```xml\n" + pom.stripTrailing() + "\n```")
                .contains("`mvn -q compile exec:java` in that folder runs it");
        assertThat(pom).contains("<artifactId>maven-compiler-plugin</artifactId>")
                .contains("<mainClass>dev.federation.examples.quickstart.QuickStart</mainClass>");
    }
}
