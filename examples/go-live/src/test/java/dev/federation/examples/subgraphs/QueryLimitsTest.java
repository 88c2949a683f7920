package dev.federation.examples.subgraphs;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request deadline of {@link QueryLimits}: fields with fetchers of their own stop; properties are still read. */
class QueryLimitsTest {

    @Test
    void aFieldThatWouldStartAfterTheDeadlineIsNotFetchedButPropertiesAreRead() {
        GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(
                "type Query { slow: Box, later: String } type Box { label: String }"),
                RuntimeWiring.newRuntimeWiring().type("Query", t -> t
                        .dataFetcher("slow", env -> {
                            Thread.sleep(200); // longer than the whole request may take
                            return Map.of("label", "fetched");
                        })
                        .dataFetcher("later", env -> "should not run")).build());
        GraphQL graphQL = GraphQL.newGraphQL(schema)
                .instrumentation(QueryLimits.instrumentation(10, 1_000, Duration.ofMillis(20)))
                .build();

        ExecutionResult result = graphQL.execute("{ slow { label } later }");

        Map<String, Object> data = result.getData();
        assertThat(data.get("later")).isNull();
        assertThat(result.getErrors()).extracting(GraphQLError::getMessage)
                .contains("The request ran out of time before this field was fetched");
        assertThat(result.getErrors()).allSatisfy(e -> assertThat(e.getExtensions())
                .containsEntry("code", QueryLimits.REQUEST_TIMEOUT));
        if (data.get("slow") != null) { // it started in time (it may not, on a loaded machine)
            assertThat(data.get("slow")).isEqualTo(Map.of("label", "fetched"));
        }
    }
}
