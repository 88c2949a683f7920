package dev.federation.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import graphql.GraphQL;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The example over real HTTP on a random port of 127.0.0.1, on Spring Boot's own managed versions: the gateway's
 * request shape, SQL counted at the JDBC layer, the actuator's prometheus, health and federation endpoints.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UsersApplicationTest {

    static final String QUERY =
            "query($representations:[_Any!]!){_entities(representations:$representations){...on User{id name}}}";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @LocalServerPort
    int port;

    @Autowired
    SqlStatements sql;

    @Autowired
    FederationModeSwitch modeSwitch;

    @AfterEach
    void batched() {
        modeSwitch.set(FederationMode.BATCHED, "test");
    }

    static List<Map<String, Object>> users(int from, int count) {
        List<Map<String, Object>> reps = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            reps.add(Map.of("__typename", "User", "id", String.valueOf(i)));
        }
        return reps;
    }

    JsonNode graphql(String query, Map<String, Object> variables) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void hundredRepresentationsCostOneSqlStatementAndOnePerRepresentationInDirect() throws Exception {
        long before = sql.total();
        JsonNode batched = graphql(QUERY, Map.of("representations", users(1, 100)));
        assertThat(batched.has("errors")).as("%s", batched).isFalse();
        assertThat(batched.at("/data/_entities")).hasSize(100);
        assertThat(batched.at("/data/_entities/99/name").asText()).isEqualTo(User.nameOf(100));
        assertThat(sql.total() - before).isEqualTo(1);

        modeSwitch.set(FederationMode.DIRECT, "test");
        long direct = sql.total();
        JsonNode oneByOne = graphql(QUERY, Map.of("representations", users(101, 100)));
        assertThat(oneByOne.at("/data/_entities/0/name").asText()).isEqualTo(User.nameOf(101));
        assertThat(sql.total() - direct).isEqualTo(100);
        assertThat(sql.count(UserRepository.SELECT_ONE)).isGreaterThanOrEqualTo(100);
    }

    @Test
    void badInputGetsTheLibrarysErrorCodes() throws Exception {
        long before = sql.total();
        List<Map<String, Object>> reps = new ArrayList<>(users(1, 2));
        reps.add(Map.of("__typename", "Invented", "id", "1"));
        reps.add(Map.of("__typename", "User", "id", "abc"));
        reps.add(Map.of("__typename", "User"));

        JsonNode answer = graphql(QUERY, Map.of("representations", reps));

        List<String> codes = new ArrayList<>();
        answer.at("/errors").forEach(e -> codes.add(e.at("/extensions/code").asText()));
        assertThat(codes).containsExactly("UNKNOWN_TYPENAME", "INVALID_KEY_FIELD", "MISSING_KEY_FIELD");
        assertThat(answer.toString()).doesNotContain("Exception");
        assertThat(answer.at("/data/_entities/1/name").asText()).isEqualTo(User.nameOf(2));
        assertThat(sql.total() - before).isEqualTo(1);
    }

    @Test
    void prometheusShowsTheLibrarysSeriesAndTheAppsDataLoader() throws Exception {
        JsonNode reviews = graphql("query($representations:[_Any!]!){_entities(representations:$representations)"
                + "{...on User{id reviews{stars}}}}", Map.of("representations", users(1, 50)));
        assertThat(reviews.at("/data/_entities/49/reviews")).hasSize(3);

        String scrape = get("/actuator/prometheus").body();

        assertThat(scrape).contains("federation_batch_size_count{", "federation_entity_loads_total{",
                "federation_backend_calls_total{mode=\"batch\",outcome=\"success\",service=\"users-spring\","
                        + "typename=\"reviewsByUser\"}",
                "federation_batch_size_count{service=\"users-spring\",typename=\"reviewsByUser\"}",
                "federation_health{", "federation_mode{", "federation_entity_resolution_seconds_bucket{");
    }

    @Test
    void healthShowsTheFederationComponentWithItsChecks() throws Exception {
        HttpResponse<String> health = get("/actuator/health");

        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode federation = JSON.readTree(health.body()).at("/components/federation");
        assertThat(federation.at("/status").asText()).isEqualTo("UP");
        List<String> names = new ArrayList<>();
        federation.at("/details/checks").forEach(c -> names.add(c.at("/name").asText()));
        assertThat(names).contains("error_rate", "p99_resolution_seconds", "p99_request_seconds",
                "heap_growth_bytes_per_hour", "batch_effectiveness");
        assertThat(federation.at("/details/checks/0/threshold").asDouble()).isEqualTo(0.05);
    }

    @Test
    void federationEndpointAnswersTheThreeViewsAndRefusesTheWriteByDefault() throws Exception {
        graphql(QUERY, Map.of("representations", users(1, 10)));

        JsonNode views = JSON.readTree(get("/actuator/federation").body());
        assertThat(views.at("/federation/mode").asText()).isEqualTo("BATCHED");
        assertThat(views.at("/federation/batch_stats/User/batch_calls").isObject()).isTrue();
        assertThat(views.at("/dataloader/loaders/User(id)/kind").asText()).isEqualTo("entity");
        assertThat(views.at("/dataloader/options/max_batch_size").asInt()).isEqualTo(1000);
        assertThat(views.has("cache_stats")).isTrue();
        assertThat(JSON.readTree(get("/actuator/federation/dataloader").body()).at("/options/batch_timeout_ms")
                .asLong()).isEqualTo(30_000);

        HttpResponse<String> write = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/federation"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"mode\":\"DIRECT\",\"reason\":\"drill\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(write.statusCode()).isIn(404, 405);
        assertThat(modeSwitch.mode()).isEqualTo(FederationMode.BATCHED);
    }

    @Test
    void runsOnSpringBootsManagedVersions() throws Exception {
        // Boot's versions, not the library's: the example's parent is spring-boot-starter-parent 4.0.7, and the
        // version matrix (examples/matrix/spring-boot-4.1.xml) builds the same app and tests on 4.1.2
        String boot = org.springframework.boot.SpringBootVersion.getVersion();
        boolean boot41 = boot.startsWith("4.1.");
        assertThat(boot).matches(boot41 ? "4\\.1\\..*" : "4\\.0\\..*");
        assertThat(MeterRegistry.class.getPackage().getImplementationVersion()).startsWith(boot41 ? "1.17." : "1.16.");
        assertThat(OpenTelemetry.class.getPackage().getImplementationVersion())
                .startsWith(boot41 ? "1.62." : "1.55.");
        Properties graphqlJava = new Properties();
        try (var in = GraphQL.class.getResourceAsStream("/META-INF/maven/com.graphql-java/graphql-java/pom.properties")) {
            if (in != null) {
                graphqlJava.load(in);
            }
        }
        assertThat(graphqlJava.getProperty("version", GraphQL.class.getProtectionDomain().getCodeSource()
                .getLocation().toString())).contains(boot41 ? "25.1" : "25.0");
    }
}
