package dev.federation.examples.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import graphql.ExecutionResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Serves one {@link GraphQlEndpoint} over HTTP with an embedded Jetty 12 server, hardened for traffic that
 * comes from the network.
 *
 * <p>Routes:
 * <ul>
 *   <li>{@code POST /graphql} with {@code Content-Type: application/json} (415 otherwise: a browser form or
 *       {@code text/plain} cannot make a cross-site request run, as Apollo Router's CSRF prevention and
 *       Spring require), a JSON body {@code {"query": ..., "variables": {...}, "operationName": ...}}, answered
 *       with the result's specification map as {@code application/json} (status 200; 400 for a body that is
 *       not such an object);</li>
 *   <li>{@code GET} routes added with {@link Builder#json}, {@link Builder#text} or {@link Builder#get}
 *       (metrics, health, debug statistics);</li>
 *   <li>{@code POST /admin/mode} when a {@link Builder#modeSwitch(FederationModeSwitch) mode switch} is given:
 *       body {@code {"mode": "DIRECT" | "BATCHED", "reason": "..."}}, header
 *       {@code Authorization: Bearer <token>} (the scheme case-insensitive, RFC 6750; the token compared as
 *       sent, in constant time). Refused with 403 when no admin token is configured and with 401 when the
 *       header is missing or wrong.</li>
 * </ul>
 *
 * <p>Defences:
 * <ul>
 *   <li>an idle timeout ({@link Builder#idleTimeout(Duration)}, default 30 s) closes a connection that sends
 *       nothing, whether its headers are unfinished (slowloris) or it is between requests; a body must
 *       arrive at 1 KB/s at least; connections waiting for bytes hold no thread;</li>
 *   <li>a body over {@link Builder#maxBodyBytes(int)} gets 413, decided from {@code Content-Length} before
 *       anything is read, or as soon as a chunked body passes the limit; headers over 16 KB get 431;</li>
 *   <li>a GraphQL request's body is read whole, without a thread (Jetty's asynchronous read), before the
 *       request takes a slot, and must arrive within {@link Builder#bodyTimeout(Duration)} (default 10 s;
 *       then 408 and the connection is closed): a slow or stalled upload holds neither a slot nor a thread;</li>
 *   <li>at most {@link Builder#threads(int)} GraphQL requests run at once (Jetty's {@code QoSHandler}); the
 *       next {@link Builder#queue(int)} wait, holding no thread, for at most {@link Builder#queueTimeout};
 *       past the queue or the wait, 503 with {@code Retry-After}. The {@code GET} routes ({@code /health},
 *       {@code /metrics}) do not count against that limit and have threads of their own, so they answer
 *       while {@code /graphql} is saturated;</li>
 *   <li>an exception or an {@code Error} in a handler ends that request with a 500 (no stack trace in the
 *       body) and never a worker thread;</li>
 *   <li>the {@link RequestListener}s see only known routes and methods: anything else is {@code other}, so
 *       invented paths and methods add no metric series.</li>
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
    /** Default number of GraphQL requests served at once. */
    public static final int DEFAULT_THREADS = 16;
    /** Default largest request body accepted, in bytes (10,000 representations take about 400 KB). */
    public static final int DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;
    /** Default time a connection may stay silent before it is closed. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** Largest request header block, in bytes. */
    public static final int MAX_HEADER_BYTES = 16 * 1024;
    /** Slowest accepted request body, bytes per second. */
    public static final long MIN_BODY_BYTES_PER_SECOND = 1024;
    /** Default time a GraphQL request's whole body may take to arrive. */
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(10);
    /** Default number of GraphQL requests that wait for a slot. */
    public static final int DEFAULT_QUEUE = 512;
    /** Default longest wait for a slot. */
    public static final Duration DEFAULT_QUEUE_TIMEOUT = Duration.ofSeconds(10);
    /** Threads kept for the {@code GET} routes and Jetty's own work, beyond the GraphQL ones. */
    static final int EXTRA_THREADS = 12;
    /** The environment variable that holds the admin token. */
    public static final String ADMIN_TOKEN_VARIABLE = "FEDERATION_ADMIN_TOKEN";
    private static final long REFUSAL_WARN_INTERVAL_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
    private final java.util.concurrent.atomic.AtomicLong lastRefusalWarn = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong refusedSinceWarn = new java.util.concurrent.atomic.AtomicLong();

    /** The route that invalidates cached entities. */
    public static final String INVALIDATE = "/admin/cache/invalidate";
    /** Most keys one invalidation call may name. */
    static final int MAX_INVALIDATED_KEYS = 1_000;
    /** The value the {@link RequestListener}s see for an unknown path or method. */
    public static final String OTHER = "other";

    private static final Logger LOG = LoggerFactory.getLogger(SubgraphServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";
    private static final AtomicLong REQUEST_IDS = new AtomicLong();
    private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST");

    private final String name;
    private final GraphQlEndpoint endpoint;
    private final String host;
    private final int requestedPort;
    private final int threads;
    private final int maxBodyBytes;
    private final Duration idleTimeout;
    private final int queue;
    private final Duration queueTimeout;
    private final Duration bodyTimeout;
    private @Nullable QoSHandler qos;
    private final @Nullable FederationModeSwitch modeSwitch;
    private final dev.federation.core.@Nullable FederatedEntities invalidation;
    private final byte @Nullable [] adminToken;
    private final Map<String, Route> routes;
    private final Set<String> knownPaths;
    private final List<RequestListener> listeners;
    private final Interceptor interceptor;
    private @Nullable Server server;
    private @Nullable ServerConnector connector;

    private SubgraphServer(Builder b) {
        this.name = b.name;
        this.endpoint = b.endpoint;
        this.host = b.host;
        this.requestedPort = b.port;
        this.threads = b.threads;
        this.maxBodyBytes = b.maxBodyBytes;
        this.idleTimeout = b.idleTimeout;
        this.queue = b.queue;
        this.queueTimeout = b.queueTimeout;
        this.bodyTimeout = b.bodyTimeout;
        this.modeSwitch = b.modeSwitch;
        this.invalidation = b.invalidation;
        this.adminToken = b.adminToken == null || b.adminToken.isEmpty() ? null
                : b.adminToken.getBytes(StandardCharsets.UTF_8);
        this.routes = Collections.unmodifiableMap(new LinkedHashMap<>(b.routes));
        Set<String> known = new HashSet<>(b.routes.keySet());
        known.add("/graphql");
        known.add("/admin/mode");
        known.add(INVALIDATE);
        this.knownPaths = Set.copyOf(known);
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
        QueuedThreadPool pool = new QueuedThreadPool(threads + EXTRA_THREADS, 4);
        pool.setName(name + "-http");
        pool.setDaemon(true);
        Server s = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setRequestHeaderSize(MAX_HEADER_BYTES);
        http.setMinRequestDataRate(MIN_BODY_BYTES_PER_SECOND);
        http.setIdleTimeout(idleTimeout.toMillis());
        // Jetty's parser caches header fields and by default matches their values case-insensitively: a
        // token differing from a cached one only in case would read as the cached one
        http.setHeaderCacheCaseSensitive(true);
        ServerConnector c = new ServerConnector(s, 1, 1, new HttpConnectionFactory(http));
        c.setHost(host);
        c.setPort(requestedPort);
        c.setIdleTimeout(idleTimeout.toMillis());
        c.setAcceptQueueSize(128);
        s.addConnector(c);
        QoSHandler slots = new QoSHandler(new Dispatcher()) {
            @Override
            protected void reject(Request request, org.eclipse.jetty.server.Response response, Callback callback,
                    int status) {
                busy(request, response, callback);
            }

            @Override
            protected void failSuspended(Request request, org.eclipse.jetty.server.Response response,
                    Callback callback, int status, Throwable failure) {
                busy(request, response, callback);
            }
        };
        slots.setMaxRequestCount(threads);
        slots.setMaxSuspendedRequestCount(queue);
        slots.setMaxSuspend(queueTimeout);
        slots.includePath("/graphql");
        slots.includeMethod("POST");
        s.setHandler(new BodyFirst(slots));
        s.setStopTimeout(0);
        try {
            s.start();
        } catch (Exception e) {
            try {
                s.stop();
            } catch (Exception ignored) {
                // it did not start
            }
            throw new IllegalStateException("cannot bind " + name + " to " + host + ":" + requestedPort + ": "
                    + e.getMessage(), e);
        }
        this.server = s;
        this.connector = c;
        this.qos = slots;
        LOG.atInfo().addKeyValue("subgraph", name).addKeyValue("url", uri().toString())
                .log("{} subgraph listening on {}", name, uri());
        return this;
    }

    /** GraphQL requests waiting for a slot now (0 when not started). */
    public int queuedGraphqlRequests() {
        QoSHandler q = qos;
        return q == null ? 0 : q.getSuspendedRequestCount();
    }

    /** Answers 503 with {@code Retry-After}: no slot and no room to wait, or the wait ran out. */
    private static void busy(Request request, org.eclipse.jetty.server.Response response, Callback callback) {
        Response busy = error(503, "too many requests in flight; retry shortly");
        send(request.getMethod(), response, callback, new Response(busy.status(), busy.contentType(), busy.body(),
                "1"));
    }

    /**
     * Reads a GraphQL request's whole body before anything else, without holding a thread while bytes are
     * awaited, bounded by the body limit and {@link Builder#bodyTimeout}; then hands the request, its body
     * in memory, to the next handler (the slots) on a thread of the server. Every other request passes as it
     * is; a {@code POST /graphql} that declares too large a body or no JSON passes too, and the dispatcher
     * refuses it unread.
     */
    private final class BodyFirst extends Handler.Wrapper {
        BodyFirst(Handler next) {
            super(next);
        }

        @Override
        public boolean handle(Request request, org.eclipse.jetty.server.Response response, Callback callback)
                throws Exception {
            if (!request.getMethod().equals("POST") || !"/graphql".equals(request.getHttpURI().getPath())
                    || !new Exchange(request).isJson() || request.getLength() > maxBodyBytes
                    || request.getLength() == 0) {
                return super.handle(request, response, callback);
            }
            Content.Source.asByteArrayAsync(request, maxBodyBytes)
                    .orTimeout(bodyTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((bytes, error) -> request.getComponents().getExecutor().execute(() -> {
                        try {
                            if (error == null) {
                                if (!super.handle(new BufferedBody(request, bytes), response, callback)) {
                                    callback.failed(new IllegalStateException("not handled"));
                                }
                                return;
                            }
                            Throwable cause = error instanceof java.util.concurrent.CompletionException
                                    && error.getCause() != null ? error.getCause() : error;
                            // Jetty fails the read with an IllegalStateException once a body passes the limit
                            Response refused = cause instanceof java.util.concurrent.TimeoutException
                                    ? error(408, "the body did not arrive within " + bodyTimeout.toMillis() + " ms")
                                    : cause instanceof IllegalStateException
                                            ? error(413, "the body is larger than " + maxBodyBytes + " bytes")
                                            : error(400, "the body could not be read");
                            response.getHeaders().put(HttpHeader.CONNECTION, "close");
                            send("POST", response, callback, refused);
                        } catch (Throwable e) {
                            callback.failed(e);
                        }
                    }));
            return true;
        }
    }

    /** A request whose body was read already: it is read again from memory. */
    private static final class BufferedBody extends Request.Wrapper {
        private Content.@Nullable Chunk chunk;
        private final long length;

        BufferedBody(Request request, byte[] body) {
            super(request);
            this.chunk = Content.Chunk.from(ByteBuffer.wrap(body), true);
            this.length = body.length;
        }

        @Override
        public long getLength() {
            return length;
        }

        @Override
        public synchronized Content.Chunk read() {
            Content.Chunk c = chunk;
            chunk = Content.Chunk.EOF;
            return c == null ? Content.Chunk.EOF : c;
        }

        @Override
        public void demand(Runnable demandCallback) {
            demandCallback.run();
        }
    }

    /** The bound port; the requested one until started. */
    public synchronized int port() {
        ServerConnector c = connector;
        return c == null ? requestedPort : c.getLocalPort();
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
        Server s = server;
        server = null;
        connector = null;
        if (s != null) {
            try {
                s.stop();
            } catch (Exception e) {
                LOG.warn("{} subgraph server did not stop cleanly", name, e);
            }
        }
    }

    @Override
    public String toString() {
        return "SubgraphServer[" + name + " " + uri() + "]";
    }

    /** Every request: dispatch, answer, tell the listeners; nothing thrown escapes. */
    private final class Dispatcher extends Handler.Abstract {
        @Override
        public boolean handle(Request request, org.eclipse.jetty.server.Response response, Callback callback) {
            long start = System.nanoTime();
            String method = request.getMethod();
            String path = request.getHttpURI().getPath();
            String requestId = request.getHeaders().get("X-Request-Id");
            if (requestId == null || requestId.isBlank() || requestId.length() > 128) {
                requestId = name + "-" + REQUEST_IDS.incrementAndGet();
            }
            MDC.put("request_id", requestId);
            Response answer;
            Exchange exchange = new Exchange(request);
            try {
                answer = dispatch(exchange, method, path == null ? "" : path, requestId);
            } catch (Throwable e) { // an Error too: this request fails, the worker lives on
                LOG.atError().setCause(e).addKeyValue("request_id", requestId).addKeyValue("path", path)
                        .log("request failed");
                answer = error(500, "internal error");
            }
            try {
                if (exchange.unreadBody()) {
                    // answered without reading the body (415, 413, 405...): the connection cannot be reused
                    response.getHeaders().put(HttpHeader.CONNECTION, "close");
                }
                send(method, response, callback, answer);
            } catch (Throwable e) {
                callback.failed(e);
            } finally {
                long nanos = System.nanoTime() - start;
                String knownMethod = KNOWN_METHODS.contains(method) ? method : OTHER;
                String knownPath = path != null && knownPaths.contains(path) ? path : OTHER;
                for (RequestListener l : listeners) {
                    try {
                        l.completed(knownMethod, knownPath, answer.status(), nanos);
                    } catch (RuntimeException e) {
                        LOG.warn("request listener failed", e);
                    }
                }
                LOG.atDebug().addKeyValue("operation", "http_request").addKeyValue("request_id", requestId)
                        .addKeyValue("http_method", knownMethod).addKeyValue("path", knownPath)
                        .addKeyValue("status", answer.status())
                        .addKeyValue("duration_ms", nanos / 1_000_000.0)
                        .log("{} {} {}", knownMethod, knownPath, answer.status());
                MDC.remove("request_id");
            }
            return true;
        }
    }

    /** What the routes read of a request. */
    private final class Exchange {
        final Request request;
        boolean bodyRead;

        Exchange(Request request) {
            this.request = request;
        }

        /** Whether the request may carry a body that nobody read. */
        boolean unreadBody() {
            return !bodyRead && request.getLength() != 0;
        }

        @Nullable String header(String name) {
            return request.getHeaders().get(name);
        }

        Map<String, String> query() {
            return queryParameters(request.getHttpURI().getQuery());
        }

        /** Whether the body is declared JSON ({@code application/json}, parameters allowed). */
        boolean isJson() {
            String type = header("Content-Type");
            if (type == null) {
                return false;
            }
            int semicolon = type.indexOf(';');
            String media = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
            return media.equalsIgnoreCase(JSON_TYPE);
        }

        /** The body, or {@code null} when it is larger than the limit (decided before reading it whole). */
        byte @Nullable [] body() throws IOException {
            long declared = request.getLength();
            if (declared > maxBodyBytes) {
                return null;
            }
            InputStream in = Content.Source.asInputStream(request);
            byte[] bytes = in.readNBytes(maxBodyBytes + 1);
            if (bytes.length > maxBodyBytes) {
                return null;
            }
            bodyRead = true;
            return bytes;
        }

        Map<String, String> lowercaseHeaders() {
            Map<String, String> headers = new LinkedHashMap<>();
            for (HttpField f : request.getHeaders()) {
                headers.putIfAbsent(f.getLowerCaseName(), f.getValue());
            }
            return headers;
        }
    }

    private Response dispatch(Exchange exchange, String method, String path, String requestId)
            throws IOException {
        if (path.equals("/graphql")) {
            if (!method.equals("POST")) {
                return error(405, "use POST with a JSON body");
            }
            if (!exchange.isJson()) {
                return error(415, "the body must be sent as Content-Type: application/json");
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
        if (path.equals(INVALIDATE)) {
            if (invalidation == null || invalidation.caches().isEmpty()) {
                return error(404, "not found");
            }
            if (!method.equals("POST")) {
                return error(405, "use POST");
            }
            return invalidate(exchange, invalidation);
        }
        Route route = routes.get(path);
        if (route == null) {
            return error(404, "not found");
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return error(405, "use GET");
        }
        return route.handle(exchange.query());
    }

    private Response graphql(Exchange exchange, String requestId) throws IOException {
        byte[] raw = exchange.body();
        if (raw == null) {
            return error(413, "the body is larger than " + maxBodyBytes + " bytes");
        }
        Map<String, Object> body;
        try {
            body = JSON.readValue(raw, new TypeReference<Map<String, Object>>() {
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
        Map<String, String> headers = exchange.lowercaseHeaders();
        headers.put("x-request-id", requestId);
        Map<String, String> h = Collections.unmodifiableMap(headers);
        String operationName = op instanceof String ? (String) op : null;
        ExecutionResult result = interceptor.around(h,
                () -> endpoint.execute((String) query, variables, operationName, h));
        return Response.compactJson(200, result.toSpecification());
    }

    /** {@code null} when the request carries the admin token, else the answer that refuses it. */
    private @Nullable Response refused(Exchange exchange, String operation) {
        if (adminToken == null) {
            return error(403, "the admin endpoint is disabled: set " + ADMIN_TOKEN_VARIABLE);
        }
        String auth = exchange.header("Authorization");
        String prefix = "Bearer ";
        // the scheme is case-insensitive (RFC 6750 via RFC 7235); the token is compared exactly as sent
        if (auth == null || !auth.regionMatches(true, 0, prefix, 0, prefix.length())
                || !MessageDigest.isEqual(adminToken,
                        auth.substring(prefix.length()).getBytes(StandardCharsets.UTF_8))) {
            long now = System.nanoTime();
            long refusedSinceLast = refusedSinceWarn.incrementAndGet();
            long last = lastRefusalWarn.get();
            // one WARN a minute at most, with how many were refused since: a client that hammers the admin routes
            // must not write a line per request
            if ((last == 0 || now - last >= REFUSAL_WARN_INTERVAL_NANOS) && lastRefusalWarn.compareAndSet(last, now)) {
                long count = refusedSinceWarn.getAndSet(0);
                LOG.atWarn().addKeyValue("operation", operation).addKeyValue("outcome", "refused")
                        .addKeyValue("request_id", MDC.get("request_id")).addKeyValue("refused", count)
                        .log("{} refused: missing or wrong token ({} refused admin calls in the last minute at most)",
                                operation, count);
            } else {
                LOG.atDebug().addKeyValue("operation", operation).addKeyValue("outcome", "refused")
                        .addKeyValue("request_id", MDC.get("request_id"))
                        .log("{} refused: missing or wrong token", operation);
            }
            return error(401, "missing or wrong admin token");
        }
        return null;
    }

    /**
     * {@code POST /admin/cache/invalidate} with {@code {"typename": "Product", "keys": [{"id": "7"}]}} (key fields
     * as in a representation; at most {@value #MAX_INVALIDATED_KEYS}) or {@code {"typename": "Product"}} for all
     * of the type; on every replica when the cache is shared.
     */
    private Response invalidate(Exchange exchange, dev.federation.core.FederatedEntities entities)
            throws IOException {
        Response refused = refused(exchange, "admin_cache_invalidate");
        if (refused != null) {
            return refused;
        }
        byte[] raw = exchange.body();
        if (raw == null) {
            return error(413, "the body is larger than " + maxBodyBytes + " bytes");
        }
        if (!exchange.isJson()) {
            return error(415, "the body must be sent as Content-Type: application/json");
        }
        Map<String, Object> body;
        try {
            body = JSON.readValue(raw, new TypeReference<Map<String, Object>>() {
            });
        } catch (IOException | IllegalArgumentException e) {
            body = null;
        }
        Object typename = body == null ? null : body.get("typename");
        Object keys = body == null ? null : body.get("keys");
        if (!(typename instanceof String) || (keys != null && !(keys instanceof List))) {
            return error(400, "the body must be {\"typename\": \"Product\", \"keys\": [{\"id\": \"7\"}]} "
                    + "or {\"typename\": \"Product\"}");
        }
        String type = (String) typename;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("typename", shortened(type));
        try {
            if (keys == null) {
                entities.invalidateAll(type);
                out.put("invalidated", "all");
            } else {
                List<?> list = (List<?>) keys;
                if (list.size() > MAX_INVALIDATED_KEYS) {
                    return error(400, "at most " + MAX_INVALIDATED_KEYS + " keys in one call");
                }
                for (Object k : list) { // all checked before any is dropped
                    if (!(k instanceof Map)) {
                        return error(400, "each key must be an object of key fields, e.g. {\"id\": \"7\"}");
                    }
                }
                for (Object k : list) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> fields = (Map<String, Object>) k;
                    entities.invalidate(type, fields);
                }
                out.put("invalidated", list.size());
            }
        } catch (IllegalArgumentException e) {
            return error(400, shortened(e.getMessage()));
        }
        LOG.atInfo().addKeyValue("operation", "admin_cache_invalidate")
                .addKeyValue("request_id", MDC.get("request_id")).addKeyValue("typename", shortened(type))
                .log("cache of {} invalidated by admin: {}", shortened(type), out.get("invalidated"));
        return Response.json(200, out);
    }

    private static String shortened(@Nullable String s) {
        String v = String.valueOf(s).replaceAll("[^\\x20-\\x7E]", "?");
        return v.length() > 200 ? v.substring(0, 200) + "..." : v;
    }

    private Response adminMode(Exchange exchange, FederationModeSwitch modeSwitch) throws IOException {
        Response refused = refused(exchange, "admin_mode");
        if (refused != null) {
            return refused;
        }
        byte[] raw = exchange.body();
        if (raw == null) {
            return error(413, "the body is larger than " + maxBodyBytes + " bytes");
        }
        if (raw.length > 0 && !exchange.isJson()) {
            return error(415, "the body must be sent as Content-Type: application/json");
        }
        Map<String, Object> body;
        try {
            body = raw.length == 0 ? Map.of() : JSON.readValue(raw, new TypeReference<Map<String, Object>>() {
            });
        } catch (IOException | IllegalArgumentException e) {
            return error(400, "the body must be a JSON object {\"mode\": \"DIRECT\" | \"BATCHED\"}");
        }
        Object m = body == null ? null : body.get("mode");
        if (m == null) {
            m = exchange.query().get("mode");
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

    private static void send(String method, org.eclipse.jetty.server.Response response, Callback callback,
            Response answer) {
        byte[] body = answer.body();
        response.setStatus(answer.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (answer.retryAfterSeconds() != null) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, answer.retryAfterSeconds());
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        if (method.equals("HEAD") || body.length == 0) {
            response.write(true, null, callback);
        } else {
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }

    private static Response error(int status, String message) {
        return Response.json(status, Map.of("error", message));
    }

    /**
     * An HTTP response of a route.
     *
     * @param status the HTTP status
     * @param contentType the {@code Content-Type}
     * @param body the body
     * @param retryAfterSeconds the {@code Retry-After} header, or {@code null} for none
     */
    public record Response(int status, String contentType, byte[] body, @Nullable String retryAfterSeconds) {

        /** Validates the fields. */
        public Response {
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("status must be an HTTP status, was " + status);
            }
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(body, "body");
        }

        /** A response without {@code Retry-After}. */
        public Response(int status, String contentType, byte[] body) {
            this(status, contentType, body, null);
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
        /**
         * A request was answered with {@code status} after {@code nanos}. {@code method} is {@code GET},
         * {@code HEAD}, {@code POST} or {@value #OTHER}; {@code path} is a route of this server or
         * {@value #OTHER}: both are safe as metric tags.
         */
        void completed(String method, String path, int status, long nanos);
    }

    /** Builder of {@link SubgraphServer}. */
    public static final class Builder {
        private final GraphQlEndpoint endpoint;
        private String name = "subgraph";
        private String host = DEFAULT_HOST;
        private int port;
        private int threads = DEFAULT_THREADS;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private int queue = DEFAULT_QUEUE;
        private Duration queueTimeout = DEFAULT_QUEUE_TIMEOUT;
        private Duration bodyTimeout = DEFAULT_BODY_TIMEOUT;
        private @Nullable FederationModeSwitch modeSwitch;
        private dev.federation.core.@Nullable FederatedEntities invalidation;
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

        /** Largest request body in bytes; {@value #DEFAULT_MAX_BODY_BYTES} when not set. */
        public Builder maxBodyBytes(int maxBodyBytes) {
            if (maxBodyBytes < 1) {
                throw new IllegalArgumentException("maxBodyBytes must be at least 1, was " + maxBodyBytes);
            }
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /** How long a connection may send nothing before it is closed; 30 s when not set. */
        public Builder idleTimeout(Duration idleTimeout) {
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            if (idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("idleTimeout must be positive, was " + idleTimeout);
            }
            this.idleTimeout = idleTimeout;
            return this;
        }

        /**
         * GraphQL requests served at once (more wait in the {@link #queue(int) queue}); {@value #DEFAULT_THREADS}
         * when not set. The other routes have threads of their own.
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, was " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * GraphQL requests that wait for a slot, holding no thread; past it, 503 at once.
         * {@value #DEFAULT_QUEUE} when not set; 0 refuses every request beyond the running ones.
         */
        public Builder queue(int queue) {
            if (queue < 0) {
                throw new IllegalArgumentException("queue must be at least 0, was " + queue);
            }
            this.queue = queue;
            return this;
        }

        /** Longest wait in the queue before 503; 10 s when not set. */
        public Builder queueTimeout(Duration queueTimeout) {
            this.queueTimeout = positive("queueTimeout", queueTimeout);
            return this;
        }

        /** Longest time a GraphQL request's whole body may take to arrive before 408; 10 s when not set. */
        public Builder bodyTimeout(Duration bodyTimeout) {
            this.bodyTimeout = positive("bodyTimeout", bodyTimeout);
            return this;
        }

        private static Duration positive(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, was " + d);
            }
            return d;
        }

        /**
         * Enables {@code POST /admin/cache/invalidate} (behind the admin token) on these entities' cross-request
         * caches, when they have one.
         */
        public Builder cacheInvalidation(dev.federation.core.FederatedEntities entities) {
            this.invalidation = Objects.requireNonNull(entities, "entities");
            return this;
        }

        /** Enables {@code POST /admin/mode} on this switch. */
        public Builder modeSwitch(FederationModeSwitch modeSwitch) {
            this.modeSwitch = Objects.requireNonNull(modeSwitch, "modeSwitch");
            return this;
        }

        /**
         * The token {@code POST /admin/mode} requires as {@code Authorization: Bearer <token>}, compared exactly
         * (not trimmed); {@code null} or empty refuses every admin call.
         */
        public Builder adminToken(@Nullable String adminToken) {
            this.adminToken = adminToken;
            return this;
        }

        /** Adds a {@code GET} route. */
        public Builder get(String path, Route route) {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(route, "route");
            if (!path.startsWith("/") || path.equals("/graphql") || path.equals("/admin/mode")
                    || path.equals(INVALIDATE)) {
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
