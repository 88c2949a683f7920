package dev.federation.examples;

import dev.federation.examples.observability.SubgraphObservability;
import dev.federation.examples.subgraphs.DataSettings;
import dev.federation.health.HealthMonitorConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The command line's flags: parsed once, then read by name; a bad value is an {@code IllegalArgumentException}. */
final class Flags {

    private Flags() {
    }

    /**
     * The flags of {@code args}, each of {@code known} (name to whether it takes a value): {@code --name value},
     * {@code --name=value}, or {@code --name} for a switch.
     *
     * @throws IllegalArgumentException for an unknown flag, a missing value or a stray argument
     */
    static Map<String, String> parse(List<String> args, Map<String, Boolean> known) {
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

    static Duration millisDuration(Map<String, String> flags, String name) {
        int ms = intFlag(flags, name, 0);
        if (ms <= 0) {
            throw new IllegalArgumentException("--" + name + " must be a positive number of milliseconds, was "
                    + flags.get(name));
        }
        return Duration.ofMillis(ms);
    }

    /** {@code --users}, {@code --posts}, {@code --products} and {@code --db-round-trip-ms}, or their defaults. */
    static DataSettings dataFlags(Map<String, String> flags) {
        return new DataSettings(intFlag(flags, "users", DataSettings.DEFAULT_USERS),
                intFlag(flags, "posts", DataSettings.DEFAULT_POSTS),
                intFlag(flags, "products", DataSettings.DEFAULT_PRODUCTS),
                millisFlag(flags, "db-round-trip-ms"));
    }

    static int intFlag(Map<String, String> flags, String name, int defaultValue) {
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

    static Duration millisFlag(Map<String, String> flags, String name) {
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
}
