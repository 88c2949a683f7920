package dev.federation.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import graphql.ExecutionResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal GraphQL-over-HTTP subgraph for the load runner: the JDK's HTTP server on {@code 127.0.0.1} and a
 * free port, {@code POST /graphql} with a JSON body {@code {"query": ..., "variables": ...}}, answered by a
 * {@link Subgraph} (by default this library over an in-memory {@link Backend}).
 *
 * <p>Stops with {@link #close()}.
 */
final class LocalSubgraphServer implements AutoCloseable {

    static {
        // without TCP_NODELAY the JDK server's separate header and body writes meet the client's delayed ACK,
        // adding about 40 ms to every response; read once, when the server's configuration class loads
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Subgraph subgraph;
    private final Backend backend;

    private LocalSubgraphServer(String impl, int threads) throws IOException {
        this.backend = Backend.inMemory();
        this.subgraph = Subgraphs.create(impl, backend);
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "subgraph-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.createContext("/graphql", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /**
     * Starts a server answering with implementation {@code impl} (a {@link Subgraphs} name) on
     * {@code threads} request threads.
     */
    static LocalSubgraphServer start(String impl, int threads) throws IOException {
        return new LocalSubgraphServer(impl, threads);
    }

    /** The endpoint, e.g. {@code http://127.0.0.1:40123/graphql}. */
    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/graphql");
    }

    /** The backend calls made so far. */
    long backendCalls() {
        return backend.calls();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "{\"errors\":[{\"message\":\"POST only\"}]}");
                return;
            }
            Map<?, ?> request;
            try (InputStream in = exchange.getRequestBody()) {
                Object body = Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                if (!(body instanceof Map) || !(((Map<?, ?>) body).get("query") instanceof String)) {
                    respond(exchange, 400, "{\"errors\":[{\"message\":\"expected {query, variables}\"}]}");
                    return;
                }
                request = (Map<?, ?>) body;
            } catch (IllegalArgumentException e) {
                respond(exchange, 400, "{\"errors\":[{\"message\":\"invalid JSON\"}]}");
                return;
            }
            Map<String, Object> variables = new LinkedHashMap<>();
            if (request.get("variables") instanceof Map) {
                ((Map<?, ?>) request.get("variables")).forEach((k, v) -> variables.put(String.valueOf(k), v));
            }
            ExecutionResult result;
            try {
                result = subgraph.execute((String) request.get("query"), variables);
            } catch (RuntimeException e) {
                respond(exchange, 500, Json.write(Map.of("errors", List.of(Map.of("message", "internal error")))));
                return;
            }
            respond(exchange, 200, Json.write(result.toSpecification()));
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops the server, its threads and the subgraph. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        subgraph.close();
        backend.close();
    }
}
