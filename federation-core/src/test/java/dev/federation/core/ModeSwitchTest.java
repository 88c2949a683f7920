package dev.federation.core;

import static dev.federation.core.TestSubgraph.entityList;
import static dev.federation.core.TestSubgraph.rep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.federation.core.TestSubgraph.Backend;
import graphql.ExecutionResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ModeSwitchTest {

    final Backend backend = new Backend();
    final List<String> singleCalls = Collections.synchronizedList(new ArrayList<>());

    FederatedEntities entities(FederationModeSwitch modeSwitch, boolean withDirect) {
        EntityBatchLoader<String, TestSubgraph.User> users = EntityBatchLoader.mapped(backend::users);
        if (withDirect) {
            users = users.withDirect(id -> {
                singleCalls.add(id);
                return id.startsWith("missing") ? null : new TestSubgraph.User(id, "User " + id);
            });
        }
        return FederatedEntities.builder()
                .modeSwitch(modeSwitch)
                .entity(EntityType.named("User").key("id", rep -> rep.getString("id"), users).build())
                .build();
    }

    static List<Map<String, Object>> reps() {
        List<Map<String, Object>> reps = new ArrayList<>(TestSubgraph.users(0, 20));
        reps.add(rep("User", "id", "missing-1"));
        reps.add(rep("User", "id", "u3"));
        return reps;
    }

    @Test
    void directModeMakesOneBackendCallPerRepresentationWithTheSameResults() {
        FederationModeSwitch modeSwitch = FederationModeSwitch.of(FederationMode.BATCHED);
        TestSubgraph subgraph = new TestSubgraph(entities(modeSwitch, false));
        ExecutionResult batched = subgraph.entities(reps(), "...on User{id name}");
        assertThat(backend.calls).hasSize(1);

        modeSwitch.set(FederationMode.DIRECT, "test");
        ExecutionResult direct = subgraph.entities(reps(), "...on User{id name}");

        assertThat(direct.toSpecification()).isEqualTo(batched.toSpecification());
        assertThat(backend.calls).hasSize(1 + 22);
        assertThat(backend.calls.subList(1, 23)).allSatisfy(call -> assertThat(call).hasSize(1));
    }

    @Test
    void directModeUsesTheOneKeyFunctionWhenGiven() {
        TestSubgraph subgraph = new TestSubgraph(entities(FederationModeSwitch.of(FederationMode.DIRECT), true));

        ExecutionResult result = subgraph.entities(reps(), "...on User{id name}");

        assertThat(result.getErrors()).isEmpty();
        assertThat(entityList(result)).hasSize(22).element(20).isNull();
        assertThat(entityList(result).get(21)).isEqualTo(Map.of("id", "u3", "name", "User u3"));
        assertThat(singleCalls).hasSize(22);
        assertThat(backend.calls).isEmpty();
    }

    @Test
    void flippingTheSwitchWhileEightThreadsSendRequestsLosesAndMisroutesNothing() throws Exception {
        FederationModeSwitch modeSwitch = FederationModeSwitch.of(FederationMode.BATCHED);
        FederatedEntities entities = entities(modeSwitch, false);
        TestSubgraph subgraph = new TestSubgraph(entities);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger flips = new AtomicInteger();
        Thread flipper = new Thread(() -> {
            while (!stop.get()) {
                modeSwitch.set(modeSwitch.isBatched() ? FederationMode.DIRECT : FederationMode.BATCHED, "flip");
                flips.incrementAndGet();
                Thread.onSpinWait();
            }
        });
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                int checked = 0;
                for (int r = 0; r < 200; r++) {
                    int base = thread * 100_000 + r * 10;
                    ExecutionResult result = subgraph.entities(TestSubgraph.users(base, 10), "...on User{id name}");
                    assertThat(result.getErrors()).isEmpty();
                    List<Object> list = entityList(result);
                    for (int i = 0; i < 10; i++) {
                        assertThat(list.get(i)).isEqualTo(
                                Map.of("id", "u" + (base + i), "name", "User u" + (base + i)));
                        checked++;
                    }
                }
                return checked;
            }));
        }
        flipper.start();
        start.countDown();
        int checked = 0;
        for (Future<Integer> f : futures) {
            checked += f.get(60, TimeUnit.SECONDS);
        }
        stop.set(true);
        flipper.join();
        pool.shutdown();

        assertThat(checked).isEqualTo(8 * 200 * 10);
        assertThat(flips.get()).isGreaterThan(1);
        long batchCalls = backend.calls.stream().filter(c -> c.size() == 10).count();
        long directCalls = backend.calls.stream().filter(c -> c.size() == 1).count();
        assertThat(batchCalls * 10 + directCalls).isEqualTo(8 * 200 * 10);
        assertThat(backend.calls).allSatisfy(c -> assertThat(c.size()).isIn(1, 10));
    }

    @Test
    void switchTellsListenersOfEachChangeOnce() {
        FederationModeSwitch modeSwitch = FederationModeSwitch.of(FederationMode.BATCHED);
        List<String> events = new ArrayList<>();
        modeSwitch.addListener((from, to, reason) -> events.add(from + "->" + to + ":" + reason));

        assertThat(modeSwitch.set(FederationMode.DIRECT, "health: CRITICAL")).isEqualTo(FederationMode.BATCHED);
        modeSwitch.set(FederationMode.DIRECT, "again");
        modeSwitch.set(FederationMode.BATCHED, "operator");

        assertThat(events).containsExactly("BATCHED->DIRECT:health: CRITICAL", "DIRECT->BATCHED:operator");
    }

    @Test
    void switchRecordsWhoChangedIt() {
        FederationModeSwitch modeSwitch = FederationModeSwitch.of(FederationMode.BATCHED);
        List<FederationModeSwitch.Change> changes = new ArrayList<>();
        modeSwitch.addListener(new FederationModeSwitch.Listener() {
            @Override
            public void modeChanged(FederationMode from, FederationMode to, String reason) {
                throw new AssertionError("changed(Change) is overridden");
            }

            @Override
            public void changed(FederationModeSwitch.Change change) {
                changes.add(change);
            }
        });
        assertThat(modeSwitch.lastChange()).isNull();

        modeSwitch.set(FederationMode.DIRECT, "error rate above 5 %", "health-monitor");
        assertThat(modeSwitch.lastChange()).isEqualTo(new FederationModeSwitch.Change(FederationMode.BATCHED,
                FederationMode.DIRECT, "error rate above 5 %", "health-monitor"));
        modeSwitch.set(FederationMode.DIRECT, "no change, no record", "someone");
        modeSwitch.set(FederationMode.BATCHED, "fixed");
        assertThat(modeSwitch.lastChange().changedBy()).isEqualTo(FederationModeSwitch.OPERATOR);
        assertThat(changes).extracting(FederationModeSwitch.Change::changedBy)
                .containsExactly("health-monitor", FederationModeSwitch.OPERATOR);
    }

    @Test
    void environmentValueFalseStartsInDirectMode() {
        assertThat(FederationModeSwitch.fromValue("false").mode()).isEqualTo(FederationMode.DIRECT);
        assertThat(FederationModeSwitch.fromValue(" FALSE ").mode()).isEqualTo(FederationMode.DIRECT);
        assertThat(FederationModeSwitch.fromValue("true").mode()).isEqualTo(FederationMode.BATCHED);
        assertThat(FederationModeSwitch.fromValue(null).mode()).isEqualTo(FederationMode.BATCHED);
        assertThat(FederationModeSwitch.fromValue("").mode()).isEqualTo(FederationMode.BATCHED);
        assertThatThrownBy(() -> FederationModeSwitch.fromValue("flase"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("FEDERATION_ENABLED must be 'true' or 'false', was 'flase'");
    }
}
