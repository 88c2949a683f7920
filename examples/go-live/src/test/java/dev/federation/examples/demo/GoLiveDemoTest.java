package dev.federation.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.federation.core.FederationMode;
import dev.federation.examples.subgraphs.DataSettings;
import org.junit.jupiter.api.Test;

/** The go-live demo in reduced size: its go-live targets hold and its figures are what batching gives. */
class GoLiveDemoTest {

    @Test
    void reducedDemoMeetsEveryGoLiveTarget() {
        DemoReport report = GoLiveDemo.run(DemoConfig.custom()
                .data(DataSettings.sizes(1_000, 10_000, 200))
                .rounds(15)
                .warmupRounds(5)
                .progress(null)
                .build());

        // no verdict on measured time here (a loaded 2-core machine swings it): every other target holds
        assertThat(report.misses()).allMatch(DemoReport.Row::timing);

        PhaseResult before = report.before();
        PhaseResult after = report.after();
        assertThat(before.mode()).isEqualTo(FederationMode.DIRECT);
        assertThat(after.mode()).isEqualTo(FederationMode.BATCHED);
        assertThat(before.requests()).isEqualTo(15L * GoLiveDemo.REQUESTS_PER_ROUND);
        assertThat(before.errors()).isZero();
        assertThat(after.errors()).isZero();
        // one SQL query per representation before, one per _entities call after
        assertThat(before.sqlPerUserEntitiesCall()).isEqualTo(100.0);
        assertThat(after.sqlPerUserEntitiesCall()).isEqualTo(1.0);
        // per round: posts page 1 + users 100 + products 100 + User.posts 100 before; 1 + 1 + 1 + 1 after
        assertThat(before.sqlStatements()).isEqualTo(15L * 301);
        assertThat(after.sqlStatements()).isEqualTo(15L * 4);
        assertThat(after.averageBatchSize()).isEqualTo(100.0);
        assertThat(after.batchEffectiveness()).isEqualTo(0.99);
        assertThat(before.batchEffectiveness()).isZero();

        assertThat(report.table())
                .contains("| Metric", "| Target", "Before (DIRECT)", "After (BATCHED)", "| Result")
                .contains("SQL queries per request", "Response time p50", "Response time p99",
                        "Batch effectiveness", "Average batch size", "p99 entity resolution", "Error rate",
                        "Heap used")
                .contains(" go-live targets met");
        // the small-requests phase: one SQL statement per request without cross-request batching, never more with it
        assertThat(report.smallRequests()).hasSize(2).allSatisfy(r -> {
            assertThat(r.requests()).isEqualTo(GoLiveDemo.SMALL_CLIENTS * GoLiveDemo.SMALL_REQUESTS_EACH);
            assertThat(r.serverErrors()).isZero();
            assertThat(r.otherErrors()).isZero();
        });
        assertThat(report.smallRequests().get(0).statementsPerRequest()).isEqualTo(1.0);
        assertThat(report.smallRequests().get(1).statementsPerRequest()).isPositive().isLessThanOrEqualTo(1.0);
        assertThat(report.table()).contains("Many small requests", "| per request |", "| cross-request 2 ms |");
        // whatever the timing, every non-timing line passes
        assertThat(report.rows()).filteredOn(r -> !r.timing() && !r.result().isEmpty())
                .allSatisfy(r -> assertThat(r.result()).startsWith("PASS"));
    }
}
