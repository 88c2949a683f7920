package dev.federation.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.federation.core.FederationMode;
import dev.federation.examples.ClusterConfig;
import dev.federation.examples.SubgraphCluster;
import dev.federation.examples.subgraphs.DataSettings;
import dev.federation.examples.subgraphs.PostsSubgraph;
import dev.federation.examples.subgraphs.ProductsSubgraph;
import dev.federation.examples.subgraphs.UsersSubgraph;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Apollo Gateway ({@code @apollo/gateway} 2.14.4 on Node, {@code examples/gateway/gateway.mjs})
 * composes the three subgraphs from their {@code _service} SDL and answers a query that needs all three. The
 * users subgraph's SQL is read from its {@code /debug/sql} endpoint.
 *
 * <p>Needs {@code node} and {@code npm ci --prefix examples/gateway}: without them the test fails when
 * {@code CI=true} and is skipped otherwise.
 */
class GatewayEndToEndTest {

    private static final int USERS = 1_000;
    private static final int POSTS = 10_000;
    private static final int PRODUCTS = 200;
    private static final String TOKEN = "gateway-test-token";
    private static final String QUERY =
            "{ posts(limit: 100) { id title author { id name } product { id name } } }";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static SubgraphCluster cluster;
    private static ChildProcess gateway;
    private static URI gatewayUri;

    @BeforeAll
    static void start() throws Exception {
        ChildProcess.requireGateway();
        cluster = SubgraphCluster.start(ClusterConfig.custom()
                .data(DataSettings.sizes(USERS, POSTS, PRODUCTS))
                .adminToken(TOKEN)
                .debugSql(true)
                .mode(FederationMode.BATCHED)
                .build());
        gateway = ChildProcess.startGateway(cluster.graphqlUris());
        gatewayUri = URI.create(gateway.readyLine().group(1));
    }

    @AfterAll
    static void stop() throws Exception {
        ChildProcess.closeAll(gateway, cluster);
    }

    @Test
    void gatewayAnswersPostsWithAuthorsAndProductsInOneBatchPerSubgraph() throws Exception {
        setMode(FederationMode.BATCHED);

        Counts sent = pageOfPostsThroughTheGateway();

        assertThat(sent.sqlTotal).as("SQL statements run by users").isEqualTo(1);
        assertThat(sent.sqlBatch).as(UsersSubgraph.SELECT_BATCH).isEqualTo(1);
        assertThat(sent.batchedLoads).as("User loads served by the batch").isEqualTo(100);
        assertThat(sent.batchCalls).as("User batch calls").isEqualTo(1);
    }

    @Test
    void gatewayAnswersTheSameInDirectModeWithOneSqlQueryPerRepresentation() throws Exception {
        setMode(FederationMode.DIRECT);
        try {
            Counts sent = pageOfPostsThroughTheGateway();

            assertThat(sent.sqlTotal).as("SQL statements run by users").isEqualTo(100);
            assertThat(sent.sqlOne).as(UsersSubgraph.SELECT_ONE).isEqualTo(100);
            assertThat(sent.sqlBatch).as(UsersSubgraph.SELECT_BATCH).isZero();
        } finally {
            setMode(FederationMode.BATCHED);
        }
    }

    private static void assertPosts(JsonNode posts) {
        assertThat(posts).hasSize(100);
        for (int i = 0; i < 100; i++) {
            long id = i + 1;
            JsonNode p = posts.get(i);
            long author = PostsSubgraph.authorOf(id, USERS);
            Long product = PostsSubgraph.productOf(id, PRODUCTS);
            assertThat(p.get("id").asText()).isEqualTo(String.valueOf(id));
            assertThat(p.get("title").asText()).isEqualTo(PostsSubgraph.titleOf(id));
            assertThat(p.get("author").get("id").asText()).isEqualTo(String.valueOf(author));
            assertThat(p.get("author").get("name").asText()).isEqualTo(UsersSubgraph.nameOf(author));
            if (product == null) {
                assertThat(p.get("product").isNull()).as("post %d has no product", id).isTrue();
            } else {
                assertThat(p.get("product").get("id").asText()).isEqualTo(String.valueOf(product));
                assertThat(p.get("product").get("name").asText()).isEqualTo(ProductsSubgraph.nameOf(product));
            }
        }
    }

    /** Switches every subgraph; the users subgraph through its admin endpoint, as an operator would. */
    private static void setMode(FederationMode mode) throws Exception {
        URI admin = cluster.node("users").server().uri().resolve("/admin/mode");
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(admin)
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"mode\":\"" + mode + "\",\"reason\":\"test\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        cluster.setMode(mode, "test");
    }

    private static JsonNode queryGateway() throws Exception {
        return ChildProcess.queryGateway(gatewayUri, QUERY).get("posts");
    }

    private record Counts(long entitiesCalls, long lastCallRepresentations, long sqlTotal, long sqlBatch,
            long sqlOne, long batchedLoads, long batchCalls) {
    }

    /**
     * Asks the gateway for the page of 100 posts, checks the answer and that users got one {@code _entities} call
     * of the 100 authors, and gives what users counted meanwhile.
     */
    private static Counts pageOfPostsThroughTheGateway() throws Exception {
        Counts before = usersCounts();
        assertPosts(queryGateway());
        Counts after = usersCounts();
        assertThat(after.entitiesCalls - before.entitiesCalls).as("_entities calls to users").isEqualTo(1);
        assertThat(after.lastCallRepresentations).as("representations in that call").isEqualTo(100);
        return new Counts(1, after.lastCallRepresentations, after.sqlTotal - before.sqlTotal,
                after.sqlBatch - before.sqlBatch, after.sqlOne - before.sqlOne,
                after.batchedLoads - before.batchedLoads, after.batchCalls - before.batchCalls);
    }

    /** What the users subgraph says about itself over HTTP: /debug/sql and /debug/federation. */
    private static Counts usersCounts() throws Exception {
        URI base = cluster.node("users").server().uri();
        JsonNode sql = getJson(base.resolve("/debug/sql"));
        JsonNode fed = getJson(base.resolve("/debug/federation"));
        JsonNode calls = fed.get("entities_calls");
        JsonNode user = fed.get("batch_stats").get("User");
        return new Counts(calls.get("calls").asLong(), calls.get("last_call_representations").asLong(),
                sql.get("total").asLong(), sql.get("statements").path(UsersSubgraph.SELECT_BATCH).asLong(0),
                sql.get("statements").path(UsersSubgraph.SELECT_ONE).asLong(0),
                user == null ? 0 : user.get("loads").get("batched").asLong(),
                user == null ? 0 : user.get("batch_calls").get("success").asLong());
    }

    private static JsonNode getJson(URI uri) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
