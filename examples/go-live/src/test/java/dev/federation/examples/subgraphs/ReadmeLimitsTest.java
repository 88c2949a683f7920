package dev.federation.examples.subgraphs;

import static org.assertj.core.api.Assertions.assertThat;

import com.apollographql.federation.graphqljava.Federation;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's "Limits your subgraph should set" snippet compiles, refuses the bombs, and is shown verbatim. */
class ReadmeLimitsTest {

    private static GraphQL limited(GraphQLSchema schema) {
        // tag::limits[]
        GraphQL graphQL = GraphQL.newGraphQL(schema)
                .instrumentation(new ChainedInstrumentation(List.of(
                        new MaxQueryDepthInstrumentation(10),                   // posts { author { posts { ... } } }
                        new MaxQueryComplexityInstrumentation(50_000, (env, children) -> {
                            Object limit = env.getArguments().get("limit");   // a list costs its size times its children
                            return 1 + children * (limit instanceof Integer ? (Integer) limit : 1);
                        }))))
                .build();
        // end::limits[]
        return graphQL;
    }

    private static GraphQLSchema postsSchema() {
        return Federation.transform(Subgraph.schema("/schemas/posts.graphql"), RuntimeWiring.newRuntimeWiring()
                        .type("Query", t -> t.dataFetcher("posts", env -> List.of()))
                        .build())
                .fetchEntities(env -> List.of())
                .resolveEntityType(env -> null)
                .build();
    }

    @Test
    void theSnippetRefusesTheDepthAndAliasBombsAndLetsTheGatewaysQueryThrough() {
        GraphQL graphQL = limited(postsSchema());
        StringBuilder deep = new StringBuilder("{ posts(limit: 100) { id ");
        StringBuilder aliases = new StringBuilder("{");
        for (int i = 0; i < 10; i++) {
            deep.append("author { posts { id ");
        }
        deep.append("}".repeat(20)).append(" } }");
        for (int i = 0; i < 1_000; i++) {
            aliases.append(" p").append(i).append(": posts(limit: 100) { id }");
        }
        aliases.append(" }");

        ExecutionResult tooDeep = graphQL.execute(deep.toString());
        ExecutionResult tooComplex = graphQL.execute(aliases.append("").toString());
        ExecutionResult gateway = graphQL.execute("{ posts(limit: 100) { id title author { id } product { id } } }");

        assertThat(tooDeep.getErrors()).singleElement().asString().contains("maximum query depth exceeded");
        assertThat(tooComplex.getErrors()).singleElement().asString().contains("maximum query complexity exceeded");
        assertThat(gateway.getErrors()).isEmpty();
        assertThat((Map<String, Object>) gateway.getData()).containsKey("posts");
    }

    @Test
    void readmeShowsTheSnippetVerbatim() throws IOException {
        String source = Files.readString(
                Path.of("src/test/java/dev/federation/examples/subgraphs/ReadmeLimitsTest.java"), StandardCharsets.UTF_8);
        String region = source.substring(source.indexOf("// tag::limits[]") + "// tag::limits[]".length(),
                source.indexOf("        // end::limits[]"));
        String snippet = region.strip().lines()
                .map(line -> line.startsWith("        ") ? line.substring(8) : line)
                .reduce((a, b) -> a + "\n" + b).orElseThrow();

        assertThat(Files.readString(Path.of("../../README.md"), StandardCharsets.UTF_8)).contains(snippet);
    }
}
