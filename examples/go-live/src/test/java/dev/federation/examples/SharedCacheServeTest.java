package dev.federation.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.federation.core.EntityCacheOptions;
import dev.federation.examples.subgraphs.DataSettings;
import dev.federation.testkit.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two {@code serve --product-cache --redis ...} clusters on one real redis-server, over HTTP: what one loads the
 * other serves with no SQL, and {@code POST /admin/cache/invalidate} on one makes the other load again.
 */
class SharedCacheServeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String TOKEN = "test-admin-token";
    private static final String QUERY = "{\"query\":\"query($r:[_Any!]!){_entities(representations:$r)"
            + "{...on Product{id name price}}}\",\"variables\":{\"r\":[%s]}}";

    private static ClusterConfig config(RedisServer redis) {
        return ClusterConfig.custom().data(DataSettings.sizes(100, 100, 50))
                .productCache(EntityCacheOptions.of(1_000, Duration.ofMinutes(5)))
                .redis(redis.uri())
                .adminToken(TOKEN)
                .debugSql(true)
                .build();
    }

    private static HttpResponse<String> post(URI uri, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode get(URI uri) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static JsonNode products(URI graphql, int... ids) throws Exception {
        StringBuilder reps = new StringBuilder();
        for (int id : ids) {
            reps.append(reps.length() == 0 ? "" : ",").append("{\"__typename\":\"Product\",\"id\":\"").append(id)
                    .append("\"}");
        }
        HttpResponse<String> r = post(graphql, String.format(QUERY, reps), null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.has("errors")).as(r.body()).isFalse();
        return body.get("data").get("_entities");
    }

    private static long sql(URI graphql) throws Exception {
        return get(graphql.resolve("/debug/sql")).get("total").asLong();
    }

    @Test
    void whatOneServeLoadsTheOtherServesAndAnInvalidationReachesBoth() throws Exception {
        try (RedisServer redis = RedisServer.start();
                SubgraphCluster a = SubgraphCluster.start(config(redis));
                SubgraphCluster b = SubgraphCluster.start(config(redis))) {
            URI productsA = a.graphqlUris().get("products");
            URI productsB = b.graphqlUris().get("products");

            JsonNode fromA = products(productsA, 1, 2, 3, 7);
            long sqlB = sql(productsB);
            awaitInRedis(redis, "examples-products:Product:id:n:7");
            JsonNode fromB = products(productsB, 1, 2, 3, 7);

            assertThat(fromB).isEqualTo(fromA);
            assertThat(sql(productsB)).isEqualTo(sqlB); // no SQL at all: every product came from Redis
            JsonNode stats = get(productsB.resolve("/debug/cache_stats")).get("caches").get("Product");
            assertThat(stats.get("levels").get("redis").get("hits").asLong()).isEqualTo(4);

            // refused without the token, and for a bad body
            assertThat(post(productsB.resolve("/admin/cache/invalidate"), "{\"typename\":\"Product\"}", null)
                    .statusCode()).isEqualTo(401);
            assertThat(post(productsB.resolve("/admin/cache/invalidate"), "{\"keys\":1}", TOKEN).statusCode())
                    .isEqualTo(400);
            HttpResponse<String> unknown = post(productsB.resolve("/admin/cache/invalidate"),
                    "{\"typename\":\"Nope\",\"keys\":[{\"id\":\"7\"}]}", TOKEN);
            assertThat(unknown.statusCode()).isEqualTo(400);
            assertThat(unknown.body()).contains("no entity type Nope");
            assertThat(post(b.graphqlUris().get("users").resolve("/admin/cache/invalidate"),
                    "{\"typename\":\"User\"}", TOKEN).statusCode()).isEqualTo(404); // users has no cache

            HttpResponse<String> done = post(productsB.resolve("/admin/cache/invalidate"),
                    "{\"typename\":\"Product\",\"keys\":[{\"id\":\"7\"}]}", TOKEN);
            assertThat(done.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(done.body()).get("invalidated").asInt()).isEqualTo(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (get(productsA.resolve("/debug/cache_stats")).get("caches").get("Product").get("remote")
                    .get("invalidations_received").asLong() < 1) { // wait for the message, not for a time
                assertThat(System.nanoTime() - deadline).as("A received the invalidation").isNegative();
            }
            long sqlA = sql(productsA);
            products(productsA, 1, 2, 3, 7);
            assertThat(sql(productsA)).isEqualTo(sqlA + 1); // product 7 only, loaded again
        }
    }

    private static void awaitInRedis(RedisServer redis, String key) {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redis.uri());
        try (var c = client.connect()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (c.sync().exists(key) == 0) { // the write is asynchronous: wait for it, not for a time
                assertThat(System.nanoTime() - deadline).as(key + " written").isNegative();
                Thread.onSpinWait();
            }
        } finally {
            client.shutdown();
        }
    }
}
