package dev.federation.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.federation.core.FederationMode;
import dev.federation.examples.ClusterConfig;
import dev.federation.examples.SubgraphCluster;
import dev.federation.examples.ops.StatusCommand;
import dev.federation.examples.subgraphs.DataSettings;
import dev.federation.testkit.Required;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A real Prometheus (Debian's 2.42, on loopback) scrapes the three example subgraphs every second, with the
 * labels Kubernetes would give them, while a gateway-shaped load runs: every dashboard panel's query, every
 * Flagger and Argo Rollouts query (template variables filled in) and every recording rule returns a number,
 * and the {@code status} command reads the go-live tables from it, healthy first, then with the users subgraph
 * forced to DIRECT. No assertion is on a duration; waits poll a condition under a generous deadline.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LivePrometheusTest {

    private static final Duration MAX_WAIT = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String POSTS_QUERY =
            "{ posts(limit: 100) { id title author { __typename id } product { __typename id } } }";
    private static final String USERS_QUERY = "query($representations:[_Any!]!){_entities(representations:"
            + "$representations){...on User{id name}}}";
    private static final String PRODUCTS_QUERY = "query($representations:[_Any!]!){_entities(representations:"
            + "$representations){...on Product{id name}}}";

    private static SubgraphCluster cluster;
    private static Process prometheus;
    private static Path dir;
    private static URI api;
    private static Thread load;
    private static final AtomicBoolean stop = new AtomicBoolean();
    private static final AtomicLong rounds = new AtomicLong();
    private static final AtomicLong loadErrors = new AtomicLong();

    @BeforeAll
    static void start() throws Exception {
        Path binary = Required.prometheus("prometheus");
        cluster = SubgraphCluster.start(ClusterConfig.custom().data(DataSettings.sizes(1_000, 10_000, 200))
                .mode(FederationMode.BATCHED).build());
        dir = Files.createTempDirectory("ops-prometheus");
        int port = freePort();
        StringBuilder config = new StringBuilder(String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  evaluation_interval: 1s",
                "rule_files:",
                "  - " + Path.of("prometheus/recording-rules.yml").toAbsolutePath(),
                "  - " + Path.of("prometheus/alert-rules.yml").toAbsolutePath(),
                "scrape_configs:", ""));
        for (String name : List.of("users", "posts", "products")) {
            config.append(String.join("\n",
                    "  - job_name: " + name,
                    "    metrics_path: /metrics",
                    "    static_configs:",
                    "      - targets: ['127.0.0.1:" + cluster.node(name).server().port() + "']",
                    "        labels:",
                    "          namespace: federation",
                    "          pod: " + name + "-5d8f9c7b6-x2x9q",
                    "          rollouts_pod_template_hash: abc123", ""));
        }
        Files.writeString(dir.resolve("prometheus.yml"), config.toString());
        prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        api = URI.create("http://127.0.0.1:" + port);
        load = new Thread(LivePrometheusTest::gatewayLoad, "gateway-load");
        load.setDaemon(true);
        load.start();
        // the health gauge is NaN until a subgraph's monitor has checked once (every 30 s): check now
        for (String name : List.of("users", "posts", "products")) {
            cluster.node(name).observability().healthMonitor().check();
        }
        await("Prometheus has the health of every subgraph", () -> {
            Map<String, String> health = query("federation_health");
            return health.size() == 3 && health.values().stream().noneMatch(v -> v.equals("NaN"));
        });
        await("Prometheus has the users subgraph's effectiveness", () ->
                !query("job:federation_batch_effectiveness:ratio_rate5m{job=\"users\"}").isEmpty()
                        && !query("job:federation_batch_size:mean_rate5m{job=\"products\"}").isEmpty());
    }

    @AfterAll
    static void stop() throws Exception {
        stop.set(true);
        try {
            if (load != null) {
                load.join(TimeUnit.SECONDS.toMillis(60));
            }
            if (prometheus != null) {
                prometheus.destroy();
                if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            if (dir != null) {
                try (Stream<Path> paths = Files.walk(dir)) {
                    for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    /** What a gateway sends for {@code posts(limit: 100) { author product }}: the page, then one call each. */
    private static void gatewayLoad() {
        URI posts = cluster.node("posts").server().graphqlUri();
        URI users = cluster.node("users").server().graphqlUri();
        URI products = cluster.node("products").server().graphqlUri();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (!stop.get() && System.nanoTime() < deadline && rounds.get() < 100_000) {
            try {
                JsonNode page = post(posts, Map.of("query", POSTS_QUERY));
                List<JsonNode> authors = new ArrayList<>();
                List<JsonNode> items = new ArrayList<>();
                for (JsonNode p : page.at("/data/posts")) {
                    authors.add(p.get("author"));
                    if (p.get("product").isObject()) {
                        items.add(p.get("product"));
                    }
                }
                post(users, Map.of("query", USERS_QUERY, "variables", Map.of("representations", authors)));
                post(products, Map.of("query", PRODUCTS_QUERY, "variables", Map.of("representations", items)));
                rounds.incrementAndGet();
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                loadErrors.incrementAndGet();
            }
        }
    }

    private static JsonNode post(URI uri, Map<String, Object> body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Shared.JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode answer = Shared.JSON.readTree(r.body());
        if (r.statusCode() != 200 || answer.has("errors")) {
            throw new IOException("HTTP " + r.statusCode() + ": " + r.body());
        }
        return answer;
    }

    /** The series of an instant query (value as text), by their labels. */
    static Map<String, String> query(String promql) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(api.resolve("/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = Shared.JSON.readTree(r.body());
        if (!"success".equals(body.path("status").asText())) {
            throw new AssertionError("Prometheus refused " + promql + ": " + body.path("error").asText(r.body()));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode s : body.at("/data/result")) {
            out.put(s.get("metric").toString(), s.at("/value/1").asText());
        }
        return out;
    }

    /** Every series of {@code promql} has a finite value; returns them. */
    private static Map<String, String> numbers(String what, String promql) throws Exception {
        Map<String, String> result = query(promql);
        assertThat(result).as("%s returned no series: %s", what, promql).isNotEmpty();
        result.forEach((labels, value) -> assertThat(Double.isFinite(Double.parseDouble(value)))
                .as("%s %s = %s", what, labels, value).isTrue());
        System.out.println("live query: " + what + " -> " + result);
        return result;
    }

    @Test
    @Order(1)
    void everyDashboardQueryReturnsData() throws Exception {
        Map<String, String> vars = Map.of("$job", ".+", "$instance", ".+", "$__rate_interval", "30s",
                "$__range", "1m");
        for (JsonNode panel : DashboardTest.dashboard().get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                numbers("panel '" + panel.get("title").asText() + "' " + target.get("refId").asText(),
                        Shared.substitute(target.get("expr").asText(), vars));
            }
        }
        assertThat(loadErrors).as("requests of the load that failed").hasValue(0);
    }

    @Test
    @Order(2)
    void everyCanaryQueryEvaluatesToANumberAndTheHealthyCanaryPasses() throws Exception {
        Map<String, String> flagger = Map.of("{{ namespace }}", "federation", "{{ target }}", "users",
                "{{ interval }}", "30s");
        Map<String, String> argo = Map.of("{{args.service}}", "users", "{{args.canary-hash}}", "abc123");
        for (JsonNode doc : CanaryDocumentsTest.documents()) {
            String kind = doc.get("kind").asText();
            if (kind.equals("MetricTemplate")) {
                Map<String, String> v = numbers("Flagger " + doc.at("/metadata/name").asText(),
                        Shared.substitute(doc.at("/spec/query").asText(), flagger));
                assertThat(v).hasSize(1);
            } else if (kind.equals("AnalysisTemplate")) {
                for (JsonNode m : doc.at("/spec/metrics")) {
                    Map<String, String> v = numbers("Argo " + doc.at("/metadata/name").asText(),
                            Shared.substitute(m.at("/provider/prometheus/query").asText(), argo));
                    double value = Double.parseDouble(v.values().iterator().next());
                    String condition = m.get("successCondition").asText();
                    if (!condition.contains("0.1")) { // latency is not judged in a test
                        assertThat(holds(condition, value)).as("%s with %s", condition, value).isTrue();
                    }
                }
            }
        }
    }

    private static boolean holds(String condition, double value) {
        String[] parts = condition.split(" ");
        double limit = Double.parseDouble(parts[2]);
        return parts[1].equals("<") ? value < limit : value > limit;
    }

    @Test
    @Order(3)
    void everyRecordingRuleHasSeriesForTheScrapedJobs() throws Exception {
        String rules = Files.readString(Path.of("prometheus/recording-rules.yml"), StandardCharsets.UTF_8);
        for (String line : rules.lines().toList()) {
            String t = line.strip();
            if (t.startsWith("- record: ")) {
                String record = t.substring("- record: ".length());
                // the rate windows need 5 minutes of samples to be complete; a number is there from the 2nd scrape
                await(record, () -> !query(record + "{job=\"users\"}").isEmpty());
                numbers("recording rule " + record, record + "{job=\"users\"}");
            }
        }
    }

    @Test
    @Order(4)
    void statusReadsTheGoLiveTablesAndFailsWhenBatchingIsOff() throws Exception {
        URI users = cluster.node("users").server().uri();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int healthy = new StatusCommand(api, "users", "30s", List.of(users)).run(
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String table = out.toString(StandardCharsets.UTF_8);
        System.out.println("status, healthy (exit " + healthy + "):\n" + table + err.toString(StandardCharsets.UTF_8));
        assertThat(table).contains("## Immediate (Day 1)", "## Week 1", "| Metric | Target | Actual | Result |");
        for (String metric : List.of("Error Rate", "Batch Effectiveness", "Query Count", "DB Load", "Memory Usage")) {
            assertThat(table).containsPattern("\\| " + metric + " \\|[^\\n]*\\| PASS \\|");
        }
        assertThat(table).contains("| " + users + " | HEALTHY | BATCHED |");
        // the exit status follows the verdicts (the two latency rows depend on the machine)
        assertThat(healthy).isEqualTo(table.contains("FAIL") || table.contains("NO DATA") ? StatusCommand.MISSED : 0);

        cluster.setMode(FederationMode.DIRECT, "ops test: fault injection");
        await("users in DIRECT shows in Prometheus", () -> {
            Map<String, String> e = query("1 - sum(rate(federation_backend_calls_total{job=\"users\"}[15s]))"
                    + " / sum(rate(federation_entity_loads_total{job=\"users\"}[15s]))");
            return !e.isEmpty() && Double.parseDouble(e.values().iterator().next()) < 0.5;
        });
        out.reset();
        err.reset();
        int faulty = new StatusCommand(api, "users", "15s", List.of(users)).run(
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String faultTable = out.toString(StandardCharsets.UTF_8);
        String problems = err.toString(StandardCharsets.UTF_8);
        System.out.println("status, DIRECT (exit " + faulty + "):\n" + faultTable + problems);
        assertThat(faulty).isEqualTo(StatusCommand.MISSED);
        assertThat(faultTable).containsPattern("\\| Batch Effectiveness \\|[^\\n]*\\| FAIL \\|")
                .containsPattern("\\| DB Load \\|[^\\n]*\\| FAIL \\|");
        assertThat(problems).contains("target missed: Batch Effectiveness (Day 1)", "target missed: DB Load (Week 1)");
        cluster.setMode(FederationMode.BATCHED, "ops test: fault removed");
    }

    @Test
    @Order(5)
    void statusSaysWhenPrometheusIsUnreachable() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new StatusCommand(URI.create("http://127.0.0.1:" + freePort()), null, "5m", List.of())
                .run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(StatusCommand.UNREACHABLE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("status: Prometheus at http://127.0.0.1:")
                .contains("did not answer");
    }

    @Test
    @Order(6)
    void statusSaysWhenASeriesIsAbsent() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new StatusCommand(api, "no-such-job", "30s", List.of()).run(
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(StatusCommand.MISSED);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("| Batch Effectiveness | > 80% | no data | NO DATA |");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("status: no data for Batch Effectiveness (Day 1): "
                + "the series is absent");
    }

    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    static void await(String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        Throwable last = null;
        while (System.nanoTime() < deadline) {
            if (prometheus != null && !prometheus.isAlive()) {
                fail("Prometheus exited: " + Files.readString(dir.resolve("prometheus.log")));
            }
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (IOException | AssertionError e) {
                last = e;
            }
            Thread.sleep(250);
        }
        String up;
        try {
            up = query("up").toString();
        } catch (Exception | AssertionError e) {
            up = "(no answer: " + e + ")";
        }
        fail("not within " + MAX_WAIT.toSeconds() + " s: " + what + (last == null ? "" : " (" + last + ")")
                + "; load rounds " + rounds + ", failed " + loadErrors + "; up " + up + "; Prometheus log:\n"
                + Files.readString(dir.resolve("prometheus.log")));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
