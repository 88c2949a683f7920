package dev.federation.metrics;


import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import dev.federation.testkit.Json;
import dev.federation.testkit.Required;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

/**
 * A real Prometheus server (Debian's {@code prometheus}) scrapes a live graphql-java subgraph every second
 * while a gateway-like client sends {@code _entities} requests of 100 representations; the go-live numbers are
 * then read with PromQL from Prometheus' HTTP API. Every wait is bounded; the server and Prometheus stop at
 * the end.
 */
class PrometheusServerEndToEndTest {

    private static final Duration MAX_WAIT = Duration.ofSeconds(60);
    private static final String EFFECTIVENESS =
            "1 - sum(rate(federation_backend_calls_total[5m])) / sum(rate(federation_entity_loads_total[5m]))";
    private static final String AVERAGE_BATCH_SIZE =
            "sum(rate(federation_batch_size_sum[1m])) / sum(rate(federation_batch_size_count[1m]))";
    private static final String P99 =
            "histogram_quantile(0.99, sum by (le) (rate(federation_entity_resolution_seconds_bucket[1m])))";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void prometheusReadsTheGoLiveNumbersFromALiveSubgraph() throws Exception {
        Path prometheusBinary = Required.prometheus("prometheus");
        FederationModeSwitch modeSwitch = FederationModeSwitch.of(FederationMode.BATCHED);
        FederationMetrics metrics = FederationMetrics.builder().modeSwitch(modeSwitch).build();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics.bindTo(registry);
        TestSubgraph subgraph = new TestSubgraph(modeSwitch, metrics);
        Path dir = Files.createTempDirectory("federation-prometheus");
        Process prometheus = null;
        Thread killOnExit = null;
        try (LiveSubgraphServer server = new LiveSubgraphServer(subgraph, registry)) {
            int promPort = freePort();
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, String.join("\n",
                    "global:",
                    "  scrape_interval: 1s",
                    "  evaluation_interval: 1s",
                    "scrape_configs:",
                    "  - job_name: subgraph",
                    "    metrics_path: /metrics",
                    "    static_configs:",
                    "      - targets: ['127.0.0.1:" + server.port() + "']",
                    ""));
            prometheus = new ProcessBuilder(prometheusBinary.toString(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + promPort,
                    "--log.level=warn")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("prometheus.log").toFile())
                    .start();
            Process started = prometheus;
            killOnExit = new Thread(started::destroyForcibly, "stop-prometheus");
            Runtime.getRuntime().addShutdownHook(killOnExit); // should the test JVM be killed
            String api = "http://127.0.0.1:" + promPort;
            Process running = prometheus;
            await("Prometheus ready", () -> running.isAlive() && get(api + "/-/ready").statusCode() == 200,
                    dir);
            await("target scraped (up == 1)", () -> "1".equals(query(api, "up{job=\"subgraph\"}")), dir);

            // gateway traffic: 40 requests of 100 distinct representations, 4 a second
            String gatewayQuery = "query($representations:[_Any!]!){_entities(representations:$representations)"
                    + "{...on User{id name}}}";
            for (int r = 0; r < 40; r++) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("query", gatewayQuery);
                body.put("variables", Map.of("representations", TestSubgraph.users(r * 100, 100, "u")));
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + server.port() + "/graphql"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).startsWith("{\"data\":{\"_entities\":[{\"id\":\"u" + (r * 100) + "\"")
                        .doesNotContain("errors");
                Thread.sleep(250);
            }
            assertThat(subgraph.backend.userCalls).hasSize(40);

            // let Prometheus scrape the last counts, then read the numbers
            String[] values = new String[3];
            await("PromQL results", () -> {
                values[0] = query(api, EFFECTIVENESS);
                values[1] = query(api, AVERAGE_BATCH_SIZE);
                values[2] = query(api, P99);
                return values[0] != null && values[1] != null && values[2] != null
                        && Double.parseDouble(values[1]) > 0;
            }, dir);
            double effectiveness = Double.parseDouble(values[0]);
            double averageBatchSize = Double.parseDouble(values[1]);
            double p99 = Double.parseDouble(values[2]);
            System.out.printf("Prometheus end-to-end (%d requests of 100 representations, scrape every 1 s):%n"
                    + "  batch effectiveness  %s = %s%n"
                    + "  average batch size   %s = %s%n"
                    + "  p99 entity resolution %s = %s s%n", 40, EFFECTIVENESS, values[0], AVERAGE_BATCH_SIZE,
                    values[1], P99, values[2]);

            assertThat(effectiveness).isGreaterThanOrEqualTo(0.99 - 1e-9);
            assertThat(averageBatchSize).isCloseTo(100.0, within(1e-6));
            assertThat(p99).isPositive().isLessThanOrEqualTo(2.0);
            assertThat(query(api, "federation_mode")).isEqualTo("1");
        } finally {
            if (killOnExit != null) {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            }
            if (prometheus != null) {
                prometheus.destroy();
                if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            deleteRecursively(dir);
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(String what, Condition condition, Path dir) throws Exception {
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(250);
        }
        String log = Files.exists(dir.resolve("prometheus.log")) ? Files.readString(dir.resolve("prometheus.log")) : "";
        fail("gave up waiting " + MAX_WAIT.toSeconds() + " s for " + what + (last == null ? "" : " (" + last + ")")
                + "; prometheus log:\n" + log);
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The value of the single sample of an instant query, or {@code null} when it has none (or NaN). */
    @SuppressWarnings("unchecked")
    private String query(String api, String promql) throws IOException, InterruptedException {
        HttpResponse<String> r = get(api + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (r.statusCode() != 200) {
            return null;
        }
        Map<String, Object> body = (Map<String, Object>) Json.parse(r.body());
        Map<String, Object> data = (Map<String, Object>) body.get("data");
        List<Object> result = (List<Object>) data.get("result");
        if (result.size() != 1) {
            return null;
        }
        List<Object> value = (List<Object>) ((Map<String, Object>) result.get(0)).get("value");
        String v = (String) value.get(1);
        return v.equals("NaN") ? null : v;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
