package dev.federation.core;

import static dev.federation.core.TestSubgraph.entityList;
import static dev.federation.core.TestSubgraph.rep;
import static org.assertj.core.api.Assertions.assertThat;

import dev.federation.core.observer.FederationObserver;
import graphql.ExecutionResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.dataloader.DataLoaderRegistry;
import org.junit.jupiter.api.Test;

/**
 * The index-based {@code _entities} road: types told apart without a Java class by the call's own local
 * context (never by the request's GraphQL context), keys de-duplicated by equality even when their hashes
 * collide, entity DataLoaders made on first use, and no observer at all when none is registered.
 */
class HotPathTest {

    final List<List<?>> calls = Collections.synchronizedList(new ArrayList<>());

    /** User and Review, neither with a Java class, answering with records or (when {@code mapValues}) maps. */
    TestSubgraph subgraph(boolean mapValues) {
        return new TestSubgraph(FederatedEntities.builder()
                .modeSwitch(FederationModeSwitch.of(FederationMode.BATCHED))
                .entity(EntityType.named("User")
                        .key("id", rep -> rep.getString("id"), recording(id -> mapValues
                                ? Map.of("id", id, "name", "user " + id) : new TestSubgraph.User(id, "user " + id)))
                        .build())
                .entity(EntityType.named("Review")
                        .key("id", rep -> rep.getString("id"), recording(id -> mapValues
                                ? Map.of("id", id, "body", "review " + id) : new TestSubgraph.Review(id, "review " + id)))
                        .build())
                .build());
    }

    /** A mapped batch function that records each call's keys in {@link #calls} and answers {@code entity(id)}. */
    EntityBatchLoader<String, Object> recording(Function<String, Object> entity) {
        return EntityBatchLoader.mapped(ids -> {
            calls.add(List.copyOf(ids));
            Map<String, Object> out = new LinkedHashMap<>();
            ids.forEach(id -> out.put(id, entity.apply(id)));
            return out;
        });
    }

    static final String SELECTION = "__typename ...on User{id name} ...on Review{id body}";

    static List<Object> interleaved() {
        List<Object> reps = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            reps.add(i % 2 == 0 ? rep("User", "id", "x" + i) : rep("Review", "id", "x" + i));
        }
        return reps;
    }

    static List<Object> expected() {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            out.add(i % 2 == 0
                    ? Map.of("__typename", "User", "id", "x" + i, "name", "user x" + i)
                    : Map.of("__typename", "Review", "id", "x" + i, "body", "review x" + i));
        }
        return out;
    }

    @Test
    void twoTypesWithoutAJavaClassAreToldApartByTheirClasses() {
        TestSubgraph s = subgraph(false);

        ExecutionResult result = s.entities(interleaved(), SELECTION);

        assertThat(result.getErrors()).isEmpty();
        assertThat(entityList(result)).isEqualTo(expected());
        assertThat(calls).containsExactly(List.of("x0", "x2", "x4"), List.of("x1", "x3", "x5"));
    }

    @Test
    void twoTypesAnsweringWithTheSameClassAreToldApartByIdentity() {
        TestSubgraph s = subgraph(true);

        ExecutionResult result = s.entities(interleaved(), SELECTION);
        ExecutionResult again = s.entities(interleaved(), SELECTION);

        assertThat(result.getErrors()).isEmpty();
        assertThat(entityList(result)).isEqualTo(expected());
        assertThat(entityList(again)).isEqualTo(expected());
    }

    @Test
    void keysWithCollidingHashesAreStillDistinctAndDuplicatesLoadOnce() {
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        assertThat("AaAa".hashCode()).isEqualTo("BBBB".hashCode()).isEqualTo("AaBB".hashCode());
        TestSubgraph s = subgraph(false);
        List<String> ids = List.of("Aa", "BB", "AaAa", "Aa", "BBBB", "AaBB", "BB", "AaAa");
        List<Object> reps = new ArrayList<>();
        ids.forEach(id -> reps.add(rep("User", "id", id)));

        ExecutionResult result = s.entities(reps, "...on User{id name}");

        assertThat(result.getErrors()).isEmpty();
        List<Object> want = new ArrayList<>();
        ids.forEach(id -> want.add(Map.of("id", id, "name", "user " + id)));
        assertThat(entityList(result)).isEqualTo(want);
        assertThat(calls).containsExactly(List.of("Aa", "BB", "AaAa", "BBBB", "AaBB"));
    }

    @Test
    void aRejectedRepresentationBetweenDuplicatesKeepsEveryIndexRight() {
        TestSubgraph s = subgraph(false);
        List<Object> reps = List.of(rep("User", "id", "u1"), rep("User"), rep("User", "id", "u1"),
                rep("Nope", "id", "u1"), rep("Review", "id", "u1"));

        ExecutionResult result = s.entities(reps, SELECTION);

        List<Object> list = entityList(result);
        assertThat(list.get(0)).isEqualTo(Map.of("__typename", "User", "id", "u1", "name", "user u1"));
        assertThat(list.get(1)).isNull();
        assertThat(list.get(2)).isEqualTo(list.get(0));
        assertThat(list.get(3)).isNull();
        assertThat(list.get(4)).isEqualTo(Map.of("__typename", "Review", "id", "u1", "body", "review u1"));
        assertThat(result.getErrors()).extracting(e -> e.getPath().get(1)).containsExactly(1, 3);
        assertThat(calls).containsExactly(List.of("u1"), List.of("u1"));
    }

    @Test
    void entityDataLoadersAreMadeOnFirstUseAndNamedFromTheStart() {
        FederatedEntities entities = subgraph(false).entities;
        DataLoaderRegistry registry = entities.newRegistry();

        assertThat(registry.getKeys()).containsExactly("User(id)", "Review(id)");
        assertThat(registry.getDataLoadersMap()).isEmpty();
        Object first = registry.getDataLoader("User(id)");
        assertThat(first).isNotNull().isSameAs(registry.getDataLoader("User(id)"));
        assertThat(registry.getDataLoadersMap()).containsOnlyKeys("User(id)");
        assertThat((Object) registry.getDataLoader("no such loader")).isNull();
    }

    @Test
    void noObserverMeansTheNoopObserver() {
        assertThat(FederationObserver.composite()).isSameAs(FederationObserver.noop());
        assertThat(FederationObserver.composite(FederationObserver.noop())).isSameAs(FederationObserver.noop());
        assertThat(subgraph(false).entities.observer()).isSameAs(FederationObserver.noop());
    }
}
