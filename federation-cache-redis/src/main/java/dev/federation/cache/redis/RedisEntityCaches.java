package dev.federation.cache.redis;

import dev.federation.core.EntityCacheOptions;
import dev.federation.core.EntityType;
import dev.federation.core.cache.EntityCache;
import dev.federation.core.cache.EntityCacheProvider;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared cross-request entity cache: an {@link EntityCacheProvider} whose caches hold a local level (in
 * process, as the default cache) in front of Redis, shared by every replica of the subgraph.
 *
 * <pre>{@code
 * RedisEntityCaches redis = RedisEntityCaches.builder(RedisURI.create("redis://cache:6379"))
 *     .prefix("products-subgraph")
 *     .build();
 * FederatedEntities entities = FederatedEntities.builder()
 *     .entity(product)                  // .cache(EntityCacheOptions.of(10_000, Duration.ofMinutes(5)))
 *     .cacheScope(context -> context.get("tenant"))
 *     .cacheProvider(redis)
 *     .build();
 * }</pre>
 *
 * <ul>
 *   <li><b>Levels.</b> A read asks the local level first, then Redis for what it lacks, in one round trip (a
 *       script of {@code HGET}s); only what both lack goes to the batch function. Found entities are written to
 *       both, with the type's time to live; misses and errors never are.</li>
 *   <li><b>Keys.</b> One Redis hash per entity key, {@code <prefix>:<typename>:<key shape>:<key>}, with one field
 *       per codec version and cache scope, {@code <version>|<scope>}. A request whose scope is {@code null}
 *       bypasses both levels; a scope Redis cannot name ({@link Builder#scopeKey}) bypasses Redis.</li>
 *   <li><b>Values.</b> Written by the type's {@link EntityCodec} ({@link JacksonEntityCodec} of the type's Java
 *       class by default), with the time they were written; the codec's version in the field name means that
 *       a deploy that changes the class never reads old bytes as new.</li>
 *   <li><b>Invalidation.</b> {@code FederatedEntities.invalidate(...)} deletes the key's hash (every scope) and
 *       publishes on {@code <prefix>:invalidations}; every replica drops it from its local level.
 *       {@code invalidateAll} deletes the type's hashes ({@code SCAN}) and publishes likewise. An invalidation
 *       made while Redis is skipped is sent when it answers again.</li>
 *   <li><b>Fail open.</b> Commands time out after {@link Builder#commandTimeout}; after
 *       {@link Builder#failureThreshold} failures in a row Redis is skipped for {@link Builder#retryAfter}, then
 *       tried again. Nothing throws into {@code _entities}. When Redis answers again, or the invalidation channel
 *       is subscribed again after a disconnect, the local levels are dropped (they may have missed
 *       invalidations).</li>
 * </ul>
 *
 * <p>A read waits on the request's thread (at most the command timeout), or with {@link Builder#executor} is
 * asynchronous and goes on there; never on Lettuce's event loop. Writes, deletes and publishes never wait. Close
 * it after the {@code FederatedEntities} that use it. Thread-safe. Public API.
 */
public final class RedisEntityCaches implements EntityCacheProvider, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisEntityCaches.class);

    /** {@code KEYS} the hashes, {@code ARGV[1]} the field: the field's value of each, or nil. */
    static final String READ = "local out = {} "
            + "for i, k in ipairs(KEYS) do out[i] = redis.call('HGET', k, ARGV[1]) end "
            + "return out";
    /** {@code KEYS} the hashes, {@code ARGV[1]} the field, {@code ARGV[2]} the expiry in ms, then one value per key. */
    static final String WRITE = "for i, k in ipairs(KEYS) do "
            + "redis.call('HSET', k, ARGV[1], ARGV[i + 2]) redis.call('PEXPIRE', k, ARGV[2]) end "
            + "return #KEYS";

    private final RedisURI uri;
    private final String prefix;
    private final String channel;
    private final Duration commandTimeout;
    private final Clock clock;
    private final @Nullable Executor executor;
    private final Map<String, EntityCodec<?>> codecs;
    private final Map<String, java.util.function.UnaryOperator<EntityCacheOptions>> options;
    private final @Nullable Function<Object, @Nullable String> scopeKey;
    private final String origin = UUID.randomUUID().toString();
    private final ClientResources resources;
    private final RedisClient client;
    private final FailOpen failOpen;
    private final Map<String, RedisEntityCache> caches = new ConcurrentHashMap<>();
    private final Set<Class<?>> unnamedScopes = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean connecting = new AtomicBoolean();
    private final AtomicInteger subscriptions = new AtomicInteger();
    private volatile @Nullable StatefulRedisConnection<byte[], byte[]> connection;
    private volatile @Nullable StatefulRedisPubSubConnection<String, String> pubSub;
    private volatile @Nullable CompletableFuture<?> connectingNow;
    private final AtomicBoolean startupWaited = new AtomicBoolean();
    private final Duration connectTimeout;
    private volatile boolean closed;
    private final String readSha;
    private final String writeSha;

    private RedisEntityCaches(Builder b) {
        this.uri = b.uri;
        this.prefix = b.prefix;
        this.channel = b.prefix + ":invalidations";
        this.commandTimeout = b.commandTimeout;
        this.connectTimeout = b.connectTimeout;
        this.clock = b.clock;
        this.codecs = Map.copyOf(b.codecs);
        this.options = Map.copyOf(b.options);
        this.scopeKey = b.scopeKey;
        this.executor = b.executor;
        this.readSha = sha1(READ);
        this.writeSha = sha1(WRITE);
        this.failOpen = new FailOpen(b.failureThreshold, b.retryAfter, System::nanoTime, this::dropLocalLevels);
        // Lettuce reconnects by itself; its default backoff grows to 30 s, so a Redis back after a short outage
        // could stay unused for that long: the wait between attempts is capped at retryAfter
        this.resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(1), b.retryAfter, 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(b.requestQueueSize)
                .timeoutOptions(TimeoutOptions.enabled(b.commandTimeout))
                .socketOptions(SocketOptions.builder().connectTimeout(b.connectTimeout).build())
                .build());
    }

    /** A builder for the Redis at {@code uri}, e.g. {@code RedisURI.create("redis://127.0.0.1:6379")}. */
    public static Builder builder(RedisURI uri) {
        return new Builder(Objects.requireNonNull(uri, "uri"));
    }

    /** A builder for the Redis at {@code uri}, e.g. {@code "redis://127.0.0.1:6379"}. */
    public static Builder builder(String uri) {
        return builder(RedisURI.create(Objects.requireNonNull(uri, "uri")));
    }

    @Override
    public EntityCache create(EntityType type, EntityCacheOptions declared) {
        java.util.function.UnaryOperator<EntityCacheOptions> override = options.get(type.typename());
        EntityCacheOptions options = override == null ? declared
                : Objects.requireNonNull(override.apply(declared), "options of " + type.typename());
        EntityCodec<?> codec = codecs.get(type.typename());
        if (codec == null) {
            Class<?> javaClass = type.javaClass();
            codec = javaClass != null ? JacksonEntityCodec.of(javaClass) : JacksonEntityCodec.ofMaps();
        }
        RedisEntityCache cache = new RedisEntityCache(this, type, options, codec);
        if (caches.putIfAbsent(type.typename(), cache) != null) {
            throw new IllegalStateException("a Redis cache of " + type.typename() + " was made already by this "
                    + "provider: use one RedisEntityCaches per FederatedEntities, or another prefix");
        }
        // on the first cache (a provider no type uses never connects), waiting at most the connect timeout, so
        // that a replica that starts with Redis up uses it from its first request; with Redis down it starts
        // anyway, on its local levels, and only the first cache waits
        CompletableFuture<?> connected = connect();
        if (startupWaited.compareAndSet(false, true)) {
            try {
                connected.get(connectTimeout.toMillis() + 500, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.warn("Redis at {}:{} did not answer at startup ({}): cached types use their local level until "
                        + "it does", uri.getHost(), uri.getPort(), String.valueOf(e.getCause() != null ? e.getCause() : e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("entity type {} is cached on two levels: local ({} entries), then Redis at {} (key prefix {}, "
                + "time to live {}, codec {})", type.typename(), options.maximumSize(), uri.getHost() + ":"
                + uri.getPort(), prefix, options.timeToLive(), codec.version());
        return cache;
    }

    /** {@code false} while Redis is skipped after repeated failures (the caches serve locally and fail open). */
    public boolean available() {
        return failOpen.available();
    }

    // ---- what the caches use ----

    String prefix() {
        return prefix;
    }

    Clock clock() {
        return clock;
    }

    /** The local levels' clock: {@link System#nanoTime()}, or the builder's clock in nanoseconds when one was set. */
    java.util.function.LongSupplier nanoClock() {
        if (clock.equals(Clock.systemUTC())) {
            return System::nanoTime;
        }
        long base = clock.millis();
        return () -> TimeUnit.MILLISECONDS.toNanos(clock.millis() - base);
    }

    @Nullable Executor executor() {
        return executor;
    }

    FailOpen failOpen() {
        return failOpen;
    }

    Duration commandTimeout() {
        return commandTimeout;
    }

    void forget(RedisEntityCache cache) {
        caches.remove(cache.typename(), cache);
    }

    /**
     * The name of {@code scope} in Redis: strings, integers, booleans, enums and UUIDs by value, tagged by kind
     * (so {@code "1"} and {@code 1} differ), anything else by the {@link Builder#scopeKey} function. {@code null}
     * when it has none: that request bypasses Redis.
     */
    @Nullable String scopeName(Object scope) {
        if (scope instanceof String) {
            return "s:" + scope;
        }
        if (scope instanceof Integer || scope instanceof Long || scope instanceof Short || scope instanceof Byte) {
            return "n:" + scope;
        }
        if (scope instanceof Boolean) {
            return "b:" + scope;
        }
        if (scope instanceof Enum) {
            return "e:" + ((Enum<?>) scope).getDeclaringClass().getName() + "." + ((Enum<?>) scope).name();
        }
        if (scope instanceof UUID) {
            return "u:" + scope;
        }
        if (scopeKey != null) {
            String name = scopeKey.apply(scope);
            if (name != null) {
                return "f:" + name;
            }
        }
        if (unnamedScopes.add(scope.getClass())) {
            LOG.warn("cache scopes of class {} have no name in Redis: those requests use the local level only; "
                    + "set RedisEntityCaches.Builder.scopeKey(...) to name them", scope.getClass().getName());
        }
        return null;
    }

    /**
     * The commands of the connection, or {@code null} until the first connect succeeded (a connect is then
     * started). Once connected, Lettuce reconnects by itself; while it is disconnected, commands fail at once.
     */
    @Nullable RedisAsyncCommands<byte[], byte[]> commands() {
        StatefulRedisConnection<byte[], byte[]> c = connection;
        if (c == null) {
            connect();
            return null;
        }
        return c.async();
    }

    /** Runs one of the two scripts by its SHA-1, loading it on the first NOSCRIPT. */
    CompletionStage<Object> script(RedisAsyncCommands<byte[], byte[]> commands, boolean read, byte[][] keys,
            byte[]... args) {
        String sha = read ? readSha : writeSha;
        ScriptOutputType type = read ? ScriptOutputType.MULTI : ScriptOutputType.INTEGER;
        CompletionStage<Object> first = commands.<Object>evalsha(sha, type, keys, args);
        return first.handle((v, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(v);
            }
            String m = String.valueOf(e.getMessage());
            if (m.contains("NOSCRIPT")) {
                return commands.<Object>eval(read ? READ : WRITE, type, keys, args).toCompletableFuture();
            }
            return CompletableFuture.<Object>failedFuture(e);
        }).thenCompose(f -> f);
    }

    /** Publishes an invalidation message (see {@link RedisEntityCache#onMessage}). */
    CompletionStage<Long> publish(RedisAsyncCommands<byte[], byte[]> commands, String message) {
        return commands.publish(bytes(channel), bytes(origin + "|" + message));
    }

    /** Connects (both connections) unless connected or connecting; the future completes when that is done. */
    private CompletableFuture<?> connect() {
        if (connection != null) {
            return CompletableFuture.completedFuture(connection);
        }
        CompletableFuture<?> pending = connectingNow;
        if (closed || pending != null || !connecting.compareAndSet(false, true)) {
            return pending != null ? pending : CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Object> done = new CompletableFuture<>();
        connectingNow = done;
        client.connectAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture()
                .thenCompose(c -> subscribe().handle((p, e) -> {
                    if (e != null) { // no channel, no shared level: this connection is not kept
                        c.closeAsync();
                        throw e instanceof java.util.concurrent.CompletionException
                                ? (java.util.concurrent.CompletionException) e
                                : new java.util.concurrent.CompletionException(e);
                    }
                    return c;
                }))
                .whenComplete((c, e) -> {
                    if (e != null) {
                        failOpen.failed(e);
                        LOG.debug("connecting to Redis at {} failed", uri, e);
                    } else if (closed) {
                        c.closeAsync();
                    } else {
                        connection = c;
                    }
                    connectingNow = null;
                    connecting.set(false);
                    if (e != null) {
                        done.completeExceptionally(e);
                    } else {
                        done.complete(c);
                        for (RedisEntityCache cache : caches.values()) {
                            cache.flushPending(); // invalidations made before the first connect
                        }
                    }
                });
        return done;
    }

    private CompletableFuture<?> subscribe() {
        if (pubSub != null) {
            return CompletableFuture.completedFuture(pubSub);
        }
        return client.connectPubSubAsync(StringCodec.UTF8, uri).toCompletableFuture().thenCompose(p -> {
            p.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String ch, String message) {
                    if (channel.equals(ch)) {
                        received(message);
                    }
                }

                @Override
                public void subscribed(String ch, long count) {
                    if (channel.equals(ch) && subscriptions.incrementAndGet() > 1) {
                        // subscribed again after a disconnect: invalidations may have been missed meanwhile
                        LOG.info("invalidation channel {} subscribed again: the local levels are dropped", channel);
                        dropLocalLevels();
                    }
                }
            });
            return p.async().subscribe(channel).toCompletableFuture().handle((v, e) -> {
                if (e != null || closed) {
                    p.closeAsync(); // kept only once subscribed, so that a later attempt subscribes again
                    if (e != null) {
                        throw e instanceof java.util.concurrent.CompletionException
                                ? (java.util.concurrent.CompletionException) e
                                : new java.util.concurrent.CompletionException(e);
                    }
                    return p;
                }
                pubSub = p;
                return p;
            });
        });
    }

    private void received(String message) {
        int bar = message.indexOf('|');
        if (bar < 0) {
            return;
        }
        String body = message.substring(bar + 1);
        int next = body.indexOf('|');
        String typename = next < 0 ? body : body.substring(0, next);
        RedisEntityCache cache = caches.get(typename);
        if (cache != null) {
            cache.onMessage(body.substring(next < 0 ? body.length() : next + 1));
        }
    }

    private void dropLocalLevels() {
        for (RedisEntityCache c : caches.values()) {
            c.resumed();
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String sha1(String script) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-1").digest(bytes(script));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Closes the connections and the client (not an executor given to the builder). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        StatefulRedisPubSubConnection<String, String> p = pubSub;
        if (p != null) {
            p.close();
        }
        StatefulRedisConnection<byte[], byte[]> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "RedisEntityCaches[" + uri.getHost() + ":" + uri.getPort() + ", prefix " + prefix + ", "
                + (failOpen.available() ? "available" : "skipped") + "]";
    }

    /** Builder of {@link RedisEntityCaches}. */
    public static final class Builder {
        private final RedisURI uri;
        private String prefix = "federation";
        private Duration commandTimeout = Duration.ofMillis(100);
        private Duration connectTimeout = Duration.ofSeconds(1);
        private int failureThreshold = 5;
        private Duration retryAfter = Duration.ofSeconds(5);
        private int requestQueueSize = 10_000;
        private Clock clock = Clock.systemUTC();
        private @Nullable Executor executor;
        private final Map<String, EntityCodec<?>> codecs = new HashMap<>();
        private final Map<String, java.util.function.UnaryOperator<EntityCacheOptions>> options = new HashMap<>();
        private @Nullable Function<Object, @Nullable String> scopeKey;

        private Builder(RedisURI uri) {
            this.uri = uri;
        }

        /** The first part of every key and of the channel; {@code "federation"} when not set. One per subgraph. */
        public Builder prefix(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            if (prefix.isBlank() || prefix.matches(".*[\\s*?\\[\\]\\\\].*")) {
                throw new IllegalArgumentException("prefix must be non-blank with no spaces or *?[]\\: " + prefix);
            }
            this.prefix = prefix;
            return this;
        }

        /** How long a Redis command may take before it counts as failed; 100 ms when not set. */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = positive("commandTimeout", timeout);
            return this;
        }

        /** How long connecting may take; 1 s when not set. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout);
            return this;
        }

        /** Failures in a row after which Redis is skipped; 5 when not set. */
        public Builder failureThreshold(int failures) {
            if (failures < 1) {
                throw new IllegalArgumentException("failureThreshold must be at least 1, was " + failures);
            }
            this.failureThreshold = failures;
            return this;
        }

        /** How long Redis is skipped before it is tried again; 5 s when not set. */
        public Builder retryAfter(Duration retryAfter) {
            this.retryAfter = positive("retryAfter", retryAfter);
            return this;
        }

        /** Most commands queued on the connection; past it a command fails at once. 10,000 when not set. */
        public Builder requestQueueSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("requestQueueSize must be at least 1, was " + size);
            }
            this.requestQueueSize = size;
            return this;
        }

        /** The codec of {@code typename}; {@link JacksonEntityCodec} of its Java class (or of maps) when not set. */
        public Builder codec(String typename, EntityCodec<?> codec) {
            codecs.put(Objects.requireNonNull(typename, "typename"), Objects.requireNonNull(codec, "codec"));
            return this;
        }

        /**
         * Changes the cache options {@code typename} declared ({@code EntityType.Builder.cache}) for its two
         * levels here, e.g. {@code declared -> EntityCacheOptions.of(50_000, Duration.ofMinutes(30))}: the Spring
         * properties {@code federation.cache.redis.types.<typename>.*} do this. A grace period added here with
         * a synchronous batch function and no {@code batchExecutor} makes the request that found a stale entry
         * wait for its refresh.
         */
        public Builder options(String typename, java.util.function.UnaryOperator<EntityCacheOptions> override) {
            options.put(Objects.requireNonNull(typename, "typename"), Objects.requireNonNull(override, "override"));
            return this;
        }

        /**
         * Names the cache scopes that are not strings, integers, booleans, enums or UUIDs, e.g.
         * {@code scope -> ((Tenant) scope).id()}. Two scopes must never get the same name. A scope it names
         * {@code null} bypasses Redis.
         */
        public Builder scopeKey(Function<Object, @Nullable String> scopeKey) {
            this.scopeKey = Objects.requireNonNull(scopeKey, "scopeKey");
            return this;
        }

        /**
         * Makes reads asynchronous: an answer from Redis is handed to {@code executor}, where the request then
         * goes on (its batch function too, for the misses). When not set, the request's own thread waits for
         * Redis, at most the command timeout, and goes on itself: right for a thread-per-request server (a
         * synchronous batch function then keeps running on the request's thread); set it for a non-blocking one.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The clock entries' ages are read from (tests move it); the system's when not set. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The provider. It connects when it makes its first cache, waiting at most the connect timeout; when Redis
         * does not answer, its caches work on their local levels until it does.
         */
        public RedisEntityCaches build() {
            return new RedisEntityCaches(this);
        }

        private static Duration positive(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, was " + d);
            }
            return d;
        }
    }
}
