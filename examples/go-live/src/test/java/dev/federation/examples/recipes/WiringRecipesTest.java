package dev.federation.examples.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import com.apollographql.federation.graphqljava.Federation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.netflix.graphql.dgs.DgsFederationResolver;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.federation.core.EntityBatchLoader;
import dev.federation.core.EntityType;
import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.schema.DataFetcher;
import graphql.schema.TypeResolver;
import graphql.schema.idl.RuntimeWiring;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's wiring recipes, compiled against the real APIs: a JDK {@code HttpHandler} (run here, over HTTP on
 * loopback) and a Jakarta servlet. Both do the two things the library asks: the schema from
 * {@code entities.fetcher()} / {@code typeResolver()}, and {@code entities.withRegistry(input)} per request.
 */
class WiringRecipesTest {

    record User(String id, String name) {
    }

    static final List<List<String>> CALLS = Collections.synchronizedList(new ArrayList<>());

    static Map<String, User> findByIds(List<String> ids) {
        CALLS.add(List.copyOf(ids));
        Map<String, User> out = new LinkedHashMap<>();
        ids.forEach(id -> out.put(id, new User(id, "User " + id)));
        return out;
    }

    static final String SDL = """
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
            type User @key(fields: "id") { id: ID! name: String }
            type Query { me: User }
            """;

    static final FederatedEntities entities = FederatedEntities.builder()
            .modeSwitch(FederationModeSwitch.of(FederationMode.BATCHED))
            .entity(EntityType.named("User").key("id", rep -> rep.getString("id"),
                    EntityBatchLoader.mapped(WiringRecipesTest::findByIds)).build())
            .build();
    static final GraphQL graphQL = GraphQL.newGraphQL(Federation.transform(SDL, RuntimeWiring.newRuntimeWiring().build())
            .fetchEntities(entities.fetcher())
            .resolveEntityType(entities.typeResolver())
            .build()).build();
    static final ObjectMapper json = new ObjectMapper();

    // tag::jdk[]
    /** POST /graphql on the JDK's HTTP server: one fresh registry per request. */
    static HttpHandler graphqlHandler(GraphQL graphQL, FederatedEntities entities, ObjectMapper json) {
        return exchange -> {
            try (exchange) {
                Map<?, ?> body = json.readValue(exchange.getRequestBody(), Map.class);
                @SuppressWarnings("unchecked")
                Map<String, Object> variables = body.get("variables") instanceof Map<?, ?> v
                        ? (Map<String, Object>) v : Map.of();
                ExecutionResult result = graphQL.execute(entities.withRegistry(ExecutionInput.newExecutionInput()
                        .query((String) body.get("query"))
                        .variables(variables)
                        .graphQLContext(Map.of("request_id",
                                String.valueOf(exchange.getRequestHeaders().getFirst("X-Request-Id"))))
                        .build()));
                byte[] out = json.writeValueAsBytes(result.toSpecification());
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, out.length);
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
        };
    }
    // end::jdk[]

    // tag::servlet[]
    /** The same on a Jakarta servlet container (Tomcat, Jetty, Undertow): one fresh registry per request. */
    static final class GraphQlServlet extends HttpServlet {
        private final transient GraphQL graphQL;
        private final transient FederatedEntities entities;
        private final transient ObjectMapper json = new ObjectMapper();

        GraphQlServlet(GraphQL graphQL, FederatedEntities entities) {
            this.graphQL = graphQL;
            this.entities = entities;
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Map<?, ?> body = json.readValue(request.getInputStream(), Map.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> variables = body.get("variables") instanceof Map<?, ?> v
                    ? (Map<String, Object>) v : Map.of();
            ExecutionResult result = graphQL.execute(entities.withRegistry(ExecutionInput.newExecutionInput()
                    .query((String) body.get("query"))
                    .variables(variables)
                    .build()));
            response.setContentType("application/json");
            json.writeValue(response.getOutputStream(), result.toSpecification());
        }
    }
    // end::servlet[]

    // tag::dgs[]
    /** Netflix DGS (11, Spring Boot 4): a DgsFederationResolver bean (@DgsComponent) hands DGS the two pieces. */
    static final class BatchedFederationResolver implements DgsFederationResolver {
        private final FederatedEntities entities;

        BatchedFederationResolver(FederatedEntities entities) {
            this.entities = entities;
        }

        @Override
        @SuppressWarnings("unchecked")
        public DataFetcher<Object> entitiesFetcher() {
            return (DataFetcher<Object>) entities.fetcher();
        }

        @Override
        public TypeResolver typeResolver() {
            return entities.typeResolver();
        }
    }
    // end::dgs[]

    @Test
    void theDgsRecipeGivesFederationJvmTheBatchedFetcher() {
        DgsFederationResolver resolver = new BatchedFederationResolver(entities);
        // what DGS does with a DgsFederationResolver: federation-jvm's transform with its fetcher and resolver
        GraphQL dgsLike = GraphQL.newGraphQL(Federation.transform(SDL, RuntimeWiring.newRuntimeWiring().build())
                .fetchEntities(resolver.entitiesFetcher())
                .resolveEntityType(resolver.typeResolver())
                .build()).build();
        CALLS.clear();
        List<Map<String, Object>> reps = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            reps.add(Map.of("__typename", "User", "id", "u" + i));
        }

        ExecutionResult result = dgsLike.execute(entities.withRegistry(ExecutionInput.newExecutionInput()
                .query("query($representations:[_Any!]!){_entities(representations:$representations){...on User{id name}}}")
                .variables(Map.of("representations", reps)).build()));

        assertThat(result.getErrors()).isEmpty();
        assertThat(CALLS).singleElement().asList().hasSize(30);
    }

    @Test
    void theJdkHandlerRecipeServesTheGatewaysQueryInOneBatch() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/graphql", graphqlHandler(graphQL, entities, json));
        server.start();
        try {
            CALLS.clear();
            List<Map<String, Object>> reps = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                reps.add(Map.of("__typename", "User", "id", "u" + (i % 40)));
            }
            String request = json.writeValueAsString(Map.of("query",
                    "query($representations:[_Any!]!){_entities(representations:$representations){...on User{id name}}}",
                    "variables", Map.of("representations", reps)));
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                            "http://127.0.0.1:" + server.getAddress().getPort() + "/graphql"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(request)).build(), HttpResponse.BodyHandlers.ofString());

            JsonNode answer = json.readTree(r.body());
            assertThat(answer.at("/data/_entities")).hasSize(100);
            assertThat(answer.at("/data/_entities/99/name").asText()).isEqualTo("User u19");
            assertThat(CALLS).singleElement().asList().hasSize(40); // 100 representations, 40 distinct users
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theServletRecipeIsAServlet() {
        assertThat(new GraphQlServlet(graphQL, entities)).isInstanceOf(HttpServlet.class);
    }

    @Test
    void readmeShowsBothRecipesVerbatim() throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/federation/examples/recipes/WiringRecipesTest.java"),
                StandardCharsets.UTF_8);
        String readme = Files.readString(Path.of("../../README.md"), StandardCharsets.UTF_8);
        for (String tag : List.of("jdk", "servlet", "dgs")) {
            int start = source.indexOf("// tag::" + tag + "[]\n") + ("// tag::" + tag + "[]\n").length();
            String region = source.substring(start, source.indexOf("    // end::" + tag + "[]", start));
            String snippet = region.lines().map(l -> l.length() >= 4 ? l.substring(4) : l)
                    .collect(Collectors.joining("\n"));
            assertThat(readme).as("the %s recipe", tag).contains(snippet);
        }
    }
}
