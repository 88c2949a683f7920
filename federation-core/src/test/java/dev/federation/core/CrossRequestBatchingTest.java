package dev.federation.core;

import static dev.federation.core.TestSubgraph.entityList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import graphql.ExecutionResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.dataloader.Try;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Cross-request batching through real graphql-java execution of the gateway's query. Calls are held open by
 * the test (a gated backend), so "a call is in flight" is a fact the test makes, not a timing; requests run on
 * threads of their own and the test waits on their futures and on the batcher's own state, never on a sleep.
 */
class CrossRequestBatchingTest {

    private static final String SELECTION = "...on User{id name}";
    /**
     * Long enough that the window never dispatches in these tests (completions do), and shorter than the
     * requests' deadline (their batch timeout, {@link #BATCH_TIMEOUT}), or they would not wait for it.
     */
    private static final Duration LONG_WINDOW = Duration.ofSeconds(60);
    private static final Duration BATCH_TIMEOUT = Duration.ofMinutes(5);

    /** One call of the gated backend: its keys, its environment, and the answer the test gives. */
    record Call(List<String> keys, BatchEnvironment env, CompletableFuture<Map<String, Object>> answer) {
        void answerAll() {
            Map<String, Object> out = new LinkedHashMap<>();
            for (String k : keys) {
                out.put(k, new TestSubgraph.User(k, env.scope() + ":" + k));
            }
            answer.complete(out);
        }
    }

    private final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    private final ExecutorService clients = Executors.newFixedThreadPool(16);

    @AfterEach
    void stop() {
        clients.shutdownNow();
    }

    /**
     * Settings that merge always: a gated call can complete within {@code directBelow} (the test answers it at
     * once), and these tests are about what merging does.
     */
    private static CrossRequestBatching.Builder merging() {
        return CrossRequestBatching.custom().window(LONG_WINDOW).directBelow(Duration.ZERO);
    }

    private EntityBatchLoader<String, Object> gated() {
        return EntityBatchLoader.mappedAsync((List<String> keys, BatchEnvironment env) -> {
            CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
            calls.add(new Call(List.copyOf(keys), env, answer));
            return answer;
        });
    }

    private TestSubgraph subgraph(CrossRequestBatching settings, EntityBatchLoader<String, Object> loader) {
        return new TestSubgraph(FederatedEntities.builder()
                .modeSwitch(FederationModeSwitch.of(FederationMode.BATCHED))
                .options(FederationOptions.custom().crossRequest(settings).batchTimeout(BATCH_TIMEOUT).build())
                .cacheScope(context -> context.get("tenant"))
                .entity(EntityType.named("User").javaClass(TestSubgraph.User.class)
                        .key("id", rep -> rep.getString("id"), loader).build())
                .build());
    }

    private static List<Map<String, Object>> reps(String... ids) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String id : ids) {
            out.add(TestSubgraph.rep("User", "id", id));
        }
        return out;
    }

    private Future<ExecutionResult> request(TestSubgraph subgraph, String tenant, String... ids) {
        return clients.submit(() -> subgraph.entities(reps(ids), SELECTION, c -> c.of("tenant", tenant)));
    }

    private Call nextCall() throws InterruptedException {
        Call c = calls.poll(30, TimeUnit.SECONDS);
        assertThat(c).as("a backend call").isNotNull();
        return c;
    }

    /** Waits until {@code keys} keys of the scope wait in the batcher: the requests have joined. */
    private static void awaitWaitingKeys(TestSubgraph subgraph, int keys) throws InterruptedException {
        CrossRequestBatcher<?> batcher = subgraph.entities.keyResolvers()[0].batcher();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (batcher.waitingKeys() != keys) {
            assertThat(System.nanoTime() - deadline).as("%d keys waiting", keys).isNegative();
            Thread.onSpinWait();
        }
    }

    private static List<Object> names(ExecutionResult result) {
        List<Object> out = new ArrayList<>();
        for (Object e : entityList(result)) {
            out.add(e == null ? null : ((Map<?, ?>) e).get("name"));
        }
        return out;
    }

    @Test
    void aLoneRequestIsDispatchedAtOnceWithTheScopeAndNoRequestsContext() throws Exception {
        TestSubgraph subgraph = subgraph(merging().build(), gated());
        Future<ExecutionResult> a = request(subgraph, "acme", "u1", "u2");
        Call call = nextCall(); // dispatched with no call in flight: it did not wait for the 60 s window
        assertThat(call.keys()).containsExactly("u1", "u2");
        assertThat(call.env().scope()).isEqualTo("acme");
        assertThat(call.env().context()).isNull();
        assertThat(call.env().requests()).isEqualTo(1);
        call.answerAll();
        assertThat(names(a.get(30, TimeUnit.SECONDS))).containsExactly("acme:u1", "acme:u2");
    }

    @Test
    void keysThatArriveWhileACallIsInFlightGoTogetherInTheNextAndSharedKeysLoadOnce() throws Exception {
        TestSubgraph subgraph = subgraph(merging().build(), gated());
        Future<ExecutionResult> a = request(subgraph, "acme", "u1", "u2");
        Call first = nextCall();
        Future<ExecutionResult> b = request(subgraph, "acme", "u2", "u3"); // u2 joins the call in flight
        awaitWaitingKeys(subgraph, 1); // b's u3 waits (c alone would also make 2 waiting keys: b goes first)
        Future<ExecutionResult> c = request(subgraph, "acme", "u3", "u4", "u1");
        awaitWaitingKeys(subgraph, 2); // u3 and u4 wait; u1 and u2 ride on the first call

        first.answerAll();
        Call second = nextCall();
        assertThat(second.keys()).containsExactly("u3", "u4");
        assertThat(second.env().requests()).isEqualTo(2);
        second.answerAll();

        assertThat(names(a.get(30, TimeUnit.SECONDS))).containsExactly("acme:u1", "acme:u2");
        assertThat(names(b.get(30, TimeUnit.SECONDS))).containsExactly("acme:u2", "acme:u3");
        assertThat(names(c.get(30, TimeUnit.SECONDS))).containsExactly("acme:u3", "acme:u4", "acme:u1");
        assertThat(calls).isEmpty(); // 3 requests, 7 representations, 4 distinct keys: 2 backend calls
        assertThat(subgraph.entities.keyResolvers()[0].batcher().groupCount()).isEqualTo(1); // kept, idle
    }

    @Test
    void twoScopesNeverShareACall() throws Exception {
        TestSubgraph subgraph = subgraph(merging().build(), gated());
        Future<ExecutionResult> a = request(subgraph, "acme", "u1");
        Future<ExecutionResult> b = request(subgraph, "globex", "u1");
        Call one = nextCall();
        Call two = nextCall(); // each scope had no call in flight: both went at once, apart
        assertThat(List.of(one.env().scope(), two.env().scope())).containsExactlyInAnyOrder("acme", "globex");
        one.answerAll();
        two.answerAll();
        assertThat(names(a.get(30, TimeUnit.SECONDS))).containsExactly("acme:u1");
        assertThat(names(b.get(30, TimeUnit.SECONDS))).containsExactly("globex:u1");
    }

    @Test
    void sixteenThreadsOfSmallRequestsInTwoScopesGetExactlyTheirOwnKeysInOrder() throws Exception {
        ExecutorService backendPool = Executors.newFixedThreadPool(2);
        AtomicInteger backendCalls = new AtomicInteger();
        AtomicInteger mixedCalls = new AtomicInteger();
        try {
            TestSubgraph subgraph = subgraph(CrossRequestBatching.custom().window(Duration.ofMillis(1)).build(),
                    EntityBatchLoader.mappedAsync((List<String> keys, BatchEnvironment env) ->
                            CompletableFuture.supplyAsync(() -> {
                                backendCalls.incrementAndGet();
                                Map<String, Object> out = new LinkedHashMap<>();
                                for (String k : keys) {
                                    if (!k.startsWith(env.scope() + "-")) {
                                        mixedCalls.incrementAndGet(); // a key of the other scope in this call
                                    }
                                    out.put(k, new TestSubgraph.User(k, env.scope() + ":" + k));
                                }
                                return out;
                            }, backendPool)));
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> threads = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int thread = t;
                threads.add(clients.submit(() -> {
                    start.await();
                    String tenant = thread % 2 == 0 ? "acme" : "globex";
                    int done = 0;
                    for (int r = 0; r < 300; r++) {
                        int n = 1 + (thread + r) % 5;
                        String[] ids = new String[n];
                        for (int i = 0; i < n; i++) {
                            ids[i] = tenant + "-u" + ((thread * 7 + r * 3 + i * 11) % 40); // keys shared by threads
                        }
                        ExecutionResult result = subgraph.entities(reps(ids), SELECTION,
                                c -> c.of("tenant", tenant));
                        assertThat(result.getErrors()).isEmpty();
                        List<Object> expected = new ArrayList<>();
                        for (String id : ids) {
                            expected.add(tenant + ":" + id);
                        }
                        assertThat(names(result)).isEqualTo(expected);
                        done++;
                    }
                    return done;
                }));
            }
            start.countDown();
            int requests = 0;
            for (Future<Integer> f : threads) {
                requests += f.get(120, TimeUnit.SECONDS);
            }
            System.out.printf("16 threads, 2 scopes: %d requests, %d backend calls%n", requests, backendCalls.get());
            assertThat(requests).isEqualTo(16 * 300);
            assertThat(mixedCalls).hasValue(0);
            assertThat(backendCalls.get()).isPositive().isLessThanOrEqualTo(requests);
        } finally {
            backendPool.shutdownNow();
        }
    }

    @Test
    void aFailedCallOrAFailedKeyReachesOnlyTheRequestsThatAskedForThem() throws Exception {
        TestSubgraph subgraph = subgraph(merging().build(), gated());
        Future<ExecutionResult> a = request(subgraph, "acme", "u1");
        Call first = nextCall();
        Future<ExecutionResult> b = request(subgraph, "acme", "u2", "u5");
        Future<ExecutionResult> c = request(subgraph, "acme", "u1", "u3");
        awaitWaitingKeys(subgraph, 3);

        first.answer().completeExceptionally(new IllegalStateException("database down"));
        Call second = nextCall();
        assertThat(second.keys()).containsExactlyInAnyOrder("u2", "u5", "u3"); // b and c arrive in either order
        Map<String, Object> answers = new LinkedHashMap<>();
        answers.put("u2", new TestSubgraph.User("u2", "acme:u2"));
        answers.put("u5", Try.failed(new IllegalStateException("row u5 is corrupt")));
        answers.put("u3", new TestSubgraph.User("u3", "acme:u3"));
        second.answer().complete(answers);

        ExecutionResult ra = a.get(30, TimeUnit.SECONDS);
        ExecutionResult rb = b.get(30, TimeUnit.SECONDS);
        ExecutionResult rc = c.get(30, TimeUnit.SECONDS);
        assertThat(ra.getErrors()).extracting(e -> e.getExtensions().get("code")).containsExactly("ENTITY_BATCH_FAILED");
        assertThat(names(rb)).containsExactly("acme:u2", null);
        assertThat(rb.getErrors()).extracting(e -> e.getExtensions().get("code")).containsExactly("ENTITY_KEY_FAILED");
        assertThat(names(rc)).containsExactly(null, "acme:u3");
        assertThat(rc.getErrors()).extracting(e -> e.getExtensions().get("code")).containsExactly("ENTITY_BATCH_FAILED");
    }

    @Test
    void pastTheWaitingKeysLimitARequestIsToldBusyAtOnceAndTheGroupRecovers() throws Exception {
        TestSubgraph subgraph = subgraph(merging().maxWaitingKeys(2).build(),
                gated());
        Future<ExecutionResult> a = request(subgraph, "acme", "u1");
        Call first = nextCall();
        Future<ExecutionResult> b = request(subgraph, "acme", "u2", "u3");
        awaitWaitingKeys(subgraph, 2);

        ExecutionResult busy = request(subgraph, "acme", "u4").get(30, TimeUnit.SECONDS); // no call needed
        assertThat(busy.getErrors()).singleElement().satisfies(e -> {
            assertThat(e.getExtensions().get("code")).isEqualTo("ENTITY_BATCH_FAILED");
            assertThat(e.getMessage()).contains("the backend is busy");
        });

        first.answerAll();
        nextCall().answerAll();
        assertThat(names(a.get(30, TimeUnit.SECONDS))).containsExactly("acme:u1");
        assertThat(names(b.get(30, TimeUnit.SECONDS))).containsExactly("acme:u2", "acme:u3");

        Future<ExecutionResult> later = request(subgraph, "acme", "u4");
        nextCall().answerAll();
        assertThat(names(later.get(30, TimeUnit.SECONDS))).containsExactly("acme:u4");
    }

    @Test
    void aRequestWithoutAScopeIsNeverMerged() throws Exception {
        TestSubgraph subgraph = subgraph(merging().build(), gated());
        Future<ExecutionResult> a = request(subgraph, "acme", "u1");
        Call first = nextCall();
        Future<ExecutionResult> noScope = clients.submit(() -> subgraph.entities(reps("u1"), SELECTION));
        Call own = nextCall(); // not held behind acme's call, not joined to it
        assertThat(own.env().scope()).isNull();
        assertThat(own.env().context()).isNotNull();
        own.answerAll();
        first.answerAll();
        assertThat(names(noScope.get(30, TimeUnit.SECONDS))).containsExactly("null:u1");
        assertThat(names(a.get(30, TimeUnit.SECONDS))).containsExactly("acme:u1");
    }

    @Test
    void directModeBypassesTheBatcher() throws Exception {
        TestSubgraph subgraph = subgraph(merging().build(), gated());
        subgraph.entities.modeSwitch().set(FederationMode.DIRECT, "test");
        Future<ExecutionResult> a = request(subgraph, "acme", "u1", "u2");
        Call one = nextCall();
        assertThat(one.keys()).containsExactly("u1");
        assertThat(one.env().mode()).isEqualTo(FederationMode.DIRECT);
        one.answerAll();
        nextCall().answerAll();
        assertThat(a.get(30, TimeUnit.SECONDS).getErrors()).isEmpty();
    }

    @Test
    void anAbandonedRequestCancelsNobodyElsesLoad() throws Exception {
        TestSubgraph subgraph = subgraph(merging().build(), gated());
        @SuppressWarnings("unchecked")
        CrossRequestBatcher<String> batcher = (CrossRequestBatcher<String>) subgraph.entities.keyResolvers()[0]
                .batcher();
        long deadline = DirectLoop.deadlineAfter(BATCH_TIMEOUT);
        CompletableFuture<Object[]> a = batcher.load(List.of("u1"), "acme", deadline, null);
        Call first = nextCall();
        CompletableFuture<Object[]> abandoned = batcher.load(List.of("u2", "u3"), "acme", deadline, null);
        CompletableFuture<Object[]> c = batcher.load(List.of("u3"), "acme", deadline, null);
        assertThat(abandoned.cancel(true)).isTrue(); // the client went away

        first.answerAll();
        Call second = nextCall();
        assertThat(second.keys()).containsExactly("u2", "u3"); // the abandoned request's keys still load
        second.answerAll();
        assertThat(((TestSubgraph.User) c.get(30, TimeUnit.SECONDS)[0]).name()).isEqualTo("acme:u3");
        assertThat(((TestSubgraph.User) a.get(30, TimeUnit.SECONDS)[0]).name()).isEqualTo("acme:u1");
        assertThat(batcher.groupCount()).isEqualTo(1); // idle, kept for the scope's next request
        assertThat(batcher.waitingKeys()).isZero();
    }

    @Test
    void callsFasterThanDirectBelowGoAtOnceUnmergedAndPastTheirBulkheadRequestsMergeAgain() throws Exception {
        // every completed call counts as fast here; two direct calls at most, two merged ones at most
        TestSubgraph subgraph = subgraph(CrossRequestBatching.custom().window(LONG_WINDOW)
                .directBelow(Duration.ofDays(1)).maxCallsInFlight(2).build(), gated());
        Future<ExecutionResult> a = request(subgraph, "acme", "u1");
        nextCall().answerAll(); // no call time known yet: merged road, as before
        assertThat(names(a.get(30, TimeUnit.SECONDS))).containsExactly("acme:u1");

        Future<ExecutionResult> b = request(subgraph, "acme", "u1", "u2");
        Call direct1 = nextCall();
        Future<ExecutionResult> c = request(subgraph, "acme", "u2", "u3");
        Call direct2 = nextCall(); // not joined to direct1's u2: a direct call is the request's own
        assertThat(direct1.keys()).containsExactly("u1", "u2");
        assertThat(direct2.keys()).containsExactly("u2", "u3");
        assertThat(direct2.env().scope()).isEqualTo("acme"); // as a merged call: the scope, no request's context
        assertThat(direct2.env().context()).isNull();
        assertThat(direct2.env().requests()).isEqualTo(1);

        // two direct calls in flight: the next requests take the merged road, with its own bulkhead of two
        Future<ExecutionResult> d = request(subgraph, "acme", "u4");
        Call merged1 = nextCall();
        Future<ExecutionResult> e = request(subgraph, "acme", "u5");
        Call merged2 = nextCall();
        Future<ExecutionResult> f = request(subgraph, "acme", "u6", "u4"); // u4 joins merged1; u6 waits
        awaitWaitingKeys(subgraph, 1);
        assertThat(calls).isEmpty();

        merged1.answerAll();
        Call merged3 = nextCall();
        assertThat(merged3.keys()).containsExactly("u6");
        for (Call call : List.of(direct1, direct2, merged2, merged3)) {
            call.answerAll();
        }
        assertThat(names(b.get(30, TimeUnit.SECONDS))).containsExactly("acme:u1", "acme:u2");
        assertThat(names(c.get(30, TimeUnit.SECONDS))).containsExactly("acme:u2", "acme:u3");
        assertThat(names(d.get(30, TimeUnit.SECONDS))).containsExactly("acme:u4");
        assertThat(names(e.get(30, TimeUnit.SECONDS))).containsExactly("acme:u5");
        assertThat(names(f.get(30, TimeUnit.SECONDS))).containsExactly("acme:u6", "acme:u4");
        assertThat(calls).isEmpty();

        // the direct slots were given back: two requests for one key go direct again, each with its own call
        Future<ExecutionResult> g = request(subgraph, "acme", "u7");
        Call direct3 = nextCall();
        Future<ExecutionResult> h = request(subgraph, "acme", "u7");
        Call direct4 = nextCall(); // the merged road would have joined direct3's u7
        assertThat(direct3.keys()).containsExactly("u7");
        assertThat(direct4.keys()).containsExactly("u7");
        direct3.answerAll();
        direct4.answerAll();
        assertThat(names(g.get(30, TimeUnit.SECONDS))).containsExactly("acme:u7");
        assertThat(names(h.get(30, TimeUnit.SECONDS))).containsExactly("acme:u7");
    }

    @Test
    void aFastGroupsRequestOfMoreThanMaxBatchSizeKeysMergesAndIsSplit() throws Exception {
        TestSubgraph subgraph = new TestSubgraph(FederatedEntities.builder()
                .modeSwitch(FederationModeSwitch.of(FederationMode.BATCHED))
                .options(FederationOptions.custom().maxBatchSize(2).batchTimeout(BATCH_TIMEOUT)
                        .crossRequest(CrossRequestBatching.custom().window(LONG_WINDOW)
                                .directBelow(Duration.ofDays(1)).build()).build())
                .cacheScope(context -> context.get("tenant"))
                .entity(EntityType.named("User").javaClass(TestSubgraph.User.class)
                        .key("id", rep -> rep.getString("id"), gated()).build())
                .build());
        Future<ExecutionResult> a = request(subgraph, "acme", "u1");
        nextCall().answerAll(); // now the group's calls count as fast
        a.get(30, TimeUnit.SECONDS);

        Future<ExecutionResult> two = request(subgraph, "acme", "u1", "u2"); // within maxBatchSize: direct
        Call direct = nextCall();
        assertThat(direct.keys()).containsExactly("u1", "u2");
        Future<ExecutionResult> three = request(subgraph, "acme", "u3", "u4", "u5"); // over it: merged, split
        Call first = nextCall();
        Call second = nextCall();
        assertThat(first.keys()).containsExactly("u3", "u4");
        assertThat(second.keys()).containsExactly("u5");
        for (Call c : List.of(direct, first, second)) {
            c.answerAll();
        }
        assertThat(names(two.get(30, TimeUnit.SECONDS))).containsExactly("acme:u1", "acme:u2");
        assertThat(names(three.get(30, TimeUnit.SECONDS))).containsExactly("acme:u3", "acme:u4", "acme:u5");
    }

    @Test
    void aBusyScopeServedByDirectCallsKeepsItsGroupAfterManyQuietOnes() throws Exception {
        TestSubgraph subgraph = subgraph(CrossRequestBatching.custom().window(LONG_WINDOW)
                .directBelow(Duration.ofDays(1)).build(), gated());
        @SuppressWarnings("unchecked")
        CrossRequestBatcher<String> batcher = (CrossRequestBatcher<String>) subgraph.entities.keyResolvers()[0]
                .batcher();
        long deadline = DirectLoop.deadlineAfter(BATCH_TIMEOUT);
        CompletableFuture<Object[]> first = batcher.load(List.of("u0"), "busy", deadline, null);
        nextCall().answerAll(); // its one merged call: the busy group's last dispatch is older than every quiet one
        first.get(30, TimeUnit.SECONDS);
        for (int i = 0; i < CrossRequestBatcher.KEPT_IDLE_GROUPS; i++) { // a quiet tenant, then the busy one
            CompletableFuture<Object[]> q = batcher.load(List.of("u1"), "quiet-" + i, deadline, null);
            nextCall().answerAll(); // quiet groups have no call time yet: merged
            q.get(30, TimeUnit.SECONDS);
            CompletableFuture<Object[]> b = batcher.load(List.of("u" + i), "busy", deadline, null);
            Call direct = nextCall();
            assertThat(direct.env().requests()).isEqualTo(1);
            direct.answerAll();
            assertThat(((TestSubgraph.User) b.get(30, TimeUnit.SECONDS)[0]).name()).isEqualTo("busy:u" + i);
            batcher.sweep(true);
            assertThat(batcher.hasGroup("busy")).as("after %d quiet tenants", i + 1).isTrue();
        }
        assertThat(batcher.groupCount()).isEqualTo(CrossRequestBatcher.KEPT_IDLE_GROUPS);
        assertThat(batcher.hasGroup("quiet-0")).isFalse(); // the least recently used quiet one made room
    }

    @Test
    void aKeptGroupGetsSmallMapsAgainOnceABurstIsOver() throws Exception {
        TestSubgraph subgraph = subgraph(merging().build(), gated());
        CrossRequestBatcher<?> batcher = subgraph.entities.keyResolvers()[0].batcher();
        Future<ExecutionResult> a = request(subgraph, "acme", "u0");
        Call first = nextCall();
        String[] burst = new String[300];
        for (int i = 0; i < burst.length; i++) {
            burst[i] = "u" + (i + 1);
        }
        Future<ExecutionResult> b = request(subgraph, "acme", burst);
        awaitWaitingKeys(subgraph, burst.length);
        assertThat(batcher.peakKeys("acme")).isEqualTo(301); // 300 waiting, 1 in flight: the maps grew to hold them

        first.answerAll();
        Call second = nextCall();
        assertThat(second.keys()).hasSize(300);
        assertThat(batcher.peakKeys("acme")).isEqualTo(301); // not idle yet: the maps stay
        second.answerAll();
        assertThat(names(a.get(30, TimeUnit.SECONDS))).containsExactly("acme:u0");
        assertThat(names(b.get(30, TimeUnit.SECONDS))).hasSize(300).startsWith("acme:u1").endsWith("acme:u300");
        // the group is kept for the scope's next request, with new, small maps: a map never shrinks by itself
        assertThat(batcher.hasGroup("acme")).isTrue();
        assertThat(batcher.peakKeys("acme")).isZero();

        Future<ExecutionResult> c = request(subgraph, "acme", "u7"); // and the kept group still works
        nextCall().answerAll();
        assertThat(names(c.get(30, TimeUnit.SECONDS))).containsExactly("acme:u7");
        assertThat(batcher.peakKeys("acme")).isEqualTo(1); // a small request does not count as a burst
    }

    @Test
    void idleGroupsPastTheKeptOnesAreDroppedSoScopesHoldNoMemoryOnceQuiet() throws Exception {
        TestSubgraph subgraph = subgraph(merging().build(), gated());
        @SuppressWarnings("unchecked")
        CrossRequestBatcher<String> batcher = (CrossRequestBatcher<String>) subgraph.entities.keyResolvers()[0]
                .batcher();
        long deadline = DirectLoop.deadlineAfter(BATCH_TIMEOUT);
        for (int i = 0; i < CrossRequestBatcher.KEPT_IDLE_GROUPS + 100; i++) { // one tenant after another
            CompletableFuture<Object[]> f = batcher.load(List.of("u" + i), "tenant-" + i, deadline, null);
            Call call = nextCall();
            assertThat(call.env().scope()).isEqualTo("tenant-" + i);
            call.answerAll();
            assertThat(((TestSubgraph.User) f.get(30, TimeUnit.SECONDS)[0]).name()).isEqualTo("tenant-" + i + ":u" + i);
        }
        batcher.sweep(true); // sweeps run at most every 100 ms on their own: this one now
        assertThat(batcher.groupCount()).isEqualTo(CrossRequestBatcher.KEPT_IDLE_GROUPS);
        assertThat(batcher.hasGroup("tenant-" + (CrossRequestBatcher.KEPT_IDLE_GROUPS + 99))).isTrue(); // the latest
        assertThat(batcher.hasGroup("tenant-0")).isFalse(); // the least recently used went first
        assertThat(calls).isEmpty();
    }

    @Test
    void sweepsRacingRequestsOfTwoHundredTenantsNeverMixTheirAnswers() throws Exception {
        ExecutorService backendPool = Executors.newFixedThreadPool(2);
        AtomicInteger mixedCalls = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        try {
            TestSubgraph subgraph = subgraph(CrossRequestBatching.custom().window(Duration.ofMillis(1)).build(),
                    EntityBatchLoader.mappedAsync((List<String> keys, BatchEnvironment env) ->
                            CompletableFuture.supplyAsync(() -> {
                                Map<String, Object> out = new LinkedHashMap<>();
                                for (String k : keys) {
                                    if (!k.startsWith(env.scope() + "-")) {
                                        mixedCalls.incrementAndGet();
                                    }
                                    out.put(k, new TestSubgraph.User(k, env.scope() + ":" + k));
                                }
                                return out;
                            }, backendPool)));
            CrossRequestBatcher<?> batcher = subgraph.entities.keyResolvers()[0].batcher();
            CountDownLatch start = new CountDownLatch(1);
            // a sweeper that never waits for its 100 ms: groups are retired while requests join them
            Future<Integer> sweeper = clients.submit(() -> {
                start.await();
                int sweeps = 0;
                while (!done.get()) {
                    batcher.sweep(true);
                    sweeps++;
                    Thread.yield();
                }
                return sweeps;
            });
            List<Future<Integer>> threads = new ArrayList<>();
            for (int t = 0; t < 12; t++) {
                int thread = t;
                threads.add(clients.submit(() -> {
                    start.await();
                    int answered = 0;
                    for (int r = 0; r < 150; r++) {
                        String tenant = "t" + ((thread * 17 + r) % 200); // 200 tenants: past the 64 kept groups
                        String[] ids = {tenant + "-u" + (r % 7), tenant + "-u" + (r % 7 + 1)};
                        ExecutionResult result = subgraph.entities(reps(ids), SELECTION,
                                c -> c.of("tenant", tenant));
                        assertThat(result.getErrors()).isEmpty();
                        assertThat(names(result)).containsExactly(tenant + ":" + ids[0], tenant + ":" + ids[1]);
                        answered++;
                    }
                    return answered;
                }));
            }
            start.countDown();
            int requests = 0;
            for (Future<Integer> f : threads) {
                requests += f.get(120, TimeUnit.SECONDS);
            }
            done.set(true);
            assertThat(sweeper.get(60, TimeUnit.SECONDS)).isPositive();
            assertThat(requests).isEqualTo(12 * 150);
            assertThat(mixedCalls).hasValue(0); // no call ever held another tenant's key
            batcher.sweep(true);
            assertThat(batcher.groupCount()).isLessThanOrEqualTo(CrossRequestBatcher.KEPT_IDLE_GROUPS);
            assertThat(batcher.waitingKeys()).isZero();
        } finally {
            done.set(true);
            backendPool.shutdownNow();
        }
    }

    @Test
    void aBusyScopeKeepsItsGroupAfterManyQuietOnes() throws Exception {
        TestSubgraph subgraph = subgraph(merging().build(), gated());
        @SuppressWarnings("unchecked")
        CrossRequestBatcher<String> batcher = (CrossRequestBatcher<String>) subgraph.entities.keyResolvers()[0]
                .batcher();
        long deadline = DirectLoop.deadlineAfter(BATCH_TIMEOUT);
        for (int i = 0; i < CrossRequestBatcher.KEPT_IDLE_GROUPS; i++) { // 64 tenants, then quiet
            CompletableFuture<Object[]> f = batcher.load(List.of("u1"), "quiet-" + i, deadline, null);
            nextCall().answerAll();
            f.get(30, TimeUnit.SECONDS);
        }
        for (int r = 0; r < 10; r++) { // then one busy tenant
            CompletableFuture<Object[]> f = batcher.load(List.of("u" + r), "busy", deadline, null);
            nextCall().answerAll();
            assertThat(((TestSubgraph.User) f.get(30, TimeUnit.SECONDS)[0]).name()).isEqualTo("busy:u" + r);
            batcher.sweep(true);
            // the busy group is kept between its requests; a quiet one made room for it
            assertThat(batcher.hasGroup("busy")).isTrue();
            assertThat(batcher.groupCount()).isEqualTo(CrossRequestBatcher.KEPT_IDLE_GROUPS);
        }
        assertThat(batcher.hasGroup("quiet-0")).isFalse();
        assertThat(batcher.hasGroup("quiet-" + (CrossRequestBatcher.KEPT_IDLE_GROUPS - 1))).isTrue();
    }

    @Test
    void modeFlipsUnderLoadLoseNoRequest() throws Exception {
        ExecutorService backendPool = Executors.newFixedThreadPool(2);
        try {
            TestSubgraph subgraph = subgraph(CrossRequestBatching.custom().window(Duration.ofMillis(1)).build(),
                    EntityBatchLoader.mappedAsync((List<String> keys, BatchEnvironment env) ->
                            CompletableFuture.supplyAsync(() -> {
                                Map<String, Object> out = new LinkedHashMap<>();
                                keys.forEach(k -> out.put(k, new TestSubgraph.User(k, "acme:" + k)));
                                return out;
                            }, backendPool)));
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                threads.add(clients.submit(() -> {
                    start.await();
                    for (int r = 0; r < 200; r++) {
                        String[] ids = {"u" + (thread + r) % 30, "u" + (thread * 3 + r) % 30 + "x"};
                        ExecutionResult result = subgraph.entities(reps(ids), SELECTION, c -> c.of("tenant", "acme"));
                        assertThat(result.getErrors()).isEmpty();
                        assertThat(names(result)).containsExactly("acme:" + ids[0], "acme:" + ids[1]);
                    }
                    return 200;
                }));
            }
            start.countDown();
            FederationModeSwitch modeSwitch = subgraph.entities.modeSwitch();
            int flips = 0;
            while (threads.stream().anyMatch(f -> !f.isDone()) && flips < 100_000) {
                modeSwitch.set(flips % 2 == 0 ? FederationMode.DIRECT : FederationMode.BATCHED, "flip " + flips);
                flips++;
                Thread.yield();
            }
            modeSwitch.set(FederationMode.BATCHED, "done");
            int answered = 0;
            for (Future<Integer> f : threads) {
                answered += f.get(120, TimeUnit.SECONDS);
            }
            assertThat(answered).isEqualTo(8 * 200);
            assertThat(flips).isPositive();
        } finally {
            backendPool.shutdownNow();
        }
    }

    @Test
    void aSynchronousBatchFunctionNeedsABatchExecutor() {
        assertThatThrownBy(() -> FederatedEntities.builder()
                .options(FederationOptions.custom().crossRequest(CrossRequestBatching.ofDefaults()).build())
                .entity(EntityType.named("User")
                        .key("id", rep -> rep.getString("id"), EntityBatchLoader.<String, Object>mapped(
                                (List<String> ids) -> Map.of()))
                        .build())
                .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cross-request batching of User needs FederationOptions.batchExecutor");
        assertThatThrownBy(() -> CrossRequestBatching.custom().window(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> CrossRequestBatching.custom().directBelow(Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CrossRequestBatching.custom().maxWaitingKeys(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTypeCanTurnTheOptionsDefaultOff() throws Exception {
        TestSubgraph subgraph = new TestSubgraph(FederatedEntities.builder()
                .modeSwitch(FederationModeSwitch.of(FederationMode.BATCHED))
                .options(FederationOptions.custom().crossRequest(CrossRequestBatching.ofDefaults()).build())
                .entity(EntityType.named("User").javaClass(TestSubgraph.User.class)
                        .key("id", rep -> rep.getString("id"), gated()).crossRequest(null).build())
                .build());
        assertThat(subgraph.entities.keyResolvers()[0].merges()).isFalse();
        Future<ExecutionResult> a = request(subgraph, "acme", "u1");
        Call call = nextCall();
        assertThat(call.env().context()).isNotNull();
        call.answerAll();
        assertThat(a.get(30, TimeUnit.SECONDS).getErrors()).isEmpty();
    }
}
