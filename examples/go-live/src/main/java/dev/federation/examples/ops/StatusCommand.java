package dev.federation.examples.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoublePredicate;
import org.jspecify.annotations.Nullable;

/**
 * {@code status}: the go-live plan's morning checklist and canary check, from a Prometheus server. It prints the
 * plan's Day 1 and Week 1 success tables with the Actual column filled from PromQL over the last
 * {@code window}, the health of each subgraph given, and returns a non-zero status when a target is missed, so
 * that it can gate a pipeline.
 *
 * <pre>
 * java -jar federation-examples.jar status --prometheus http://127.0.0.1:9090 [--job users] [--window 5m]
 *     [--subgraphs http://127.0.0.1:4001,http://127.0.0.1:4002]
 * </pre>
 *
 * <p>Exit status: 0 every target met, {@value #MISSED} a target missed (or its series absent: a number that
 * cannot be read is not a number that is met), {@value #UNREACHABLE} Prometheus did not answer.
 */
public final class StatusCommand {

    /** Exit status when a target is missed. */
    public static final int MISSED = 1;
    /** Exit status when Prometheus cannot be reached or refuses a query. */
    public static final int UNREACHABLE = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One number of a table: its PromQL, how to show it, and the target it must meet. */
    record Check(String table, String metric, String baseline, String target, String promql, Unit unit,
            DoublePredicate met) {
    }

    enum Unit { PERCENT, MILLIS, BYTES, NUMBER }

    /** A check's result: the value ({@code NaN} when absent) and the verdict. */
    record Result(Check check, double value, boolean absent, boolean met) {
    }

    private final URI prometheus;
    private final String selector;
    private final String window;
    private final List<URI> subgraphs;
    private final HttpClient http;

    /** The flags of {@code status}, and whether each takes a value. */
    public static final java.util.Map<String, Boolean> FLAGS = java.util.Map.of("prometheus", true, "job", true,
            "window", true, "subgraphs", true);

    /**
     * The command from its flags (without the leading {@code --}): {@code prometheus} (required), {@code job},
     * {@code window} (default 5m), {@code subgraphs} (comma-separated base URLs).
     *
     * @throws IllegalArgumentException for a URL that is not one
     */
    public static StatusCommand fromFlags(java.util.Map<String, String> flags) {
        List<URI> subgraphs = new ArrayList<>();
        for (String s : flags.getOrDefault("subgraphs", "").split(",")) {
            if (!s.isBlank()) {
                subgraphs.add(uri("--subgraphs", s.trim()));
            }
        }
        return new StatusCommand(uri("--prometheus", flags.get("prometheus")), flags.get("job"),
                flags.getOrDefault("window", "5m"), subgraphs);
    }

    private static URI uri(String flag, String value) {
        try {
            URI u = new URI(value);
            if (u.getScheme() == null || u.getHost() == null) {
                throw new java.net.URISyntaxException(value, "needs http://host:port");
            }
            return u;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(flag + " must be a URL such as http://127.0.0.1:9090, was " + value);
        }
    }


    /**
     * @param prometheus the Prometheus base URL, e.g. {@code http://127.0.0.1:9090}
     * @param job the {@code job} label to read, or {@code null} for every job
     * @param window the PromQL range of the rates, e.g. {@code 5m}
     * @param subgraphs base URLs of subgraphs whose {@code /health} to show (may be empty)
     */
    public StatusCommand(URI prometheus, @Nullable String job, String window, List<URI> subgraphs) {
        if (!window.matches("\\d+[smhd]")) {
            throw new IllegalArgumentException("--window must be a PromQL duration such as 5m, was " + window);
        }
        if (job != null && !job.matches("[A-Za-z0-9_.:-]+")) {
            throw new IllegalArgumentException("--job must be a plain label value, was " + job);
        }
        this.prometheus = prometheus;
        this.selector = job == null ? "" : "job=\"" + job + "\"";
        this.window = window;
        this.subgraphs = List.copyOf(subgraphs);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    private String sel(String extra) {
        if (selector.isEmpty()) {
            return extra.isEmpty() ? "" : "{" + extra + "}";
        }
        return "{" + selector + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    /** The checks of the plan's Day 1 and Week 1 tables, in the plan's order. */
    List<Check> checks() {
        String w = "[" + window + "]";
        String errors = "((sum(rate(federation_entity_loads_total" + sel("outcome=\"error\"") + w + ")) or vector(0))"
                + " - (sum(rate(federation_entity_rejections_total" + sel("") + w + ")) or vector(0)))"
                + " / (sum(rate(federation_entity_loads_total" + sel("") + w + "))"
                + " - (sum(rate(federation_entity_rejections_total" + sel("") + w + ")) or vector(0)))";
        String p99 = "histogram_quantile(0.99, sum by (le) (rate(federation_entities_requests_seconds_bucket"
                + sel("") + w + ")))";
        String heap = "max(sum by (instance) (jvm_memory_used_bytes" + sel("area=\"heap\"") + "))";
        String effectiveness = "1 - sum(rate(federation_backend_calls_total" + sel("") + w + "))"
                + " / sum(rate(federation_entity_loads_total" + sel("") + w + "))";
        String queriesPerRequest = "sum(rate(federation_backend_calls_total" + sel("") + w + "))"
                + " / sum(rate(federation_entities_requests_seconds_count" + sel("") + w + "))";
        String meanResponse = "sum(rate(federation_entities_requests_seconds_sum" + sel("") + w + "))"
                + " / sum(rate(federation_entities_requests_seconds_count" + sel("") + w + "))";
        String dbLoad = "sum(rate(federation_backend_calls_total" + sel("") + w + "))"
                + " / sum(rate(federation_entity_loads_total" + sel("") + w + "))";
        return List.of(
                new Check("Day 1", "Error Rate", "", "< 1%", errors, Unit.PERCENT, v -> v < 0.01),
                new Check("Day 1", "P99 Latency", "", "< 500ms", p99, Unit.MILLIS, v -> v < 0.5),
                new Check("Day 1", "Memory Usage", "", "< 1GB", heap, Unit.BYTES, v -> v < 1e9),
                new Check("Day 1", "Batch Effectiveness", "", "> 80%", effectiveness, Unit.PERCENT, v -> v > 0.8),
                new Check("Week 1", "Query Count", "100", "5-20", queriesPerRequest, Unit.NUMBER, v -> v <= 20),
                new Check("Week 1", "Response Time", "1000ms", "100-150ms", meanResponse, Unit.MILLIS,
                        v -> v <= 0.150),
                new Check("Week 1", "DB Load", "100%", "20-30%", dbLoad, Unit.PERCENT, v -> v <= 0.30),
                new Check("Week 1", "Error Rate", "N/A", "< 0.5%", errors, Unit.PERCENT, v -> v < 0.005));
    }

    /**
     * Prints the tables (and the subgraphs' health) on {@code out}, problems on {@code err}.
     *
     * @return 0, {@value #MISSED} or {@value #UNREACHABLE}
     */
    public int run(PrintStream out, PrintStream err) {
        List<Result> results = new ArrayList<>();
        for (Check c : checks()) {
            Double v;
            try {
                v = query(c.promql());
            } catch (IOException e) {
                err.println("status: Prometheus at " + prometheus + " did not answer: " + e.getMessage());
                return UNREACHABLE;
            } catch (IllegalStateException e) {
                err.println("status: Prometheus refused the query of " + c.metric() + ": " + e.getMessage());
                return UNREACHABLE;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return UNREACHABLE;
            }
            boolean absent = v == null || v.isNaN();
            double value = absent ? Double.NaN : v;
            results.add(new Result(c, value, absent, !absent && c.met().test(value)));
        }
        out.println("## Immediate (Day 1)");
        out.println();
        out.println("| Metric | Target | Actual | Result |");
        out.println("|--------|--------|--------|--------|");
        for (Result r : results) {
            if (r.check().table().equals("Day 1")) {
                out.printf(Locale.ROOT, "| %s | %s | %s | %s |%n", r.check().metric(), r.check().target(),
                        show(r), verdict(r));
            }
        }
        out.println();
        out.println("## Week 1");
        out.println();
        out.println("| Metric | Baseline | Target | Actual | Result |");
        out.println("|--------|----------|--------|--------|--------|");
        for (Result r : results) {
            if (r.check().table().equals("Week 1")) {
                out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", r.check().metric(), r.check().baseline(),
                        r.check().target(), show(r), verdict(r));
            }
        }
        boolean ok = results.stream().allMatch(Result::met);
        for (Result r : results) {
            if (r.absent()) {
                err.println("status: no data for " + r.check().metric() + " (" + r.check().table()
                        + "): the series is absent; query: " + r.check().promql());
            } else if (!r.met()) {
                err.println("status: target missed: " + r.check().metric() + " (" + r.check().table() + ") is "
                        + show(r) + ", target " + r.check().target());
            }
        }
        if (!subgraphs.isEmpty()) {
            out.println();
            out.println("## Subgraphs");
            out.println();
            out.println("| Subgraph | Health | Mode |");
            out.println("|----------|--------|------|");
            for (URI s : subgraphs) {
                String[] health = health(s);
                out.printf(Locale.ROOT, "| %s | %s | %s |%n", s, health[0], health[1]);
                if (!health[0].equals("HEALTHY") && !health[0].equals("DEGRADED")) {
                    err.println("status: subgraph " + s + " is " + health[0]);
                    ok = false;
                }
            }
        }
        out.println();
        out.println(ok ? "All targets met." : "Targets missed: see above.");
        return ok ? 0 : MISSED;
    }

    /** The scalar value of an instant query, or {@code null} when the result is empty. */
    @Nullable Double query(String promql) throws IOException, InterruptedException {
        URI uri = prometheus.resolve("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("HTTP " + r.statusCode() + ", not a Prometheus API answer");
        }
        if (!"success".equals(body.path("status").asText())) {
            throw new IllegalStateException(body.path("error").asText("HTTP " + r.statusCode()));
        }
        JsonNode result = body.path("data").path("result");
        if (!result.isArray() || result.isEmpty()) {
            return null;
        }
        return Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    /** {status, mode} of a subgraph's {@code /health}, or {@code {"UNREACHABLE: ...", "-"}}. */
    private String[] health(URI subgraph) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(subgraph.resolve("/health"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(r.body());
            return new String[] {body.path("status").asText("UNKNOWN"), body.path("mode").asText("-")};
        } catch (IOException e) {
            return new String[] {"UNREACHABLE (" + e.getClass().getSimpleName() + ")", "-"};
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new String[] {"UNREACHABLE (interrupted)", "-"};
        }
    }

    private static String show(Result r) {
        if (r.absent()) {
            return "no data";
        }
        double v = r.value();
        return switch (r.check().unit()) {
            case PERCENT -> String.format(Locale.ROOT, "%.2f%%", v * 100);
            case MILLIS -> String.format(Locale.ROOT, "%.1fms", v * 1000);
            case BYTES -> String.format(Locale.ROOT, "%.0fMB", v / 1e6);
            case NUMBER -> String.format(Locale.ROOT, "%.1f", v);
        };
    }

    private static String verdict(Result r) {
        return r.absent() ? "NO DATA" : r.met() ? "PASS" : "FAIL";
    }
}
