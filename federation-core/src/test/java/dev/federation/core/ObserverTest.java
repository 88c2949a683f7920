package dev.federation.core;

import static dev.federation.core.TestSubgraph.entityList;
import static dev.federation.core.TestSubgraph.rep;
import static org.assertj.core.api.Assertions.assertThat;

import dev.federation.core.observer.BatchCall;
import dev.federation.core.observer.BatchObservation;
import dev.federation.core.observer.BatchResult;
import dev.federation.core.observer.EntitiesCall;
import dev.federation.core.observer.EntitiesObservation;
import dev.federation.core.observer.EntitiesResult;
import dev.federation.core.observer.FederationObserver;
import dev.federation.core.observer.LoadOutcome;
import dev.federation.core.observer.Rejection;
import dev.federation.core.observer.RejectionReason;
import graphql.ExecutionResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.dataloader.DataLoader;
import org.dataloader.DataLoaderFactory;
import org.dataloader.Try;
import org.junit.jupiter.api.Test;

class ObserverTest {

    /** Records every event. */
    static final class Recorder implements FederationObserver {
        final List<EntitiesCall> entitiesCalls = Collections.synchronizedList(new ArrayList<>());
        final List<EntitiesResult> entitiesResults = Collections.synchronizedList(new ArrayList<>());
        final List<BatchCall> batchCalls = Collections.synchronizedList(new ArrayList<>());
        final List<BatchResult> batchResults = Collections.synchronizedList(new ArrayList<>());
        final Map<String, Integer> loads = Collections.synchronizedMap(new HashMap<>());
        final List<Rejection> rejections = Collections.synchronizedList(new ArrayList<>());
        final List<String> modes = Collections.synchronizedList(new ArrayList<>());
        final List<String> order = Collections.synchronizedList(new ArrayList<>());

        @Override
        public EntitiesObservation entitiesStarted(EntitiesCall call) {
            entitiesCalls.add(call);
            return new EntitiesObservation() {
                @Override
                public <T> T around(Supplier<T> work) {
                    order.add("entities:around:start");
                    try {
                        return work.get();
                    } finally {
                        order.add("entities:around:end");
                    }
                }

                @Override
                public void completed(EntitiesResult result) {
                    entitiesResults.add(result);
                }
            };
        }

        @Override
        public BatchObservation batchStarted(BatchCall call) {
            batchCalls.add(call);
            return new BatchObservation() {
                @Override
                public <T> T around(Supplier<T> work) {
                    order.add("batch:around:" + call.typename());
                    return work.get();
                }

                @Override
                public void completed(BatchResult result) {
                    batchResults.add(result);
                }
            };
        }

        @Override
        public void loadsCompleted(String typename, LoadOutcome outcome, int count) {
            loads.merge(typename + ":" + outcome.tagValue(), count, Integer::sum);
        }

        @Override
        public void representationRejected(Rejection rejection) {
            rejections.add(rejection);
        }

        @Override
        public void modeChanged(FederationMode from, FederationMode to, String reason) {
            modes.add(from + "->" + to + ":" + reason);
        }
    }

    final Recorder recorder = new Recorder();
    final FederationModeSwitch modeSwitch = FederationModeSwitch.of(FederationMode.BATCHED);

    FederatedEntities.Builder builder(FederationObserver... observers) {
        FederatedEntities.Builder b = FederatedEntities.builder().modeSwitch(modeSwitch);
        for (FederationObserver o : observers) {
            b.observer(o);
        }
        return b
                .entity(EntityType.named("User")
                        .key("id", rep -> rep.getString("id"), EntityBatchLoader.<String, Object>mapped(ids -> {
                            Map<String, Object> out = new HashMap<>();
                            for (String id : ids) {
                                if (id.startsWith("bad")) {
                                    out.put(id, Try.failed(new IllegalStateException("bad user")));
                                } else if (!id.startsWith("missing")) {
                                    out.put(id, Map.of("id", id, "name", "User " + id));
                                }
                            }
                            sleep(5);
                            return out;
                        }))
                        .build())
                .entity(EntityType.named("Review")
                        .key("id", EntityBatchLoader.<EntityKey, Object>mapped(ids -> {
                            throw new IllegalStateException("reviews down");
                        }))
                        .build());
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static List<Map<String, Object>> workload() {
        List<Map<String, Object>> reps = new ArrayList<>(TestSubgraph.users(0, 10));
        reps.add(rep("User", "id", "u1"));
        reps.add(rep("User", "id", "missing-1"));
        reps.add(rep("User", "id", "bad-1"));
        reps.add(rep("Review", "id", "r1"));
        reps.add(rep("Spaceship", "id", "s1"));
        reps.add(rep("User", "name", "no id"));
        return reps;
    }

    @Test
    void eventsCarryTypenameSizeCountsAndDurations() {
        TestSubgraph s = new TestSubgraph(builder(recorder).build());

        ExecutionResult result = s.entities(workload(), "...on User{id}");

        assertThat(result.getErrors()).hasSize(4);
        assertThat(recorder.entitiesCalls).singleElement().satisfies(c -> {
            assertThat(c.representationCount()).isEqualTo(16);
            assertThat(c.mode()).isEqualTo(FederationMode.BATCHED);
            assertThat(c.context()).isNotNull();
        });
        assertThat(recorder.batchCalls).hasSize(2);
        BatchCall users = recorder.batchCalls.get(0);
        assertThat(users.loaderName()).isEqualTo("User(id)");
        assertThat(users.typename()).isEqualTo("User");
        assertThat(users.keyShape()).isEqualTo("id");
        assertThat(users.size()).isEqualTo(12);
        assertThat(users.cachedCount()).isZero();
        assertThat(users.mode()).isEqualTo(FederationMode.BATCHED);
        assertThat(recorder.batchCalls.get(1).typename()).isEqualTo("Review");

        BatchResult userResult = recorder.batchResults.stream().filter(BatchResult::succeeded).findFirst().orElseThrow();
        assertThat(userResult.size()).isEqualTo(12);
        assertThat(userResult.entityCount()).isEqualTo(10);
        assertThat(userResult.missingCount()).isEqualTo(1);
        assertThat(userResult.keyErrorCount()).isEqualTo(1);
        assertThat(userResult.durationNanos()).isGreaterThanOrEqualTo(5_000_000L);
        BatchResult reviewResult = recorder.batchResults.stream().filter(r -> !r.succeeded()).findFirst().orElseThrow();
        assertThat(reviewResult.failure()).isInstanceOf(IllegalStateException.class).hasMessage("reviews down");

        assertThat(recorder.loads).containsOnly(
                Map.entry("User:batched", 10), Map.entry("User:cached", 1), Map.entry("User:missing", 1),
                Map.entry("User:error", 1), Map.entry("Review:error", 1));
        assertThat(recorder.rejections).extracting(Rejection::index, Rejection::typename, Rejection::knownType,
                        Rejection::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(14, "Spaceship", false, RejectionReason.UNKNOWN_TYPENAME),
                        org.assertj.core.groups.Tuple.tuple(15, "User", true, RejectionReason.MISSING_KEY_FIELD));
        assertThat(recorder.entitiesResults).singleElement().satisfies(r -> {
            assertThat(r.representationCount()).isEqualTo(16);
            assertThat(r.entityCount()).isEqualTo(11);
            assertThat(r.missingCount()).isEqualTo(1);
            assertThat(r.errorCount()).isEqualTo(4);
            assertThat(r.outcome()).isEqualTo(dev.federation.core.observer.EntitiesOutcome.PARTIAL);
            assertThat(r.durationNanos()).isGreaterThanOrEqualTo(userResult.durationNanos());
        });
        assertThat(recorder.order).containsExactly("entities:around:start", "batch:around:User",
                "batch:around:Review", "entities:around:end");
    }

    @Test
    void directModeReportsOneBatchOfOnePerRepresentation() {
        modeSwitch.set(FederationMode.DIRECT, "test");
        TestSubgraph s = new TestSubgraph(builder(recorder).build());

        s.entities(TestSubgraph.users(0, 5), "...on User{id}");

        assertThat(recorder.batchCalls).hasSize(5).allSatisfy(c -> {
            assertThat(c.mode()).isEqualTo(FederationMode.DIRECT);
            assertThat(c.size()).isEqualTo(1);
        });
        assertThat(recorder.loads).containsOnly(Map.entry("User:direct", 5));
    }

    @Test
    void modeChangesAreReported() {
        builder(recorder).build();

        modeSwitch.set(FederationMode.DIRECT, "health: CRITICAL error rate 0.2");

        assertThat(recorder.modes).containsExactly("BATCHED->DIRECT:health: CRITICAL error rate 0.2");
    }

    @Test
    void aThrowingObserverDoesNotFailTheRequestNorSilenceTheOthers() {
        FederationObserver throwing = new FederationObserver() {
            @Override
            public EntitiesObservation entitiesStarted(EntitiesCall call) {
                return new EntitiesObservation() {
                    @Override
                    public <T> T around(Supplier<T> work) {
                        throw new IllegalStateException("observer bug");
                    }

                    @Override
                    public void completed(EntitiesResult result) {
                        throw new IllegalStateException("observer bug");
                    }
                };
            }

            @Override
            public BatchObservation batchStarted(BatchCall call) {
                throw new IllegalStateException("observer bug");
            }

            @Override
            public void loadsCompleted(String typename, LoadOutcome outcome, int count) {
                throw new IllegalStateException("observer bug");
            }

            @Override
            public void representationRejected(Rejection rejection) {
                throw new IllegalStateException("observer bug");
            }
        };
        TestSubgraph s = new TestSubgraph(builder(throwing, recorder).build());

        ExecutionResult result = s.entities(workload(), "...on User{id}");

        assertThat(result.getErrors()).hasSize(4);
        assertThat(entityList(result).get(0)).isEqualTo(Map.of("id", "u0"));
        assertThat(recorder.batchResults).hasSize(2);
        assertThat(recorder.entitiesResults).hasSize(1);
        assertThat(recorder.loads).containsEntry("User:batched", 10);
    }

    @Test
    void theServicesOwnDataLoadersAreObservedTheSameWay() {
        List<List<String>> postCalls = new ArrayList<>();
        FederatedEntities entities = builder(recorder)
                .dataLoader("postsByAuthor", () -> DataLoaderFactory.<String, List<String>>newDataLoader(ids -> {
                    postCalls.add(List.copyOf(ids));
                    List<List<String>> out = new ArrayList<>();
                    ids.forEach(id -> out.add(List.of("post of " + id)));
                    return java.util.concurrent.CompletableFuture.completedFuture(out);
                }))
                .build();
        var registry = entities.newRegistry();
        DataLoader<String, List<String>> posts = registry.getDataLoader("postsByAuthor");

        var a = posts.load("u1");
        var b = posts.load("u2");
        registry.dispatchAll();

        assertThat(a.join()).containsExactly("post of u1");
        assertThat(b.join()).containsExactly("post of u2");
        assertThat(postCalls).containsExactly(List.of("u1", "u2"));
        assertThat(recorder.batchCalls).singleElement().satisfies(c -> {
            assertThat(c.loaderName()).isEqualTo("postsByAuthor");
            assertThat(c.size()).isEqualTo(2);
            assertThat(c.keyShape()).isNull();
        });
        assertThat(recorder.batchResults).singleElement().satisfies(r -> {
            assertThat(r.entityCount()).isEqualTo(2);
            assertThat(r.succeeded()).isTrue();
        });
    }

    @Test
    void statisticsCountWhatHappened() {
        FederationStatistics stats = new FederationStatistics();
        TestSubgraph s = new TestSubgraph(builder(stats).build());

        s.entities(TestSubgraph.users(0, 100), "...on User{id}");
        s.entities(workload(), "...on User{id}");

        FederationStatistics.Snapshot snapshot = stats.snapshot();
        FederationStatistics.TypeSnapshot users = snapshot.types().get("User");
        assertThat(users.loadsByOutcome()).containsEntry(LoadOutcome.BATCHED, 110L)
                .containsEntry(LoadOutcome.CACHED, 1L).containsEntry(LoadOutcome.MISSING, 1L)
                .containsEntry(LoadOutcome.ERROR, 1L);
        assertThat(users.batchCalls()).isEqualTo(new FederationStatistics.Calls(2, 0));
        assertThat(users.averageBatchSize()).isEqualTo(56.0);
        assertThat(users.maxBatchSize()).isEqualTo(100);
        assertThat(users.effectiveness()).isEqualTo(1.0 - 2.0 / 113);
        assertThat(snapshot.types().get("Review").batchCalls().error()).isEqualTo(1L);
        assertThat(snapshot.rejections()).containsOnly(Map.entry(RejectionReason.UNKNOWN_TYPENAME, 1L),
                Map.entry(RejectionReason.MISSING_KEY_FIELD, 1L));
        assertThat(snapshot.types()).doesNotContainKey("Spaceship");
    }
}
