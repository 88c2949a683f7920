package dev.federation.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.federation.testkit.Json;
import graphql.ExecutionResult;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A live graphql-java subgraph over HTTP on 127.0.0.1 and a free port: {@code POST /graphql} (a gateway's
 * request: {@code {"query": ..., "variables": ...}}) and {@code GET /metrics} (the Prometheus scrape).
 */
final class LiveSubgraphServer implements AutoCloseable {

    private final HttpServer server;

    LiveSubgraphServer(TestSubgraph subgraph, PrometheusMeterRegistry registry) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/graphql", exchange -> {
            try (exchange) {
                if (!"POST".equals(exchange.getRequestMethod())) {
                    respond(exchange, 405, "text/plain", "POST only");
                    return;
                }
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                @SuppressWarnings("unchecked")
                Map<String, Object> request = (Map<String, Object>) Json.parse(body);
                @SuppressWarnings("unchecked")
                Map<String, Object> variables = (Map<String, Object>) request.getOrDefault("variables", Map.of());
                ExecutionResult result = subgraph.execute((String) request.get("query"), variables);
                respond(exchange, 200, "application/json", Json.write(result.toSpecification()));
            } catch (RuntimeException e) {
                respond(exchange, 500, "text/plain", "internal error");
            }
        });
        server.createContext("/metrics", exchange -> {
            try (exchange) {
                respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
            }
        });
        server.start();
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
