package dev.federation.metrics;

import dev.federation.core.EntityBatchLoader;
import dev.federation.core.EntityCacheOptions;
import dev.federation.core.EntityType;
import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import dev.federation.core.observer.FederationObserver;
import dev.federation.testkit.EntitiesSubgraph;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.schema.idl.RuntimeWiring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.dataloader.DataLoaderFactory;

/**
 * A real federation-jvm subgraph over {@code test-schema.graphql} (User, and Product with a cross-request
 * cache), whose backend records each call and can be told to fail; on the shared {@link EntitiesSubgraph},
 * executed the way a gateway calls it.
 */
final class TestSubgraph {

    static final String SDL = EntitiesSubgraph.resource(TestSubgraph.class, "/test-schema.graphql");
    static final String USER_SELECTION = "...on User{id name}";

    record User(String id, String name) {
    }

    record Product(String id, String name) {
    }

    final Backend backend = new Backend();
    final FederationModeSwitch modeSwitch;
    final FederatedEntities entities;
    final GraphQL graphQL;
    private final EntitiesSubgraph subgraph;

    TestSubgraph(FederationModeSwitch modeSwitch, FederationObserver... observers) {
        this.modeSwitch = modeSwitch;
        FederatedEntities.Builder b = FederatedEntities.builder()
                .modeSwitch(modeSwitch)
                .entity(EntityType.named("User").javaClass(User.class)
                        .key("id", rep -> rep.getString("id"), EntityBatchLoader.mapped(backend::users))
                        .build())
                .entity(EntityType.named("Product").javaClass(Product.class)
                        .key("id", rep -> rep.getString("id"), EntityBatchLoader.mapped(backend::products))
                        .cache(EntityCacheOptions.of(1_000, Duration.ofMinutes(5)))
                        .build())
                .dataLoader("nicknames", () -> DataLoaderFactory.newDataLoader(backend::nicknames));
        for (FederationObserver o : observers) {
            b.observer(o);
        }
        this.entities = b.build();
        this.subgraph = EntitiesSubgraph.of(SDL, RuntimeWiring.newRuntimeWiring()
                        .type("User", t -> t.dataFetcher("nickname",
                                env -> env.getDataLoader("nicknames").load(((User) env.getSource()).id())))
                        .build(),
                entities.fetcher(), entities.typeResolver(), entities::withRegistry);
        this.graphQL = subgraph.graphQL();
    }

    /** A subgraph in {@code BATCHED} mode observed by {@code metrics}. */
    static TestSubgraph batched(FederationMetrics metrics) {
        return new TestSubgraph(metrics.modeSwitch() != null ? metrics.modeSwitch()
                : FederationModeSwitch.of(FederationMode.BATCHED), metrics);
    }

    /** Executes {@code _entities} with the given representations and selection, as a gateway does. */
    ExecutionResult entities(List<?> representations, String selection) {
        return subgraph.entities(representations, selection);
    }

    ExecutionResult execute(String query, Map<String, Object> variables) {
        return subgraph.execute(query, variables);
    }

    ExecutionResult users(int from, int count) {
        return entities(users(from, count, "u"), USER_SELECTION);
    }

    static List<Object> entityList(ExecutionResult result) {
        return EntitiesSubgraph.entityList(result);
    }

    static Map<String, Object> rep(String typename, Object... fieldsAndValues) {
        return EntitiesSubgraph.rep(typename, fieldsAndValues);
    }

    static List<Map<String, Object>> users(int from, int count, String idPrefix) {
        return EntitiesSubgraph.reps("User", idPrefix, from, count);
    }

    /** Records every batch call; ids starting with {@code missing} have no entity. */
    static final class Backend {
        final List<List<String>> userCalls = Collections.synchronizedList(new ArrayList<>());
        final List<List<String>> productCalls = Collections.synchronizedList(new ArrayList<>());
        final AtomicBoolean failing = new AtomicBoolean();
        final AtomicLong delayMillis = new AtomicLong();

        Map<String, User> users(List<String> ids) {
            userCalls.add(List.copyOf(ids));
            long delay = delayMillis.get();
            if (delay > 0) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failing.get()) {
                throw new IllegalStateException("user database unavailable");
            }
            Map<String, User> out = new LinkedHashMap<>();
            for (String id : ids) {
                if (!id.startsWith("missing")) {
                    out.put(id, new User(id, "User " + id));
                }
            }
            return out;
        }

        final List<List<Object>> nicknameCalls = Collections.synchronizedList(new ArrayList<>());

        /** The service's own DataLoader batch function (for {@code User.nickname}). */
        CompletionStage<List<String>> nicknames(List<Object> ids) {
            nicknameCalls.add(List.copyOf(ids));
            List<String> out = new ArrayList<>();
            for (Object id : ids) {
                out.add("nick-" + id);
            }
            return CompletableFuture.completedFuture(out);
        }

        Map<String, Product> products(List<String> ids) {
            productCalls.add(List.copyOf(ids));
            Map<String, Product> out = new LinkedHashMap<>();
            for (String id : ids) {
                out.put(id, new Product(id, "Product " + id));
            }
            return out;
        }

        /** How many user calls had exactly {@code size} keys. */
        long userCallsOfSize(int size) {
            synchronized (userCalls) {
                return userCalls.stream().filter(c -> c.size() == size).count();
            }
        }
    }
}
