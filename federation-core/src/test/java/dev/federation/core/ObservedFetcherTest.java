package dev.federation.core;

import static dev.federation.core.TestSubgraph.entityList;
import static dev.federation.core.TestSubgraph.rep;
import static org.assertj.core.api.Assertions.assertThat;

import dev.federation.core.ObserverTest.Recorder;
import dev.federation.core.observer.RejectionReason;
import dev.federation.testkit.EntitiesSubgraph;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.TypeResolutionEnvironment;
import graphql.execution.DataFetcherResult;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link FederatedEntities#observe}: another resolver's {@code _entities} fetcher (here a hand-written one, as
 * Spring's {@code @EntityMapping} fetcher is) keeps resolving, and the library adds its limit and its events,
 * through real graphql-java execution of the gateway's query on a federation-jvm schema.
 */
class ObservedFetcherTest {

    final Recorder recorder = new Recorder();
    final AtomicInteger calls = new AtomicInteger();
    final FederatedEntities entities = FederatedEntities.builder()
            .options(FederationOptions.custom().maxRepresentations(5).build())
            .observer(recorder)
            .build();

    /** Answers as Spring's fetcher does: an entity, null, or an error whose path ends in the index. */
    final DataFetcher<Object> own = env -> {
        calls.incrementAndGet();
        List<Map<String, Object>> reps = env.getArgument("representations");
        List<Object> data = new ArrayList<>();
        List<GraphQLError> errors = new ArrayList<>();
        for (int i = 0; i < reps.size(); i++) {
            Map<String, Object> r = reps.get(i);
            Object id = r.get("id");
            if (!"User".equals(r.get("__typename")) && !"Review".equals(r.get("__typename"))) {
                errors.add(GraphqlErrorBuilder.newError(env).path(env.getExecutionStepInfo().getPath().segment(i))
                        .message("No entity fetcher").build());
                data.add(null);
            } else if (String.valueOf(id).startsWith("bad")) {
                errors.add(GraphqlErrorBuilder.newError(env).path(env.getExecutionStepInfo().getPath().segment(i))
                        .message("bad").build());
                data.add(null);
            } else if (String.valueOf(id).startsWith("missing")) {
                data.add(null);
            } else if (String.valueOf(id).startsWith("gone")) {
                errors.add(GraphqlErrorBuilder.newError(env).path(env.getExecutionStepInfo().getPath().segment(i))
                        .message("not found").build());
                data.add(null);
            } else if (String.valueOf(id).startsWith("short")) {
                data.add(Map.of()); // what Spring leaves where a batch answer was too short
            } else {
                data.add(Map.of("__typename", r.get("__typename"), "id", id));
            }
        }
        return DataFetcherResult.newResult().data(data).errors(errors).build();
    };

    EntitiesSubgraph subgraph(DataFetcher<?> fetcher) {
        return EntitiesSubgraph.of(TestSubgraph.SDL, RuntimeWiring.newRuntimeWiring().build(), fetcher,
                (TypeResolutionEnvironment env) -> env.getSchema().getObjectType(
                        (String) ((Map<?, ?>) env.getObject()).get("__typename")),
                input -> input);
    }

    static final Map<String, FederationMode> MODES = Map.of("User", FederationMode.BATCHED,
            "Review", FederationMode.DIRECT);
    /** As Spring answers a one-key method that returned null: an error that means "no such entity". */
    static final java.util.function.Predicate<GraphQLError> NOT_FOUND = e -> e.getMessage().equals("not found");

    @Test
    void eachAnswerIsCountedPerTypenameAndOutcomeWhileTheOtherFetcherResolves() {
        ExecutionResult r = subgraph(entities.observe(own, MODES, NOT_FOUND)).entities(List.of(
                rep("User", "id", "1"), rep("User", "id", "missing"), rep("Review", "id", "r"),
                rep("User", "id", "bad"), rep("Invented" + System.nanoTime(), "id", "x")), "...on User{id}");

        assertThat(entityList(r)).hasSize(5);
        assertThat(entityList(r).get(0)).isEqualTo(Map.of("id", "1"));
        assertThat(r.getErrors()).hasSize(2);
        assertThat(recorder.loads).containsOnly(Map.entry("User:batched", 1), Map.entry("User:missing", 1),
                Map.entry("Review:direct", 1), Map.entry("User:error", 1));
        // an invented typename is a rejection (counted as "unknown" by the meters), never a name of its own
        assertThat(recorder.rejections).singleElement().satisfies(x -> {
            assertThat(x.reason()).isEqualTo(RejectionReason.UNKNOWN_TYPENAME);
            assertThat(x.knownType()).isFalse();
            assertThat(x.index()).isEqualTo(4);
        });
        assertThat(recorder.entitiesCalls).singleElement().satisfies(c -> assertThat(c.representationCount())
                .isEqualTo(5));
        assertThat(recorder.entitiesResults).singleElement().satisfies(x -> {
            assertThat(x.entityCount()).isEqualTo(2);
            assertThat(x.missingCount()).isEqualTo(1);
            assertThat(x.errorCount()).isEqualTo(2);
            assertThat(x.outcome()).isEqualTo(dev.federation.core.observer.EntitiesOutcome.PARTIAL);
        });
    }

    @Test
    void anErrorThatMeansNotFoundAndAnEmptyPlaceholderAreMissingNotFailed() {
        subgraph(entities.observe(own, MODES, NOT_FOUND)).entities(List.of(rep("User", "id", "gone1"),
                rep("User", "id", "short1"), rep("User", "id", "1")), "...on User{id}");

        // the health monitor's error rate must not count "no such user" as a failure
        assertThat(recorder.loads).containsOnly(Map.entry("User:missing", 2), Map.entry("User:batched", 1));
        assertThat(recorder.entitiesResults).singleElement().satisfies(x -> {
            assertThat(x.missingCount()).isEqualTo(2);
            assertThat(x.errorCount()).isZero();
        });
    }

    @Test
    void typenamesAddedToALiveMapAfterTheFirstCallAreCounted() {
        Map<String, FederationMode> live = new java.util.concurrent.ConcurrentHashMap<>();
        EntitiesSubgraph s = subgraph(entities.observe(own, live, NOT_FOUND));
        s.entities(List.of(rep("User", "id", "1")), "...on User{id}");
        assertThat(recorder.loads).isEmpty(); // not told of User yet: answered, not counted under a name

        live.put("User", FederationMode.BATCHED); // as a lazily made bean registers its mapping
        s.entities(List.of(rep("User", "id", "2")), "...on User{id}");
        assertThat(recorder.loads).containsOnly(Map.entry("User:batched", 1));
    }

    @Test
    void anAsynchronousAnswerIsCountedWhenItCompletes() {
        CompletableFuture<Object> later = new CompletableFuture<>();
        DataFetcher<Object> async = env -> {
            Object now = own.get(env);
            return later.thenApply(x -> now);
        };
        EntitiesSubgraph s = subgraph(entities.observe(async, MODES, NOT_FOUND));
        CompletableFuture<ExecutionResult> r = s.graphQL().executeAsync(graphql.ExecutionInput.newExecutionInput(
                EntitiesSubgraph.entitiesQuery("...on User{id}"))
                .variables(Map.of("representations", List.of(rep("User", "id", "1"), rep("User", "id", "2")))));
        assertThat(recorder.entitiesResults).isEmpty();
        later.complete("go");
        assertThat(entityList(r.join())).hasSize(2);
        assertThat(recorder.loads).containsOnly(Map.entry("User:batched", 2));
        assertThat(recorder.entitiesResults).singleElement().satisfies(x -> assertThat(x.entityCount()).isEqualTo(2));
    }

    @Test
    void aFetcherThatThrowsIsCountedAsAnErrorAtEveryIndex() {
        ExecutionResult r = subgraph(entities.observe(env -> {
            throw new IllegalStateException("down");
        }, MODES, NOT_FOUND)).entities(List.of(rep("User", "id", "1"), rep("Review", "id", "2")), "...on User{id}");

        assertThat(r.getErrors()).isNotEmpty();
        assertThat(recorder.loads).containsOnly(Map.entry("User:error", 1), Map.entry("Review:error", 1));
        assertThat(recorder.entitiesResults).singleElement().satisfies(x -> assertThat(x.outcome())
                .isEqualTo(dev.federation.core.observer.EntitiesOutcome.ERROR));
    }

    @Test
    void theRequestWideLimitRefusesBeforeTheOtherFetcherRunsAndCountsAliasedFields() {
        EntitiesSubgraph s = subgraph(entities.observe(own, MODES, NOT_FOUND));
        ExecutionResult over = s.entities(EntitiesSubgraph.reps("User", "u", 0, 6), "...on User{id}");
        assertThat(over.getErrors()).singleElement().satisfies(e -> {
            assertThat(e.getMessage()).isEqualTo("Too many representations: 6 in one _entities call, the limit is 5");
            assertThat(e.getExtensions()).containsEntry("code", "TOO_MANY_REPRESENTATIONS");
        });

        // two aliased fields of 3: 6 in the request, over the limit of 5, though each field alone is under it
        String query = "query($a:[_Any!]!,$b:[_Any!]!){a:_entities(representations:$a){...on User{id}} "
                + "b:_entities(representations:$b){...on User{id}}}";
        ExecutionResult aliased = s.execute(query, Map.of("a", EntitiesSubgraph.reps("User", "a", 0, 3),
                "b", EntitiesSubgraph.reps("User", "b", 0, 3)));
        assertThat(aliased.getErrors()).hasSize(2).allSatisfy(e -> assertThat(e.getMessage())
                .isEqualTo("Too many representations: 6 in the 2 _entities fields of this request, the limit is 5"));
        assertThat(calls).hasValue(0);
        assertThat(recorder.rejections).hasSize(3)
                .allSatisfy(x -> assertThat(x.reason()).isEqualTo(RejectionReason.TOO_MANY_REPRESENTATIONS));

        // and the subgraph still answers what is within the limit
        assertThat(entityList(s.entities(EntitiesSubgraph.reps("User", "u", 0, 5), "...on User{id}"))).hasSize(5);
        assertThat(calls).hasValue(1);
    }

    @Test
    void withNoEntityTypeOfItsOwnTheLibrarysFetcherRefusesToBeInstalled() {
        org.assertj.core.api.Assertions.assertThatThrownBy(entities::fetcher)
                .hasMessageStartingWith("no entity type was added");
    }
}
