package dev.federation.core;

import static dev.federation.core.TestSubgraph.entityList;
import static dev.federation.core.TestSubgraph.rep;
import static org.assertj.core.api.Assertions.assertThat;

import dev.federation.core.TestSubgraph.Backend;
import dev.federation.core.TestSubgraph.Review;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.dataloader.Try;
import org.junit.jupiter.api.Test;

@SuppressWarnings("unchecked")
class ErrorSemanticsTest {

    final Backend backend = new Backend();

    TestSubgraph subgraph(EntityBatchLoader<Long, ?> reviews) {
        return subgraph(reviews, FederationOptions.ofDefaults());
    }

    TestSubgraph subgraph(EntityBatchLoader<Long, ?> reviews, FederationOptions options) {
        return new TestSubgraph(FederatedEntities.builder()
                .modeSwitch(FederationModeSwitch.of(FederationMode.BATCHED))
                .options(options)
                .entity(EntityType.named("User")
                        .key("id", rep -> rep.getString("id"), EntityBatchLoader.mapped(backend::users))
                        .build())
                .entity(EntityType.named("Review").javaClass(Review.class)
                        .key("id", rep -> rep.getLong("id"), reviews)
                        .build())
                .build());
    }

    static List<Map<String, Object>> mixed() {
        return List.of(
                rep("User", "id", "u0"),
                rep("Review", "id", "1"),
                rep("User", "id", "missing-1"),
                rep("Review", "id", "2"),
                rep("User", "id", "u2"));
    }

    static Map<String, Object> spec(GraphQLError e) {
        return e.toSpecification();
    }

    @Test
    void missingEntityIsNullAndFailsNothingElse() {
        TestSubgraph s = subgraph(EntityBatchLoader.mapped(ids -> Map.of(1L, new Review("1", "one"))));

        ExecutionResult result = s.entities(mixed(), "...on User{id} ...on Review{body}");

        assertThat(result.getErrors()).isEmpty();
        assertThat(entityList(result)).containsExactly(
                Map.of("id", "u0"), Map.of("body", "one"), null, null, Map.of("id", "u2"));
    }

    @Test
    void perKeyErrorIsAGraphQLErrorAtItsIndex() {
        TestSubgraph s = subgraph(EntityBatchLoader.mapped(ids -> {
            Map<Long, Object> out = new HashMap<>();
            out.put(1L, new Review("1", "one"));
            out.put(2L, Try.failed(new IllegalStateException("review 2 is locked")));
            return out;
        }));

        ExecutionResult result = s.entities(mixed(), "...on User{id} ...on Review{body}");

        assertThat(entityList(result)).containsExactly(
                Map.of("id", "u0"), Map.of("body", "one"), null, null, Map.of("id", "u2"));
        assertThat(result.getErrors()).hasSize(1);
        Map<String, Object> error = spec(result.getErrors().get(0));
        assertThat(error.get("path")).isEqualTo(List.of("_entities", 3));
        // the exception's class and message are the service's business, not the caller's
        assertThat(error.get("message")).isEqualTo("Failed to resolve Review 2");
        assertThat((Map<String, Object>) error.get("extensions")).containsEntry("code", "ENTITY_KEY_FAILED")
                .containsEntry("classification", "DataFetchingException");
    }

    @Test
    void throwingBatchFunctionFailsOnlyItsOwnTypesIndexes() {
        TestSubgraph s = subgraph(EntityBatchLoader.mapped(ids -> {
            throw new IllegalStateException("reviews database is down");
        }));

        ExecutionResult result = s.entities(mixed(), "...on User{id} ...on Review{body}");

        assertThat(entityList(result)).containsExactly(Map.of("id", "u0"), null, null, null, Map.of("id", "u2"));
        assertThat(result.getErrors()).hasSize(2);
        assertThat(result.getErrors()).extracting(e -> spec(e).get("path"))
                .containsExactly(List.of("_entities", 1), List.of("_entities", 3));
        assertThat(result.getErrors()).allSatisfy(e -> {
            assertThat(e.getMessage()).isEqualTo("Failed to resolve Review (id)");
            assertThat(e.getExtensions()).containsEntry("code", "ENTITY_BATCH_FAILED");
        });
    }

    @Test
    void failedStageFailsOnlyItsOwnType() {
        TestSubgraph s = subgraph(EntityBatchLoader.mappedAsync(
                ids -> CompletableFuture.failedFuture(new RuntimeException("timeout from reviews"))));

        ExecutionResult result = s.entities(mixed(), "...on User{id} ...on Review{body}");

        assertThat(entityList(result)).containsExactly(Map.of("id", "u0"), null, null, null, Map.of("id", "u2"));
        assertThat(result.getErrors()).hasSize(2)
                .allSatisfy(e -> assertThat(e.getMessage()).isEqualTo("Failed to resolve Review (id)"));
    }

    @Test
    void aGraphQLErrorThrownByTheBatchFunctionShowsItsMessage() {
        TestSubgraph s = subgraph(EntityBatchLoader.mapped(ids -> {
            throw new graphql.GraphqlErrorException.Builder().message("reviews are read-only today").build();
        }));

        ExecutionResult result = s.entities(mixed(), "...on User{id} ...on Review{body}");

        assertThat(result.getErrors()).hasSize(2).allSatisfy(e -> assertThat(e.getMessage())
                .isEqualTo("Failed to resolve Review (id): reviews are read-only today"));
    }

    @Test
    void noAnswerNamesAnExceptionClassOrAParserMessage() {
        TestSubgraph s = new TestSubgraph(FederatedEntities.builder()
                .modeSwitch(FederationModeSwitch.of(FederationMode.BATCHED))
                .entity(EntityType.named("User")
                        .key("id", rep -> Long.parseLong(rep.getString("id")), EntityBatchLoader.mapped(ids -> {
                            throw new IllegalStateException("SELECT * FROM users failed: connection refused");
                        }))
                        .build())
                .build());

        ExecutionResult result = s.entities(List.of(rep("User", "id", "abc"), rep("User", "id", "7")),
                "...on User{id}");

        String answer = result.toSpecification().toString();
        assertThat(answer).doesNotContain("IllegalStateException").doesNotContain("NumberFormatException")
                .doesNotContain("For input string")
                .doesNotContain("SELECT").doesNotContain("connection refused");
        assertThat(result.getErrors()).extracting(GraphQLError::getMessage).containsExactly(
                "Representation 0 of User has an invalid key: the key mapper refused it (@key(fields: \"id\"))",
                "Failed to resolve User (id)");
        assertThat(spec(result.getErrors().get(0)).get("extensions"))
                .isEqualTo(Map.of("code", "INVALID_KEY_FIELD", "classification", "BAD_REQUEST"));
    }

    @Test
    void listOfTheWrongLengthIsAClearErrorForThatType() {
        TestSubgraph s = subgraph(EntityBatchLoader.ordered(ids -> List.of(new Review("1", "one"))));

        ExecutionResult result = s.entities(mixed(), "...on User{id} ...on Review{body}");

        assertThat(entityList(result)).containsExactly(Map.of("id", "u0"), null, null, null, Map.of("id", "u2"));
        assertThat(result.getErrors()).hasSize(2).allSatisfy(e -> {
            assertThat(e.getMessage()).isEqualTo(
                    "Batch function of Review(id) broke its contract: returned 1 values for 2 keys");
            assertThat(e.getExtensions()).containsEntry("code", "ENTITY_BATCH_CONTRACT");
        });
    }

    @Test
    void valueForAKeyThatWasNotAskedForIsAClearError() {
        TestSubgraph s = subgraph(EntityBatchLoader.mapped(ids -> Map.of(
                1L, new Review("1", "one"), 2L, new Review("2", "two"), 99L, new Review("99", "intruder"))));

        ExecutionResult result = s.entities(mixed(), "...on User{id} ...on Review{body}");

        assertThat(entityList(result)).containsExactly(Map.of("id", "u0"), null, null, null, Map.of("id", "u2"));
        assertThat(result.getErrors()).hasSize(2).allSatisfy(e -> assertThat(e.getMessage())
                .isEqualTo("Batch function of Review(id) broke its contract: returned a value for key 99, "
                        + "which was not asked for"));
    }

    @Test
    void nullResultIsAContractError() {
        TestSubgraph s = subgraph(EntityBatchLoader.mapped(ids -> null));

        ExecutionResult result = s.entities(mixed(), "...on User{id} ...on Review{body}");

        assertThat(result.getErrors()).hasSize(2)
                .allSatisfy(e -> assertThat(e.getExtensions()).containsEntry("code", "ENTITY_BATCH_CONTRACT"));
        assertThat(entityList(result).get(0)).isEqualTo(Map.of("id", "u0"));
    }

    @Test
    void batchThatDoesNotCompleteInTimeFailsWithATimeoutError() {
        CompletableFuture<Map<Long, Review>> never = new CompletableFuture<>();
        TestSubgraph s = subgraph(EntityBatchLoader.mappedAsync(ids -> never),
                FederationOptions.custom().batchTimeout(Duration.ofMillis(50)).build());

        ExecutionResult result = s.entities(mixed(), "...on User{id} ...on Review{body}");

        assertThat(entityList(result)).containsExactly(Map.of("id", "u0"), null, null, null, Map.of("id", "u2"));
        assertThat(result.getErrors()).hasSize(2).allSatisfy(e -> {
            assertThat(e.getMessage()).isEqualTo("Batch of 2 Review keys (id) timed out after 50 ms");
            assertThat(e.getExtensions()).containsEntry("code", "ENTITY_BATCH_TIMEOUT");
        });
    }

    @Test
    void splitBatchFailureFailsOnlyItsOwnChunk() {
        AtomicInteger calls = new AtomicInteger();
        TestSubgraph s = subgraph(EntityBatchLoader.mapped(ids -> {
            if (calls.incrementAndGet() == 2) {
                throw new IllegalStateException("second chunk fails");
            }
            Map<Long, Review> out = new HashMap<>();
            ids.forEach(id -> out.put(id, new Review(String.valueOf(id), "r")));
            return out;
        }), FederationOptions.custom().maxBatchSize(2).build());
        List<Map<String, Object>> reps = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            reps.add(rep("Review", "id", String.valueOf(i)));
        }

        ExecutionResult result = s.entities(reps, "...on Review{id}");

        assertThat(calls).hasValue(3);
        assertThat(entityList(result)).containsExactly(Map.of("id", "0"), Map.of("id", "1"), null, null,
                Map.of("id", "4"));
        assertThat(result.getErrors()).extracting(e -> spec(e).get("path"))
                .containsExactlyInAnyOrder(List.of("_entities", 2), List.of("_entities", 3));
    }
}
