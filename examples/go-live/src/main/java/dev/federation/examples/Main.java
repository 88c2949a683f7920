package dev.federation.examples;

import dev.federation.examples.demo.DemoConfig;
import dev.federation.examples.demo.GoLiveDemo;
import dev.federation.examples.observability.OpenTelemetrySetup;
import dev.federation.examples.ops.StatusCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The command line of {@code federation-examples.jar}: parses it and hands it to {@link DemoCommand},
 * {@link ServeCommand} or {@link StatusCommand}.
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
            case "demo" -> DemoCommand.FLAGS;
            case "serve" -> ServeCommand.FLAGS;
            case "status" -> StatusCommand.FLAGS;
            default -> throw new IllegalArgumentException("unknown command: " + command);
        };
        Map<String, String> flags = Flags.parse(rest, known);
        if (flags.containsKey("mode")) {
            String m = flags.get("mode").toUpperCase(Locale.ROOT);
            if (!m.equals("BATCHED") && !m.equals("DIRECT")) {
                throw new IllegalArgumentException("--mode must be BATCHED or DIRECT, was " + flags.get("mode"));
            }
        }
        if (flags.containsKey("cross-request-window")) {
            Flags.duration("--cross-request-window", flags.get("cross-request-window"));
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
                    System.exit(DemoCommand.run(c.flags(), System.out));
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
                    ServeCommand.run(c.flags(), otel);
                }
                case "status" -> System.exit(StatusCommand.fromFlags(c.flags()).run(System.out, System.err));
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
