package dev.federation.examples.observability;

import dev.federation.core.FederationModeSwitch;
import dev.federation.health.FederationViews;
import dev.federation.core.observer.FederationObserver;
import dev.federation.examples.http.SubgraphServer;
import dev.federation.examples.subgraphs.ParsedDocuments;
import dev.federation.examples.subgraphs.Subgraph;
import dev.federation.health.FederationHealthMonitor;
import dev.federation.health.HealthMonitorConfig;
import dev.federation.health.HealthReport;
import dev.federation.health.WindowStatistics;
import dev.federation.metrics.FederationCacheMetrics;
import dev.federation.metrics.FederationMetrics;
import dev.federation.metrics.HealthMonitorMetrics;
import dev.federation.tracing.FederationTelemetry;
import graphql.ExecutionResult;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * What one subgraph publishes about itself: its own Prometheus registry with the library's meters
 * ({@link FederationMetrics}), cache meters, JVM meters and an {@code http.server.requests} timer; the
 * spans and batch logs of {@link FederationTelemetry}; and the {@link FederationHealthMonitor} behind
 * {@code /health}.
 *
 * <pre>{@code
 * SubgraphObservability obs = SubgraphObservability.create("users", modeSwitch, otel.openTelemetry());
 * Subgraph users = UsersSubgraph.create(config.toBuilder().observers(obs.observers())...build());
 * obs.bind(users);
 * SubgraphServer.builder(users).text("/metrics", SubgraphObservability.PROMETHEUS_TYPE, obs::scrape)...
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops the health checks and closes the registry.
 */
public final class SubgraphObservability implements AutoCloseable {

    /** The content type of a Prometheus text scrape. */
    public static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";


    /**
     * What the server's bounded parsed-query cache may hold, declared to the health monitor as heap allowance:
     * its {@value ParsedDocuments#DEFAULT_MAX_CHARS} characters of query text at 10 bytes of parsed document per
     * character (45 queries of 92k characters held about 35 MB when the attack of issue 22 was measured).
     */
    public static final long PARSED_QUERY_CACHE_BYTES = ParsedDocuments.DEFAULT_MAX_CHARS * 10;

    /** The health settings of the examples: the library's defaults, with the parsed-query cache allowed for. */
    public static final HealthMonitorConfig DEFAULT_HEALTH = HealthMonitorConfig.custom()
            .heapAllowanceBytes(PARSED_QUERY_CACHE_BYTES)
            .build();

    private final String subgraph;
    private final FederationModeSwitch modeSwitch;
    private final PrometheusMeterRegistry registry;
    private final FederationMetrics metrics;
    private final FederationTelemetry telemetry;
    private final FederationHealthMonitor health;
    private final io.opentelemetry.api.OpenTelemetry openTelemetry;
    private final Tracer tracer;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final JvmHeapPressureMetrics heapPressure = new JvmHeapPressureMetrics();

    private SubgraphObservability(String subgraph, FederationModeSwitch modeSwitch,
            io.opentelemetry.api.OpenTelemetry openTelemetry, HealthMonitorConfig healthConfig) {
        this.subgraph = subgraph;
        this.modeSwitch = modeSwitch;
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags(List.of(Tag.of("service", subgraph)));
        this.metrics = FederationMetrics.builder().modeSwitch(modeSwitch).build();
        metrics.bindTo(registry);
        this.telemetry = FederationTelemetry.create(openTelemetry);
        this.openTelemetry = openTelemetry;
        this.tracer = openTelemetry.getTracer("dev.federation.examples");
        this.health = FederationHealthMonitor.builder(metrics.healthWindow(), modeSwitch)
                .config(healthConfig)
                .build();
        HealthMonitorMetrics.of(health).bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        heapPressure.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    /**
     * Meters, spans and health for the subgraph {@code subgraph} whose entities use {@code modeSwitch}.
     *
     * @param openTelemetry the process's OpenTelemetry ({@link OpenTelemetrySetup}); noop for no tracing
     */
    public static SubgraphObservability create(String subgraph, FederationModeSwitch modeSwitch,
            io.opentelemetry.api.OpenTelemetry openTelemetry) {
        return create(subgraph, modeSwitch, openTelemetry, DEFAULT_HEALTH);
    }

    /**
     * As {@link #create(String, FederationModeSwitch, io.opentelemetry.api.OpenTelemetry)}, with the health
     * monitor's settings (for example windows shortened by {@code serve}'s flags).
     */
    public static SubgraphObservability create(String subgraph, FederationModeSwitch modeSwitch,
            io.opentelemetry.api.OpenTelemetry openTelemetry, HealthMonitorConfig healthConfig) {
        Objects.requireNonNull(subgraph, "subgraph");
        Objects.requireNonNull(modeSwitch, "modeSwitch");
        Objects.requireNonNull(openTelemetry, "openTelemetry");
        return new SubgraphObservability(subgraph, modeSwitch, openTelemetry,
                Objects.requireNonNull(healthConfig, "healthConfig"));
    }

    /** The observers to register on the subgraph's entities: metrics, then tracing and batch logs. */
    public List<FederationObserver> observers() {
        return List.of(metrics, telemetry.observer());
    }

    /**
     * Binds what needs the built subgraph (its cross-request caches) and starts the health checks (every
     * {@link HealthMonitorConfig#DEFAULT_CHECK_INTERVAL}; a CRITICAL state confirmed over
     * {@link HealthMonitorConfig#DEFAULT_CRITICAL_CHECKS_TO_ROLL_BACK} checks switches the subgraph to
     * {@code DIRECT}).
     */
    public void bind(Subgraph subgraph) {
        FederationCacheMetrics.of(subgraph.entities()).bindTo(registry);
        health.start();
    }

    /** The health monitor of the subgraph. */
    public FederationHealthMonitor healthMonitor() {
        return health;
    }

    /** The subgraph's meter registry. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The library's meters. */
    public FederationMetrics metrics() {
        return metrics;
    }

    /** The body of {@code GET /metrics}. */
    public String scrape() {
        return registry.scrape();
    }

    /** Times each HTTP request in {@code http.server.requests} (tags method, uri, status). */
    public SubgraphServer.RequestListener requestListener() {
        return (method, path, status, nanos) -> Timer.builder("http.server.requests")
                .description("HTTP requests served by the subgraph")
                .tag("method", method) // the server hands over known methods and routes only, else "other"
                .tag("uri", path)
                .tag("status", String.valueOf(status))
                .publishPercentileHistogram()
                .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
                        Duration.ofSeconds(10))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Makes a {@code SERVER} span {@code POST /graphql} current around each GraphQL execution, continuing the
     * trace the caller sent ({@code traceparent}, W3C), so the library's {@code _entities} and batch spans
     * nest under the gateway's trace. Costs next to nothing when tracing is off (noop spans).
     */
    public SubgraphServer.Interceptor tracingInterceptor() {
        return (headers, execution) -> {
            Context parent = openTelemetry.getPropagators().getTextMapPropagator()
                    .extract(Context.root(), headers, HEADERS);
            Span span = tracer.spanBuilder("POST /graphql")
                    .setParent(parent)
                    .setSpanKind(SpanKind.SERVER)
                    .setAttribute("http.request.method", "POST")
                    .setAttribute("url.path", "/graphql")
                    .setAttribute("federation.subgraph", subgraph)
                    .startSpan();
            try (Scope ignored = span.makeCurrent()) {
                ExecutionResult result = execution.get();
                if (!result.getErrors().isEmpty()) {
                    span.setAttribute("graphql.error_count", result.getErrors().size());
                }
                return result;
            } catch (RuntimeException e) {
                span.setStatus(StatusCode.ERROR);
                span.recordException(e);
                throw e;
            } finally {
                span.end();
            }
        };
    }

    private static final TextMapGetter<Map<String, String>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public @Nullable String get(@Nullable Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key.toLowerCase(Locale.ROOT));
        }
    };

    /**
     * The body and status of {@code GET /health}: the latest check of the health monitor (a first check is
     * run when none has run yet), each number judged, and the recent window. Always status 200 while the
     * process answers, whatever the federation status ({@code HEALTHY}, {@code DEGRADED}, {@code CRITICAL},
     * {@code ROLLED_BACK}): the verdict is for dashboards and alerts, and must not by itself take a pod out of
     * service (used as a readiness probe, a 503 on {@code CRITICAL} would take every pod out at once, while the
     * fallback keeps each one serving). A readiness probe uses {@code GET /ready}.
     */
    public SubgraphServer.Response health() {
        HealthReport report = health.lastReport();
        if (report == null) {
            report = health.check();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("subgraph", subgraph);
        out.put("status", report.status().name());
        out.put("mode", modeSwitch.mode().name());
        out.put("checked_at", report.time().toString());
        out.put("reasons", report.reasons());
        out.put("consecutive_critical", report.consecutiveCritical());
        out.put("rolled_back", health.isRolledBack());
        if (report.rollbackReason() != null) {
            out.put("rollback_reason", report.rollbackReason());
        }
        out.put("rollbacks", health.rollbackCount());
        out.put("checks", report.checkMaps());
        out.put("window", windowMap(metrics.recentWindow()));
        return SubgraphServer.Response.json(200, out);
    }

    static Map<String, Object> windowMap(WindowStatistics w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", w.window().toSeconds());
        m.put("loads", w.loads());
        m.put("backend_calls", w.backendCalls());
        m.put("effectiveness", FederationViews.jsonNumber(w.effectiveness()));
        m.put("error_rate", FederationViews.jsonNumber(w.errorRate()));
        m.put("avg_batch_size", FederationViews.jsonNumber(w.averageBatchSize()));
        return m;
    }

    @Override
    public void close() {
        health.close();
        gcMetrics.close();
        heapPressure.close();
        registry.close();
    }

    @Override
    public String toString() {
        return "SubgraphObservability[" + subgraph + "]";
    }
}
