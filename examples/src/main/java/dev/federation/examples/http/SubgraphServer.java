package dev.federation.examples.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import graphql.ExecutionResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Serves one {@link GraphQlEndpoint} over HTTP with the JDK's built-in server.
 *
 * <p>Routes:
 * <ul>
 *   <li>{@code POST /graphql}: a JSON body {@code {"query": ..., "variables": {...}, "operationName": ...}},
 *       answered with the result's specification map as {@code application/json} (status 200; 400 for a
 *       body that is not such an object);</li>
 *   <li>{@code GET} routes added with {@link Builder#json}, {@link Builder#text} or {@link Builder#get}
 *       (metrics, health, debug statistics);</li>
 *   <li>{@code POST /admin/mode} when a {@link Builder#modeSwitch(FederationModeSwitch) mode switch} is given:
 *       body {@code {"mode": "DIRECT" | "BATCHED", "reason": "..."}}, header
 *       {@code Authorization: Bearer <token>}. Refused with 403 when no admin token is configured and with
 *       401 when the header is missing or wrong.</li>
 * </ul>
 * Each request runs with {@code request_id} in the SLF4J MDC (the caller's {@code X-Request-Id} or a made
 * one), and is logged at DEBUG as one record with {@code operation=http_request}, {@code request_id},
 * {@code http_method}, {@code path}, {@code status} and {@code duration_ms}.
 *
 * <pre>{@code
 * SubgraphServer server = SubgraphServer.builder(endpoint)
 *     .name("users").port(4001)
 *     .modeSwitch(entities.modeSwitch()).adminToken(System.getenv("FEDERATION_ADMIN_TOKEN"))
 *     .json("/debug/federation", stats::snapshot)
 *     .build()
 *     .start();
 * }</pre>
 *
 * <p>Binds {@value #DEFAULT_HOST} unless told otherwise; port 0 picks a free port ({@link #port()} tells
 * which). Thread-safe; {@link #close()} stops it.
 */
public final class SubgraphServer implements AutoCloseable {

    /** Default address to bind. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Default number of request threads. */
    public static final int DEFAULT_THREADS = 16;
    /** Largest request body accepted, in bytes. */
    public static final int MAX_BODY_BYTES = 8 * 1024 * 1024;
    /** The environment variable that holds the admin token. */
    public static final String ADMIN_TOKEN_VARIABLE = "FEDERATION_ADMIN_TOKEN";

    static {
        // the JDK server leaves Nagle's algorithm on unless told otherwise: a response written as headers then
        // body waits for the client's delayed ACK, adding milliseconds to every request. Read once, when the
        // JDK's server configuration is first loaded; an explicit -Dsun.net.httpserver.nodelay wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(SubgraphServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";
    private static final AtomicLong REQUEST_IDS = new AtomicLong();

    private final String name;
    private final GraphQlEndpoint endpoint;
    private final String host;
    private final int requestedPort;
    private final int threads;
    private final @Nullable FederationModeSwitch modeSwitch;
    private final byte @Nullable [] adminToken;
    private final Map<String, Route> routes;
    private final List<RequestListener> listeners;
    private final Interceptor interceptor;
    private @Nullable HttpServer server;
    private @Nullable ExecutorService executor;

    private SubgraphServer(Builder b) {
        this.name = b.name;
        this.endpoint = b.endpoint;
        this.host = b.host;
        this.requestedPort = b.port;
        this.threads = b.threads;
        this.modeSwitch = b.modeSwitch;
        this.adminToken = b.adminToken == null || b.adminToken.isBlank() ? null
                : b.adminToken.getBytes(StandardCharsets.UTF_8);
        this.routes = Collections.unmodifiableMap(new LinkedHashMap<>(b.routes));
        this.listeners = List.copyOf(b.listeners);
        this.interceptor = b.interceptor;
    }

    /** A builder serving {@code endpoint}. */
    public static Builder builder(GraphQlEndpoint endpoint) {
        return new Builder(endpoint);
    }

    /**
     * Binds and starts serving.
     *
     * @return this server
     * @throws IllegalStateException when already started or the port cannot be bound
     */
    public synchronized SubgraphServer start() {
        if (server != null) {
            throw new IllegalStateException(name + " already started");
        }
        HttpServer s;
        try {
            s = HttpServer.create(new InetSocketAddress(host, requestedPort), 128);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind " + name + " to " + host + ":" + requestedPort + ": "
                    + e.getMessage(), e);
        }
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, name + "-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ExecutorService ex = Executors.newFixedThreadPool(threads, tf);
        s.setExecutor(ex);
        s.createContext("/", this::handle);
        s.start();
        this.server = s;
        this.executor = ex;
        LOG.atInfo().addKeyValue("subgraph", name).addKeyValue("url", uri().toString())
                .log("{} subgraph listening on {}", name, uri());
        return this;
    }

    /** The bound port; the requested one until started. */
    public synchronized int port() {
        HttpServer s = server;
        return s == null ? requestedPort : s.getAddress().getPort();
    }

    /** The base URI, e.g. {@code http://127.0.0.1:4001}. */
    public URI uri() {
        return URI.create("http://" + host + ":" + port());
    }

    /** The GraphQL endpoint URI, e.g. {@code http://127.0.0.1:4001/graphql}. */
    public URI graphqlUri() {
        return uri().resolve("/graphql");
    }

    /** The name given to the builder. */
    public String name() {
        return name;
    }

    /** Stops serving at once; idempotent. */
    @Override
    public synchronized void close() {
        HttpServer s = server;
        ExecutorService ex = executor;
        server = null;
        executor = null;
        if (s != null) {
            s.stop(0);
        }
        if (ex != null) {
            ex.shutdownNow();
            try {
                ex.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "SubgraphServer[" + name + " " + uri() + "]";
    }

    private void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String requestId = exchange.getRequestHeaders().getFirst("X-Request-Id");
        if (requestId == null || requestId.isBlank() || requestId.length() > 128) {
            requestId = name + "-" + REQUEST_IDS.incrementAndGet();
        }
        MDC.put("request_id", requestId);
        int status = 500;
        try {
            Response response = dispatch(exchange, method, path, requestId);
            status = response.status();
            send(exchange, response);
        } catch (RuntimeException | IOException e) {
            LOG.atError().setCause(e).addKeyValue("request_id", requestId).addKeyValue("path", path)
                    .log("request failed");
            try {
                send(exchange, error(500, "internal error"));
            } catch (IOException | RuntimeException ignored) {
                // the client is gone
            }
        } finally {
            long nanos = System.nanoTime() - start;
            for (RequestListener l : listeners) {
                try {
                    l.completed(method, path, status, nanos);
                } catch (RuntimeException e) {
                    LOG.warn("request listener failed", e);
                }
            }
            LOG.atDebug().addKeyValue("operation", "http_request").addKeyValue("request_id", requestId)
                    .addKeyValue("http_method", method)
                    .addKeyValue("path", path).addKeyValue("status", status)
                    .addKeyValue("duration_ms", nanos / 1_000_000.0).log("{} {} {}", method, path, status);
            MDC.remove("request_id");
            exchange.close();
        }
    }

    private Response dispatch(HttpExchange exchange, String method, String path, String requestId)
            throws IOException {
        if (path.equals("/graphql")) {
            if (!method.equals("POST")) {
                return error(405, "use POST with a JSON body");
            }
            return graphql(exchange, requestId);
        }
        if (path.equals("/admin/mode")) {
            if (modeSwitch == null) {
                return error(404, "not found");
            }
            if (!method.equals("POST")) {
                return error(405, "use POST");
            }
            return adminMode(exchange, modeSwitch);
        }
        Route route = routes.get(path);
        if (route == null) {
            return error(404, "not found");
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return error(405, "use GET");
        }
        return route.handle(queryParameters(exchange.getRequestURI().getRawQuery()));
    }

    private Response graphql(HttpExchange exchange, String requestId) throws IOException {
        Map<String, Object> body;
        try {
            body = JSON.readValue(readBody(exchange), new TypeReference<Map<String, Object>>() {
            });
        } catch (IOException | IllegalArgumentException e) {
            return error(400, "the body must be a JSON object with a 'query'");
        }
        Object query = body == null ? null : body.get("query");
        if (!(query instanceof String)) {
            return error(400, "the body must be a JSON object with a string 'query'");
        }
        Object vars = body.get("variables");
        if (vars != null && !(vars instanceof Map)) {
            return error(400, "'variables' must be a JSON object");
        }
        Object op = body.get("operationName");
        @SuppressWarnings("unchecked")
        Map<String, Object> variables = vars == null ? Map.of() : (Map<String, Object>) vars;
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> {
            if (!v.isEmpty()) {
                headers.put(k.toLowerCase(Locale.ROOT), v.get(0));
            }
        });
        headers.put("x-request-id", requestId);
        Map<String, String> h = Collections.unmodifiableMap(headers);
        String operationName = op instanceof String ? (String) op : null;
        ExecutionResult result = interceptor.around(h,
                () -> endpoint.execute((String) query, variables, operationName, h));
        return Response.compactJson(200, result.toSpecification());
    }

    private Response adminMode(HttpExchange exchange, FederationModeSwitch modeSwitch) throws IOException {
        if (adminToken == null) {
            return error(403, "the admin endpoint is disabled: set " + ADMIN_TOKEN_VARIABLE);
        }
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        String prefix = "Bearer ";
        if (auth == null || !auth.regionMatches(true, 0, prefix, 0, prefix.length())
                || !MessageDigest.isEqual(adminToken,
                        auth.substring(prefix.length()).trim().getBytes(StandardCharsets.UTF_8))) {
            LOG.atWarn().addKeyValue("operation", "admin_mode").addKeyValue("outcome", "refused")
                    .addKeyValue("request_id", MDC.get("request_id"))
                    .log("admin mode switch refused: missing or wrong token");
            return error(401, "missing or wrong admin token");
        }
        Map<String, Object> body;
        try {
            byte[] raw = readBody(exchange);
            body = raw.length == 0 ? Map.of() : JSON.readValue(raw, new TypeReference<Map<String, Object>>() {
            });
        } catch (IOException | IllegalArgumentException e) {
            return error(400, "the body must be a JSON object {\"mode\": \"DIRECT\" | \"BATCHED\"}");
        }
        Object m = body == null ? null : body.get("mode");
        if (m == null) {
            m = queryParameters(exchange.getRequestURI().getRawQuery()).get("mode");
        }
        FederationMode mode;
        try {
            mode = FederationMode.valueOf(String.valueOf(m).trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return error(400, "'mode' must be DIRECT or BATCHED");
        }
        Object r = body == null ? null : body.get("reason");
        String reason = "admin" + (r instanceof String && !((String) r).isBlank() ? ": " + r : "");
        FederationMode previous = modeSwitch.set(mode, reason);
        LOG.atWarn().addKeyValue("operation", "admin_mode")
                .addKeyValue("outcome", previous == mode ? "unchanged" : "switched")
                .addKeyValue("request_id", MDC.get("request_id"))
                .addKeyValue("from", previous.name()).addKeyValue("to", mode.name())
                .log("federation mode set to {} by admin", mode);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("previous", previous.name());
        out.put("mode", mode.name());
        out.put("reason", reason);
        return Response.json(200, out);
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new IllegalArgumentException("body too large");
            }
            return bytes;
        }
    }

    private static Map<String, String> queryParameters(@Nullable String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        byte[] body = response.body();
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(response.status(), head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static Response error(int status, String message) {
        return Response.json(status, Map.of("error", message));
    }

    /** An HTTP response of a route. */
    public record Response(int status, String contentType, byte[] body) {

        /** Validates the fields. */
        public Response {
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("status must be an HTTP status, was " + status);
            }
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(body, "body");
        }

        /** {@code value} serialized as indented JSON with Jackson (for people reading debug endpoints). */
        public static Response json(int status, @Nullable Object value) {
            try {
                return new Response(status, JSON_TYPE, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
            } catch (IOException e) {
                throw new IllegalStateException("cannot serialize response: " + e.getMessage(), e);
            }
        }

        /** {@code value} serialized as compact JSON with Jackson (for programs). */
        public static Response compactJson(int status, @Nullable Object value) {
            try {
                return new Response(status, JSON_TYPE, JSON.writeValueAsBytes(value));
            } catch (IOException e) {
                throw new IllegalStateException("cannot serialize response: " + e.getMessage(), e);
            }
        }

        /** A text body in UTF-8. */
        public static Response text(int status, String contentType, String body) {
            return new Response(status, contentType, body.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A {@code GET} route. */
    @FunctionalInterface
    public interface Route {
        /**
         * The response.
         *
         * @param queryParameters the decoded query parameters, first value of each
         */
        Response handle(Map<String, String> queryParameters);
    }

    /**
     * Runs around each GraphQL execution, on the request's thread, e.g. to make a server span current with
     * the trace context the caller sent. Must call {@code execution} once and return its result.
     */
    @FunctionalInterface
    public interface Interceptor {
        /** Runs {@code execution} for a request with {@code lowercaseHeaders}. */
        ExecutionResult around(Map<String, String> lowercaseHeaders, Supplier<ExecutionResult> execution);

        /** The interceptor that only runs the execution. */
        static Interceptor none() {
            return (headers, execution) -> execution.get();
        }
    }

    /** Told of each completed request, e.g. to time it in a meter registry. Must not throw. */
    @FunctionalInterface
    public interface RequestListener {
        /** A request to {@code path} was answered with {@code status} after {@code nanos}. */
        void completed(String method, String path, int status, long nanos);
    }

    /** Builder of {@link SubgraphServer}. */
    public static final class Builder {
        private final GraphQlEndpoint endpoint;
        private String name = "subgraph";
        private String host = DEFAULT_HOST;
        private int port;
        private int threads = DEFAULT_THREADS;
        private @Nullable FederationModeSwitch modeSwitch;
        private @Nullable String adminToken;
        private final Map<String, Route> routes = new LinkedHashMap<>();
        private final List<RequestListener> listeners = new java.util.ArrayList<>();
        private Interceptor interceptor = Interceptor.none();

        private Builder(GraphQlEndpoint endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        }

        /** A name for logs and thread names; {@code "subgraph"} when not set. */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            this.name = name;
            return this;
        }

        /** The address to bind; {@value #DEFAULT_HOST} when not set. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port, 0 for any free one (the default). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** Request threads; {@value #DEFAULT_THREADS} when not set. */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, was " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Enables {@code POST /admin/mode} on this switch. */
        public Builder modeSwitch(FederationModeSwitch modeSwitch) {
            this.modeSwitch = Objects.requireNonNull(modeSwitch, "modeSwitch");
            return this;
        }

        /**
         * The token {@code POST /admin/mode} requires as {@code Authorization: Bearer <token>}; {@code null}
         * or blank refuses every admin call.
         */
        public Builder adminToken(@Nullable String adminToken) {
            this.adminToken = adminToken;
            return this;
        }

        /** Adds a {@code GET} route. */
        public Builder get(String path, Route route) {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(route, "route");
            if (!path.startsWith("/") || path.equals("/graphql") || path.equals("/admin/mode")) {
                throw new IllegalArgumentException("path must start with / and not be a built-in route: " + path);
            }
            if (routes.putIfAbsent(path, route) != null) {
                throw new IllegalArgumentException("route " + path + " added twice");
            }
            return this;
        }

        /** Adds a {@code GET} route answering {@code value.get()} as JSON (status 200). */
        public Builder json(String path, Supplier<?> value) {
            Objects.requireNonNull(value, "value");
            return get(path, q -> Response.json(200, value.get()));
        }

        /** Adds a {@code GET} route answering {@code body.get()} as text of {@code contentType} (status 200). */
        public Builder text(String path, String contentType, Supplier<String> body) {
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(body, "body");
            return get(path, q -> Response.text(200, contentType, body.get()));
        }

        /** Adds a listener told of each request. */
        public Builder listener(RequestListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** What runs around each GraphQL execution; {@link Interceptor#none()} when not set. */
        public Builder interceptor(Interceptor interceptor) {
            this.interceptor = Objects.requireNonNull(interceptor, "interceptor");
            return this;
        }

        /** The server, not started yet. */
        public SubgraphServer build() {
            return new SubgraphServer(this);
        }
    }
}
