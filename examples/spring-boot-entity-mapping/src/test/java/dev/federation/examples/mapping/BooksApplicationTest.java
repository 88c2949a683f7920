package dev.federation.examples.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Spring's own {@code @EntityMapping} methods resolve {@code _entities}, and the starter observes them: over real HTTP
 * on a random port of 127.0.0.1, the gateway's request shape, the actuator's prometheus, health and federation
 * endpoints. Each test reads the meters before and after its own request, so the order of the tests does not matter.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "federation.max-representations=60")
class BooksApplicationTest {

    static final String QUERY = "query($representations:[_Any!]!){_entities(representations:$representations)"
            + "{...on Book{id title} ...on Author{id name}}}";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @LocalServerPort
    int port;

    @Autowired
    Catalog catalog;

    static List<Map<String, Object>> reps(String typename, int from, int count) {
        List<Map<String, Object>> reps = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            reps.add(Map.of("__typename", typename, "id", String.valueOf(i)));
        }
        return reps;
    }

    JsonNode graphql(List<?> representations) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", QUERY);
        body.put("variables", Map.of("representations", representations));
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

    /** The value of one Prometheus series (its name and labels exactly as scraped), 0 when absent. */
    double series(String scrape, String nameAndLabels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(nameAndLabels) + " (\\S+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void springResolvesAndEachMethodCallIsObservedAsABatchOrAOneKeyCall() throws Exception {
        String before = get("/actuator/prometheus").body();
        long calls = catalog.calls();
        List<Map<String, Object>> reps = new ArrayList<>(reps("Book", 1, 40));
        reps.addAll(reps("Author", 1, 3));
        reps.add(Map.of("__typename", "Book", "id", "999999")); // no such book: null, no error

        JsonNode answer = graphql(reps);

        assertThat(answer.has("errors")).as("%s", answer).isFalse();
        assertThat(answer.at("/data/_entities")).hasSize(44);
        assertThat(answer.at("/data/_entities/39/title").asText()).isEqualTo("Book 40");
        assertThat(answer.at("/data/_entities/42/name").asText()).isEqualTo("Author 3");
        assertThat(answer.at("/data/_entities/43").isNull()).isTrue();
        // Spring's own rule: one call for the 41 books, one per author
        assertThat(catalog.calls() - calls).isEqualTo(1 + 3);

        String after = get("/actuator/prometheus").body();
        String service = "service=\"books-spring\",";
        assertThat(series(after, "federation_batch_size_count{" + service + "typename=\"Book\"}")
                - series(before, "federation_batch_size_count{" + service + "typename=\"Book\"}")).isEqualTo(1);
        assertThat(series(after, "federation_batch_size_sum{" + service + "typename=\"Book\"}")
                - series(before, "federation_batch_size_sum{" + service + "typename=\"Book\"}")).isEqualTo(41);
        assertThat(delta(before, after, "federation_backend_calls_total{mode=\"direct\",outcome=\"success\","
                + service + "typename=\"Author\"}")).isEqualTo(3);
        assertThat(delta(before, after, "federation_entity_loads_total{outcome=\"batched\"," + service
                + "typename=\"Book\"}")).isEqualTo(40);
        assertThat(delta(before, after, "federation_entity_loads_total{outcome=\"missing\"," + service
                + "typename=\"Book\"}")).isEqualTo(1);
        assertThat(delta(before, after, "federation_entity_loads_total{outcome=\"direct\"," + service
                + "typename=\"Author\"}")).isEqualTo(3);
        assertThat(delta(before, after, "federation_entities_requests_seconds_count{outcome=\"success\","
                + service.substring(0, service.length() - 1) + "}")).isEqualTo(1);
        assertThat(after).contains("federation_entity_resolution_seconds_bucket{" + service + "typename=\"Book\"");
    }

    @Test
    void anAuthorThatDoesNotExistIsAMissingLoadNotAFailure() throws Exception {
        String before = get("/actuator/prometheus").body();

        JsonNode answer = graphql(List.of(Map.of("__typename", "Author", "id", "999999"),
                Map.of("__typename", "Author", "id", "4")));

        // Spring answers a method that returned null with an error at its index; the health monitor's error rate
        // must not count "no such author" as a failure
        assertThat(answer.at("/errors/0/message").asText()).isEqualTo("Entity fetcher returned null or completed empty");
        assertThat(answer.at("/data/_entities/1/name").asText()).isEqualTo("Author 4");
        String after = get("/actuator/prometheus").body();
        String service = "service=\"books-spring\",";
        assertThat(delta(before, after, "federation_entity_loads_total{outcome=\"missing\"," + service
                + "typename=\"Author\"}")).isEqualTo(1);
        assertThat(delta(before, after, "federation_entity_loads_total{outcome=\"error\"," + service
                + "typename=\"Author\"}")).isZero();
    }

    double delta(String before, String after, String series) {
        return series(after, series) - series(before, series);
    }

    @Test
    void theRequestWideLimitRefusesBeforeSpringCallsTheBackendAndTheSubgraphStillAnswers() throws Exception {
        long calls = catalog.calls();
        String before = get("/actuator/prometheus").body();

        JsonNode refused = graphql(reps("Book", 1, 61));

        assertThat(refused.at("/errors/0/extensions/code").asText()).isEqualTo("TOO_MANY_REPRESENTATIONS");
        assertThat(refused.at("/errors/0/message").asText())
                .isEqualTo("Too many representations: 61 in one _entities call, the limit is 60");
        assertThat(catalog.calls()).isEqualTo(calls);
        assertThat(delta(before, get("/actuator/prometheus").body(),
                "federation_entity_rejections_total{reason=\"too_many_representations\",service=\"books-spring\"}"))
                .isEqualTo(1);

        JsonNode within = graphql(reps("Book", 1, 60));
        assertThat(within.has("errors")).isFalse();
        assertThat(within.at("/data/_entities")).hasSize(60);
    }

    @Test
    void inventedTypenamesAreRejectionsAndNeverSeriesOfTheirOwn() throws Exception {
        List<Map<String, Object>> reps = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            reps.add(Map.of("__typename", "Invented" + i, "id", "1"));
        }
        reps.add(Map.of("__typename", "Book", "id", "7"));

        JsonNode answer = graphql(reps);

        assertThat(answer.at("/errors")).hasSize(20);
        assertThat(answer.at("/data/_entities/20/title").asText()).isEqualTo("Book 7");
        String scrape = get("/actuator/prometheus").body();
        assertThat(scrape).doesNotContain("Invented")
                .contains("federation_entity_rejections_total{reason=\"unknown_typename\",service=\"books-spring\"}");
    }

    @Test
    void healthFederationEndpointAndTheModeThatDoesNotApply() throws Exception {
        graphql(reps("Book", 1, 5));

        JsonNode federation = JSON.readTree(get("/actuator/health").body()).at("/components/federation");
        assertThat(federation.at("/status").asText()).isEqualTo("UP");
        List<String> names = new ArrayList<>();
        federation.at("/details/checks").forEach(c -> names.add(c.at("/name").asText()));
        assertThat(names).contains("error_rate", "p99_resolution_seconds", "batch_effectiveness");

        JsonNode views = JSON.readTree(get("/actuator/federation").body());
        assertThat(views.at("/federation/batch_stats/Book/batch_calls").isObject()).as("%s", views).isTrue();
    }
}
