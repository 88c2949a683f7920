package dev.federation.core;

import static dev.federation.core.TestSubgraph.entityList;
import static dev.federation.core.TestSubgraph.rep;
import static org.assertj.core.api.Assertions.assertThat;

import dev.federation.core.TestSubgraph.Backend;
import dev.federation.core.TestSubgraph.Product;
import dev.federation.core.TestSubgraph.Review;
import dev.federation.core.TestSubgraph.Variation;
import graphql.ExecutionResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class BatchingTest {

    final Backend backend = new Backend();
    final List<List<?>> productCalls = Collections.synchronizedList(new ArrayList<>());
    final List<List<?>> reviewCalls = Collections.synchronizedList(new ArrayList<>());

    FederatedEntities.Builder entities() {
        return FederatedEntities.builder()
                .modeSwitch(FederationModeSwitch.of(FederationMode.BATCHED))
                .entity(EntityType.named("User")
                        .key("id", rep -> rep.getString("id"), EntityBatchLoader.mapped(backend::users))
                        .build())
                .entity(EntityType.named("Product")
                        .javaClass(Product.class)
                        .key("id", rep -> rep.getString("id"), EntityBatchLoader.<String, Product>mapped(ids -> {
                            productCalls.add(List.copyOf(ids));
                            Map<String, Product> out = new LinkedHashMap<>();
                            ids.forEach(id -> out.put(id, product(id)));
                            return out;
                        }))
                        .key("sku package", EntityBatchLoader.<EntityKey, Product>ordered(keys -> {
                            productCalls.add(List.copyOf(keys));
                            List<Product> out = new ArrayList<>();
                            keys.forEach(k -> out.add(product("by-package-" + k.getString("sku"))));
                            return out;
                        }))
                        .key("sku variation { id }", EntityBatchLoader.<EntityKey, Product>mappedAsync(keys -> {
                            productCalls.add(List.copyOf(keys));
                            Map<EntityKey, Product> out = new LinkedHashMap<>();
                            keys.forEach(k -> out.put(k,
                                    product("by-variation-" + k.getKey("variation").getString("id"))));
                            return CompletableFuture.supplyAsync(() -> out);
                        }))
                        .build())
                .entity(EntityType.named("Review")
                        .key("id", rep -> rep.getLong("id"), EntityBatchLoader.<Long, Review>ordered(ids -> {
                            reviewCalls.add(List.copyOf(ids));
                            List<Review> out = new ArrayList<>();
                            ids.forEach(id -> out.add(new Review(String.valueOf(id), "review " + id)));
                            return out;
                        }))
                        .build());
    }

    static Product product(String id) {
        return new Product(id, "sku-" + id, "pkg-" + id, new Variation("v-" + id), "Product " + id);
    }

    @Test
    void hundredRepresentationsOfOneTypeMakeOneBatchCallWithAllKeys() {
        TestSubgraph subgraph = new TestSubgraph(entities().build());

        ExecutionResult result = subgraph.entities(TestSubgraph.users(0, 100), "...on User{id name}");

        assertThat(result.getErrors()).isEmpty();
        List<Object> list = entityList(result);
        assertThat(list).hasSize(100);
        for (int i = 0; i < 100; i++) {
            assertThat(list.get(i)).isEqualTo(Map.of("id", "u" + i, "name", "User u" + i));
        }
        assertThat(backend.calls).hasSize(1);
        assertThat(backend.calls.get(0)).hasSize(100);
    }

    @Test
    void interleavedTypesMakeOneCallPerTypeAndKeepRepresentationOrder() {
        TestSubgraph subgraph = new TestSubgraph(entities().build());
        List<Map<String, Object>> reps = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            reps.add(rep("User", "id", "u" + i));
            reps.add(rep("Product", "id", "p" + i));
            reps.add(rep("Review", "id", String.valueOf(i)));
        }

        ExecutionResult result = subgraph.entities(reps,
                "...on User{id name} ...on Product{id name} ...on Review{id body}");

        assertThat(result.getErrors()).isEmpty();
        List<Object> list = entityList(result);
        for (int i = 0; i < 30; i++) {
            assertThat(list.get(3 * i)).isEqualTo(Map.of("id", "u" + i, "name", "User u" + i));
            assertThat(list.get(3 * i + 1)).isEqualTo(Map.of("id", "p" + i, "name", "Product p" + i));
            assertThat(list.get(3 * i + 2)).isEqualTo(Map.of("id", String.valueOf(i), "body", "review " + i));
        }
        assertThat(backend.calls).hasSize(1);
        assertThat(productCalls).hasSize(1);
        assertThat(reviewCalls).hasSize(1);
        assertThat(reviewCalls.get(0)).hasSize(30).first().isEqualTo(0L);
    }

    @Test
    void duplicateKeysInOneRequestAreLoadedOnce() {
        TestSubgraph subgraph = new TestSubgraph(entities().build());
        List<Map<String, Object>> reps = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            reps.add(rep("User", "id", "u" + (i % 10)));
        }

        ExecutionResult result = subgraph.entities(reps, "...on User{id}");

        assertThat(result.getErrors()).isEmpty();
        assertThat(entityList(result)).hasSize(50).element(47).isEqualTo(Map.of("id", "u7"));
        assertThat(backend.calls).hasSize(1);
        assertThat(backend.calls.get(0)).hasSize(10).doesNotHaveDuplicates();
    }

    @Test
    void maxBatchSizeSplitsAGroupIntoSeveralCalls() {
        TestSubgraph subgraph = new TestSubgraph(entities()
                .options(FederationOptions.custom().maxBatchSize(40).build())
                .build());

        ExecutionResult result = subgraph.entities(TestSubgraph.users(0, 100), "...on User{id}");

        assertThat(result.getErrors()).isEmpty();
        assertThat(entityList(result)).hasSize(100).element(99).isEqualTo(Map.of("id", "u99"));
        assertThat(backend.calls).extracting(List::size).containsExactly(40, 40, 20);
    }

    @Test
    void oneTypeAskedByThreeKeyShapesMakesOneCallPerShape() {
        TestSubgraph subgraph = new TestSubgraph(entities().build());
        List<Map<String, Object>> reps = List.of(
                rep("Product", "id", "p1"),
                rep("Product", "sku", "s2", "package", "pk2"),
                rep("Product", "sku", "s3", "variation", Map.of("id", "v3")),
                rep("Product", "id", "p4"),
                rep("Product", "sku", "s5", "package", "pk5"),
                rep("Product", "sku", "s6", "variation", Map.of("id", "v6")));

        ExecutionResult result = subgraph.entities(reps, "...on Product{id}");

        assertThat(result.getErrors()).isEmpty();
        assertThat(entityList(result)).containsExactly(
                Map.of("id", "p1"),
                Map.of("id", "by-package-s2"),
                Map.of("id", "by-variation-v3"),
                Map.of("id", "p4"),
                Map.of("id", "by-package-s5"),
                Map.of("id", "by-variation-v6"));
        assertThat(productCalls).hasSize(3);
        assertThat(productCalls.get(0)).isEqualTo(List.of("p1", "p4"));
        assertThat(productCalls.get(1)).isEqualTo(List.of(
                EntityKey.of(Map.of("sku", "s2", "package", "pk2")),
                EntityKey.of(Map.of("sku", "s5", "package", "pk5"))));
        assertThat(productCalls.get(2)).isEqualTo(List.of(
                EntityKey.of(Map.of("sku", "s3", "variation", Map.of("id", "v3"))),
                EntityKey.of(Map.of("sku", "s6", "variation", Map.of("id", "v6")))));
    }

    @Test
    void asyncBatchFunctionsCompletingOnOtherThreadsAreAwaited() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            TestSubgraph subgraph = new TestSubgraph(FederatedEntities.builder()
                    .modeSwitch(FederationModeSwitch.of(FederationMode.BATCHED))
                    .entity(EntityType.named("User")
                            .key("id", rep -> rep.getString("id"), EntityBatchLoader.<String, Object>orderedAsync(
                                    ids -> CompletableFuture.supplyAsync(() -> {
                                        List<Object> out = new ArrayList<>();
                                        ids.forEach(id -> out.add(Map.of("id", id, "name", "async " + id)));
                                        return out;
                                    }, pool)))
                            .build())
                    .build());

            ExecutionResult result = subgraph.entities(TestSubgraph.users(0, 20), "...on User{id name}");

            assertThat(result.getErrors()).isEmpty();
            assertThat(entityList(result)).element(19).isEqualTo(Map.of("id", "u19", "name", "async u19"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void entityLoadersOfTheRegistryBatchLoadsFromFieldResolvers() {
        FederatedEntities entities = entities().build();
        var registry = entities.newRegistry();
        org.dataloader.DataLoader<String, Object> users = registry.getDataLoader(
                FederatedEntities.loaderName("User", "id"));

        CompletableFuture<Object> a = users.load("u1");
        CompletableFuture<Object> b = users.load("u2");
        CompletableFuture<Object> missing = users.load("missing-3");
        registry.dispatchAll();

        assertThat(a.join()).isEqualTo(new TestSubgraph.User("u1", "User u1"));
        assertThat(b.join()).isEqualTo(new TestSubgraph.User("u2", "User u2"));
        assertThat(missing.join()).isNull();
        assertThat(backend.calls).containsExactly(List.of("u1", "u2", "missing-3"));
    }
}
