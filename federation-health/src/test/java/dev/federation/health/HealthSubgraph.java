package dev.federation.health;

import dev.federation.core.EntityBatchLoader;
import dev.federation.core.EntityType;
import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import dev.federation.core.FederationOptions;
import dev.federation.testkit.EntitiesSubgraph;
import graphql.ExecutionResult;
import graphql.schema.idl.RuntimeWiring;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The health tests' subgraph: one {@code User} entity over a real federation-jvm schema, executed as a gateway
 * calls it, observed by a {@link HealthWindow} on a {@link ManualClock}. Its backend can be made to fail.
 */
final class HealthSubgraph {

    static final String SELECTION = "...on User{id name}";
    /** Most representations in one request; a gateway request of the tests has 100. */
    static final int MAX_REPRESENTATIONS = 150;

    record User(String id, String name) {
    }

    final ManualClock clock = new ManualClock();
    final HealthWindow window = HealthWindow.of(HealthWindow.DEFAULT_WINDOW, clock);
    final FederationModeSwitch modeSwitch = FederationModeSwitch.of(FederationMode.BATCHED);
    final AtomicBoolean failing = new AtomicBoolean();
    final AtomicLong backendCalls = new AtomicLong();
    final FederatedEntities entities;
    private final EntitiesSubgraph subgraph;

    HealthSubgraph() {
        this.entities = FederatedEntities.builder()
                .modeSwitch(modeSwitch)
                .options(FederationOptions.custom().maxRepresentations(MAX_REPRESENTATIONS).build())
                .observer(window)
                .entity(EntityType.named("User").javaClass(User.class)
                        .key("id", rep -> rep.getString("id"), EntityBatchLoader.<String, User>mapped((List<String> ids) -> users(ids)))
                        .build())
                .build();
        this.subgraph = EntitiesSubgraph.of(EntitiesSubgraph.resource(HealthSubgraph.class, "/health-schema.graphql"),
                RuntimeWiring.newRuntimeWiring().build(), entities.fetcher(), entities.typeResolver(), in -> in);
    }

    private Map<String, User> users(List<String> ids) {
        backendCalls.incrementAndGet();
        if (failing.get()) {
            throw new IllegalStateException("database down");
        }
        Map<String, User> out = new LinkedHashMap<>();
        for (String id : ids) {
            out.put(id, new User(id, "User " + id));
        }
        return out;
    }

    /** One gateway request for users {@code from} .. {@code from + count - 1}. */
    ExecutionResult users(int from, int count) {
        return entities(EntitiesSubgraph.reps("User", "u", from, count));
    }

    ExecutionResult entities(List<?> representations) {
        return subgraph.entities(representations, SELECTION);
    }
}
