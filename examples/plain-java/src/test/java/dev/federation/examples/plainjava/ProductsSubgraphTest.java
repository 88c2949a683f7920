package dev.federation.examples.plainjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The subgraph over real HTTP on a free port of 127.0.0.1, as a gateway and Prometheus call it. */
class ProductsSubgraphTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static final ProductsSubgraph.Catalog CATALOG = new ProductsSubgraph.Catalog();
    static ProductsSubgraph subgraph;

    @BeforeAll
    static void start() throws Exception {
        subgraph = ProductsSubgraph.start(0, CATALOG);
    }

    @AfterAll
    static void stop() {
        if (subgraph != null) {
            subgraph.close();
        }
    }

    static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + subgraph.port() + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void entitiesAreOneBackendCallAndShowOnTheMetrics() throws Exception {
        long calls = CATALOG.calls();
        String body = JSON.writeValueAsString(Map.of(
                "query", "query($r:[_Any!]!){_entities(representations:$r){...on Product{id name price}}}",
                "variables", Map.of("r", List.of(Map.of("__typename", "Product", "id", "7"),
                        Map.of("__typename", "Product", "id", "8"), Map.of("__typename", "Product", "id", "7"),
                        Map.of("__typename", "Product", "id", "999999")))));

        HttpResponse<String> r = send("POST", "/graphql", body);

        assertEquals(200, r.statusCode(), r.body());
        JsonNode entities = JSON.readTree(r.body()).at("/data/_entities");
        assertEquals("Product 8", entities.at("/1/name").asText());
        assertEquals(700, entities.at("/2/price").asInt());
        assertTrue(entities.get(3).isNull());
        assertEquals(1, CATALOG.calls() - calls, "one backend call for the four representations");

        String metrics = send("GET", "/metrics", null).body();
        assertTrue(metrics.contains("federation_batch_size_count{typename=\"Product\"}"), metrics);
        assertTrue(metrics.contains("federation_entity_loads_total{outcome=\"missing\",typename=\"Product\"}"));
    }

    @Test
    void healthShowsTheMonitorsChecks() throws Exception {
        HttpResponse<String> r = send("GET", "/health", null);

        assertEquals(200, r.statusCode());
        JsonNode health = JSON.readTree(r.body());
        assertEquals("BATCHED", health.at("/mode").asText());
        assertTrue(health.at("/checks").size() >= 5, r.body());
    }

    @Test
    void whatIsNotAGraphQlRequestIsAClientErrorAndTheSubgraphStillAnswers() throws Exception {
        assertEquals(400, send("POST", "/graphql", "{not json").statusCode());
        assertEquals(400, send("POST", "/graphql", "{\"query\": 42}").statusCode());
        assertEquals(405, send("GET", "/graphql", null).statusCode());
        HttpResponse<String> huge = send("POST", "/graphql", "[" + "1,".repeat(ProductsSubgraph.MAX_BODY_BYTES) + "1]");
        assertEquals(413, huge.statusCode());

        assertEquals(200, send("HEAD", "/health", null).statusCode());
        assertEquals(405, send("HEAD", "/graphql", null).statusCode());

        // a document of two operations, one named
        HttpResponse<String> ok = send("POST", "/graphql", JSON.writeValueAsString(Map.of(
                "query", "query a { product(id: \"3\") { name } } query b { product(id: \"4\") { name } }",
                "operationName", "a")));
        assertEquals(200, ok.statusCode());
        assertFalse(ok.body().contains("errors"), ok.body());
        assertTrue(ok.body().contains("Product 3"));
        assertFalse(ok.body().contains("Product 4"), ok.body());
    }
}
