package dev.federation.examples;

import dev.federation.core.EntityCacheOptions;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import dev.federation.core.FederationStatistics;
import dev.federation.examples.compat.CompatSubgraph;
import dev.federation.examples.http.SubgraphServer;
import dev.federation.examples.observability.OpenTelemetrySetup;
import dev.federation.examples.observability.SubgraphObservability;
import dev.federation.metrics.FederationCacheMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** {@code serve}: users, posts, products and the compat subgraph, until stopped. */
final class ServeCommand {

    /** Its flags, and whether each takes a value. */
    static final Map<String, Boolean> FLAGS = Map.ofEntries(Map.entry("users-port", true),
            Map.entry("posts-port", true), Map.entry("products-port", true), Map.entry("compat-port", true),
            Map.entry("host", true), Map.entry("mode", true), Map.entry("product-cache", false),
            Map.entry("users", true), Map.entry("posts", true), Map.entry("products", true),
            Map.entry("db-round-trip-ms", true), Map.entry("health-interval-ms", true),
            Map.entry("heap-window-ms", true), Map.entry("heap-minimum-window-ms", true),
            Map.entry("cross-request-window", true), Map.entry("redis", true), Map.entry("debug-sql", false));

    private ServeCommand() {
    }

    /** Runs until the process is stopped. */
    static void run(Map<String, String> flags, OpenTelemetrySetup otel) {
        FederationMode mode = flags.containsKey("mode")
                ? FederationMode.valueOf(flags.get("mode").toUpperCase(Locale.ROOT))
                : FederationModeSwitch.fromEnvironment().mode();
        ClusterConfig.Builder b = ClusterConfig.custom()
                .data(Flags.dataFlags(flags))
                .host(flags.getOrDefault("host", SubgraphServer.DEFAULT_HOST))
                .ports(Flags.intFlag(flags, "users-port", ClusterConfig.DEFAULT_USERS_PORT),
                        Flags.intFlag(flags, "posts-port", ClusterConfig.DEFAULT_POSTS_PORT),
                        Flags.intFlag(flags, "products-port", ClusterConfig.DEFAULT_PRODUCTS_PORT))
                .mode(mode)
                .adminToken(System.getenv(SubgraphServer.ADMIN_TOKEN_VARIABLE))
                .debugSql(flags.containsKey("debug-sql"))
                .openTelemetry(otel);
        if (flags.containsKey("product-cache")) {
            b.productCache(EntityCacheOptions.of(10_000, Duration.ofMinutes(5)));
        }
        b.health(Flags.healthFlags(flags));
        if (flags.containsKey("cross-request-window")) {
            b.crossRequestWindow(Flags.duration("--cross-request-window", flags.get("cross-request-window")));
        }
        if (flags.containsKey("redis")) {
            try {
                b.redis(flags.get("redis"));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--redis must be a Redis URI such as redis://127.0.0.1:6379, was "
                        + flags.get("redis"), e);
            }
        }
        ClusterConfig config = b.build();
        SubgraphCluster cluster = SubgraphCluster.start(config);
        List<AutoCloseable> extra = extraSubgraphs(config, flags, otel);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AutoCloseable c : extra) {
                try {
                    c.close();
                } catch (Exception e) {
                    // stopping anyway
                }
            }
            cluster.close();
            otel.close();
            stopped.countDown();
        }, "shutdown"));
        cluster.graphqlUris().forEach((name, uri) -> System.err.printf(Locale.ROOT, "%-9s %s%n", name, uri));
        System.err.println("mode " + mode + "; admin switch " + (config.adminToken() == null
                ? "disabled (set " + SubgraphServer.ADMIN_TOKEN_VARIABLE + ")" : "enabled") + "; tracing "
                + (otel.enabled() ? "on" : "off") + "; /debug/sql " + (config.debugSql() ? "on" : "off (--debug-sql)")
                + ". Ctrl-C stops.");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The subgraphs that {@code serve} runs next to users, posts and products: the federation compatibility
     * "products" subgraph ({@code --compat-port}, default {@value CompatSubgraph#DEFAULT_PORT}), with its own
     * meters, health monitor, statistics and the admin switch. Each is closed on shutdown.
     */
    static List<AutoCloseable> extraSubgraphs(ClusterConfig config, Map<String, String> flags,
            OpenTelemetrySetup otel) {
        FederationModeSwitch modeSwitch = FederationModeSwitch.of(config.mode());
        SubgraphObservability obs = SubgraphObservability.create("compat", modeSwitch, otel.openTelemetry(),
                config.health());
        FederationStatistics stats = new FederationStatistics();
        CompatSubgraph compat = CompatSubgraph.create(b -> {
            b.modeSwitch(modeSwitch).observer(stats);
            obs.observers().forEach(b::observer);
        });
        FederationCacheMetrics.of(compat.entities()).bindTo(obs.registry());
        obs.healthMonitor().start();
        SubgraphServer server = SubgraphServer.builder(compat::execute)
                .name("compat")
                .host(config.host())
                .port(Flags.intFlag(flags, "compat-port", CompatSubgraph.DEFAULT_PORT))
                .modeSwitch(modeSwitch)
                .adminToken(config.adminToken())
                .text("/metrics", SubgraphObservability.PROMETHEUS_TYPE, obs::scrape)
                .get("/health", obs::health)
                .json("/debug/federation", stats::snapshot)
                .listener(obs.requestListener())
                .interceptor(obs.tracingInterceptor())
                .build()
                .start();
        System.err.printf(Locale.ROOT, "%-9s %s%n", "compat", "http://" + config.host() + ":" + server.port()
                + "/graphql");
        return List.of(server, obs);
    }
}
