package dev.federation.core;

import static dev.federation.core.TestSubgraph.entityList;
import static dev.federation.core.TestSubgraph.rep;
import static org.assertj.core.api.Assertions.assertThat;

import dev.federation.core.TestSubgraph.Backend;
import graphql.ExecutionResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

@SuppressWarnings("unchecked")
class BadInputTest {

    final Backend backend = new Backend();

    TestSubgraph subgraph(int maxRepresentations) {
        return new TestSubgraph(FederatedEntities.builder()
                .modeSwitch(FederationModeSwitch.of(FederationMode.BATCHED))
                .options(FederationOptions.custom().maxRepresentations(maxRepresentations).build())
                .entity(EntityType.named("User")
                        .key("id", rep -> rep.getString("id"), EntityBatchLoader.mapped(backend::users))
                        .build())
                .entity(EntityType.named("Review")
                        .key("id", rep -> rep.getLong("id"), EntityBatchLoader.<Long, Object>mapped(ids -> {
                            Map<Long, Object> out = new HashMap<>();
                            ids.forEach(id -> out.put(id, Map.of("id", id.toString(), "body", "r")));
                            return out;
                        }))
                        .build())
                .entity(EntityType.named("Product")
                        .key("id", rep -> rep.getString("id"),
                                EntityBatchLoader.<String, Object>mapped(ids -> Map.of()))
                        .key("sku package", EntityBatchLoader.<EntityKey, Object>mapped(keys -> Map.of()))
                        .key("sku variation { id }", EntityBatchLoader.<EntityKey, Object>mapped(keys -> Map.of()))
                        .build())
                .build());
    }

    static Map<String, Object> withoutTypename() {
        Map<String, Object> m = new HashMap<>();
        m.put("id", "u1");
        return m;
    }

    static Stream<Arguments> badRepresentations() {
        return Stream.of(
                Arguments.of("missing __typename", withoutTypename(),
                        "MISSING_TYPENAME", "Representation 1 has no __typename"),
                Arguments.of("non-string __typename", Map.of("__typename", 42, "id", "u1"),
                        "MISSING_TYPENAME", "Representation 1 has a __typename that is a number, not a string"),
                Arguments.of("unknown type", rep("Spaceship", "id", "s1"),
                        "UNKNOWN_TYPENAME",
                        "Representation 1 has __typename 'Spaceship', which is not an entity type of this subgraph"),
                Arguments.of("missing key field", rep("User", "name", "Ada"),
                        "MISSING_KEY_FIELD",
                        "Representation 1 of User is missing key field 'id' (@key(fields: \"id\"))"),
                Arguments.of("null key field", rep("User", "id", null),
                        "MISSING_KEY_FIELD",
                        "Representation 1 of User is missing key field 'id' (@key(fields: \"id\"))"),
                Arguments.of("key field of the wrong type", rep("User", "id", Map.of("nested", 1)),
                        "INVALID_KEY_FIELD", "Representation 1 of User: key field 'id' must be a scalar, was an object"),
                Arguments.of("nested key field of the wrong type",
                        rep("Product", "sku", "s1", "variation", "not-an-object"),
                        "INVALID_KEY_FIELD",
                        "Representation 1 of Product: key field 'variation' must be an object, was a string"),
                Arguments.of("key mapper refuses the value", rep("Review", "id", "not-a-number"),
                        "INVALID_KEY_FIELD",
                        "Representation 1 of Review has an invalid key: "
                                + "field 'id' of Review must be an integer in canonical decimal form, was a string"),
                // only the canonical decimal form: else the answer's id differs from the one asked for
                canonical("full-width digit", "\uFF11"),
                canonical("Arabic-Indic digit", "\u0663"),
                canonical("plus sign", "+5"),
                canonical("leading zeros", "007"),
                canonical("negative zero", "-0"),
                canonical("leading space", " 8"),
                canonical("trailing space", "8 "),
                canonical("beyond long", "9223372036854775808"),
                canonical("a lone minus", "-"),
                canonical("empty", ""),
                Arguments.of("a JSON number with a fraction", rep("Review", "id", 9.0),
                        "INVALID_KEY_FIELD", "Representation 1 of Review has an invalid key: "
                                + "field 'id' of Review must be an integer, was a number"),
                Arguments.of("undeclared key shape", rep("Product", "sku", "s1"),
                        "UNDECLARED_KEY",
                        "Representation 1 of Product matches none of its @keys: \"id\" | \"sku package\" | "
                                + "\"sku variation { id }\""),
                Arguments.of("not an object", "User:u1",
                        "NOT_AN_OBJECT", "Representation 1 must be an object, was a string"));
    }

    static Arguments canonical(String name, String id) {
        return Arguments.of(name + " (" + id + ")", rep("Review", "id", id), "INVALID_KEY_FIELD",
                "Representation 1 of Review has an invalid key: "
                        + "field 'id' of Review must be an integer in canonical decimal form, was a string");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRepresentations")
    void badRepresentationGetsAClearErrorAtItsIndexAndLosesNothingElse(String name, Object bad, String code,
            String message) {
        TestSubgraph s = subgraph(100);
        List<Object> reps = new ArrayList<>(Arrays.asList(rep("User", "id", "u0"), bad, rep("User", "id", "u2")));

        ExecutionResult result = s.entities(reps, "...on User{id name}");

        assertThat(entityList(result)).containsExactly(
                Map.of("id", "u0", "name", "User u0"), null, Map.of("id", "u2", "name", "User u2"));
        assertThat(result.getErrors()).hasSize(1);
        Map<String, Object> error = result.getErrors().get(0).toSpecification();
        assertThat(error.get("message")).isEqualTo(message);
        assertThat(error.get("path")).isEqualTo(List.of("_entities", 1));
        assertThat((Map<String, Object>) error.get("extensions")).containsEntry("code", code);
        assertThat(result.toSpecification().toString()).doesNotContain("at dev.federation").doesNotContain("Exception:\n");
        assertThat(backend.calls).containsExactly(List.of("u0", "u2"));
    }

    @Test
    void canonicalIntegersAreTakenAndAnsweredUnderTheIdAskedFor() {
        TestSubgraph s = subgraph(100);
        List<String> ids = List.of("0", "7", "-5", "9223372036854775807", "-9223372036854775808");
        List<Object> reps = new ArrayList<>();
        ids.forEach(id -> reps.add(rep("Review", "id", id)));

        ExecutionResult result = s.entities(reps, "...on Review{id}");

        assertThat(result.getErrors()).isEmpty();
        assertThat(entityList(result)).extracting(e -> ((Map<String, Object>) e).get("id"))
                .containsExactlyElementsOf(ids);
    }

    @Test
    void inlineIntegerLiteralsAreTakenAndOnesBeyondALongAreRefused() {
        TestSubgraph s = subgraph(100);

        // federation-jvm parses an inline literal of _Any to a BigInteger
        ExecutionResult result = s.execute("{_entities(representations: [{__typename: \"Review\", id: 5}, "
                + "{__typename: \"Review\", id: 9223372036854775808}]){...on Review{id}}}", Map.of());

        assertThat(entityList(result).get(0)).isEqualTo(Map.of("id", "5"));
        assertThat(entityList(result).get(1)).isNull();
        assertThat(result.getErrors()).singleElement().satisfies(e -> assertThat(e.getExtensions())
                .containsEntry("code", "INVALID_KEY_FIELD"));
    }

    @Test
    void nullElementIsRefusedByTheVariableTypeBeforeAnyBackendCall() {
        TestSubgraph s = subgraph(100);
        List<Object> reps = Arrays.asList(rep("User", "id", "u0"), null);

        ExecutionResult result = s.entities(reps, "...on User{id}");

        assertThat(result.getErrors()).hasSize(1);
        assertThat(result.getErrors().get(0).getMessage())
                .isEqualTo("Variable 'representations' has an invalid value: "
                        + "Coerced Null value for NonNull type '_Any!'");
        assertThat((Object) result.getData()).isNull();
        assertThat(backend.calls).isEmpty();
    }

    @Test
    void invalidTypenameIsNotEchoedRaw() {
        TestSubgraph s = subgraph(100);
        String hostile = "X".repeat(500) + "\n<script>";

        ExecutionResult result = s.entities(List.of(rep(hostile, "id", "1")), "...on User{id}");

        assertThat(result.getErrors()).hasSize(1);
        assertThat(result.getErrors().get(0).getMessage()).hasSizeLessThan(200).doesNotContain("\n");
    }

    @Test
    void moreRepresentationsThanTheLimitAreRefusedWholeWithNoBackendCall() {
        TestSubgraph s = subgraph(10);

        ExecutionResult result = s.entities(TestSubgraph.users(0, 11), "...on User{id}");

        assertThat(result.getErrors()).hasSize(1);
        assertThat((Object) result.getData()).isNull();
        Map<String, Object> error = result.getErrors().get(0).toSpecification();
        assertThat(error.get("message"))
                .isEqualTo("Too many representations: 11 in one _entities call, the limit is 10");
        assertThat((Map<String, Object>) error.get("extensions")).containsEntry("code", "TOO_MANY_REPRESENTATIONS");
        assertThat(error.get("path")).isEqualTo(List.of("_entities"));
        assertThat(backend.calls).isEmpty();
    }

    @Test
    void exactlyTheLimitIsAccepted() {
        TestSubgraph s = subgraph(10);

        ExecutionResult result = s.entities(TestSubgraph.users(0, 10), "...on User{id}");

        assertThat(result.getErrors()).isEmpty();
        assertThat(entityList(result)).hasSize(10);
    }

    @Test
    void emptyRepresentationsGiveAnEmptyList() {
        TestSubgraph s = subgraph(10);

        ExecutionResult result = s.entities(List.of(), "...on User{id}");

        assertThat(result.getErrors()).isEmpty();
        assertThat(entityList(result)).isEmpty();
        assertThat(backend.calls).isEmpty();
    }
}
