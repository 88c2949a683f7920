package dev.federation.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.federation.examples.subgraphs.DataSettings;
import dev.federation.examples.subgraphs.UsersSubgraph;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code serve --cross-request-window 2ms} as a router would meet it: 12 clients at once over HTTP, each
 * sending small {@code _entities} requests of 1 to 5 users. Every request must get exactly its own users in
 * order. How much was merged depends on timing, so the test prints it and asserts only what cannot vary:
 * never more SQL statements than requests.
 */
class CrossRequestServeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int CLIENTS = 12;
    private static final int REQUESTS_EACH = 40;

    private static JsonNode get(URI uri) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void smallConcurrentRequestsEachGetTheirOwnUsersAndShareStatements() throws Exception {
        ClusterConfig config = ClusterConfig.custom()
                .data(DataSettings.sizes(1_000, 100, 10))
                .crossRequestWindow(Flags.duration("--cross-request-window", "2ms"))
                .debugSql(true)
                .build();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try (SubgraphCluster cluster = SubgraphCluster.start(config)) {
            URI users = cluster.graphqlUris().get("users");
            URI sql = users.resolve("/debug/sql");
            long statementsBefore = get(sql).get("total").asLong();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                results.add(clients.submit(() -> {
                    start.await();
                    int representations = 0;
                    for (int r = 0; r < REQUESTS_EACH; r++) {
                        int n = 1 + (client + r) % 5;
                        StringBuilder reps = new StringBuilder();
                        List<Long> ids = new ArrayList<>();
                        for (int i = 0; i < n; i++) {
                            long id = 1 + (client * 97L + r * 13L + i * 7L) % 1_000;
                            ids.add(id);
                            reps.append(i == 0 ? "" : ",").append("{\"__typename\":\"User\",\"id\":\"").append(id)
                                    .append("\"}");
                        }
                        String body = "{\"query\":\"query($r:[_Any!]!){_entities(representations:$r)"
                                + "{...on User{id name}}}\",\"variables\":{\"r\":[" + reps + "]}}";
                        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(users)
                                .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(response.statusCode()).isEqualTo(200);
                        JsonNode entities = JSON.readTree(response.body()).get("data").get("_entities");
                        assertThat(entities).hasSize(n);
                        for (int i = 0; i < n; i++) {
                            assertThat(entities.get(i).get("id").asText()).isEqualTo(String.valueOf(ids.get(i)));
                            assertThat(entities.get(i).get("name").asText())
                                    .isEqualTo(UsersSubgraph.nameOf(ids.get(i)));
                        }
                        representations += n;
                    }
                    return representations;
                }));
            }
            start.countDown();
            long representations = 0;
            for (Future<Integer> f : results) {
                representations += f.get(120, TimeUnit.SECONDS);
            }
            long statements = get(sql).get("total").asLong() - statementsBefore;
            int requests = CLIENTS * REQUESTS_EACH;
            System.out.printf("serve --cross-request-window 2ms, %d clients: %d requests, %d representations, "
                    + "%d SQL statements (%.3f per request, %.3f per representation)%n", CLIENTS, requests,
                    representations, statements, (double) statements / requests,
                    (double) statements / representations);
            assertThat(statements).isPositive().isLessThanOrEqualTo(requests);
        } finally {
            clients.shutdownNow();
        }
    }
}
