package dev.federation.metrics;

import static dev.federation.metrics.TestSubgraph.rep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import graphql.ExecutionResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FederationMetricsTest {

    private final FederationModeSwitch modeSwitch = FederationModeSwitch.of(FederationMode.BATCHED);
    private final MockClock clock = new MockClock();
    private final FederationMetrics metrics = FederationMetrics.builder().modeSwitch(modeSwitch).clock(clock).build();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TestSubgraph subgraph = TestSubgraph.batched(metrics);

    FederationMetricsTest() {
        metrics.bindTo(registry);
    }

    private double loads(String typename, String outcome) {
        return registry.get("federation.entity.loads").tag("typename", typename).tag("outcome", outcome)
                .counter().count();
    }

    private double calls(String typename, String mode, String outcome) {
        return registry.get("federation.backend.calls").tag("typename", typename).tag("mode", mode)
                .tag("outcome", outcome).counter().count();
    }

    @Test
    void batchedRequestRecordsEveryMeter() {
        List<Map<String, Object>> reps = new ArrayList<>(TestSubgraph.users(0, 100, "u"));
        reps.add(rep("User", "id", "u1"));
        reps.add(rep("User", "id", "u2"));
        reps.add(rep("User", "id", "u3"));
        reps.add(rep("User", "id", "missing-1"));
        reps.add(rep("User", "id", "missing-2"));

        ExecutionResult result = subgraph.entities(reps, TestSubgraph.USER_SELECTION);

        assertThat(result.getErrors()).isEmpty();
        assertThat(subgraph.backend.userCalls).hasSize(1);
        assertThat(loads("User", "batched")).isEqualTo(100);
        assertThat(loads("User", "cached")).isEqualTo(3);
        assertThat(loads("User", "missing")).isEqualTo(2);
        assertThat(calls("User", "batch", "success")).isEqualTo(1);

        DistributionSummary size = registry.get("federation.batch.size").tag("typename", "User").summary();
        assertThat(size.count()).isEqualTo(1);
        assertThat(size.totalAmount()).isEqualTo(102);

        Timer resolution = registry.get("federation.entity.resolution").tag("typename", "User").timer();
        assertThat(resolution.count()).isEqualTo(1);
        assertThat(resolution.totalTime(TimeUnit.NANOSECONDS)).isPositive();

        Timer requests = registry.get("federation.entities.requests").tag("outcome", "success").timer();
        assertThat(requests.count()).isEqualTo(1);
        assertThat(registry.find("federation.entities.requests").tag("outcome", "error").timer()).isNull();

        assertThat(registry.get("federation.batch.effectiveness").gauge().value())
                .isCloseTo(1 - 1.0 / 105, within(1e-9));
        assertThat(registry.get("federation.mode").gauge().value()).isEqualTo(1);
    }

    @Test
    void directModeCountsOneBackendCallPerRepresentation() {
        modeSwitch.set(FederationMode.DIRECT, "test");

        ExecutionResult result = subgraph.users(0, 10);

        assertThat(result.getErrors()).isEmpty();
        assertThat(subgraph.backend.userCallsOfSize(1)).isEqualTo(10);
        assertThat(loads("User", "direct")).isEqualTo(10);
        assertThat(calls("User", "direct", "success")).isEqualTo(10);
        assertThat(registry.find("federation.batch.size").summary()).isNull();
        assertThat(registry.get("federation.entity.resolution").tag("typename", "User").timer().count())
                .isEqualTo(10);
        assertThat(registry.get("federation.batch.effectiveness").gauge().value()).isZero();
        assertThat(registry.get("federation.mode").gauge().value()).isZero();
    }

    @Test
    void failedBatchCountsErrorLoadsAndAFailedBackendCall() {
        subgraph.backend.failing.set(true);

        ExecutionResult result = subgraph.users(0, 20);

        assertThat(result.getErrors()).hasSize(20);
        assertThat(loads("User", "error")).isEqualTo(20);
        assertThat(calls("User", "batch", "error")).isEqualTo(1);
        assertThat(registry.get("federation.entities.requests").tag("outcome", "error").timer().count())
                .isEqualTo(1);
        assertThat(metrics.recentWindow().errorRate()).isEqualTo(1.0);
    }

    @Test
    void inventedTypenamesCountUnderOneFixedTagValue() {
        List<Map<String, Object>> reps = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            reps.add(rep("Invented" + i, "id", "x" + i));
        }
        reps.add(rep("User"));
        reps.addAll(TestSubgraph.users(0, 5, "u"));

        ExecutionResult result = subgraph.entities(reps, TestSubgraph.USER_SELECTION);

        assertThat(result.getErrors()).hasSize(51);
        assertThat(loads(FederationMetrics.UNKNOWN_TYPENAME, "error")).isEqualTo(50);
        assertThat(loads("User", "error")).isEqualTo(1);
        assertThat(loads("User", "batched")).isEqualTo(5);
        assertThat(registry.get("federation.entity.rejections").tag("reason", "unknown_typename").counter().count())
                .isEqualTo(50);
        assertThat(registry.get("federation.entity.rejections").tag("reason", "missing_key_field").counter().count())
                .isEqualTo(1);
        List<String> typenames = registry.getMeters().stream()
                .map(m -> m.getId().getTag("typename"))
                .filter(t -> t != null)
                .distinct()
                .toList();
        assertThat(typenames).containsExactlyInAnyOrder("User", FederationMetrics.UNKNOWN_TYPENAME);
        assertThat(metrics.recentWindow().rejections()).isEqualTo(51);
        assertThat(metrics.recentWindow().loads()).isEqualTo(5);
    }

    @Test
    void effectivenessCoversOnlyTheRecentWindow() {
        subgraph.users(0, 100);
        assertThat(metrics.batchEffectiveness()).isCloseTo(0.99, within(1e-9));

        clock.add(Duration.ofMinutes(3));
        modeSwitch.set(FederationMode.DIRECT, "test");
        subgraph.users(0, 10);
        // 110 loads, 11 backend calls in the last 5 minutes
        assertThat(metrics.batchEffectiveness()).isCloseTo(1 - 11.0 / 110, within(1e-9));

        clock.add(Duration.ofMinutes(3));
        // the batched request fell out of the window; only the direct one is left
        assertThat(metrics.batchEffectiveness()).isZero();

        clock.add(Duration.ofMinutes(6));
        assertThat(registry.get("federation.batch.effectiveness").gauge().value()).isNaN();
        // the counters, unlike the gauge, keep everything
        assertThat(loads("User", "batched")).isEqualTo(100);
    }

    @Test
    void windowLengthIsConfigurable() {
        FederationMetrics shortWindow = FederationMetrics.builder().window(Duration.ofSeconds(10)).clock(clock).build();
        TestSubgraph s = TestSubgraph.batched(shortWindow);
        s.users(0, 50);
        assertThat(shortWindow.recentWindow().loads()).isEqualTo(50);
        clock.add(Duration.ofSeconds(12));
        assertThat(shortWindow.recentWindow().loads()).isZero();
        assertThatThrownBy(() -> FederationMetrics.builder().window(Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0.01S");
    }

    @Test
    void metersHaveDescriptionsAndTheServiceLevelBoundaries() {
        subgraph.users(0, 60);
        for (Meter m : registry.getMeters()) {
            if (m.getId().getName().endsWith(".histogram")) {
                continue; // SimpleMeterRegistry's own gauges of the histogram buckets
            }
            assertThat(m.getId().getDescription()).as(m.getId().getName()).isNotBlank();
        }
        assertThat(registry.get("federation.entity.resolution").timer().getId().getBaseUnit()).isEqualTo("seconds");

        CountAtBucket[] timerBuckets = registry.get("federation.entity.resolution").timer().takeSnapshot()
                .histogramCounts();
        assertThat(timerBuckets).extracting(b -> b.bucket(TimeUnit.MILLISECONDS))
                .containsExactly(10.0, 50.0, 100.0, 500.0, 1000.0, 2000.0, 5000.0, 10000.0);
        CountAtBucket[] sizeBuckets = registry.get("federation.batch.size").summary().takeSnapshot()
                .histogramCounts();
        assertThat(sizeBuckets).extracting(CountAtBucket::bucket)
                .containsExactly(1.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0);
        // the batch of 60 keys is counted in the buckets of 100 and above only
        assertThat(sizeBuckets[4].count()).isZero();
        assertThat(sizeBuckets[5].count()).isEqualTo(1);
    }

    @Test
    void bindingSeveralRegistriesPublishesToEach() {
        SimpleMeterRegistry second = new SimpleMeterRegistry();
        metrics.bindTo(second);
        metrics.bindTo(registry);
        subgraph.users(0, 10);
        assertThat(registry.get("federation.entity.loads").tag("outcome", "batched").counter().count()).isEqualTo(10);
        assertThat(second.get("federation.entity.loads").tag("outcome", "batched").counter().count()).isEqualTo(10);
    }

    @Test
    void eventsBeforeBindingCountInTheWindow() {
        FederationMetrics unbound = FederationMetrics.builder().clock(clock).build();
        TestSubgraph s = TestSubgraph.batched(unbound);
        s.users(0, 10);
        assertThat(unbound.recentWindow().loads()).isEqualTo(10);
        SimpleMeterRegistry later = new SimpleMeterRegistry();
        unbound.bindTo(later);
        s.users(0, 10);
        assertThat(later.get("federation.entity.loads").tag("outcome", "batched").counter().count()).isEqualTo(10);
    }

    @Test
    void modeGaugeWithoutASwitchFollowsTheCalls() {
        FederationMetrics noSwitch = FederationMetrics.create();
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        noSwitch.bindTo(r);
        assertThat(r.get("federation.mode").gauge().value()).isNaN();
        TestSubgraph s = TestSubgraph.batched(noSwitch);
        s.users(0, 1);
        assertThat(r.get("federation.mode").gauge().value()).isEqualTo(1);
        s.modeSwitch.set(FederationMode.DIRECT, "test");
        assertThat(r.get("federation.mode").gauge().value()).isZero();
    }

    @Test
    void cacheMetricsBindTheCrossRequestCaches() {
        FederationCacheMetrics.of(subgraph.entities).bindTo(registry);
        List<Map<String, Object>> products = List.of(rep("Product", "id", "p1"), rep("Product", "id", "p2"));

        subgraph.entities(products, "...on Product{id name}");
        subgraph.entities(products, "...on Product{id name}");

        assertThat(subgraph.backend.productCalls).hasSize(1);
        assertThat(loads("Product", "cached")).isEqualTo(2);
        assertThat(registry.get("cache.gets").tag("cache", "federation.Product").tag("result", "hit")
                .functionCounter().count()).isEqualTo(2);
        assertThat(registry.get("cache.gets").tag("cache", "federation.Product").tag("result", "miss")
                .functionCounter().count()).isEqualTo(2);
        assertThat(registry.get("cache.size").tag("cache", "federation.Product").gauge().value()).isEqualTo(2);
    }

    @Test
    void batchesOfTheServicesOwnDataLoadersCountAsBatchedLoadsAndCalls() {
        ExecutionResult result = subgraph.entities(TestSubgraph.users(0, 10, "u"), "...on User{id nickname}");

        assertThat(result.getErrors()).isEmpty();
        assertThat(TestSubgraph.entityList(result).get(3)).isEqualTo(Map.of("id", "u3", "nickname", "nick-u3"));
        assertThat(subgraph.backend.nicknameCalls).hasSize(1);
        assertThat(loads("nicknames", "batched")).isEqualTo(10);
        assertThat(calls("nicknames", "batch", "success")).isEqualTo(1);
        assertThat(registry.get("federation.batch.size").tag("typename", "nicknames").summary().totalAmount())
                .isEqualTo(10);
        // 20 loads (10 users, 10 nicknames) for 2 backend calls
        assertThat(metrics.batchEffectiveness()).isCloseTo(0.9, within(1e-9));
    }

    @Test
    void meterNamesCanBeOverridden() {
        FederationMeterNames names = FederationMeterNames.custom().prefix("users").entityLoads("users.entities")
                .build();
        FederationMetrics renamed = FederationMetrics.builder().names(names).build();
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        renamed.bindTo(r);
        TestSubgraph.batched(renamed).users(0, 3);
        assertThat(r.get("users.entities").tag("outcome", "batched").counter().count()).isEqualTo(3);
        assertThat(r.get("users.backend.calls").counter().count()).isEqualTo(1);
        assertThat(r.find("federation.entity.loads").counter()).isNull();
        assertThatThrownBy(() -> FederationMeterNames.custom().health(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("health");
    }
}
