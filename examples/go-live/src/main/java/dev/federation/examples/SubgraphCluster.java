package dev.federation.examples;

import dev.federation.cache.redis.RedisEntityCaches;
import dev.federation.core.CrossRequestBatching;
import dev.federation.core.EntityCacheOptions;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationOptions;
import dev.federation.examples.http.SubgraphServer;
import dev.federation.examples.observability.SubgraphObservability;
import dev.federation.examples.subgraphs.PostsSubgraph;
import dev.federation.examples.subgraphs.ProductsSubgraph;
import dev.federation.examples.subgraphs.Subgraph;
import dev.federation.examples.subgraphs.SubgraphConfig;
import dev.federation.examples.subgraphs.UsersSubgraph;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The three example subgraphs (users, posts, products), each with its database, its observability and its
 * HTTP server, started together.
 *
 * <pre>{@code
 * ClusterConfig config = ClusterConfig.custom().data(DataSettings.sizes(1_000, 10_000, 100)).build();
 * try (SubgraphCluster cluster = SubgraphCluster.start(config)) {
 *     URI users = cluster.node("users").server().graphqlUri();
 * }
 * }</pre>
 *
 * <p>Every server has the routes {@code POST /graphql}, {@code GET /metrics}, {@code GET /health},
 * {@code GET /debug/federation}, {@code /debug/dataloader}, {@code /debug/cache_stats}, {@code /debug/sql} (with
 * {@link ClusterConfig#debugSql()} only) and {@code POST /admin/mode}. Each subgraph has a kill switch of its own. {@link #close()} stops everything.
 */
public final class SubgraphCluster implements AutoCloseable {

    /** One running subgraph: the subgraph, its observability and its server. */
    public record Node(Subgraph subgraph, SubgraphObservability observability, SubgraphServer server) {
    }

    /** Threads of the batch executor of merged calls, when cross-request batching is on. */
    static final int BATCH_THREADS = 16;

    private final Map<String, Node> nodes;
    private final @org.jspecify.annotations.Nullable ExecutorService batchExecutor;
    /** The shared caches' providers (with {@code --redis}), closed after the subgraphs. */
    private final List<RedisEntityCaches> caches;

    private SubgraphCluster(Map<String, Node> nodes,
            @org.jspecify.annotations.Nullable ExecutorService batchExecutor, List<RedisEntityCaches> caches) {
        this.nodes = Collections.unmodifiableMap(nodes);
        this.batchExecutor = batchExecutor;
        this.caches = List.copyOf(caches);
    }

    /**
     * Seeds the databases and starts the three servers.
     *
     * @throws IllegalStateException when a port cannot be bound (what was started is stopped)
     */
    public static SubgraphCluster start(ClusterConfig config) {
        Map<String, Node> nodes = new LinkedHashMap<>();
        // the JDBC batch functions are synchronous: merged calls run on a pool of their own
        ExecutorService batchExecutor = config.crossRequestWindow() == null ? null
                : Executors.newFixedThreadPool(BATCH_THREADS, r -> {
                    Thread t = new Thread(r, "federation-batch-" + BATCH_THREAD_IDS.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        List<RedisEntityCaches> caches = new ArrayList<>();
        try {
            nodes.put(UsersSubgraph.NAME, node(config, batchExecutor, caches, UsersSubgraph.NAME,
                    config.usersPort(), UsersSubgraph::create));
            nodes.put(PostsSubgraph.NAME, node(config, batchExecutor, caches, PostsSubgraph.NAME,
                    config.postsPort(), PostsSubgraph::create));
            nodes.put(ProductsSubgraph.NAME, node(config, batchExecutor, caches, ProductsSubgraph.NAME,
                    config.productsPort(), ProductsSubgraph::create));
        } catch (RuntimeException e) {
            new SubgraphCluster(nodes, batchExecutor, caches).close();
            throw e;
        }
        return new SubgraphCluster(nodes, batchExecutor, caches);
    }

    private static final java.util.concurrent.atomic.AtomicInteger BATCH_THREAD_IDS =
            new java.util.concurrent.atomic.AtomicInteger();

    private static Node node(ClusterConfig config, @org.jspecify.annotations.Nullable ExecutorService batchExecutor,
            List<RedisEntityCaches> caches, String name, int port, Function<SubgraphConfig, Subgraph> factory) {
        SubgraphConfig.Builder sc = config.subgraph();
        Duration window = config.crossRequestWindow();
        if (window != null && batchExecutor != null) {
            sc.options(FederationOptions.custom()
                    .crossRequest(CrossRequestBatching.custom().window(window).build())
                    .batchExecutor(batchExecutor)
                    .build());
        }
        EntityCacheOptions cache = config.productCache();
        if (cache != null) {
            sc.productCache(cache);
        }
        String redis = config.redis();
        if (redis != null) { // connects only if the subgraph has a cached type
            RedisEntityCaches shared = RedisEntityCaches.builder(redis).prefix("examples-" + name).build();
            caches.add(shared);
            sc.cacheProvider(shared);
        }
        SubgraphConfig base = sc.build();
        SubgraphObservability obs = SubgraphObservability.create(name, base.modeSwitch(),
                config.openTelemetry().openTelemetry(), config.health());
        Subgraph subgraph = null;
        try {
            SubgraphConfig.Builder withObs = base.toBuilder();
            obs.observers().forEach(withObs::observer);
            subgraph = factory.apply(withObs.build());
            obs.bind(subgraph);
            SubgraphServer server = serverFor(subgraph, obs, config.host(), port, config.adminToken(),
                    config.debugSql()).start();
            return new Node(subgraph, obs, server);
        } catch (RuntimeException e) {
            if (subgraph != null) {
                subgraph.close();
            }
            obs.close();
            throw e;
        }
    }

    /**
     * A server (not started) for {@code subgraph} with every route of the examples: GraphQL, metrics, health,
     * debug endpoints and the admin mode switch; {@code /debug/sql}, which shows statement text, only when
     * {@code debugSql}.
     */
    public static SubgraphServer serverFor(Subgraph subgraph, SubgraphObservability obs, String host, int port,
            @org.jspecify.annotations.Nullable String adminToken, boolean debugSql) {
        SubgraphServer.Builder b = SubgraphServer.builder(subgraph)
                .name(subgraph.name())
                .host(host)
                .port(port)
                .modeSwitch(subgraph.entities().modeSwitch())
                .cacheInvalidation(subgraph.entities())
                .adminToken(adminToken)
                .text("/metrics", SubgraphObservability.PROMETHEUS_TYPE, obs::scrape)
                .get("/health", obs::health)
                .get("/ready", () -> subgraph.database().isReachable()
                        ? SubgraphServer.Response.json(200, Map.of("ready", true))
                        : SubgraphServer.Response.json(503, Map.of("ready", false, "reason", "database unreachable")))
                .json("/debug/federation", subgraph::debugFederation)
                .json("/debug/dataloader", subgraph::debugDataLoader)
                .json("/debug/cache_stats", subgraph::debugCacheStats)
                .listener(obs.requestListener())
                .interceptor(obs.tracingInterceptor());
        if (debugSql) {
            b.json("/debug/sql", subgraph::debugSql);
        }
        return b.build();
    }

    /** The running subgraphs by name ({@code users}, {@code posts}, {@code products}), in start order. */
    public Map<String, Node> nodes() {
        return nodes;
    }

    /**
     * The node named {@code name}.
     *
     * @throws IllegalArgumentException when there is none
     */
    public Node node(String name) {
        Node n = nodes.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no subgraph named " + name + "; have " + nodes.keySet());
        }
        return n;
    }

    /** The GraphQL URIs by subgraph name. */
    public Map<String, URI> graphqlUris() {
        Map<String, URI> out = new LinkedHashMap<>();
        nodes.forEach((k, v) -> out.put(k, v.server().graphqlUri()));
        return out;
    }

    /** Switches every subgraph to {@code mode}. */
    public void setMode(FederationMode mode, String reason) {
        for (Node n : nodes.values()) {
            n.subgraph().entities().modeSwitch().set(mode, reason);
        }
    }

    /** Stops the servers, closes the registries and drops the databases; idempotent. */
    @Override
    public void close() {
        List<Node> reversed = new ArrayList<>(nodes.values());
        Collections.reverse(reversed);
        for (Node n : reversed) {
            n.server().close();
            n.observability().close();
            n.subgraph().close();
        }
        if (batchExecutor != null) {
            batchExecutor.shutdownNow();
        }
        for (RedisEntityCaches c : caches) {
            c.close();
        }
    }
}
