package dev.federation.core;

import static dev.federation.core.TestSubgraph.entityList;
import static org.assertj.core.api.Assertions.assertThat;

import graphql.ExecutionResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IsolationTest {

    @Test
    void eightThreadsOfAThousandRequestsEachGetExactlyTheirOwnEntities() throws Exception {
        ExecutorService backendPool = Executors.newFixedThreadPool(4);
        AtomicInteger backendCalls = new AtomicInteger();
        TestSubgraph subgraph = new TestSubgraph(FederatedEntities.builder()
                .modeSwitch(FederationModeSwitch.of(FederationMode.BATCHED))
                .entity(EntityType.named("User")
                        .key("id", rep -> rep.getString("id"), EntityBatchLoader.<String, TestSubgraph.User>mappedAsync(
                                ids -> CompletableFuture.supplyAsync(() -> {
                                    backendCalls.incrementAndGet();
                                    Map<String, TestSubgraph.User> out = new LinkedHashMap<>();
                                    ids.forEach(id -> out.put(id, new TestSubgraph.User(id, "User " + id)));
                                    return out;
                                }, backendPool)))
                        .build())
                .build());
        ExecutorService clients = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            futures.add(clients.submit(() -> {
                start.await();
                int ok = 0;
                for (int r = 0; r < 1_000; r++) {
                    int base = (thread * 1_000 + r) * 5;
                    ExecutionResult result = subgraph.entities(TestSubgraph.users(base, 5), "...on User{id name}");
                    assertThat(result.getErrors()).isEmpty();
                    List<Object> list = entityList(result);
                    assertThat(list).hasSize(5);
                    for (int i = 0; i < 5; i++) {
                        assertThat(list.get(i)).isEqualTo(Map.of("id", "u" + (base + i), "name", "User u" + (base + i)));
                    }
                    ok++;
                }
                return ok;
            }));
        }
        start.countDown();
        int ok = 0;
        try {
            for (Future<Integer> f : futures) {
                ok += f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
            backendPool.shutdownNow();
        }

        assertThat(ok).isEqualTo(8_000);
        assertThat(backendCalls).hasValue(8_000);
    }

    @Test
    void eachRegistryHasItsOwnDataLoaders() {
        FederatedEntities entities = FederatedEntities.builder()
                .modeSwitch(FederationModeSwitch.of(FederationMode.BATCHED))
                .entity(EntityType.named("User")
                        .key("id", rep -> rep.getString("id"), EntityBatchLoader.mapped(new TestSubgraph.Backend()::users))
                        .build())
                .build();

        var a = entities.newRegistry();
        var b = entities.newRegistry();

        assertThat(a).isNotSameAs(b);
        assertThat(a.getKeys()).containsExactly("User(id)");
        assertThat((Object) a.getDataLoader("User(id)")).isNotSameAs(b.getDataLoader("User(id)"));
    }
}
