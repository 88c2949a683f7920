package dev.federation.examples.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationModeSwitch;
import graphql.ExecutionResult;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one {@link GraphQlEndpoint} over HTTP with an embedded Jetty 12 server, hardened for traffic that
 * comes from the network.
 *
 * <p>Routes (Jetty's {@code PathMappingsHandler}, exact paths):
 * <ul>
 *   <li>{@code POST /graphql} with {@code Content-Type: application/json} (415 otherwise: a browser form or
 *       {@code text/plain} cannot make a cross-site request run, as Apollo Router's CSRF prevention and
 *       Spring require), a JSON body {@code {"query": ..., "variables": {...}, "operationName": ...}}, answered
 *       with the result's specification map as {@code application/json} (status 200; 400 for a body that is
 *       not such an object);</li>
 *   <li>{@code GET} routes added with {@link Builder#json}, {@link Builder#text} or {@link Builder#get}
 *       (metrics, health, debug statistics);</li>
 *   <li>{@code POST /admin/mode} when a {@link Builder#modeSwitch(FederationModeSwitch) mode switch} is given,
 *       and {@code POST /admin/cache/invalidate} when {@link Builder#cacheInvalidation cache invalidation} is:
 *       both behind {@code Authorization: Bearer <token>} (see {@link AdminRoutes}).</li>
 * </ul>
 *
 * <p>Defences, each Jetty's own where Jetty has one:
 * <ul>
 *   <li>connector timeouts: an idle timeout ({@link Builder#idleTimeout(Duration)}, default 30 s) closes a
 *       connection that sends nothing, whether its headers are unfinished (slowloris) or it is between
 *       requests; a body must arrive at {@value #MIN_BODY_BYTES_PER_SECOND} bytes a second at least; headers
 *       over 16 KB get 431; connections waiting for bytes hold no thread;</li>
 *   <li>Jetty's {@code SizeLimitHandler}: a body over {@link Builder#maxBodyBytes(int)} gets 413, decided from
 *       {@code Content-Length} before anything is read, or as soon as a chunked body passes the limit;</li>
 *   <li>the body of a {@code POST} route is read whole, without a thread (Jetty's asynchronous read), before
 *       the request takes a slot (an admin route's only when the request carries the admin token), and must
 *       arrive within {@link Builder#bodyTimeout(Duration)} (default 10 s;
 *       then 408 and the connection is closed): a slow or stalled upload holds neither a slot nor a thread;
 *       a malformed body (a bad chunk size) or a client gone mid-body is a 400, never a 500;</li>
 *   <li>Jetty's {@code QoSHandler}: at most {@link Builder#threads(int)} GraphQL requests run at once; the
 *       next {@link Builder#queue(int)} wait, holding no thread, for at most {@link Builder#queueTimeout};
 *       past the queue or the wait, 503 with {@code Retry-After}. The {@code GET} routes ({@code /health},
 *       {@code /metrics}) do not count against that limit and have threads of their own, so they answer
 *       while {@code /graphql} is saturated;</li>
 *   <li>an exception or an {@code Error} in a route ends that request with a 500 (no stack trace in the
 *       body) and never a worker thread; every error, Jetty's own included, is a JSON
 *       {@code {"error": "..."}} that never echoes the request;</li>
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
    public static final String ADMIN_TOKEN_VARIABLE = AdminRoutes.ADMIN_TOKEN_VARIABLE;
    /** The GraphQL route. */
    public static final String GRAPHQL = "/graphql";
    /** The route that switches the federation mode. */
    public static final String MODE = "/admin/mode";
    /** The route that invalidates cached entities. */
    public static final String INVALIDATE = "/admin/cache/invalidate";
    /** The value the {@link RequestListener}s see for an unknown path or method. */
    public static final String OTHER = "other";

    private static final Logger LOG = LoggerFactory.getLogger(SubgraphServer.class);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String JSON_TYPE = "application/json";
    /** The request attribute holding a {@code POST} route's body, read whole before the route runs. */
    static final String BODY = SubgraphServer.class.getName() + ".body";
    /** The request attribute holding the request id. */
    static final String REQUEST_ID = SubgraphServer.class.getName() + ".requestId";
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
    private final @Nullable FederationModeSwitch modeSwitch;
    private final @Nullable FederatedEntities invalidation;
    private final @Nullable String adminToken;
    private final Map<String, Route> routes;
    private final List<RequestListener> listeners;
    private final Interceptor interceptor;
    private @Nullable Server server;
    private @Nullable ServerConnector connector;
    private @Nullable QoSHandler qos;

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
        this.adminToken = b.adminToken;
        this.routes = Map.copyOf(b.routes);
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

        // Routes by exact path; an unmapped path is not handled, and Observed answers 404
        PathMappingsHandler paths = new PathMappingsHandler();
        Set<String> posts = new HashSet<>();
        paths.addMapping(PathSpec.from(GRAPHQL), new GraphqlRoute(endpoint, interceptor));
        posts.add(GRAPHQL);
        AdminRoutes admin = new AdminRoutes(adminToken);
        if (modeSwitch != null) {
            paths.addMapping(PathSpec.from(MODE), admin.mode(modeSwitch));
            posts.add(MODE);
        }
        if (invalidation != null && !invalidation.caches().isEmpty()) {
            paths.addMapping(PathSpec.from(INVALIDATE), admin.invalidation(invalidation));
            posts.add(INVALIDATE);
        }
        routes.forEach((path, route) -> paths.addMapping(PathSpec.from(path), new Answering.Get(route)));
        Set<String> known = new HashSet<>(routes.keySet());
        known.addAll(posts);

        QoSHandler slots = new QoSHandler(paths) {
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
        slots.includePath(GRAPHQL);
        slots.includeMethod("POST");

        s.setHandler(new Observed(Set.copyOf(known),
                new SizeLimitHandler(maxBodyBytes, -1), new BodyFirst(Set.copyOf(posts), admin, slots)));
        s.setErrorHandler(this::jettyError);
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
        return uri().resolve(GRAPHQL);
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
        qos = null;
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

    /** Answers 503 with {@code Retry-After}: no slot and no room to wait, or the wait ran out. */
    private static void busy(Request request, org.eclipse.jetty.server.Response response, Callback callback) {
        Response busy = error(503, "too many requests in flight; retry shortly");
        send(request, response, callback, new Response(busy.status(), busy.contentType(), busy.body(), "1"));
    }

    /**
     * Jetty's error page (a 413 of {@code SizeLimitHandler}, a 400 of the parser), as the routes answer
     * errors: JSON, and never the request's own text.
     */
    private boolean jettyError(Request request, org.eclipse.jetty.server.Response response, Callback callback) {
        int status = request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer code ? code
                : response.getStatus();
        String message = switch (status) {
            case 404 -> "not found";
            case 413 -> "the body is larger than " + maxBodyBytes + " bytes";
            default -> status >= 500 ? "internal error"
                    : String.valueOf(HttpStatus.getMessage(status)).toLowerCase(java.util.Locale.ROOT);
        };
        if (request.getAttribute(REQUEST_ID) == null) {
            // Jetty refused it before any handler ran (a malformed URI or request line, headers too large): the
            // listeners are told all the same, of a path they cannot trust
            String method = KNOWN_METHODS.contains(request.getMethod()) ? request.getMethod() : OTHER;
            response = new Reporting(request, response, method, OTHER, name + "-" + REQUEST_IDS.incrementAndGet(),
                    request.getBeginNanoTime());
        }
        send(request, response, callback, error(status, message));
        return true;
    }

    /**
     * The outermost handler: gives each request its id (MDC and an attribute), answers 404 for what no route
     * handled and 500 for what a handler threw, and tells the listeners of the status once, when the response
     * is written (the queue's 503 and the error pages of Jetty's handlers, such as {@code SizeLimitHandler}'s 413,
     * included; what Jetty answers before any handler runs, a malformed URI or headers too large, is told by the
     * server's error handler).
     */
    private final class Observed extends Handler.Wrapper {
        private final Set<String> knownPaths;

        Observed(Set<String> knownPaths, Handler.Wrapper limits, Handler next) {
            super(limits);
            limits.setHandler(next);
            this.knownPaths = knownPaths;
        }

        @Override
        public boolean handle(Request request, org.eclipse.jetty.server.Response response, Callback callback) {
            long start = System.nanoTime();
            String method = request.getMethod();
            // the canonical path, as PathMappingsHandler and QoSHandler match it (no ;parameters, %-decoded)
            String path = Request.getPathInContext(request);
            String requestId = request.getHeaders().get("X-Request-Id");
            if (requestId == null || requestId.isBlank() || requestId.length() > 128) {
                requestId = name + "-" + REQUEST_IDS.incrementAndGet();
            }
            request.setAttribute(REQUEST_ID, requestId);
            String knownMethod = KNOWN_METHODS.contains(method) ? method : OTHER;
            String knownPath = path != null && knownPaths.contains(path) ? path : OTHER;
            Reporting reporting = new Reporting(request, response, knownMethod, knownPath, requestId, start);
            Callback reported = new Callback() {
                @Override
                public void succeeded() {
                    reporting.report();
                    callback.succeeded();
                }

                @Override
                public void failed(Throwable x) {
                    reporting.failed();
                    callback.failed(x);
                }

                @Override
                public InvocationType getInvocationType() {
                    return callback.getInvocationType();
                }
            };
            try (var mdc = org.slf4j.MDC.putCloseable("request_id", requestId)) {
                if (!super.handle(request, reporting, reported)) {
                    send(request, reporting, reported, error(404, "not found"));
                }
            } catch (Throwable e) { // an Error too: this request fails, the worker lives on
                LOG.atError().setCause(e).addKeyValue("request_id", requestId).addKeyValue("path", knownPath)
                        .log("request failed");
                if (!reporting.isCommitted()) {
                    send(request, reporting, reported, error(500, "internal error"));
                } else {
                    reported.failed(e);
                }
            }
            return true;
        }
    }

    /** Tells the listeners of a request's status once: at its last write, or when it ends unwritten. */
    private final class Reporting extends org.eclipse.jetty.server.Response.Wrapper {
        private final AtomicBoolean reported = new AtomicBoolean();
        private final String method;
        private final String path;
        private final String requestId;
        private final long start;

        Reporting(Request request, org.eclipse.jetty.server.Response response, String method, String path,
                String requestId, long start) {
            super(request, response);
            this.method = method;
            this.path = path;
            this.requestId = requestId;
            this.start = start;
        }

        @Override
        public void write(boolean last, @Nullable ByteBuffer content, Callback callback) {
            if (last) {
                report();
            }
            super.write(last, content, callback);
        }

        /** The request failed: unwritten, Jetty answers it with a 500 of its own, or the client has gone. */
        void failed() {
            report(isCommitted() ? getStatus() : 500);
        }

        void report() {
            report(getStatus());
        }

        private void report(int status) {
            if (!reported.compareAndSet(false, true)) {
                return;
            }
            long nanos = System.nanoTime() - start;
            for (RequestListener l : listeners) {
                try {
                    l.completed(method, path, status, nanos);
                } catch (RuntimeException e) {
                    LOG.warn("request listener failed", e);
                }
            }
            LOG.atDebug().addKeyValue("operation", "http_request").addKeyValue("request_id", requestId)
                    .addKeyValue("http_method", method).addKeyValue("path", path).addKeyValue("status", status)
                    .addKeyValue("duration_ms", nanos / 1_000_000.0)
                    .log("{} {} {}", method, path, status);
        }
    }

    /**
     * Reads the body of a {@code POST} route whole before anything else (the {@code POST /graphql} of JSON
     * only: any other is refused unread), without holding a thread while bytes are awaited, bounded by the
     * size limit and {@link Builder#bodyTimeout}; then hands the request, its body in the {@link #BODY}
     * attribute, to the next handler (the slots) on a thread of the server. Every other request passes as it
     * is.
     */
    private final class BodyFirst extends Handler.Wrapper {
        private final Set<String> postRoutes;
        private final AdminRoutes admin;

        BodyFirst(Set<String> postRoutes, AdminRoutes admin, Handler next) {
            super(next);
            this.postRoutes = postRoutes;
            this.admin = admin;
        }

        @Override
        public boolean handle(Request request, org.eclipse.jetty.server.Response response, Callback callback)
                throws Exception {
            String path = Request.getPathInContext(request);
            if (!request.getMethod().equals("POST") || !postRoutes.contains(path)
                    || (path.equals(GRAPHQL) ? !Answering.isJson(request) : !admin.carriesToken(request))) {
                // an admin call without the token is refused unread: nobody without it makes the server buffer
                return super.handle(request, response, callback);
            }
            Content.Source.asByteArrayAsync(request, maxBodyBytes)
                    .orTimeout(bodyTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((bytes, error) -> handOff(request, callback, () -> {
                        try {
                            if (error == null) {
                                request.setAttribute(BODY, bytes);
                                if (!super.handle(request, response, callback)) {
                                    send(request, response, callback, error(404, "not found"));
                                }
                                return;
                            }
                            response.getHeaders().put(HttpHeader.CONNECTION, "close");
                            send(request, response, callback, unreadable(error));
                        } catch (Throwable e) {
                            LOG.atError().setCause(e).addKeyValue("request_id", request.getAttribute(REQUEST_ID))
                                    .log("request failed");
                            callback.failed(e);
                        }
                    }));
            return true;
        }

        /** Runs {@code work} on a thread of the server; a refusal (the server is stopping) fails the request. */
        private void handOff(Request request, Callback callback, Runnable work) {
            try {
                request.getComponents().getExecutor().execute(work);
            } catch (RuntimeException e) {
                callback.failed(e);
            }
        }

        /** What a body that could not be read is answered: the client's mistake, never a 500. */
        private Response unreadable(Throwable error) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (cause instanceof TimeoutException) {
                return error(408, "the body did not arrive within " + bodyTimeout.toMillis() + " ms");
            }
            // SizeLimitHandler fails the read with a 413 once a chunked body passes the limit; the read's own
            // limit fails it with an IllegalStateException
            if (cause instanceof IllegalStateException
                    || (cause instanceof HttpException h && h.getCode() == 413)) {
                return error(413, "the body is larger than " + maxBodyBytes + " bytes");
            }
            return error(400, "the body could not be read");
        }
    }

    /**
     * Writes {@code answer} (no body for {@code HEAD}). A request whose body was not read (refused unread: 415, 405,
     * 404, 413...) is answered with {@code Connection: close}: Jetty would close the connection after it anyway
     * when the rest of the body has not arrived, and a client told nothing would send its next request on a
     * connection that is going away.
     */
    static void send(Request request, org.eclipse.jetty.server.Response response, Callback callback,
            Response answer) {
        if (request.getAttribute(BODY) == null && request.getLength() != 0) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        byte[] body = answer.body();
        response.setStatus(answer.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (answer.retryAfterSeconds() != null) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, answer.retryAfterSeconds());
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        if (request.getMethod().equals("HEAD") || body.length == 0) {
            response.write(true, null, callback);
        } else {
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }

    /** A JSON error {@code {"error": message}}. */
    static Response error(int status, String message) {
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

    /** A {@code GET} route (also answers {@code HEAD}, without the body). */
    @FunctionalInterface
    public interface Route {
        /** The response. */
        Response handle();
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
        private @Nullable FederatedEntities invalidation;
        private @Nullable String adminToken;
        private final Map<String, Route> routes = new LinkedHashMap<>();
        private final List<RequestListener> listeners = new ArrayList<>();
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
        public Builder cacheInvalidation(FederatedEntities entities) {
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
            // "/" would be Jetty's default mapping, catching every unknown path; "*" a wildcard
            if (!path.startsWith("/") || path.equals("/") || path.equals(GRAPHQL) || path.equals(MODE)
                    || path.equals(INVALIDATE) || path.contains("*")) {
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
            return get(path, () -> Response.json(200, value.get()));
        }

        /** Adds a {@code GET} route answering {@code body.get()} as text of {@code contentType} (status 200). */
        public Builder text(String path, String contentType, Supplier<String> body) {
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(body, "body");
            return get(path, () -> Response.text(200, contentType, body.get()));
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
