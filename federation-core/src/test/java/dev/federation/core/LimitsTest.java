package dev.federation.core;

import static dev.federation.core.TestSubgraph.entityList;
import static dev.federation.core.TestSubgraph.rep;
import static org.assertj.core.api.Assertions.assertThat;

import dev.federation.core.observer.FederationObserver;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Request-wide limits and timeouts that hold: the representation limit counts every {@code _entities} field of
 * a request, and {@code batchTimeout} bounds synchronous batch functions and the one-by-one loop of
 * {@code DIRECT} mode. Nothing here asserts a duration: "in time" is proven by answers that arrive while the
 * batch function is still blocked on a latch the test opens only afterwards.
 */
class LimitsTest {

    private final List<ExecutorService> pools = new ArrayList<>();
    /** Opened by each test when it has its answer, and after each test whatever happened. */
    private static volatile CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void arm() {
        release = new CountDownLatch(1);
    }

    @AfterEach
    void stop() {
        release.countDown();
        pools.forEach(ExecutorService::shutdownNow);
    }

    private ExecutorService pool(int threads, int queue) {
        ThreadPoolExecutor p = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queue));
        pools.add(p);
        return p;
    }

    private static TestSubgraph users(FederationMode mode, FederationOptions options,
            EntityBatchLoader<String, TestSubgraph.User> loader) {
        return new TestSubgraph(FederatedEntities.builder()
                .modeSwitch(FederationModeSwitch.of(mode))
                .options(options)
                .entity(EntityType.named("User").key("id", rep -> rep.getString("id"), loader).build())
                .build());
    }

    private static Map<String, TestSubgraph.User> found(List<String> ids) {
        Map<String, TestSubgraph.User> out = new LinkedHashMap<>();
        ids.forEach(id -> out.put(id, new TestSubgraph.User(id, "User " + id)));
        return out;
    }

    /** {@code fields} aliased {@code _entities} fields of {@code each} representations, in one request. */
    private static ExecutionResult aliased(TestSubgraph s, int fields, int each) {
        StringBuilder query = new StringBuilder("query(");
        Map<String, Object> variables = new LinkedHashMap<>();
        for (int f = 0; f < fields; f++) {
            query.append(f == 0 ? "" : ",").append("$r").append(f).append(":[_Any!]!");
            variables.put("r" + f, TestSubgraph.users(f * each, each));
        }
        query.append("){");
        for (int f = 0; f < fields; f++) {
            query.append("e").append(f).append(":_entities(representations:$r").append(f).append("){...on User{id}}");
        }
        query.append('}');
        return s.graphQL.execute(s.entities.withRegistry(
                ExecutionInput.newExecutionInput(query.toString()).variables(variables).build()));
    }

    @Test
    void representationLimitCountsEveryAliasedEntitiesFieldOfTheRequestBeforeAnyBackendCall() {
        AtomicInteger calls = new AtomicInteger();
        TestSubgraph s = users(FederationMode.BATCHED, FederationOptions.custom().maxRepresentations(100).build(),
                EntityBatchLoader.mapped(ids -> {
                    calls.incrementAndGet();
                    return found(ids);
                }));

        ExecutionResult bomb = aliased(s, 20, 50); // 1,000 representations in 20 fields of 50, each under 100

        assertThat(calls).hasValue(0);
        assertThat((Object) bomb.getData()).as("_entities is [_Entity]!: a refused field nulls the data").isNull();
        assertThat(bomb.getErrors()).hasSizeGreaterThanOrEqualTo(1).allSatisfy(e -> {
            assertThat(e.getMessage()).isEqualTo(
                    "Too many representations: 1000 in the 20 _entities fields of this request, the limit is 100");
            assertThat(e.toSpecification().get("extensions"))
                    .isEqualTo(Map.of("code", "TOO_MANY_REPRESENTATIONS", "classification", "BAD_REQUEST"));
        });

        // the same subgraph still answers a request within the limit, over two fields
        ExecutionResult fine = aliased(s, 2, 50);
        assertThat(fine.getErrors()).isEmpty();
        assertThat(calls).hasValue(2);
    }

    @Test
    void representationsWrittenInlineInTheQueryCountToo() {
        AtomicInteger calls = new AtomicInteger();
        TestSubgraph s = users(FederationMode.BATCHED, FederationOptions.custom().maxRepresentations(3).build(),
                EntityBatchLoader.mapped(ids -> {
                    calls.incrementAndGet();
                    return found(ids);
                }));
        String query = "{a:_entities(representations:[{__typename:\"User\",id:\"1\"},{__typename:\"User\",id:\"2\"}])"
                + "{...on User{id}} ...F} fragment F on Query {b:_entities(representations:"
                + "[{__typename:\"User\",id:\"3\"},{__typename:\"User\",id:\"4\"}]){...on User{id}}}";

        ExecutionResult result = s.graphQL.execute(s.entities.withRegistry(ExecutionInput.newExecutionInput(query)
                .build()));

        assertThat(calls).hasValue(0);
        assertThat(result.getErrors()).extracting(GraphQLError::getMessage).containsOnly(
                "Too many representations: 4 in the 2 _entities fields of this request, the limit is 3");
    }

    @Test
    void synchronousBatchFunctionOnTheExecutorTimesOutWhileItIsStillRunning() throws Exception {
        TestSubgraph s = users(FederationMode.BATCHED, FederationOptions.custom()
                        .batchTimeout(Duration.ofMillis(100))
                        .batchExecutor(pool(2, 10))
                        .build(),
                EntityBatchLoader.mapped(ids -> {
                    awaitRelease();
                    return found(ids);
                }));

        ExecutionResult result = s.entities(TestSubgraph.users(0, 3), "...on User{id}");

        assertThat(release.getCount()).as("answered while the batch function is still blocked").isOne();
        assertThat(entityList(result)).containsExactly(null, null, null);
        assertThat(result.getErrors()).hasSize(3).allSatisfy(e -> {
            assertThat(e.getMessage()).isEqualTo("Batch of 3 User keys (id) timed out after 100 ms");
            assertThat(e.getExtensions()).containsEntry("code", "ENTITY_BATCH_TIMEOUT");
        });
    }

    @Test
    void synchronousBatchFunctionOnTheCallingThreadThatOverrunsFailsWithATimeout() {
        TestSubgraph s = users(FederationMode.BATCHED, FederationOptions.custom()
                        .batchTimeout(Duration.ofMillis(50)).build(),
                EntityBatchLoader.mapped(ids -> {
                    sleep(300);
                    return found(ids);
                }));

        ExecutionResult result = s.entities(TestSubgraph.users(0, 2), "...on User{id}");

        assertThat(entityList(result)).containsExactly(null, null);
        assertThat(result.getErrors()).hasSize(2).allSatisfy(e ->
                assertThat(e.getExtensions()).containsEntry("code", "ENTITY_BATCH_TIMEOUT"));
    }

    @Test
    void directModeStopsCallingTheBackendOnceTheFieldsDeadlinePassed() {
        AtomicInteger calls = new AtomicInteger();
        TestSubgraph s = users(FederationMode.DIRECT, FederationOptions.custom()
                        .batchTimeout(Duration.ofMillis(200)).build(),
                EntityBatchLoader.mapped(ids -> {
                    calls.incrementAndGet();
                    sleep(20);
                    return found(ids);
                }));

        ExecutionResult result = s.entities(TestSubgraph.users(0, 1_000), "...on User{id}");

        // 1,000 calls of 20 ms cannot fit in 200 ms: the loop stopped early and failed the rest without a call
        assertThat(calls.get()).isBetween(1, 999);
        List<Object> list = entityList(result);
        assertThat(list.get(0)).isEqualTo(Map.of("id", "u0"));
        assertThat(result.getErrors()).hasSizeGreaterThanOrEqualTo(1_000 - calls.get())
                .allSatisfy(e -> assertThat(e.getExtensions()).containsEntry("code", "ENTITY_BATCH_TIMEOUT"));
        assertThat(result.getErrors()).extracting(GraphQLError::getMessage).contains(
                "User (id) not loaded: the batch timeout of 200 ms for the one-by-one calls of this _entities field passed");
    }

    @Test
    void directModeOnTheExecutorAnswersWhileTheBackendCallIsStillBlocked() {
        AtomicInteger calls = new AtomicInteger();
        TestSubgraph s = users(FederationMode.DIRECT, FederationOptions.custom()
                        .batchTimeout(Duration.ofMillis(100))
                        .batchExecutor(pool(2, 10))
                        .build(),
                EntityBatchLoader.mapped(ids -> {
                    calls.incrementAndGet();
                    awaitRelease();
                    return found(ids);
                }));

        ExecutionResult result = s.entities(TestSubgraph.users(0, 50), "...on User{id}");

        assertThat(release.getCount()).as("answered while the backend call is still blocked").isOne();
        // the first call used up the field's deadline (or, on a loaded machine, it was still queued)
        assertThat(calls.get()).isLessThanOrEqualTo(1);
        assertThat(result.getErrors()).hasSize(50).allSatisfy(e ->
                assertThat(e.getExtensions()).containsEntry("code", "ENTITY_BATCH_TIMEOUT"));
    }

    @Test
    void aCallTheExecutorRefusesFailsItsKeysAndTheSubgraphStillAnswers() throws Exception {
        ExecutorService single = pool(1, 1);
        CountDownLatch busy = new CountDownLatch(1);
        single.execute(() -> {
            busy.countDown();
            awaitRelease();
        });
        busy.await();
        single.execute(LimitsTest::awaitRelease); // the queue of one is full now
        TestSubgraph s = users(FederationMode.BATCHED, FederationOptions.custom().batchExecutor(single).build(),
                EntityBatchLoader.mapped(LimitsTest::found));

        ExecutionResult refused = s.entities(TestSubgraph.users(0, 2), "...on User{id}");

        assertThat(refused.getErrors()).hasSize(2).allSatisfy(e -> {
            assertThat(e.getMessage()).isEqualTo(
                    "Failed to resolve User (id): the backend is busy (the batch executor refused the call)");
            assertThat(e.getExtensions()).containsEntry("code", "ENTITY_BATCH_FAILED");
        });
        release.countDown();
        single.shutdown();
        assertThat(single.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        TestSubgraph again = users(FederationMode.BATCHED,
                FederationOptions.custom().batchExecutor(pool(1, 1)).build(), EntityBatchLoader.mapped(LimitsTest::found));
        assertThat(again.entities(TestSubgraph.users(0, 2), "...on User{id}").getErrors()).isEmpty();
    }

    @Test
    void closeRemovesTheListenerFromASharedSwitch() {
        FederationModeSwitch shared = FederationModeSwitch.of(FederationMode.BATCHED);
        List<String> seen = new ArrayList<>();
        FederatedEntities entities = FederatedEntities.builder()
                .modeSwitch(shared)
                .observer(new FederationObserver() {
                    @Override
                    public void modeChanged(FederationMode from, FederationMode to, String reason) {
                        seen.add(reason);
                    }
                })
                .entity(EntityType.named("User").key("id", rep -> rep.getString("id"),
                        EntityBatchLoader.mapped(LimitsTest::found)).build())
                .build();
        shared.set(FederationMode.DIRECT, "before close");

        entities.close();
        entities.close();
        shared.set(FederationMode.BATCHED, "after close");

        assertThat(seen).containsExactly("before close");
    }

    private static void awaitRelease() {
        try {
            release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
