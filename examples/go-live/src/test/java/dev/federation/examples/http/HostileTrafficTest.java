package dev.federation.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.federation.core.FederationMode;
import dev.federation.examples.ClusterConfig;
import dev.federation.examples.SubgraphCluster;
import dev.federation.examples.subgraphs.DataSettings;
import dev.federation.examples.subgraphs.ParsedDocuments;
import dev.federation.examples.subgraphs.QueryLimits;
import dev.federation.examples.subgraphs.Subgraph;
import graphql.ExecutionResultImpl;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example subgraphs under hostile traffic over real HTTP on loopback: query bombs, oversize and slow
 * bodies, slowloris connections, saturation, invented methods, cross-site content types and failing
 * handlers. After each attack the server must still answer a normal request. No assertion is on a duration:
 * deadlines are generous and only bound how long a broken server would make the test wait.
 */
class HostileTrafficTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String TOKEN = "hostile-test-token";

    private static SubgraphCluster cluster;

    @BeforeAll
    static void start() {
        cluster = SubgraphCluster.start(ClusterConfig.custom().data(DataSettings.sizes(1_000, 10_000, 200))
                .mode(FederationMode.BATCHED).adminToken(TOKEN).build());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static URI uri(String subgraph, String path) {
        return cluster.node(subgraph).server().uri().resolve(path);
    }

    private static HttpResponse<String> post(URI uri, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode graphql(String subgraph, String query, Map<String, Object> variables) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        HttpResponse<String> r = post(uri(subgraph, "/graphql"), "application/json", JSON.writeValueAsString(body));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static long sql(String subgraph) {
        return cluster.node(subgraph).subgraph().sql().total();
    }

    /** A normal request of the gateway still gets its 100 posts. */
    private static void stillAnswers() throws Exception {
        JsonNode posts = graphql("posts", "{ posts(limit: 100) { id title author { id } } }", Map.of());
        assertThat(posts.has("errors")).as("%s", posts).isFalse();
        assertThat(posts.at("/data/posts")).hasSize(100);
    }

    private static String depthBomb(int levels) {
        StringBuilder q = new StringBuilder("{ posts(limit: 100) { id ");
        for (int i = 0; i < levels; i++) {
            q.append("author { posts { id ");
        }
        q.append("}".repeat(levels * 2)).append(" } }");
        return q.toString();
    }

    @Test
    void depthBombIsRefusedWithACodeBeforeAnyQuery() throws Exception {
        long before = sql("posts");
        String bomb = depthBomb(10);
        assertThat(bomb.length()).isLessThan(300);

        JsonNode answer = graphql("posts", bomb, Map.of());

        assertThat(answer.has("data")).isFalse();
        assertThat(answer.at("/errors")).hasSize(1);
        assertThat(answer.at("/errors/0/extensions/code").asText()).isEqualTo(QueryLimits.TOO_DEEP);
        assertThat(answer.at("/errors/0/extensions/classification").asText()).isEqualTo("BAD_REQUEST");
        assertThat(answer.at("/errors/0/message").asText()).startsWith("The query is ").endsWith("levels deep; the limit is 10");
        assertThat(sql("posts")).isEqualTo(before);
        stillAnswers();
    }

    @Test
    void shallowButWideNestingIsRefusedByComplexity() throws Exception {
        long before = sql("posts");

        JsonNode answer = graphql("posts", depthBomb(4).replace("posts(limit: 100)", "posts(limit: 1000)"), Map.of());

        assertThat(answer.at("/errors/0/extensions/code").asText()).isIn(QueryLimits.TOO_COMPLEX, QueryLimits.TOO_DEEP);
        assertThat(sql("posts")).isEqualTo(before);
        stillAnswers();
    }

    @Test
    void aliasBombOfPostsIsRefusedByComplexity() throws Exception {
        StringBuilder q = new StringBuilder("{");
        for (int i = 0; i < 1_000; i++) {
            q.append(" p").append(i).append(": posts(limit: 100) { id }");
        }
        q.append(" }");
        long before = sql("posts");

        JsonNode answer = graphql("posts", q.toString(), Map.of());

        assertThat(answer.at("/errors/0/extensions/code").asText()).isEqualTo(QueryLimits.TOO_COMPLEX);
        assertThat(sql("posts")).isEqualTo(before);
        stillAnswers();
    }

    @Test
    void aliasBombOfEntitiesIsRefusedBeforeAnyBackendCall() throws Exception {
        List<Map<String, Object>> reps = new ArrayList<>();
        for (int i = 1; i <= 10_000; i++) {
            reps.add(Map.of("__typename", "User", "id", String.valueOf(i % 1_000 + 1)));
        }
        StringBuilder q = new StringBuilder("query($r:[_Any!]!){");
        for (int i = 0; i < 1_000; i++) {
            q.append("e").append(i).append(":_entities(representations:$r){...on User{id name}}");
        }
        q.append('}');
        long before = sql("users");

        JsonNode answer = graphql("users", q.toString(), Map.of("r", reps));

        // 1,000 aliases pass graphql-java's parser limit of 15,000 tokens: refused at parse time, with Apollo's code
        assertThat(answer.at("/errors/0/extensions/code").asText())
                .isIn(ParsedDocuments.PARSE_FAILED, QueryLimits.TOO_COMPLEX, "TOO_MANY_REPRESENTATIONS");
        assertThat(sql("users")).isEqualTo(before);
        // a real gateway call of 100 users still costs one statement
        List<Map<String, Object>> hundred = reps.subList(0, 100);
        JsonNode fine = graphql("users",
                "query($representations:[_Any!]!){_entities(representations:$representations){...on User{id name}}}",
                Map.of("representations", hundred));
        assertThat(fine.has("errors")).as("%s", fine).isFalse();
        assertThat(sql("users") - before).isEqualTo(1);
    }

    @Test
    void argumentErrorsCarryACodeAndNoInternalText() throws Exception {
        JsonNode answer = graphql("posts", "{ posts(limit: -1) { id } }", Map.of());

        JsonNode error = answer.at("/errors/0");
        assertThat(error.at("/message").asText()).isEqualTo("limit must be 0 to 1000, was -1");
        assertThat(error.at("/extensions/code").asText()).isEqualTo("BAD_USER_INPUT");
        assertThat(error.at("/extensions/classification").asText()).isEqualTo("BAD_REQUEST");

        JsonNode badKey = graphql("posts", "query($r:[_Any!]!){_entities(representations:$r){...on Post{id}}}",
                Map.of("r", List.of(Map.of("__typename", "Post", "id", "abc"))));
        assertThat(badKey.toString()).doesNotContain("Exception").doesNotContain("For input string");
        assertThat(badKey.at("/errors/0/extensions/code").asText()).isEqualTo("INVALID_KEY_FIELD");

        // an id that is no row id is the caller's mistake, said as such (it was INTERNAL_SERVER_ERROR)
        for (String[] bad : new String[][] {{"users", "{ user(id: \"abc\") { id } }", "\"abc\""},
                {"products", "{ product(id: \"1e30\") { id } }", "\"1e30\""}}) {
            JsonNode wrongId = graphql(bad[0], bad[1], Map.of());
            assertThat(wrongId.at("/errors/0/extensions/code").asText()).as("%s", wrongId).isEqualTo("BAD_USER_INPUT");
            assertThat(wrongId.at("/errors/0/message").asText()).isEqualTo("id must be a whole number, was " + bad[2]);
            assertThat(wrongId.toString()).doesNotContain("Exception").doesNotContain("For input string");
        }
    }

    @Test
    void postWithoutJsonContentTypeIsUnsupportedAndNotExecuted() throws Exception {
        long before = sql("posts");
        String body = "{\"query\":\"{ posts(limit: 1) { id } }\"}";

        assertThat(post(uri("posts", "/graphql"), "text/plain", body).statusCode()).isEqualTo(415);
        assertThat(post(uri("posts", "/graphql"), "application/x-www-form-urlencoded", body).statusCode())
                .isEqualTo(415);
        assertThat(post(uri("posts", "/graphql"), null, body).statusCode()).isEqualTo(415);
        assertThat(post(uri("posts", "/graphql"), "application/json; charset=utf-8", body).statusCode())
                .isEqualTo(200);
        assertThat(sql("posts") - before).isEqualTo(1);
    }

    @Test
    void oversizeBodyGets413BeforeItIsSentWhole() throws Exception {
        // announce 100 MB, send 1 KB: the answer must come without the rest
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", cluster.node("users").server().port()), 10_000);
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 104857600\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[1024]);
            out.flush();
            String status = readLine(s.getInputStream());
            assertThat(status).startsWith("HTTP/1.1 413");
        }
        stillAnswers();
    }

    @Test
    void badChunkSizesAreClientMistakesNever500() throws Exception {
        URI metrics = uri("users", "/metrics");
        long serverErrorsBefore = serverErrors(metrics);
        String[][] cases = {
            {"/graphql", "application/json", "zz"},
            {"/graphql", "application/json", "ffffffffffffffffff"},
            {"/graphql", "text/plain", "zz"},
            {"/admin/mode", "application/json", "zz"},
        };
        for (String[] c : cases) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", cluster.node("users").server().port()), 10_000);
                s.setSoTimeout(60_000);
                OutputStream out = s.getOutputStream();
                out.write(("POST " + c[0] + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + c[1] + "\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n" + c[2] + "\r\n{}\r\n0\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String status = readLine(s.getInputStream());
                // a 4xx, or the connection closed with no answer: never a 5xx
                assertThat(status).as("%s", java.util.Arrays.toString(c)).satisfiesAnyOf(
                        st -> assertThat(st).isNull(), st -> assertThat(st).isEmpty(),
                        st -> assertThat(st).matches("HTTP/1\\.1 4\\d\\d.*"));
            }
        }
        assertThat(serverErrors(metrics)).isEqualTo(serverErrorsBefore);
        stillAnswers();
    }

    @Test
    void refusedAdminCallsDoNotWriteALineEach() throws Exception {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(SubgraphServer.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            for (int i = 0; i < 50; i++) {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri("users", "/admin/mode"))
                        .header("Authorization", "Bearer wrong-" + i).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"mode\":\"DIRECT\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(401);
            }
        } finally {
            logger.detachAppender(appender);
        }
        // at most one WARN a minute (the first refusal of this server may have been another test's), with a count
        assertThat(appender.list).filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN).hasSizeLessThanOrEqualTo(1);
    }

    /** The 5xx answers counted on {@code /metrics} so far. */
    private static long serverErrors(URI metrics) throws Exception {
        String text = HTTP.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
        long n = 0;
        for (String line : text.split("\n")) {
            if (!line.startsWith("#") && line.contains("status=\"5")) {
                n += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return n;
    }

    @Test
    void chunkedBodyOverTheLimitGets413() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", cluster.node("users").server().port()), 10_000);
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            String status = null;
            for (int i = 0; i < 64 && status == null; i++) { // up to 4 MB, twice the limit
                try {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException closed) {
                    break; // the server answered and closed: read its answer
                }
            }
            status = readLine(s.getInputStream());
            assertThat(status).startsWith("HTTP/1.1 413");
        }
        stillAnswers();
    }

    @Test
    void slowlorisConnectionsAreClosedWhileHealthAnswers() throws Exception {
        Subgraph users = cluster.node("users").subgraph();
        try (SubgraphServer server = SubgraphServer.builder(users).name("slow").idleTimeout(Duration.ofSeconds(1))
                .threads(4).json("/health", () -> Map.of("status", "up")).build().start()) {
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 64; i++) {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
                    s.setSoTimeout(60_000);
                    s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
                            .getBytes(StandardCharsets.US_ASCII)); // and never the end of the headers
                    s.getOutputStream().flush();
                    slow.add(s);
                }
                HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(server.uri().resolve("/health"))
                        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                for (Socket s : slow) {
                    // the server closes each: end of stream (possibly after an error status), never a read timeout
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[4096];
                    while (in.read(buf) >= 0) {
                        // drain whatever the server said before closing
                    }
                }
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }
        }
    }

    @Test
    void saturatedGraphqlWithoutAQueueGets503WhileHealthAndMetricsAnswer() throws Exception {
        CountDownLatch inside = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        GraphQlEndpoint blocking = blocking(inside, release);
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try (SubgraphServer server = SubgraphServer.builder(blocking).name("busy").threads(2).queue(0)
                .json("/health", () -> Map.of("status", "up"))
                .text("/metrics", "text/plain", () -> "up 1\n").build().start()) {
            String body = "{\"query\":\"{ ok }\"}";
            List<Future<HttpResponse<String>>> held = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                held.add(clients.submit(() -> post(server.graphqlUri(), "application/json", body)));
            }
            assertThat(inside.await(60, TimeUnit.SECONDS)).isTrue();

            HttpResponse<String> refused = post(server.graphqlUri(), "application/json", body);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(HTTP.send(HttpRequest.newBuilder(server.uri().resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(HTTP.send(HttpRequest.newBuilder(server.uri().resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("up 1\n");

            release.countDown();
            for (Future<HttpResponse<String>> f : held) {
                assertThat(f.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
            assertThat(post(server.graphqlUri(), "application/json", body).statusCode()).isEqualTo(200);
        } finally {
            release.countDown();
            clients.shutdownNow();
        }
    }

    /** An endpoint that counts {@code inside} down and answers once {@code release} is. */
    private static GraphQlEndpoint blocking(CountDownLatch inside, CountDownLatch release) {
        return (query, variables, operationName, headers) -> {
            inside.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ExecutionResultImpl.newExecutionResult().data(Map.of("ok", true)).build();
        };
    }

    @Test
    void requestsBeyondTheRunningOnesWaitInTheQueueAndOnly503WhenItIsFull() throws Exception {
        CountDownLatch inside = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        GraphQlEndpoint blocking = blocking(inside, release);
        ExecutorService clients = Executors.newFixedThreadPool(6);
        try (SubgraphServer server = SubgraphServer.builder(blocking).name("queued").threads(2).queue(4)
                .queueTimeout(Duration.ofSeconds(60)).build().start()) {
            String body = "{\"query\":\"{ ok }\"}";
            List<Future<HttpResponse<String>>> held = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                held.add(clients.submit(() -> post(server.graphqlUri(), "application/json", body)));
            }
            assertThat(inside.await(60, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 4; i++) {
                held.add(clients.submit(() -> post(server.graphqlUri(), "application/json", body)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (server.queuedGraphqlRequests() < 4) { // the four wait, holding no thread
                assertThat(System.nanoTime() - deadline).as("4 requests queued").isNegative();
                Thread.onSpinWait();
            }

            HttpResponse<String> refused = post(server.graphqlUri(), "application/json", body);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");

            release.countDown();
            for (Future<HttpResponse<String>> f : held) {
                assertThat(f.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200); // running and queued alike
            }
        } finally {
            release.countDown();
            clients.shutdownNow();
        }
    }

    @Test
    void slowUploadsHoldNoSlotAndAStalledBodyGets408() throws Exception {
        Subgraph users = cluster.node("users").subgraph();
        try (SubgraphServer server = SubgraphServer.builder(users).name("uploads").threads(2)
                .bodyTimeout(Duration.ofSeconds(2)).build().start()) {
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 64; i++) { // each declares 2 MB and sends 1 KB: the rest never comes
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
                    s.setSoTimeout(60_000);
                    OutputStream out = s.getOutputStream();
                    out.write(("POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 2000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(new byte[1024]);
                    out.flush();
                    slow.add(s);
                }
                for (int i = 0; i < 8; i++) { // the two slots are free for whoever has sent a whole request
                    HttpResponse<String> ok = post(server.graphqlUri(), "application/json",
                            "{\"query\":\"query($r:[_Any!]!){_entities(representations:$r){...on User{id}}}\","
                                    + "\"variables\":{\"r\":[{\"__typename\":\"User\",\"id\":\"" + (i + 1) + "\"}]}}");
                    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
                }
                for (Socket s : slow) { // the body deadline ends each upload
                    assertThat(readLine(s.getInputStream())).startsWith("HTTP/1.1 408");
                }
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }
        }
    }

    @Test
    void twoHundredFiftySixConcurrentClientsAreAllAnswered() throws Exception {
        Subgraph users = cluster.node("users").subgraph();
        ExecutorService clients = Executors.newFixedThreadPool(256);
        try (SubgraphServer server = SubgraphServer.builder(users).name("crowd").threads(4).build().start()) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<int[]>> results = new ArrayList<>();
            for (int c = 0; c < 256; c++) {
                int client = c;
                results.add(clients.submit(() -> {
                    start.await();
                    int[] statuses = new int[3];
                    for (int r = 0; r < 3; r++) {
                        HttpResponse<String> response = post(server.graphqlUri(), "application/json",
                                "{\"query\":\"query($r:[_Any!]!){_entities(representations:$r){...on User{id}}}\","
                                        + "\"variables\":{\"r\":[{\"__typename\":\"User\",\"id\":\""
                                        + (1 + (client * 3 + r) % 1_000) + "\"}]}}");
                        statuses[r] = response.statusCode();
                    }
                    return statuses;
                }));
            }
            start.countDown();
            int ok = 0;
            for (Future<int[]> f : results) {
                for (int status : f.get(120, TimeUnit.SECONDS)) {
                    assertThat(status).isEqualTo(200);
                    ok++;
                }
            }
            assertThat(ok).isEqualTo(256 * 3);
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void anErrorInAHandlerIsA500AndTheWorkersLiveOn() throws Exception {
        GraphQlEndpoint failing = (query, variables, operationName, headers) -> {
            if (query.contains("oom")) {
                throw new OutOfMemoryError("simulated");
            }
            if (query.contains("deep")) {
                throw new StackOverflowError("simulated");
            }
            return ExecutionResultImpl.newExecutionResult().data(Map.of("ok", true)).build();
        };
        try (SubgraphServer server = SubgraphServer.builder(failing).name("failing").threads(2).build().start()) {
            for (int i = 0; i < 20; i++) { // ten times more failures than workers
                HttpResponse<String> r = post(server.graphqlUri(), "application/json",
                        "{\"query\":\"{ " + (i % 2 == 0 ? "oom" : "deep") + " }\"}");
                assertThat(r.statusCode()).isEqualTo(500);
                assertThat(r.body()).isEqualTo("{\n  \"error\" : \"internal error\"\n}").doesNotContain("simulated");
            }
            assertThat(post(server.graphqlUri(), "application/json", "{\"query\":\"{ ok }\"}").statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void inventedMethodsAndPathsAddNoMetricSeries() throws Exception {
        URI metrics = uri("products", "/metrics");
        // one of each shape first: an invented path, an invented method on a route and on an invented path
        HTTP.send(HttpRequest.newBuilder(uri("products", "/nowhere")).build(), HttpResponse.BodyHandlers.ofString());
        HTTP.send(HttpRequest.newBuilder(uri("products", "/graphql")).method("BREW", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        HTTP.send(HttpRequest.newBuilder(uri("products", "/nowhere")).method("BREW", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        httpSeries(metrics); // the scrape's own series
        long seriesBefore = httpSeries(metrics);

        for (int i = 0; i < 500; i++) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri("products", "/x" + i))
                    .method("M" + i, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(404);
            HTTP.send(HttpRequest.newBuilder(uri("products", "/graphql"))
                    .method("BREW" + i, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        }

        String scrape = HTTP.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(httpSeries(metrics)).isEqualTo(seriesBefore);
        assertThat(scrape).doesNotContain("BREW").doesNotContain("M499").doesNotContain("/x499")
                .contains("method=\"other\"");
    }

    private static long httpSeries(URI metrics) throws Exception {
        String scrape = HTTP.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
        return scrape.lines().filter(l -> l.startsWith("http_server_requests_seconds_count{")).count();
    }

    @Test
    void bearerSchemeIsCaseInsensitiveAndTheTokenIsNotTrimmed() throws Exception {
        URI admin = uri("products", "/admin/mode");
        String body = "{\"mode\":\"BATCHED\",\"reason\":\"test\"}";
        for (String scheme : List.of("Bearer ", "bearer ", "BEARER ")) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(admin).header("Content-Type", "application/json")
                    .header("Authorization", scheme + TOKEN).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(scheme).isEqualTo(200);
        }
        // (a trailing space is no test: HTTP itself drops whitespace around a header value)
        for (String wrong : List.of(" " + TOKEN, TOKEN.toUpperCase(java.util.Locale.ROOT), TOKEN + "x",
                TOKEN.substring(1))) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(admin).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + wrong).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("'%s'", wrong).isEqualTo(401);
        }
    }

    @Test
    void rejectedQueriesAreNotCachedAndTheCacheIsBoundedByWeight() throws Exception {
        Subgraph posts = cluster.node("posts").subgraph();
        long before = posts.documents().size();
        String junk = "x".repeat(100_000);
        for (int i = 0; i < 51; i++) {
            JsonNode answer = graphql("posts", "{ posts(limit: 1) { id " + i + junk + " } }", Map.of());
            assertThat(answer.at("/errors/0/extensions/code").asText()).isEqualTo(ParsedDocuments.PARSE_FAILED);
        }
        assertThat(posts.documents().size()).isEqualTo(before);
        for (int i = 0; i < 300; i++) {
            graphql("posts", "{ posts(limit: 1) { id } a" + i + ": posts(limit: 1) { title " + "  ".repeat(10_000)
                    + "} }", Map.of());
        }
        assertThat(posts.documents().weight()).isLessThanOrEqualTo(
                dev.federation.examples.subgraphs.ParsedDocuments.DEFAULT_MAX_CHARS);
        stillAnswers();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
