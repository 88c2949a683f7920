package dev.federation.cache.redis;

import dev.federation.core.EntityBatchLoader;
import dev.federation.core.EntityCacheOptions;
import dev.federation.core.EntityType;
import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import dev.federation.core.FederationOptions;
import dev.federation.testkit.EntitiesSubgraph;
import graphql.ExecutionResult;
import graphql.schema.idl.RuntimeWiring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One replica of a products subgraph: a real federation-jvm schema and graphql-java, its Product type cached by
 * its own {@link RedisEntityCaches} (its own connections and local level) on a shared Redis, and its own view of
 * a shared {@link Backend}. Requests carry a tenant in their context, which is the cache scope.
 */
final class Replica implements AutoCloseable {

    static final String SDL = EntitiesSubgraph.resource(Replica.class, "/products.graphql");
    static final String SELECTION = "...on Product{id name tenant}";
    /** The key prefix of the replicas made now: each test its own, so nothing a past test wrote late is read. */
    static final java.util.concurrent.atomic.AtomicReference<String> PREFIX =
            new java.util.concurrent.atomic.AtomicReference<>("test");

    record Product(String id, String name, String tenant) {
    }

    /** Where the synchronous batch function runs (a stale entry's refresh must not hold the request). */
    static final java.util.concurrent.ExecutorService LOADS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-loads");
        t.setDaemon(true);
        return t;
    });

    final RedisEntityCaches redis;
    final FederatedEntities entities;
    final EntitiesSubgraph subgraph;

    Replica(Backend backend, String redisUri, EntityCacheOptions cache,
            UnaryOperator<RedisEntityCaches.Builder> settings) {
        this.redis = settings.apply(RedisEntityCaches.builder(redisUri).prefix(PREFIX.get())).build();
        this.entities = FederatedEntities.builder()
                .modeSwitch(FederationModeSwitch.of(FederationMode.BATCHED))
                .options(FederationOptions.custom().batchTimeout(Duration.ofSeconds(20)).batchExecutor(LOADS).build())
                .cacheScope(context -> context.get("tenant"))
                .cacheProvider(redis)
                .entity(EntityType.named("Product").javaClass(Product.class)
                        .key("id", rep -> rep.getString("id"), EntityBatchLoader.mapped(backend::products))
                        .cache(cache)
                        .build())
                .build();
        this.subgraph = EntitiesSubgraph.of(SDL, RuntimeWiring.newRuntimeWiring().build(), entities.fetcher(),
                entities.typeResolver(), entities::withRegistry);
    }

    /**
     * A replica whose Redis is expected to answer: a command may take up to 10 s. The library's 100 ms default is a
     * production setting: on a loaded 2-core test machine a command past it counts as a Redis failure, and a read
     * the test expects from Redis goes to the backend. The tests of timeouts set their own.
     */
    Replica(Backend backend, String redisUri) {
        this(backend, redisUri, EntityCacheOptions.of(1_000, Duration.ofMinutes(5)),
                b -> b.commandTimeout(Duration.ofSeconds(10)));
    }

    ExecutionResult products(String tenant, List<String> ids) {
        List<Map<String, Object>> reps = new ArrayList<>();
        for (String id : ids) {
            reps.add(EntitiesSubgraph.rep("Product", "id", id));
        }
        return subgraph.entities(reps, SELECTION, c -> c.of("tenant", tenant));
    }

    /** The names answered, in order; fails on any GraphQL error. */
    @SuppressWarnings("unchecked")
    List<String> names(String tenant, List<String> ids) {
        ExecutionResult r = products(tenant, ids);
        if (!r.getErrors().isEmpty()) {
            throw new AssertionError("errors: " + r.getErrors());
        }
        List<String> names = new ArrayList<>();
        for (Object o : EntitiesSubgraph.entityList(r)) {
            Map<String, Object> m = (Map<String, Object>) o;
            if (!tenant.equals(m.get("tenant"))) {
                throw new AssertionError("tenant " + tenant + " was answered " + m);
            }
            names.add((String) m.get("name"));
        }
        return names;
    }

    @Override
    public void close() {
        entities.close();
        redis.close();
    }

    static List<String> ids(int from, int count) {
        List<String> ids = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            ids.add("p" + i);
        }
        return ids;
    }

    /** The data behind every replica: names carry the tenant and a version that {@link #change} bumps. */
    static final class Backend {
        final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());
        private final Map<String, Integer> versions = Collections.synchronizedMap(new LinkedHashMap<>());
        volatile Runnable beforeAnswer = () -> {
        };

        Map<String, Product> products(List<String> ids, dev.federation.core.BatchEnvironment env) {
            calls.add(List.copyOf(ids));
            beforeAnswer.run();
            String tenant = String.valueOf(env.scope());
            Map<String, Product> out = new LinkedHashMap<>();
            for (String id : ids) {
                if (!id.startsWith("missing")) {
                    out.put(id, new Product(id, name(id, tenant), tenant));
                }
            }
            return out;
        }

        String name(String id, String tenant) {
            return "Product " + id + " of " + tenant + " v" + versions.getOrDefault(id, 1);
        }

        void change(String id) {
            versions.merge(id, 2, (old, two) -> old + 1);
        }

        int keysLoaded() {
            synchronized (calls) {
                return calls.stream().mapToInt(List::size).sum();
            }
        }
    }
}
