package dev.federation.examples;

import dev.federation.core.EntityCacheOptions;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import dev.federation.examples.demo.DemoConfig;
import dev.federation.examples.demo.DemoReport;
import dev.federation.examples.demo.GoLiveDemo;
import dev.federation.examples.http.SubgraphServer;
import dev.federation.examples.observability.OpenTelemetrySetup;
import dev.federation.examples.subgraphs.SubgraphConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The command line of {@code federation-examples.jar}.
 *
 * <pre>
 * java -jar federation-examples.jar [demo] [--rounds N] [--warmup N] [--users N] [--posts N] [--products N] [--quiet]
 * java -jar federation-examples.jar serve [--users-port 4001] [--posts-port 4002] [--products-port 4003]
 *                                          [--host 127.0.0.1] [--mode BATCHED|DIRECT] [--product-cache]
 * </pre>
 *
 * <p>{@code demo} (the default) prints the go-live table on stdout and exits 1 when a target is missed, 2 for
 * a bad command line and 3 when the subgraphs cannot start.
 * {@code serve} runs until stopped (Ctrl-C). Logs are JSON lines (stderr for {@code demo}, stdout for
 * {@code serve}).
 */
public final class Main {

    /** Exit status when a go-live target is missed. */
    public static final int TARGET_MISSED = 1;
    /** Exit status when the subgraphs cannot start (a port taken, ...). */
    public static final int FAILED = 3;
    /** Exit status for a bad command line. */
    public static final int USAGE = 2;

    private static final String USAGE_TEXT = String.join("\n",
            "usage: java -jar federation-examples.jar [demo|serve|help] [options]",
            "",
            "  demo (default)   start the subgraphs in-process, send a gateway's workload in DIRECT then BATCHED",
            "                   mode, print the go-live success-metrics table; exit 1 if a target is missed",
            "    --rounds N       measured rounds per mode (default " + DemoConfig.DEFAULT_ROUNDS + ", "
                    + GoLiveDemo.REQUESTS_PER_ROUND + " requests each)",
            "    --warmup N       warm-up rounds per mode (default " + DemoConfig.DEFAULT_WARMUP_ROUNDS + ")",
            "    --users N --posts N --products N   data sizes (default 10000, 100000, 1000)",
            "    --quiet          no progress indicator",
            "    --db-round-trip-ms X   add X ms to each SQL statement, standing for the network round trip to a",
            "                     database on another machine (default 0: the in-memory database as it is)",
            "",
            "  serve            run users, posts and products subgraphs until stopped",
            "    --users-port P --posts-port P --products-port P   (default 4001, 4002, 4003)",
            "    --host H         address to bind (default 127.0.0.1)",
            "    --mode M         BATCHED or DIRECT (default: from FEDERATION_ENABLED, else BATCHED)",
            "    --product-cache  cache Product across requests (10,000 entries, 5 minutes)",
            "    --users N --posts N --products N   data sizes",
            "    --db-round-trip-ms X   simulated network round trip per SQL statement (default 0)",
            "",
            "  environment: FEDERATION_ADMIN_TOKEN enables POST /admin/mode; FEDERATION_ENABLED=false starts in",
            "  DIRECT mode; OTEL_* variables (OTEL_TRACES_EXPORTER, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME)",
            "  turn tracing on.");

    private Main() {
    }

    /** Runs the command line; see the class comment. */
    public static void main(String[] args) {
        List<String> rest = new ArrayList<>(List.of(args));
        String command = rest.isEmpty() || rest.get(0).startsWith("--") ? "demo" : rest.remove(0);
        Map<String, String> flags;
        try {
            flags = flags(rest);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE_TEXT);
            System.exit(USAGE);
            return;
        }
        try {
            switch (command) {
                case "demo" -> {
                    configureLogs("System.err", "WARN");
                    System.exit(demo(flags, System.out));
                }
                case "serve" -> {
                    configureLogs("System.out", "INFO");
                    serve(flags);
                }
                case "help", "-h", "--help" -> System.out.println(USAGE_TEXT);
                default -> throw new IllegalArgumentException("unknown command: " + command);
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE_TEXT);
            System.exit(USAGE);
        } catch (IllegalStateException e) {
            // e.g. a port already taken
            System.err.println("cannot start: " + e.getMessage());
            System.exit(FAILED);
        }
    }

    /**
     * Runs the demo with {@code flags} (without the leading {@code --}), prints the table on {@code out}.
     *
     * @return 0 when every go-live target holds, {@link #TARGET_MISSED} otherwise
     */
    public static int demo(Map<String, String> flags, PrintStream out) {
        DemoConfig.Builder b = DemoConfig.custom()
                .sizes(intFlag(flags, "users", SubgraphConfig.DEFAULT_USERS),
                        intFlag(flags, "posts", SubgraphConfig.DEFAULT_POSTS),
                        intFlag(flags, "products", SubgraphConfig.DEFAULT_PRODUCTS))
                .rounds(intFlag(flags, "rounds", DemoConfig.DEFAULT_ROUNDS))
                .warmupRounds(intFlag(flags, "warmup", DemoConfig.DEFAULT_WARMUP_ROUNDS))
                .dbRoundTrip(millisFlag(flags, "db-round-trip-ms"));
        if (flags.containsKey("quiet")) {
            b.progress(null);
        }
        DemoReport report = GoLiveDemo.run(b.build());
        out.println();
        out.println("Go-live success metrics (measured)");
        out.println();
        out.print(report.table());
        out.flush();
        if (!report.targetsMet()) {
            for (DemoReport.Row r : report.misses()) {
                System.err.println("go-live target missed: " + r.metric() + " " + r.target() + ", measured "
                        + r.after());
            }
            return TARGET_MISSED;
        }
        return 0;
    }

    private static void serve(Map<String, String> flags) {
        FederationMode mode = flags.containsKey("mode")
                ? FederationMode.valueOf(flags.get("mode").toUpperCase(Locale.ROOT))
                : FederationModeSwitch.fromEnvironment().mode();
        OpenTelemetrySetup otel = OpenTelemetrySetup.fromEnvironment();
        ClusterConfig.Builder b = ClusterConfig.custom()
                .sizes(intFlag(flags, "users", SubgraphConfig.DEFAULT_USERS),
                        intFlag(flags, "posts", SubgraphConfig.DEFAULT_POSTS),
                        intFlag(flags, "products", SubgraphConfig.DEFAULT_PRODUCTS))
                .host(flags.getOrDefault("host", SubgraphServer.DEFAULT_HOST))
                .ports(intFlag(flags, "users-port", ClusterConfig.DEFAULT_USERS_PORT),
                        intFlag(flags, "posts-port", ClusterConfig.DEFAULT_POSTS_PORT),
                        intFlag(flags, "products-port", ClusterConfig.DEFAULT_PRODUCTS_PORT))
                .mode(mode)
                .adminToken(System.getenv(SubgraphServer.ADMIN_TOKEN_VARIABLE))
                .openTelemetry(otel)
                .dbRoundTrip(millisFlag(flags, "db-round-trip-ms"));
        if (flags.containsKey("product-cache")) {
            b.productCache(EntityCacheOptions.of(10_000, Duration.ofMinutes(5)));
        }
        ClusterConfig config = b.build();
        SubgraphCluster cluster = SubgraphCluster.start(config);
        List<AutoCloseable> extra = extraSubgraphs(config, flags);
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
                + (otel.enabled() ? "on" : "off") + ". Ctrl-C stops.");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Subgraphs that {@code serve} runs next to users, posts and products; each is closed on shutdown.
     *
     * <p>This is where the compat products subgraph ({@code --compat-port}, default 4004) plugs in; any
     * {@link dev.federation.examples.http.GraphQlEndpoint} is served the same way, e.g.:
     * <pre>{@code
     * CompatSubgraph compat = CompatSubgraph.create();
     * SubgraphServer server = SubgraphServer.builder(compat::execute)
     *     .name("compat").host(config.host()).port(intFlag(flags, "compat-port", 4004))
     *     .modeSwitch(compat.entities().modeSwitch()).adminToken(config.adminToken())
     *     .build().start();
     * return List.of(server);
     * }</pre>
     */
    static List<AutoCloseable> extraSubgraphs(ClusterConfig config, Map<String, String> flags) {
        return List.of();
    }

    static Map<String, String> flags(List<String> args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--") || a.length() < 3) {
                throw new IllegalArgumentException("unexpected argument: " + a);
            }
            String name = a.substring(2);
            int eq = name.indexOf('=');
            if (eq >= 0) {
                out.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                out.put(name, args.get(++i));
            } else {
                out.put(name, "true");
            }
        }
        return out;
    }

    private static int intFlag(Map<String, String> flags, String name, int defaultValue) {
        String v = flags.get(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, was " + v, e);
        }
    }

    private static Duration millisFlag(Map<String, String> flags, String name) {
        String v = flags.get(name);
        if (v == null) {
            return Duration.ZERO;
        }
        try {
            return Duration.ofNanos(Math.round(Double.parseDouble(v) * 1_000_000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number of milliseconds, was " + v, e);
        }
    }

    private static void configureLogs(String target, String level) {
        if (System.getProperty("log.target") == null) {
            System.setProperty("log.target", target);
        }
        if (System.getProperty("root.log.level") == null) {
            System.setProperty("root.log.level", level);
        }
        if (System.getProperty("federation.log.level") == null) {
            System.setProperty("federation.log.level", level);
        }
    }
}
