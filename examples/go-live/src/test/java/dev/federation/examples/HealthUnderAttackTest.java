package dev.federation.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.federation.core.FederationMode;
import dev.federation.examples.subgraphs.DataSettings;
import dev.federation.health.FederationHealthMonitor;
import dev.federation.health.CheckName;
import dev.federation.health.HealthCheck;
import dev.federation.health.HealthListener;
import dev.federation.health.HealthReport;
import dev.federation.health.HealthStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The attack of issue 22, live: {@code serve}'s users subgraph over HTTP, its bounded parsed-query cache filled
 * by distinct large valid queries beside ordinary {@code _entities} traffic, the real heap after GC sampled,
 * and the health windows shortened by {@code serve}'s own flags (checks every 100 ms, heap judged over 4 s
 * once the samples span 3 s). The mode must stay {@code BATCHED}. The test waits on the monitor's own checks
 * (a latch counted down by its listener), never on a sleep.
 */
class HealthUnderAttackTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int JUDGED_CHECKS = 20;
    private static final int ATTACK_QUERIES = 120;

    private static int post(URI uri, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** A distinct, valid and cheap query of about 92k characters: its operation name is most of it. */
    private static String attackQuery(int n) {
        return "{\"query\":\"query Q" + n + "_" + "x".repeat(92_000) + " { __typename }\"}";
    }

    private static String users(int from) {
        StringBuilder reps = new StringBuilder();
        for (int i = from; i < from + 100; i++) {
            reps.append(i == from ? "" : ",").append("{\"__typename\":\"User\",\"id\":\"").append(i % 100 + 1)
                    .append("\"}");
        }
        return "{\"query\":\"query($r:[_Any!]!){_entities(representations:$r){...on User{id name}}}\","
                + "\"variables\":{\"r\":[" + reps + "]}}";
    }

    @Test
    void aWarmingParsedQueryCacheNeverRollsTheSubgraphBack() throws Exception {
        ClusterConfig config = ClusterConfig.custom()
                .data(DataSettings.sizes(100, 100, 10))
                .health(Flags.healthFlags(Map.of("health-interval-ms", "100", "heap-window-ms", "4000",
                        "heap-minimum-window-ms", "3000")))
                .build();
        try (SubgraphCluster cluster = SubgraphCluster.start(config)) {
            URI users = cluster.graphqlUris().get("users");
            FederationHealthMonitor monitor = cluster.node("users").observability().healthMonitor();
            CountDownLatch judged = new CountDownLatch(JUDGED_CHECKS);
            AtomicReference<HealthStatus> worst = new AtomicReference<>(HealthStatus.HEALTHY);
            AtomicReference<String> heapMessage = new AtomicReference<>();
            monitor.addListener(new HealthListener() {
                @Override
                public void checked(HealthReport report) {
                    worst.accumulateAndGet(report.status(), HealthStatus::worst);
                    HealthCheck heap = report.check(CheckName.HEAP_GROWTH);
                    if (heap.judged()) {
                        heapMessage.set(heap.status() + ": " + heap.message());
                        judged.countDown();
                    }
                }
            });

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            int sent = 0;
            while ((sent < ATTACK_QUERIES || judged.getCount() > 0) && System.nanoTime() < deadline) {
                assertThat(post(users, attackQuery(sent))).isEqualTo(200);
                assertThat(post(users, users(sent))).isEqualTo(200);
                sent++;
            }
            assertThat(judged.await(60, TimeUnit.SECONDS)).as("heap judged in %d checks", JUDGED_CHECKS).isTrue();
            long cached = cluster.node("users").subgraph().documents().size();
            System.out.printf("live attack: %d distinct 92k-character queries (%d parsed documents cached, bounded), "
                    + "worst %s, %d rollbacks; last heap check %s%n", sent, cached, worst.get(),
                    monitor.rollbackCount(), heapMessage.get());
            assertThat(sent).isGreaterThanOrEqualTo(ATTACK_QUERIES);
            assertThat(cached).isLessThan(sent);
            assertThat(monitor.rollbackCount()).isZero();
            assertThat(worst.get()).isNotIn(HealthStatus.CRITICAL, HealthStatus.ROLLED_BACK);
            assertThat(cluster.node("users").subgraph().entities().modeSwitch().mode())
                    .isEqualTo(FederationMode.BATCHED);
        }
    }
}
