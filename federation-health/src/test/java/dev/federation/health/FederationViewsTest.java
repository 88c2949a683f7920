package dev.federation.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.federation.core.EntityBatchLoader;
import dev.federation.core.EntityCacheOptions;
import dev.federation.core.EntityType;
import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import dev.federation.core.FederationStatistics;
import dev.federation.testkit.EntitiesSubgraph;
import graphql.schema.idl.RuntimeWiring;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The three debug views after real {@code _entities} traffic through a federation-jvm schema. */
class FederationViewsTest {

    record User(String id, String name) {
    }

    @Test
    void viewsShowTheBatchesTheLimitsAndTheCaches() {
        FederationStatistics stats = new FederationStatistics();
        AtomicLong backendCalls = new AtomicLong();
        FederatedEntities entities = FederatedEntities.builder()
                .modeSwitch(FederationModeSwitch.of(FederationMode.BATCHED))
                .observer(stats)
                .entity(EntityType.named("User").javaClass(User.class)
                        .key("id", rep -> rep.getString("id"), EntityBatchLoader.<String, User>mapped((List<String> ids) -> {
                            backendCalls.incrementAndGet();
                            Map<String, User> out = new LinkedHashMap<>();
                            ids.forEach(id -> out.put(id, new User(id, "User " + id)));
                            return out;
                        }))
                        .cache(EntityCacheOptions.of(100, Duration.ofMinutes(1)))
                        .build())
                .build();
        EntitiesSubgraph subgraph = EntitiesSubgraph.of(
                EntitiesSubgraph.resource(FederationViewsTest.class, "/health-schema.graphql"),
                RuntimeWiring.newRuntimeWiring().build(), entities.fetcher(), entities.typeResolver(), in -> in);
        subgraph.entities(EntitiesSubgraph.reps("User", "u", 0, 10), "...on User{id}");
        subgraph.entities(EntitiesSubgraph.reps("User", "u", 0, 10), "...on User{id}");
        assertThat(backendCalls).hasValue(1);

        Map<String, Object> federation = FederationViews.federation(entities, stats);
        assertThat(federation).containsEntry("mode", "BATCHED").containsEntry("loads", 20L)
                .containsEntry("backend_calls", 1L).containsEntry("effectiveness", 0.95);
        @SuppressWarnings("unchecked")
        Map<String, Object> user = (Map<String, Object>) ((Map<String, Object>) federation.get("batch_stats")).get("User");
        assertThat(user).containsEntry("avg_batch_size", 10.0).containsEntry("max_batch_size", 10L);
        assertThat(user.get("loads")).isEqualTo(Map.of("batched", 10L, "cached", 10L, "direct", 0L, "missing", 0L,
                "error", 0L));

        Map<String, Object> loaders = FederationViews.dataLoader(entities, stats, Set.of("postsByAuthor"));
        assertThat(loaders.get("options")).isEqualTo(Map.of("max_batch_size", 1000, "max_representations", 10000,
                "batch_timeout_ms", 30000L));
        @SuppressWarnings("unchecked")
        Map<String, Object> loaderMap = (Map<String, Object>) loaders.get("loaders");
        assertThat(loaderMap).containsKeys("User(id)", "postsByAuthor");

        @SuppressWarnings("unchecked")
        Map<String, Object> caches = (Map<String, Object>) FederationViews.cacheStats(entities).get("caches");
        @SuppressWarnings("unchecked")
        Map<String, Object> userCache = (Map<String, Object>) caches.get("User");
        assertThat(userCache).containsEntry("estimated_size", 10L).containsEntry("hit_count", 10L);
    }
}
