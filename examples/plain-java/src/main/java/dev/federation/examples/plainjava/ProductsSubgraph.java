package dev.federation.examples.plainjava;

import com.apollographql.federation.graphqljava.Federation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.federation.core.EntityBatchLoader;
import dev.federation.core.EntityType;
import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationModeSwitch;
import dev.federation.health.FederationHealthMonitor;
import dev.federation.health.HealthReport;
import dev.federation.metrics.FederationMetrics;
import dev.federation.tracing.FederationTelemetry;
import graphql.ExecutionInput;
import graphql.GraphQL;
import graphql.schema.idl.RuntimeWiring;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A products subgraph with no framework: graphql-java and federation-jvm, batched {@code _entities} from the
 * library, its meters on {@code GET /metrics}, its spans in the log, and its health monitor on {@code GET /health},
 * served by the JDK's own HTTP server on 127.0.0.1.
 *
 * <pre>
 * mvn -q compile exec:java     # listens on 127.0.0.1:4007; Ctrl-C stops it
 * </pre>
 */
public final class ProductsSubgraph implements AutoCloseable {

    static final String SDL = """
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
            type Product @key(fields: "id") { id: ID! name: String! price: Int! }
            type Query { product(id: ID!): Product }
            """;

    /**
     * The largest request body taken; a bigger one is answered 413 (after reading on, up to 16 times as much, so
     * that the client still sending gets the answer rather than a reset).
     */
    static final int MAX_BODY_BYTES = 1 << 20;

    /** A product of the catalog. */
    public record Product(String id, String name, int price) {
    }

    /** Stands for your database: {@link #findByIds} is one query for all the ids of a batch. */
    public static final class Catalog {
        private final AtomicLong calls = new AtomicLong();

        /** The products of {@code ids} that exist (ids 1 to 1000), by id: one call. */
        public Map<String, Product> findByIds(List<String> ids) {
            calls.incrementAndGet();
            Map<String, Product> out = new LinkedHashMap<>();
            for (String id : ids) {
                if (id.matches("[1-9][0-9]{0,2}|1000")) {
                    out.put(id, new Product(id, "Product " + id, Integer.parseInt(id) * 100));
                }
            }
            return out;
        }

        /** Backend calls so far. */
        public long calls() {
            return calls.get();
        }
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final FederationHealthMonitor health;
    private final FederatedEntities entities;
    private final OpenTelemetrySdk openTelemetry;

    private ProductsSubgraph(HttpServer server, ExecutorService threads, FederationHealthMonitor health,
            FederatedEntities entities, OpenTelemetrySdk openTelemetry) {
        this.server = server;
        this.threads = threads;
        this.health = health;
        this.entities = entities;
        this.openTelemetry = openTelemetry;
    }

    /** Starts the subgraph on {@code port} of 127.0.0.1 (0: any free port). */
    public static ProductsSubgraph start(int port, Catalog catalog) throws IOException {
        // the JDK's server has no deadline of its own: a request (and its answer) that takes longer than 10 s is
        // dropped, so that slow clients cannot hold its threads (read once, by the first server of the process)
        System.setProperty("sun.net.httpserver.maxReqTime", System.getProperty("sun.net.httpserver.maxReqTime", "10"));
        System.setProperty("sun.net.httpserver.maxRspTime", System.getProperty("sun.net.httpserver.maxRspTime", "10"));
        // the kill switch: FEDERATION_ENABLED=false starts in DIRECT mode, one backend call per representation
        FederationModeSwitch mode = FederationModeSwitch.fromEnvironment();

        // meters, for Prometheus
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        FederationMetrics metrics = FederationMetrics.builder().modeSwitch(mode).build();
        metrics.bindTo(registry);

        // spans, here to the log (an OTLP exporter to a collector in production)
        OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(LoggingSpanExporter.create()))
                        .build())
                .build();

        // the entity type, observed by both
        FederatedEntities entities = FederatedEntities.builder()
                .modeSwitch(mode)
                .observer(metrics)
                .observer(FederationTelemetry.create(openTelemetry).observer())
                .entity(EntityType.named("Product")
                        .javaClass(Product.class)
                        .key("id", rep -> rep.getString("id"), EntityBatchLoader.mapped(catalog::findByIds))
                        .build())
                .build();
        RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
                .type("Query", q -> q.dataFetcher("product",
                        env -> catalog.findByIds(List.of(env.<String>getArgument("id"))).values().stream()
                                .findFirst().orElse(null)))
                .build();
        GraphQL graphQL = GraphQL.newGraphQL(Federation.transform(SDL, wiring)
                .fetchEntities(entities.fetcher())
                .resolveEntityType(entities.typeResolver())
                .build()).build();

        // the health monitor: judges the meters' window every 30 s, and rolls back to DIRECT by itself
        FederationHealthMonitor health = FederationHealthMonitor.builder(metrics.healthWindow(), mode)
                .entities(entities)
                .build()
                .start();

        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        ObjectMapper json = new ObjectMapper();
        server.createContext("/graphql", exchange -> graphql(exchange, graphQL, json));
        server.createContext("/metrics", exchange -> respond(exchange, 200, "text/plain; version=0.0.4",
                registry.scrape().getBytes(StandardCharsets.UTF_8)));
        server.createContext("/health", exchange -> {
            HealthReport report = health.lastReport() != null ? health.lastReport() : health.check();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", report.status().name());
            body.put("mode", report.mode().name());
            body.put("checks", report.checkMaps());
            respond(exchange, 200, "application/json", json.writeValueAsBytes(body));
        });
        ExecutorService threads = Executors.newFixedThreadPool(16);
        server.setExecutor(threads);
        server.start();
        return new ProductsSubgraph(server, threads, health, entities, openTelemetry);
    }

    /** {@code POST /graphql}: the gateway's JSON body, executed; 405, 413 or 400 for what is not one. */
    static void graphql(HttpExchange exchange, GraphQL graphQL, ObjectMapper json) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            respond(exchange, 405, "text/plain", "POST only\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                // read on (up to a bound) so that the client, still sending, gets the answer, not a reset
                byte[] buffer = new byte[64 * 1024];
                long drained = 0;
                for (int n; drained < 16L * MAX_BODY_BYTES && (n = in.read(buffer)) != -1; ) {
                    drained += n;
                }
            }
        }
        if (bytes.length > MAX_BODY_BYTES) {
            respond(exchange, 413, "text/plain", "body too large\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        Map<?, ?> body;
        try {
            body = json.readValue(bytes, Map.class);
        } catch (JsonProcessingException e) {
            body = null;
        }
        if (body == null || !(body.get("query") instanceof String query)) {
            respond(exchange, 400, "text/plain", "expected {\"query\": ...}\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> variables = body.get("variables") instanceof Map<?, ?> v
                ? (Map<String, Object>) v : Map.of();
        var result = graphQL.execute(ExecutionInput.newExecutionInput().query(query).variables(variables)
                .operationName(body.get("operationName") instanceof String name ? name : null).build());
        respond(exchange, 200, "application/json", json.writeValueAsBytes(result.toSpecification()));
    }

    private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", type);
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(status, -1); // headers only
                return;
            }
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        health.close();
        entities.close();
        openTelemetry.close();
    }

    /** Runs the subgraph on 127.0.0.1:4007 until stopped. */
    public static void main(String[] args) throws Exception {
        ProductsSubgraph subgraph = start(4007, new Catalog());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            subgraph.close();
            stopped.countDown();
        }, "shutdown"));
        System.out.println("products subgraph on http://127.0.0.1:" + subgraph.port() + "/graphql; Ctrl-C stops it");
        stopped.await();
    }
}
