package dev.federation.core;

import static dev.federation.core.TestSubgraph.entityList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.federation.core.cache.EntityCacheStats;
import dev.federation.core.TestSubgraph.Backend;
import graphql.ExecutionResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CrossRequestCacheTest {

    final Backend backend = new Backend();
    final FederationStatistics stats = new FederationStatistics();

    TestSubgraph subgraph(long maximumSize) {
        return new TestSubgraph(FederatedEntities.builder()
                .modeSwitch(FederationModeSwitch.of(FederationMode.BATCHED))
                .cacheScope(context -> context.get("tenant"))
                .observer(stats)
                .entity(EntityType.named("User")
                        .key("id", rep -> rep.getString("id"), EntityBatchLoader.mapped(backend::users))
                        .cache(EntityCacheOptions.of(maximumSize, Duration.ofMinutes(5)))
                        .build())
                .build());
    }

    static ExecutionResult asTenant(TestSubgraph s, String tenant, List<Map<String, Object>> reps) {
        return s.entities(reps, "...on User{id name}", c -> c.of("tenant", tenant));
    }

    @Test
    void secondRequestIsServedWithNoBackendCall() {
        TestSubgraph s = subgraph(1_000);
        ExecutionResult first = asTenant(s, "acme", TestSubgraph.users(0, 50));
        assertThat(backend.calls).hasSize(1);

        ExecutionResult second = asTenant(s, "acme", TestSubgraph.users(0, 50));

        assertThat(backend.calls).hasSize(1);
        assertThat(second.toSpecification()).isEqualTo(first.toSpecification());
        assertThat(stats.snapshot().types().get("User").loadsByOutcome())
                .containsEntry(dev.federation.core.observer.LoadOutcome.CACHED, 50L)
                .containsEntry(dev.federation.core.observer.LoadOutcome.BATCHED, 50L);
    }

    @Test
    void onlyTheMissingKeysGoToTheBackend() {
        TestSubgraph s = subgraph(1_000);
        asTenant(s, "acme", TestSubgraph.users(0, 50));

        ExecutionResult result = asTenant(s, "acme", TestSubgraph.users(25, 50));

        assertThat(result.getErrors()).isEmpty();
        assertThat(entityList(result)).hasSize(50).element(49).isEqualTo(Map.of("id", "u74", "name", "User u74"));
        assertThat(backend.calls).hasSize(2);
        assertThat(backend.calls.get(1)).hasSize(25).first().isEqualTo("u50");
    }

    @Test
    void anotherScopeIsNotServedFromTheFirstScopesEntries() {
        TestSubgraph s = subgraph(1_000);
        asTenant(s, "acme", TestSubgraph.users(0, 10));

        asTenant(s, "globex", TestSubgraph.users(0, 10));

        assertThat(backend.calls).hasSize(2);
        asTenant(s, "globex", TestSubgraph.users(0, 10));
        assertThat(backend.calls).hasSize(2);
    }

    @Test
    void requestWithoutAScopeBypassesTheCache() {
        TestSubgraph s = subgraph(1_000);
        s.entities(TestSubgraph.users(0, 10), "...on User{id}");
        s.entities(TestSubgraph.users(0, 10), "...on User{id}");

        assertThat(backend.calls).hasSize(2);
        assertThat(s.entities.caches().get("User").stats().level("local").size()).isZero();
    }

    @Test
    void missesAndErrorsAreNotCached() {
        TestSubgraph s = subgraph(1_000);
        List<Map<String, Object>> missing = List.of(TestSubgraph.rep("User", "id", "missing-1"));
        asTenant(s, "acme", missing);
        asTenant(s, "acme", missing);

        assertThat(backend.calls).hasSize(2);
    }

    @Test
    void theCacheNeverExceedsItsMaximumSize() {
        TestSubgraph s = subgraph(100);
        for (int r = 0; r < 20; r++) {
            asTenant(s, "acme", TestSubgraph.users(r * 50, 50));
        }
        EntityCacheStats.Level local = s.entities.caches().get("User").stats().level("local");

        assertThat(local.size()).isLessThanOrEqualTo(100);
        assertThat(local.evictions()).isGreaterThanOrEqualTo(900);
    }

    @Test
    void invalidatingAKeyDropsItInEveryScopeAndOnlyIt() {
        TestSubgraph s = subgraph(1_000);
        asTenant(s, "acme", TestSubgraph.users(0, 3));
        asTenant(s, "globex", TestSubgraph.users(0, 3));
        assertThat(backend.calls).hasSize(2);

        assertThat(s.entities.invalidate("User", Map.of("id", "u1"))).isEqualTo(1);
        asTenant(s, "acme", TestSubgraph.users(0, 3));
        asTenant(s, "globex", TestSubgraph.users(0, 3));

        assertThat(backend.calls.subList(2, 4)).containsExactly(List.of("u1"), List.of("u1"));
        s.entities.invalidateAll("User");
        asTenant(s, "acme", TestSubgraph.users(0, 3));
        assertThat(backend.calls).hasSize(5).last().isEqualTo(List.of("u0", "u1", "u2"));
    }

    @Test
    void invalidationNamesWhatIsWrong() {
        TestSubgraph s = subgraph(1_000);
        assertThatThrownBy(() -> s.entities.invalidate("Nope", Map.of("id", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no entity type Nope");
        assertThatThrownBy(() -> s.entities.invalidate("User", Map.of("sku", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hold no key of User");
        assertThatThrownBy(() -> s.entities.invalidate("User", Map.of("id", List.of("x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a scalar");
    }

    @Test
    void aGracePeriodWithASynchronousBatchFunctionNeedsAnExecutor() {
        assertThatThrownBy(() -> FederatedEntities.builder()
                .entity(EntityType.named("User")
                        .key("id", rep -> rep.getString("id"), EntityBatchLoader.mapped(backend::users))
                        .cache(EntityCacheOptions.custom().maximumSize(10).timeToLive(Duration.ofMinutes(1))
                                .gracePeriod(Duration.ofMinutes(1)).build())
                        .build())
                .build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs FederationOptions.batchExecutor");
    }

    @Test
    void aCacheProviderChoosesWhereEntriesLive() {
        java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
        FederatedEntities entities = FederatedEntities.builder()
                .cacheProvider((type, options) -> {
                    made.incrementAndGet();
                    return dev.federation.core.cache.LocalEntityCache.create(options);
                })
                .entity(EntityType.named("User")
                        .key("id", rep -> rep.getString("id"), EntityBatchLoader.mapped(backend::users))
                        .cache(EntityCacheOptions.of(10, Duration.ofMinutes(1)))
                        .build())
                .build();
        assertThat(made).hasValue(1);
        assertThat(entities.caches()).containsOnlyKeys("User");
    }

    @Test
    void cacheOptionsRequireASizeAndATimeToLive() {
        assertThatThrownBy(() -> EntityCacheOptions.custom().timeToLive(Duration.ofMinutes(1)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("maximumSize is required");
        assertThatThrownBy(() -> EntityCacheOptions.custom().maximumSize(10).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("timeToLive is required");
        assertThatThrownBy(() -> EntityCacheOptions.of(0, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("cache maximumSize must be at least 1, was 0");
        assertThatThrownBy(() -> EntityCacheOptions.of(10, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("cache timeToLive must be positive, was PT0S");
    }
}
