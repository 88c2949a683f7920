package dev.federation.metrics;

import com.apollographql.federation.graphqljava.Federation;
import dev.federation.core.EntityBatchLoader;
import dev.federation.core.EntityCacheOptions;
import dev.federation.core.EntityType;
import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import dev.federation.core.observer.FederationObserver;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import org.dataloader.DataLoaderFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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

/**
 * A real federation-jvm subgraph over {@code test-schema.graphql} (User, and Product with a cross-request
 * cache), whose backend records each call and can be told to fail; executed the way a gateway calls it.
 */
final class TestSubgraph {

    static final String SDL = read("/test-schema.graphql");
    static final String USER_SELECTION = "...on User{id name}";

    record User(String id, String name) {
    }

    record Product(String id, String name) {
    }

    final Backend backend = new Backend();
    final FederationModeSwitch modeSwitch;
    final FederatedEntities entities;
    final GraphQL graphQL;

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
        GraphQLSchema schema = Federation.transform(SDL, RuntimeWiring.newRuntimeWiring()
                        .type("User", t -> t.dataFetcher("nickname",
                                env -> env.getDataLoader("nicknames").load(((User) env.getSource()).id())))
                        .build())
                .fetchEntities(entities.fetcher())
                .resolveEntityType(entities.typeResolver())
                .build();
        this.graphQL = GraphQL.newGraphQL(schema).build();
    }

    /** A subgraph in {@code BATCHED} mode observed by {@code metrics}. */
    static TestSubgraph batched(FederationMetrics metrics) {
        return new TestSubgraph(metrics.modeSwitch() != null ? metrics.modeSwitch()
                : FederationModeSwitch.of(FederationMode.BATCHED), metrics);
    }

    /** Executes {@code _entities} with the given representations and selection, as a gateway does. */
    ExecutionResult entities(List<?> representations, String selection) {
        String query = "query($representations:[_Any!]!){_entities(representations:$representations){"
                + selection + "}}";
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("representations", representations);
        return execute(query, variables);
    }

    ExecutionResult execute(String query, Map<String, Object> variables) {
        ExecutionInput input = ExecutionInput.newExecutionInput(query).variables(variables).build();
        return graphQL.execute(entities.withRegistry(input));
    }

    ExecutionResult users(int from, int count) {
        return entities(users(from, count, "u"), USER_SELECTION);
    }

    @SuppressWarnings("unchecked")
    static List<Object> entityList(ExecutionResult result) {
        Map<String, Object> data = result.getData();
        return (List<Object>) data.get("_entities");
    }

    static Map<String, Object> rep(String typename, Object... fieldsAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("__typename", typename);
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            m.put((String) fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return m;
    }

    static List<Map<String, Object>> users(int from, int count, String idPrefix) {
        List<Map<String, Object>> reps = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            reps.add(rep("User", "id", idPrefix + i));
        }
        return reps;
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

    private static String read(String resource) {
        try (InputStream in = TestSubgraph.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
