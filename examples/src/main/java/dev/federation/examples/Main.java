package dev.federation.examples;

import dev.federation.core.EntityCacheOptions;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import dev.federation.core.FederationStatistics;
import dev.federation.examples.compat.CompatSubgraph;
import dev.federation.examples.demo.DemoConfig;
import dev.federation.examples.demo.DemoReport;
import dev.federation.examples.demo.GoLiveDemo;
import dev.federation.examples.http.SubgraphServer;
import dev.federation.examples.observability.OpenTelemetrySetup;
import dev.federation.examples.observability.SubgraphObservability;
import dev.federation.examples.ops.StatusCommand;
import dev.federation.examples.subgraphs.DataSettings;
import dev.federation.health.HealthMonitorConfig;
import dev.federation.metrics.FederationCacheMetrics;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
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
 * java -jar federation-examples.jar serve [--users-port 4001] [--posts-port 4002] [--products-port 4003] [--compat-port 4004]
 *                                          [--host 127.0.0.1] [--mode BATCHED|DIRECT] [--product-cache] [--redis URI]
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
            "usage: java -jar federation-examples.jar [demo|serve|status|help] [options]",
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
            "  serve            run users, posts, products and the compat products subgraph until stopped",
            "    --users-port P --posts-port P --products-port P --compat-port P   (default 4001, 4002, 4003, 4004)",
            "    --host H         address to bind (default 127.0.0.1)",
            "    --mode M         BATCHED or DIRECT (default: from FEDERATION_ENABLED, else BATCHED)",
            "    --product-cache  cache Product across requests (10,000 entries, 5 minutes)",
            "    --redis URI      put the cached types behind a shared level on Redis (e.g. redis://127.0.0.1:6379):",
            "                     two serve processes on one Redis share what they load; POST",
            "                     /admin/cache/invalidate {\"typename\": \"Product\", \"keys\": [{\"id\": \"7\"}]} drops",
            "                     entities on every replica (needs FEDERATION_ADMIN_TOKEN)",
            "    --users N --posts N --products N   data sizes",
            "    --db-round-trip-ms X   simulated network round trip per SQL statement (default 0)",
            "    --debug-sql      serve GET /debug/sql (the statements run, with their text; default: off)",
            "    --cross-request-window D   merge the keys of concurrent requests of one type (for example 2ms,",
            "                     500us): cross-request batching with this window (default: off)",
            "    --health-interval-ms N --heap-window-ms N --heap-minimum-window-ms N   the health monitor's check",
            "                     interval and heap windows (default 30 s, 1 hour, 55 minutes), shortened to try it",
            "",
            "  status           the go-live plan's Day 1 and Week 1 tables from Prometheus; exit 1 if a target is missed",
            "    --prometheus URL   Prometheus base URL (required), e.g. http://127.0.0.1:9090",
            "    --job J          read only the job J (default: every job)",
            "    --window W       rate window (default 5m)",
            "    --subgraphs U,U  subgraph base URLs whose /health to show",
            "",
            "  environment: FEDERATION_ADMIN_TOKEN enables POST /admin/mode; FEDERATION_ENABLED=false starts in",
            "  DIRECT mode; OTEL_* variables (OTEL_TRACES_EXPORTER, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME)",
            "  turn tracing on.");

    private Main() {
    }

    /** The flags of {@code demo}, and whether each takes a value. */
    static final Map<String, Boolean> DEMO_FLAGS = Map.of("rounds", true, "warmup", true, "users", true,
            "posts", true, "products", true, "quiet", false, "db-round-trip-ms", true);
    /** The flags of {@code serve}, and whether each takes a value. */
    static final Map<String, Boolean> SERVE_FLAGS = Map.ofEntries(Map.entry("users-port", true),
            Map.entry("posts-port", true), Map.entry("products-port", true), Map.entry("compat-port", true),
            Map.entry("host", true), Map.entry("mode", true), Map.entry("product-cache", false),
            Map.entry("users", true), Map.entry("posts", true), Map.entry("products", true),
            Map.entry("db-round-trip-ms", true), Map.entry("health-interval-ms", true),
            Map.entry("heap-window-ms", true), Map.entry("heap-minimum-window-ms", true),
            Map.entry("cross-request-window", true), Map.entry("redis", true), Map.entry("debug-sql", false));
    /** The flags of {@code status}, and whether each takes a value. */
    static final Map<String, Boolean> STATUS_FLAGS = Map.of("prometheus", true, "job", true, "window", true,
            "subgraphs", true);

    /** A parsed command line: {@code demo}, {@code serve} or {@code help}, and its flags. */
    record Command(String name, Map<String, String> flags) {
    }

    /**
     * Parses the command line. {@code help}, {@code -h} or {@code --help} anywhere asks for the usage.
     *
     * @throws IllegalArgumentException for an unknown command or flag, a missing value or a stray argument
     */
    static Command parse(List<String> args) {
        for (String a : args) {
            if (a.equals("help") || a.equals("-h") || a.equals("--help")) {
                return new Command("help", Map.of());
            }
        }
        List<String> rest = new ArrayList<>(args);
        String command = rest.isEmpty() || rest.get(0).startsWith("-") ? "demo" : rest.remove(0);
        Map<String, Boolean> known = switch (command) {
            case "demo" -> DEMO_FLAGS;
            case "serve" -> SERVE_FLAGS;
            case "status" -> STATUS_FLAGS;
            default -> throw new IllegalArgumentException("unknown command: " + command);
        };
        Map<String, String> flags = flags(rest, known);
        if (flags.containsKey("mode")) {
            String m = flags.get("mode").toUpperCase(Locale.ROOT);
            if (!m.equals("BATCHED") && !m.equals("DIRECT")) {
                throw new IllegalArgumentException("--mode must be BATCHED or DIRECT, was " + flags.get("mode"));
            }
        }
        if (flags.containsKey("cross-request-window")) {
            duration("--cross-request-window", flags.get("cross-request-window"));
        }
        if (command.equals("status") && !flags.containsKey("prometheus")) {
            throw new IllegalArgumentException("status needs --prometheus URL");
        }
        return new Command(command, flags);
    }

    /** Runs the command line; see the class comment. */
    public static void main(String[] args) {
        Command c;
        try {
            c = parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("federation-examples: " + e.getMessage());
            System.err.println(USAGE_TEXT);
            System.exit(USAGE);
            return;
        }
        try {
            switch (c.name()) {
                case "demo" -> {
                    configureLogs("System.err", "WARN");
                    System.exit(demo(c.flags(), System.out));
                }
                case "serve" -> {
                    configureLogs("System.out", "INFO");
                    OpenTelemetrySetup otel;
                    try {
                        otel = OpenTelemetrySetup.fromEnvironment();
                    } catch (OpenTelemetrySetup.UnsupportedSettingException e) {
                        System.err.println("federation-examples: " + e.getMessage());
                        System.exit(USAGE);
                        return;
                    }
                    serve(c.flags(), otel);
                }
                case "status" -> System.exit(status(c.flags(), System.out, System.err));
                default -> System.out.println(USAGE_TEXT);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("federation-examples: " + e.getMessage());
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
                .data(dataFlags(flags))
                .rounds(intFlag(flags, "rounds", DemoConfig.DEFAULT_ROUNDS))
                .warmupRounds(intFlag(flags, "warmup", DemoConfig.DEFAULT_WARMUP_ROUNDS));
        if (flags.containsKey("quiet")) {
            b.progress(null);
        }
        DemoReport report = GoLiveDemo.run(b.build()); // the subgraphs are stopped: no thread logs from here on
        System.err.flush();
        // one write, so that nothing written to stderr can land inside the table when both go to one file
        out.print(System.lineSeparator() + "Go-live success metrics (measured)" + System.lineSeparator()
                + System.lineSeparator() + report.table());
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

    /**
     * Runs {@code status} with {@code flags} (without the leading {@code --}).
     *
     * @return the {@link StatusCommand} exit status
     */
    public static int status(Map<String, String> flags, PrintStream out, PrintStream err) {
        List<URI> subgraphs = new ArrayList<>();
        for (String s : flags.getOrDefault("subgraphs", "").split(",")) {
            if (!s.isBlank()) {
                subgraphs.add(uri("--subgraphs", s.trim()));
            }
        }
        return new StatusCommand(uri("--prometheus", flags.get("prometheus")), flags.get("job"),
                flags.getOrDefault("window", "5m"), subgraphs).run(out, err);
    }

    private static URI uri(String flag, String value) {
        try {
            URI u = new URI(value);
            if (u.getScheme() == null || u.getHost() == null) {
                throw new URISyntaxException(value, "needs http://host:port");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(flag + " must be a URL such as http://127.0.0.1:9090, was " + value);
        }
    }

    private static void serve(Map<String, String> flags, OpenTelemetrySetup otel) {
        FederationMode mode = flags.containsKey("mode")
                ? FederationMode.valueOf(flags.get("mode").toUpperCase(Locale.ROOT))
                : FederationModeSwitch.fromEnvironment().mode();
        ClusterConfig.Builder b = ClusterConfig.custom()
                .data(dataFlags(flags))
                .host(flags.getOrDefault("host", SubgraphServer.DEFAULT_HOST))
                .ports(intFlag(flags, "users-port", ClusterConfig.DEFAULT_USERS_PORT),
                        intFlag(flags, "posts-port", ClusterConfig.DEFAULT_POSTS_PORT),
                        intFlag(flags, "products-port", ClusterConfig.DEFAULT_PRODUCTS_PORT))
                .mode(mode)
                .adminToken(System.getenv(SubgraphServer.ADMIN_TOKEN_VARIABLE))
                .debugSql(flags.containsKey("debug-sql"))
                .openTelemetry(otel);
        if (flags.containsKey("product-cache")) {
            b.productCache(EntityCacheOptions.of(10_000, Duration.ofMinutes(5)));
        }
        b.health(healthFlags(flags));
        if (flags.containsKey("cross-request-window")) {
            b.crossRequestWindow(duration("--cross-request-window", flags.get("cross-request-window")));
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
                .port(intFlag(flags, "compat-port", CompatSubgraph.DEFAULT_PORT))
                .modeSwitch(modeSwitch)
                .adminToken(config.adminToken())
                .text("/metrics", SubgraphObservability.PROMETHEUS_TYPE, obs::scrape)
                .get("/health", q -> obs.health())
                .json("/debug/federation", stats::snapshot)
                .listener(obs.requestListener())
                .interceptor(obs.tracingInterceptor())
                .build()
                .start();
        System.err.printf(Locale.ROOT, "%-9s %s%n", "compat", "http://" + config.host() + ":" + server.port()
                + "/graphql");
        return List.of(server, obs);
    }

    /**
     * The flags of {@code args}, each of {@code known} (name to whether it takes a value): {@code --name value},
     * {@code --name=value}, or {@code --name} for a switch.
     *
     * @throws IllegalArgumentException for an unknown flag, a missing value or a stray argument
     */
    static Map<String, String> flags(List<String> args, Map<String, Boolean> known) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--") || a.length() < 3) {
                throw new IllegalArgumentException("unexpected argument: " + a);
            }
            String name = a.substring(2);
            int eq = name.indexOf('=');
            String value = null;
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Boolean takesValue = known.get(name);
            if (takesValue == null) {
                throw new IllegalArgumentException("unknown flag: --" + name);
            }
            if (takesValue && value == null) {
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                value = args.get(++i);
            } else if (!takesValue && value != null) {
                throw new IllegalArgumentException("--" + name + " takes no value");
            }
            out.put(name, takesValue ? value : "true");
        }
        return out;
    }

    /**
     * The health monitor's settings: the examples' ({@link SubgraphObservability#DEFAULT_HEALTH}), with
     * {@code --health-interval-ms}, {@code --heap-window-ms} and {@code --heap-minimum-window-ms} when given.
     */
    static HealthMonitorConfig healthFlags(Map<String, String> flags) {
        HealthMonitorConfig d = SubgraphObservability.DEFAULT_HEALTH;
        HealthMonitorConfig.Builder b = HealthMonitorConfig.custom().heapAllowanceBytes(d.heapAllowanceBytes());
        if (flags.containsKey("health-interval-ms")) {
            b.checkInterval(millisDuration(flags, "health-interval-ms"));
        }
        if (flags.containsKey("heap-window-ms")) {
            b.heapWindow(millisDuration(flags, "heap-window-ms"));
        }
        if (flags.containsKey("heap-minimum-window-ms")) {
            b.heapMinimumWindow(millisDuration(flags, "heap-minimum-window-ms"));
        }
        try {
            return b.build();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * A duration written as a number and a unit: {@code 2ms}, {@code 500us}, {@code 1s}, {@code 250000ns}.
     *
     * @throws IllegalArgumentException naming {@code flag} for anything else, or a duration that is not positive
     */
    static Duration duration(String flag, String value) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})(ns|us|ms|s)").matcher(value.trim());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new IllegalArgumentException(flag + " must be a positive number with a unit (ns, us, ms, s), "
                    + "such as 2ms, was " + value);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ns" -> Duration.ofNanos(n);
            case "us" -> Duration.ofNanos(n * 1_000);
            case "ms" -> Duration.ofMillis(n);
            default -> Duration.ofSeconds(n);
        };
    }

    private static Duration millisDuration(Map<String, String> flags, String name) {
        int ms = intFlag(flags, name, 0);
        if (ms <= 0) {
            throw new IllegalArgumentException("--" + name + " must be a positive number of milliseconds, was "
                    + flags.get(name));
        }
        return Duration.ofMillis(ms);
    }

    /** {@code --users}, {@code --posts}, {@code --products} and {@code --db-round-trip-ms}, or their defaults. */
    private static DataSettings dataFlags(Map<String, String> flags) {
        return new DataSettings(intFlag(flags, "users", DataSettings.DEFAULT_USERS),
                intFlag(flags, "posts", DataSettings.DEFAULT_POSTS),
                intFlag(flags, "products", DataSettings.DEFAULT_PRODUCTS),
                millisFlag(flags, "db-round-trip-ms"));
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
