package dev.federation.metrics;

import static dev.federation.metrics.TestSubgraph.rep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import dev.federation.health.FederationHealthMonitor;
import dev.federation.testkit.Required;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Prometheus exposition of the meters after a known workload of real {@code _entities} requests. */
class PrometheusScrapeTest {

    private final FederationModeSwitch modeSwitch = FederationModeSwitch.of(FederationMode.BATCHED);
    private final FederationMetrics metrics = FederationMetrics.builder().modeSwitch(modeSwitch).build();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final TestSubgraph subgraph = new TestSubgraph(modeSwitch, metrics);
    private final FederationHealthMonitor monitor = FederationHealthMonitor.builder(metrics.healthWindow(), modeSwitch).build();

    PrometheusScrapeTest() {
        metrics.bindTo(registry);
        HealthMonitorMetrics.of(monitor).bindTo(registry);
        FederationCacheMetrics.of(subgraph.entities).bindTo(registry);
    }

    /**
     * A: 100 users, 3 duplicates, 2 missing (one batch of 102 keys). B: 40 users while the backend fails.
     * C: 2 invented typenames and a User without its key. D: 5 users in DIRECT mode. E: 2 products, twice.
     */
    private void knownWorkload() {
        List<Object> a = new ArrayList<>(TestSubgraph.users(0, 100, "u"));
        a.add(rep("User", "id", "u1"));
        a.add(rep("User", "id", "u2"));
        a.add(rep("User", "id", "u3"));
        a.add(rep("User", "id", "missing-1"));
        a.add(rep("User", "id", "missing-2"));
        subgraph.entities(a, TestSubgraph.USER_SELECTION);

        subgraph.backend.failing.set(true);
        subgraph.users(0, 40);
        subgraph.backend.failing.set(false);

        subgraph.entities(List.of(rep("Invented1", "id", "1"), rep("Invented2", "id", "2"), rep("User")),
                TestSubgraph.USER_SELECTION);

        modeSwitch.set(FederationMode.DIRECT, "test");
        subgraph.users(0, 5);
        modeSwitch.set(FederationMode.BATCHED, "test");

        List<Object> products = List.of(rep("Product", "id", "p1"), rep("Product", "id", "p2"));
        subgraph.entities(products, "...on Product{id name}");
        subgraph.entities(products, "...on Product{id name}");
        monitor.check();
    }

    /** Series (name and labels as exposed) to value. */
    static Map<String, Double> series(String scrape) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return out;
    }

    @Test
    void scrapeHoldsTheExactSeriesOfAKnownWorkload() {
        knownWorkload();
        String scrape = registry.scrape();
        Map<String, Double> s = series(scrape);

        assertThat(s).containsEntry("federation_entity_loads_total{outcome=\"batched\",typename=\"User\"}", 100.0)
                .containsEntry("federation_entity_loads_total{outcome=\"cached\",typename=\"User\"}", 3.0)
                .containsEntry("federation_entity_loads_total{outcome=\"missing\",typename=\"User\"}", 2.0)
                .containsEntry("federation_entity_loads_total{outcome=\"error\",typename=\"User\"}", 41.0)
                .containsEntry("federation_entity_loads_total{outcome=\"direct\",typename=\"User\"}", 5.0)
                .containsEntry("federation_entity_loads_total{outcome=\"error\",typename=\"_unknown\"}", 2.0)
                .containsEntry("federation_entity_loads_total{outcome=\"batched\",typename=\"Product\"}", 2.0)
                .containsEntry("federation_entity_loads_total{outcome=\"cached\",typename=\"Product\"}", 2.0)
                // the error series of a type exists, at 0, from its first load: an error rate reads 0, not "no data"
                .containsEntry("federation_entity_loads_total{outcome=\"error\",typename=\"Product\"}", 0.0);
        assertThat(s.keySet().stream().filter(k -> k.startsWith("federation_entity_loads_total"))).hasSize(9);

        assertThat(s).containsEntry("federation_backend_calls_total{mode=\"batch\",outcome=\"success\",typename=\"User\"}", 1.0)
                .containsEntry("federation_backend_calls_total{mode=\"batch\",outcome=\"error\",typename=\"User\"}", 1.0)
                .containsEntry("federation_backend_calls_total{mode=\"direct\",outcome=\"success\",typename=\"User\"}", 5.0)
                .containsEntry("federation_backend_calls_total{mode=\"batch\",outcome=\"success\",typename=\"Product\"}", 1.0);

        // batch sizes 102 and 40 for User
        double[] sizeBuckets = {0, 0, 0, 0, 1, 1, 2, 2, 2, 2};
        String[] sizeLe = {"1.0", "5.0", "10.0", "25.0", "50.0", "100.0", "250.0", "500.0", "1000.0", "+Inf"};
        for (int i = 0; i < sizeLe.length; i++) {
            assertThat(s).containsEntry(
                    "federation_batch_size_bucket{typename=\"User\",le=\"" + sizeLe[i] + "\"}", sizeBuckets[i]);
        }
        assertThat(s).containsEntry("federation_batch_size_count{typename=\"User\"}", 2.0)
                .containsEntry("federation_batch_size_sum{typename=\"User\"}", 142.0)
                .containsEntry("federation_batch_size_count{typename=\"Product\"}", 1.0)
                .containsEntry("federation_batch_size_sum{typename=\"Product\"}", 2.0);

        // 1 + 1 batch calls and 5 direct calls of User; durations vary, counts do not
        String[] timeLe = {"0.01", "0.05", "0.1", "0.5", "1.0", "2.0", "5.0", "10.0", "+Inf"};
        double previous = 0;
        for (String le : timeLe) {
            Double bucket = s.get("federation_entity_resolution_seconds_bucket{typename=\"User\",le=\"" + le + "\"}");
            assertThat(bucket).as("le=" + le).isNotNull().isGreaterThanOrEqualTo(previous);
            previous = bucket;
        }
        assertThat(previous).isEqualTo(7.0);
        assertThat(s).containsEntry("federation_entity_resolution_seconds_count{typename=\"User\"}", 7.0);
        double userSeconds = s.get("federation_entity_resolution_seconds_sum{typename=\"User\"}");
        assertThat(userSeconds).isPositive();
        double timerSeconds = registry.get("federation.entity.resolution").tag("typename", "User").timer()
                .totalTime(TimeUnit.SECONDS);
        assertThat(userSeconds).isCloseTo(timerSeconds, within(1e-9));

        // _entities fields: A, D, E, E succeeded; B and C failed whole
        assertThat(s).containsEntry("federation_entities_requests_seconds_count{outcome=\"success\"}", 4.0)
                .containsEntry("federation_entities_requests_seconds_bucket{outcome=\"success\",le=\"+Inf\"}", 4.0)
                .containsEntry("federation_entities_requests_seconds_count{outcome=\"error\"}", 2.0);

        assertThat(s).containsEntry("federation_entity_rejections_total{reason=\"unknown_typename\"}", 2.0)
                .containsEntry("federation_entity_rejections_total{reason=\"missing_key_field\"}", 1.0);
        // window: loads 105 + 40 + 5 + 4 = 154, backend calls 1 + 1 + 5 + 1 = 8
        assertThat(s.get("federation_batch_effectiveness")).isCloseTo(1 - 8.0 / 154, within(1e-12));
        assertThat(s).containsEntry("federation_mode", 1.0)
                .containsEntry("federation_health", 0.0)
                .containsEntry("federation_health_rollbacks_total", 0.0)
                .containsEntry("cache_gets_total{cache=\"federation.Product\",result=\"hit\"}", 2.0)
                .containsEntry("cache_gets_total{cache=\"federation.Product\",result=\"miss\"}", 2.0);
        assertThat(scrape).doesNotContain("Invented");
    }

    @Test
    void inventedTypenamesDoNotAddSeries() {
        knownWorkload();
        int before = series(registry.scrape()).size();
        List<Object> garbage = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            garbage.add(rep("Made" + i + "Up", "id", "x" + i));
        }
        subgraph.entities(garbage, TestSubgraph.USER_SELECTION);
        String scrape = registry.scrape();
        assertThat(series(scrape)).hasSize(before)
                .containsEntry("federation_entity_loads_total{outcome=\"error\",typename=\"_unknown\"}", 1002.0);
        assertThat(scrape).doesNotContain("Made");
    }

    @Test
    void promtoolAcceptsTheScrape() throws Exception {
        Path promtool = Required.prometheus("promtool");
        knownWorkload();
        String scrape = registry.scrape();
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(scrape.getBytes(StandardCharsets.UTF_8));
        }
        String output;
        try (InputStream out = p.getInputStream()) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            out.transferTo(buf);
            output = buf.toString(StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("promtool check metrics said: %s", output).isZero();
        assertThat(output).isBlank();
        assertThat(scrape).contains("federation_entity_resolution_seconds_bucket");
    }
}
