package dev.federation.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.federation.core.FederationMode;
import dev.federation.examples.SubgraphCluster;
import dev.federation.examples.observability.SubgraphObservability;
import dev.federation.examples.subgraphs.DataSettings;
import dev.federation.examples.subgraphs.Subgraph;
import dev.federation.examples.subgraphs.SubgraphConfig;
import dev.federation.examples.subgraphs.UsersSubgraph;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP routes of a subgraph, the admin mode switch and its token. */
class SubgraphServerTest {

    private static final String TOKEN = "s3cret-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Subgraph users;
    private static SubgraphObservability observability;
    private static SubgraphServer withToken;
    private static SubgraphServer withoutToken;

    @BeforeAll
    static void start() {
        SubgraphConfig base = SubgraphConfig.custom().data(DataSettings.sizes(200, 200, 200))
                .mode(FederationMode.BATCHED).build();
        observability = SubgraphObservability.create("users", base.modeSwitch(), OpenTelemetry.noop());
        SubgraphConfig.Builder b = base.toBuilder();
        observability.observers().forEach(b::observer);
        users = UsersSubgraph.create(b.build());
        observability.bind(users);
        withToken = SubgraphCluster.serverFor(users, observability, "127.0.0.1", 0, TOKEN, true).start();
        withoutToken = SubgraphCluster.serverFor(users, observability, "127.0.0.1", 0, null, false).start();
    }

    @AfterAll
    static void stop() {
        withToken.close();
        withoutToken.close();
        observability.close();
        users.close();
    }

    @Test
    void adminModeSwitchIsRefusedWithoutTheToken() throws Exception {
        HttpResponse<String> response = post(withToken.uri().resolve("/admin/mode"), "{\"mode\":\"DIRECT\"}", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(users.entities().modeSwitch().mode()).isEqualTo(FederationMode.BATCHED);
    }

    @Test
    void adminModeSwitchIsRefusedWithAWrongToken() throws Exception {
        HttpResponse<String> response = post(withToken.uri().resolve("/admin/mode"), "{\"mode\":\"DIRECT\"}",
                "Bearer not-" + TOKEN);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(users.entities().modeSwitch().mode()).isEqualTo(FederationMode.BATCHED);
    }

    @Test
    void adminModeSwitchIsRefusedWhenNoTokenIsConfigured() throws Exception {
        HttpResponse<String> response = post(withoutToken.uri().resolve("/admin/mode"), "{\"mode\":\"DIRECT\"}",
                "Bearer " + TOKEN);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("FEDERATION_ADMIN_TOKEN");
        assertThat(users.entities().modeSwitch().mode()).isEqualTo(FederationMode.BATCHED);
    }

    @Test
    void adminModeSwitchWithTheTokenFlipsTheModeAndBack() throws Exception {
        try {
            HttpResponse<String> direct = post(withToken.uri().resolve("/admin/mode"),
                    "{\"mode\":\"DIRECT\",\"reason\":\"drill\"}", "Bearer " + TOKEN);

            assertThat(direct.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(direct.body()).get("previous").asText()).isEqualTo("BATCHED");
            assertThat(users.entities().modeSwitch().mode()).isEqualTo(FederationMode.DIRECT);
            assertThat(get(withToken.uri().resolve("/debug/federation")).get("mode").asText()).isEqualTo("DIRECT");

            HttpResponse<String> back = post(withToken.uri().resolve("/admin/mode"), "{\"mode\":\"batched\"}",
                    "Bearer " + TOKEN);
            assertThat(back.statusCode()).isEqualTo(200);
            assertThat(users.entities().modeSwitch().mode()).isEqualTo(FederationMode.BATCHED);
        } finally {
            users.entities().modeSwitch().set(FederationMode.BATCHED, "test");
        }
    }

    @Test
    void adminModeSwitchRejectsAnUnknownMode() throws Exception {
        HttpResponse<String> response = post(withToken.uri().resolve("/admin/mode"), "{\"mode\":\"SIDEWAYS\"}",
                "Bearer " + TOKEN);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(users.entities().modeSwitch().mode()).isEqualTo(FederationMode.BATCHED);
    }

    @Test
    void graphqlAnswersJsonAndDebugEndpointsShowTheBatch() throws Exception {
        long sqlBefore = get(withToken.uri().resolve("/debug/sql")).get("total").asLong();
        StringBuilder reps = new StringBuilder();
        for (int i = 1; i <= 100; i++) {
            reps.append(i == 1 ? "" : ",").append("{\"__typename\":\"User\",\"id\":\"").append(i).append("\"}");
        }
        String body = "{\"query\":\"query($r:[_Any!]!){_entities(representations:$r){...on User{id name}}}\","
                + "\"variables\":{\"r\":[" + reps + "]}}";

        HttpResponse<String> response = post(withToken.graphqlUri(), body, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode entities = JSON.readTree(response.body()).get("data").get("_entities");
        assertThat(entities).hasSize(100);
        assertThat(entities.get(41).get("name").asText()).isEqualTo(UsersSubgraph.nameOf(42));

        JsonNode sql = get(withToken.uri().resolve("/debug/sql"));
        assertThat(sql.get("total").asLong() - sqlBefore).isEqualTo(1);
        assertThat(sql.get("statements").get(UsersSubgraph.SELECT_BATCH).asLong()).isPositive();
        JsonNode user = get(withToken.uri().resolve("/debug/federation")).get("batch_stats").get("User");
        assertThat(user.get("max_batch_size").asLong()).isEqualTo(100);
        assertThat(get(withToken.uri().resolve("/debug/dataloader")).get("loaders").has("User(id)")).isTrue();
        assertThat(get(withToken.uri().resolve("/debug/cache_stats")).get("caches").isObject()).isTrue();
        JsonNode health = get(withToken.uri().resolve("/health"));
        assertThat(health.get("status").asText()).isIn("HEALTHY", "DEGRADED");
        assertThat(health.get("mode").asText()).isEqualTo("BATCHED");
        assertThat(health.get("checks")).extracting(c -> c.get("name").asText())
                .contains("error_rate", "p99_resolution_seconds", "batch_effectiveness");

        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(withToken.uri().resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("federation_entity_loads_total{outcome=\"batched\",service=\"users\",typename=\"User\"}")
                .contains("federation_batch_size_bucket")
                .contains("http_server_requests_seconds_count");
    }

    @Test
    void malformedBodyIsABadRequestWithoutStackTrace() throws Exception {
        HttpResponse<String> response = post(withToken.graphqlUri(), "{not json", null);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).doesNotContain("Exception").contains("query");
    }

    @Test
    void debugSqlIsOnlyServedWhenAskedFor() throws Exception {
        // it shows statement text: off unless the server was built with it (serve --debug-sql)
        HttpResponse<String> off = HTTP.send(HttpRequest.newBuilder(withoutToken.uri().resolve("/debug/sql")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(off.statusCode()).isEqualTo(404);
        assertThat(off.body()).doesNotContain("SELECT");
        HttpResponse<String> on = HTTP.send(HttpRequest.newBuilder(withToken.uri().resolve("/debug/sql")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(on.statusCode()).isEqualTo(200);
    }

    @Test
    void unknownPathIsNotFound() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(withToken.uri().resolve("/nope")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
    }

    @Test
    void jettysOwnRefusalsAreJsonAndReachTheListeners() throws Exception {
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (SubgraphServer server = SubgraphServer.builder(users).name("limits").maxBodyBytes(1_000)
                .json("/health", () -> java.util.Map.of("status", "up"))
                .listener((method, path, status, nanos) -> seen.add(method + " " + path + " " + status))
                .build().start()) {
            // SizeLimitHandler refuses from Content-Length; the error page is the routes' JSON, not Jetty's HTML
            HttpResponse<String> large = post(server.graphqlUri(), "{\"query\":\"" + "x".repeat(2_000) + "\"}", null);
            assertThat(large.statusCode()).isEqualTo(413);
            assertThat(JSON.readTree(large.body()).get("error").asText()).isEqualTo(
                    "the body is larger than 1000 bytes");
            // PathMappingsHandler maps nothing here: 404, as JSON
            HttpResponse<String> nowhere = HTTP.send(HttpRequest.newBuilder(server.uri().resolve("/nowhere")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(nowhere.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(nowhere.body()).get("error").asText()).isEqualTo("not found");
            // a GET route answers HEAD without a body and refuses POST
            HttpResponse<String> head = HTTP.send(HttpRequest.newBuilder(server.uri().resolve("/health"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(post(server.uri().resolve("/health"), "{}", null).statusCode()).isEqualTo(405);
            assertThat(HTTP.send(HttpRequest.newBuilder(server.graphqlUri()).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
            // each listener call happens before the answer is written: all are here now
            assertThat(seen).containsExactly("POST /graphql 413", "GET other 404", "HEAD /health 200",
                    "POST /health 405", "GET /graphql 405");

            // a path Jetty routes to /graphql (a ;parameter, an escaped letter) is /graphql all the way: its body is
            // read before the slot, and the listeners see the route
            seen.clear();
            for (String path : new String[] {"/graphql;v=1", "/%67raphql"}) {
                HttpResponse<String> odd = post(server.uri().resolve(path), "{\"query\":\"{ __typename }\"}", null);
                assertThat(odd.statusCode()).as(path).isEqualTo(200);
            }
            assertThat(seen).containsExactly("POST /graphql 200", "POST /graphql 200");
        }
        // "/" would be Jetty's default mapping and catch every unknown path
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SubgraphServer.builder(users).get("/",
                () -> SubgraphServer.Response.text(200, "text/plain", "hi"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void whatJettyRefusesBeforeAnyHandlerIsJsonAndReachesTheListeners() throws Exception {
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (SubgraphServer server = SubgraphServer.builder(users).name("parser")
                .listener((method, path, status, nanos) -> seen.add(method + " " + path + " " + status))
                .build().start()) {
            // headers over the limit, and a request line Jetty's parser refuses: no handler runs for either
            String tooLarge = rawExchange(server, "GET /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
                    + "x".repeat(20_000) + "\r\n\r\n");
            assertThat(tooLarge).startsWith("HTTP/1.1 431");
            assertThat(errorOf(tooLarge)).isEqualTo("request header fields too large");
            String badLine = rawExchange(server, "GET /graph ql HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(badLine).startsWith("HTTP/1.1 400").doesNotContain("graph ql");
            assertThat(errorOf(badLine)).isNotBlank();
            // told before the answer was written; the path is never the request's own text, and a request line
            // Jetty refused has no method to tell
            assertThat(seen).containsExactly("GET other 431", "other other 400");
            // and the server still answers
            assertThat(post(server.graphqlUri(), "{\"query\":\"{ __typename }\"}", null).statusCode()).isEqualTo(200);
            assertThat(seen).hasSize(3).last().isEqualTo("POST /graphql 200");
        }
    }

    /** The {@code error} of an HTTP answer's JSON body. */
    private static String errorOf(String answer) throws IOException {
        return JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).get("error").asText();
    }

    /** Sends {@code request} as bytes on a connection of its own and reads the answer until the server closes it. */
    private static String rawExchange(SubgraphServer server, String request) throws IOException {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()), 10_000);
            s.setSoTimeout(60_000);
            s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    @Test
    void aBodyRefusedUnreadClosesTheConnectionAndSaysSo() throws Exception {
        // a text/plain body is refused before it is read; half of it has not even been sent: the connection cannot
        // carry another request, and the answer must say so, or a client reuses it and loses its next request
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", withToken.port()), 10_000);
            s.setSoTimeout(60_000);
            s.getOutputStream().write(("POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 100\r\n\r\n" + "x".repeat(50)).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String head = new String(s.getInputStream().readNBytes(512), java.nio.charset.StandardCharsets.US_ASCII);
            assertThat(head).startsWith("HTTP/1.1 415").containsIgnoringCase("connection: close");
        }
        // a body that was read leaves the connection open for the next request
        HttpResponse<String> ok = post(withToken.graphqlUri(), "{\"query\":\"{ __typename }\"}", null);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Connection")).isEmpty();
    }

    private static HttpResponse<String> post(URI uri, String body, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
