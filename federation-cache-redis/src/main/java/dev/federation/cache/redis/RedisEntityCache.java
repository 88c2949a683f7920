package dev.federation.cache.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.federation.core.EntityCacheOptions;
import dev.federation.core.EntityKey;
import dev.federation.core.EntityType;
import dev.federation.core.KeyShape;
import dev.federation.core.cache.CacheLookup;
import dev.federation.core.cache.EntityCache;
import dev.federation.core.cache.EntityCacheStats;
import dev.federation.core.cache.LocalEntityCache;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two-level cache of one entity type (see {@link RedisEntityCaches}). The local level is keyed by the
 * key's name in Redis, so an invalidation received from another replica drops exactly that key.
 */
final class RedisEntityCache implements EntityCache {

    private static final Logger LOG = LoggerFactory.getLogger(RedisEntityCache.class);
    private static final byte FORMAT = 1;
    private static final int HEADER = 9;
    /** Most invalidations kept while Redis is skipped; past it, the whole type is invalidated when it returns. */
    private static final int MAX_PENDING = 10_000;
    private static final ObjectMapper KEYS = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private final RedisEntityCaches redis;
    private final String typename;
    private final String keyPrefix;
    private final LocalEntityCache local;
    @SuppressWarnings("rawtypes")
    private final EntityCodec codec;
    private final long ttlMillis;
    private final long staleUntilMillis;
    private final Map<String, KeyShape> shapes = new HashMap<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder staleHits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder commands = new LongAdder();
    private final LongAdder commandNanos = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final AtomicBoolean decodeWarned = new AtomicBoolean();
    private final AtomicBoolean flushing = new AtomicBoolean();
    /** Invalidations not yet sent to Redis (it was skipped): {@code shape|key}, or {@link #ALL}. */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private static final String ALL = "\u0000all";
    private volatile long invalidatedNanos;
    private volatile boolean invalidated;
    private volatile boolean closed;

    RedisEntityCache(RedisEntityCaches redis, EntityType type, EntityCacheOptions options, EntityCodec<?> codec) {
        this.redis = redis;
        this.typename = type.typename();
        this.keyPrefix = redis.prefix() + ":" + typename + ":";
        this.local = LocalEntityCache.create(options, redis.nanoClock(), "local");
        this.codec = codec;
        this.ttlMillis = options.timeToLive().toMillis();
        this.staleUntilMillis = ttlMillis + options.gracePeriod().toMillis();
        for (EntityType.Key<?> k : type.keys()) {
            shapes.put(k.shape().toString(), k.shape());
        }
    }

    String typename() {
        return typename;
    }

    @Override
    public CompletionStage<CacheLookup> getAll(KeyShape shape, Object scope, List<?> keys) {
        int size = keys.size();
        List<String> names = names(keys);
        CacheLookup lookup = local.read(shape, scope, names);
        int ask = 0;
        for (int i = 0; i < size; i++) {
            if (lookup.entity(i) == null || lookup.isStale(i)) {
                ask++;
            }
        }
        if (ask == 0) {
            return CompletableFuture.completedFuture(lookup);
        }
        String scopeName = redis.scopeName(scope);
        if (scopeName == null || closed) {
            return CompletableFuture.completedFuture(lookup);
        }
        FailOpen failOpen = redis.failOpen();
        if (!failOpen.allow()) {
            skipped.add(ask);
            misses.add(ask);
            return CompletableFuture.completedFuture(lookup);
        }
        RedisAsyncCommands<byte[], byte[]> c = redis.commands();
        if (c == null) {
            failOpen.notSent();
            skipped.add(ask);
            misses.add(ask);
            return CompletableFuture.completedFuture(lookup);
        }
        int[] asked = new int[ask];
        byte[][] redisKeys = new byte[ask][];
        for (int i = 0, j = 0; i < size; i++) {
            if (lookup.entity(i) == null || lookup.isStale(i)) {
                asked[j] = i;
                redisKeys[j++] = RedisEntityCaches.bytes(keyPrefix + shape + ":" + names.get(i));
            }
        }
        byte[] field = RedisEntityCaches.bytes(codec.version() + "|" + scopeName);
        long start = System.nanoTime();
        CompletableFuture<Object> read = redis.script(c, true, redisKeys, field).toCompletableFuture();
        java.util.concurrent.Executor executor = redis.executor();
        if (executor == null) { // the caller's thread waits (at most the command timeout) and goes on itself
            Object value = null;
            Throwable error = null;
            try {
                value = read.get(redis.commandTimeout().toMillis() + 50, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                error = e.getCause();
            } catch (java.util.concurrent.TimeoutException e) {
                error = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error = e;
            }
            return CompletableFuture.completedFuture(answered(lookup, shape, scope, names, asked, start, value, error));
        }
        CompletableFuture<CacheLookup> answer = new CompletableFuture<>();
        read.whenComplete((value, error) -> {
            Runnable step = () -> {
                try {
                    answer.complete(answered(lookup, shape, scope, names, asked, start, value, error));
                } catch (Throwable t) { // never leave the request waiting: what the local level had
                    LOG.warn("reading {} from Redis failed: {}", typename, t.toString());
                    answer.complete(lookup);
                }
            };
            try {
                executor.execute(step); // never on Lettuce's event loop: the request goes on from here
            } catch (RejectedExecutionException e) {
                step.run(); // the executor is closing: answer here rather than never
            }
        });
        return answer;
    }

    private CacheLookup answered(CacheLookup lookup, KeyShape shape, Object scope, List<String> names, int[] asked,
            long start, @Nullable Object value, @Nullable Throwable error) {
        recorded(start, error);
        if (error == null) {
            try {
                merge(lookup, shape, scope, names, asked, value, start);
            } catch (RuntimeException e) { // counted already; the lookup holds what it had
                LOG.warn("reading {} from Redis failed: {}", typename, e.toString());
            }
            return lookup;
        }
        misses.add(asked.length);
        return lookup;
    }

    /** Puts what Redis found into the lookup and the local level; counts hits and misses. */
    @SuppressWarnings("unchecked")
    private void merge(CacheLookup lookup, KeyShape shape, Object scope, List<String> names, int[] asked,
            @Nullable Object value, long start) {
        List<?> values = value instanceof List ? (List<?>) value : List.of();
        long now = redis.clock().millis();
        List<String> found = new ArrayList<>(asked.length);
        List<Object> entities = new ArrayList<>(asked.length);
        List<Long> ages = new ArrayList<>(asked.length);
        int fresh = 0;
        int stale = 0;
        for (int j = 0; j < asked.length; j++) {
            Object v = j < values.size() ? values.get(j) : null;
            if (!(v instanceof byte[]) || ((byte[]) v).length < HEADER || ((byte[]) v)[0] != FORMAT) {
                continue;
            }
            byte[] bytes = (byte[]) v;
            long age = now - ByteBuffer.wrap(bytes, 1, 8).getLong();
            if (age >= staleUntilMillis) {
                continue;
            }
            Object entity;
            try {
                entity = codec.decode(java.util.Arrays.copyOfRange(bytes, HEADER, bytes.length));
            } catch (Exception e) {
                if (decodeWarned.compareAndSet(false, true)) {
                    LOG.warn("an entry of {} in Redis could not be decoded by {} (it is loaded instead; said once): {}",
                            typename, codec.version(), e.toString());
                }
                continue;
            }
            if (entity == null) {
                continue;
            }
            int i = asked[j];
            if (age < ttlMillis) {
                lookup.hit(i, entity);
                fresh++;
            } else if (lookup.entity(i) == null) { // a stale local entry is as good as a stale Redis one
                lookup.stale(i, entity);
                stale++;
            } else {
                continue;
            }
            found.add(names.get(i));
            entities.add(entity);
            ages.add(Math.max(0, age));
        }
        hits.add(fresh);
        staleHits.add(stale);
        misses.add(asked.length - fresh - stale);
        if (!found.isEmpty()) {
            long[] ageNanos = new long[ages.size()];
            for (int k = 0; k < ageNanos.length; k++) {
                ageNanos[k] = TimeUnit.MILLISECONDS.toNanos(ages.get(k));
            }
            if (!(invalidated && invalidatedNanos - start >= 0)) { // read before an invalidation: serve, keep not
                local.write(shape, scope, found, entities, ageNanos);
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void putAll(KeyShape shape, Object scope, List<?> keys, List<?> entities, long loadStartedNanos) {
        if (invalidated && invalidatedNanos - loadStartedNanos >= 0) {
            return; // loaded before an invalidation: it may be what was invalidated
        }
        List<String> names = names(keys);
        local.putAll(shape, scope, names, entities, loadStartedNanos);
        String scopeName = redis.scopeName(scope);
        if (scopeName == null || closed) {
            return;
        }
        FailOpen failOpen = redis.failOpen();
        if (!failOpen.allow()) {
            skipped.add(keys.size());
            return;
        }
        RedisAsyncCommands<byte[], byte[]> c = redis.commands();
        if (c == null) {
            failOpen.notSent();
            skipped.add(keys.size());
            return;
        }
        long now = redis.clock().millis();
        List<byte[]> redisKeys = new ArrayList<>(keys.size());
        List<byte[]> args = new ArrayList<>(keys.size() + 2);
        args.add(RedisEntityCaches.bytes(codec.version() + "|" + scopeName));
        args.add(RedisEntityCaches.bytes(Long.toString(Math.max(1, staleUntilMillis))));
        for (int i = 0; i < keys.size(); i++) {
            byte[] payload;
            try {
                payload = codec.encode(entities.get(i));
            } catch (Exception e) {
                if (decodeWarned.compareAndSet(false, true)) {
                    LOG.warn("an entity of {} could not be encoded by {} (it stays local; said once): {}", typename,
                            codec.version(), e.toString());
                }
                continue;
            }
            byte[] value = new byte[HEADER + payload.length];
            value[0] = FORMAT;
            ByteBuffer.wrap(value, 1, 8).putLong(now);
            System.arraycopy(payload, 0, value, HEADER, payload.length);
            redisKeys.add(RedisEntityCaches.bytes(keyPrefix + shape + ":" + names.get(i)));
            args.add(value);
        }
        if (redisKeys.isEmpty()) {
            failOpen.notSent(); // the probe this call may carry goes back
            return;
        }
        long start = System.nanoTime();
        redis.script(c, false, redisKeys.toArray(new byte[0][]), args.toArray(new byte[0][]))
                .whenComplete((v, e) -> recorded(start, e));
    }

    @Override
    public void invalidate(KeyShape shape, Object key) {
        markInvalidated();
        String name = name(key);
        local.invalidate(shape, name);
        sendInvalidation(shape + "|" + name);
    }

    @Override
    public void invalidateAll() {
        markInvalidated();
        local.invalidateAll();
        sendInvalidation(ALL);
    }

    /** Deletes in Redis and tells the replicas; while Redis is skipped, keeps it to send when it returns. */
    private void sendInvalidation(String what) {
        FailOpen failOpen = redis.failOpen();
        boolean allowed = failOpen.allow();
        RedisAsyncCommands<byte[], byte[]> c = allowed ? redis.commands() : null;
        if (c == null) {
            if (allowed) {
                failOpen.notSent();
            }
            keep(what);
            return;
        }
        long start = System.nanoTime();
        CompletionStage<Long> deleted;
        if (what.equals(ALL)) {
            deleted = deleteAll(c);
        } else {
            int bar = what.indexOf('|');
            deleted = c.unlink(RedisEntityCaches.bytes(keyPrefix + what.substring(0, bar) + ":"
                    + what.substring(bar + 1)));
        }
        deleted.thenCompose(v -> redis.publish(c, typename + "|" + what)).whenComplete((v, e) -> {
            recorded(start, e);
            if (e != null) {
                keep(what);
            } else {
                sent.increment();
            }
        });
    }

    private void keep(String what) {
        if (pending.size() >= MAX_PENDING) {
            pending.clear();
            pending.add(ALL);
        } else if (!pending.contains(ALL)) {
            pending.add(what);
        }
        LOG.debug("invalidation of {} {} kept until Redis answers again", typename, what);
    }

    /** Unlinks every hash of this type, a SCAN page at a time. */
    private CompletionStage<Long> deleteAll(RedisAsyncCommands<byte[], byte[]> c) {
        String pattern = keyPrefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1") + "*";
        ScanArgs args = ScanArgs.Builder.matches(RedisEntityCaches.bytes(pattern)).limit(1000);
        return scanPage(c, ScanCursor.INITIAL, args);
    }

    private CompletionStage<Long> scanPage(RedisAsyncCommands<byte[], byte[]> c, ScanCursor cursor, ScanArgs args) {
        return c.scan(cursor, args).thenCompose((KeyScanCursor<byte[]> page) -> {
            CompletionStage<Long> unlinked = page.getKeys().isEmpty() ? CompletableFuture.completedFuture(0L)
                    : c.unlink(page.getKeys().toArray(new byte[0][]));
            return page.isFinished() ? unlinked : unlinked.thenCompose(v -> scanPage(c, page, args));
        });
    }

    /**
     * An invalidation published by a replica (this one too): {@code shape|key}, or all of the type. Counted once
     * applied, so that whoever sees the count sees the local level without the entry.
     */
    void onMessage(String what) {
        markInvalidated();
        int bar = what.indexOf('|');
        KeyShape shape = what.equals(ALL) || bar < 0 ? null : shapes.get(what.substring(0, bar));
        if (shape == null) {
            // all of the type, or a shape this replica does not know (another version): drop all, to be safe
            local.invalidateAll();
        } else {
            local.invalidate(shape, what.substring(bar + 1));
        }
        received.increment();
    }

    /** Redis answers again, or the channel was subscribed again: drop the local level and send what was kept. */
    void resumed() {
        markInvalidated();
        local.invalidateAll();
        flushPending();
    }

    private void markInvalidated() {
        invalidatedNanos = System.nanoTime();
        invalidated = true;
    }

    private void recorded(long start, @Nullable Throwable error) {
        commands.increment();
        commandNanos.add(System.nanoTime() - start);
        if (error != null) {
            errors.increment();
            redis.failOpen().failed(error);
        } else {
            redis.failOpen().succeeded();
            if (!pending.isEmpty()) {
                flushPending(); // Redis answers: what was kept goes now
            }
        }
    }

    /** Sends the invalidations kept while Redis could not take them; one flush at a time. */
    void flushPending() {
        if (pending.isEmpty() || !flushing.compareAndSet(false, true)) {
            return;
        }
        try {
            List<String> kept = new ArrayList<>(pending);
            pending.removeAll(kept);
            for (String what : kept) {
                sendInvalidation(what);
            }
        } finally {
            flushing.set(false);
        }
    }

    private static List<String> names(List<?> keys) {
        List<String> names = new ArrayList<>(keys.size());
        for (Object k : keys) {
            names.add(name(k));
        }
        return names;
    }

    /**
     * The key's name in Redis: strings and numbers by value (numbers in plain form, so {@code 7} and {@code 7L}
     * are one key), entity keys and other classes as JSON with sorted field names.
     */
    static String name(Object key) {
        if (key instanceof String) {
            return "s:" + key;
        }
        if (key instanceof Integer || key instanceof Long || key instanceof Short || key instanceof Byte
                || key instanceof BigInteger) {
            return "n:" + key;
        }
        if (key instanceof EntityKey) {
            StringBuilder sb = new StringBuilder("k:");
            append(sb, (EntityKey) key);
            return sb.toString();
        }
        try {
            return "j:" + KEYS.writeValueAsString(key);
        } catch (Exception e) {
            return "t:" + key.getClass().getName() + ":" + key;
        }
    }

    private static void append(StringBuilder sb, EntityKey key) {
        sb.append('{');
        List<String> fields = new ArrayList<>(key.fields());
        java.util.Collections.sort(fields);
        boolean first = true;
        for (String f : fields) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append(quoted(f)).append(':');
            Object v = key.get(f);
            if (v instanceof EntityKey) {
                append(sb, (EntityKey) v);
            } else if (v instanceof Number) {
                sb.append(plain((Number) v));
            } else if (v instanceof String) {
                sb.append(quoted((String) v));
            } else {
                sb.append(v);
            }
        }
        sb.append('}');
    }

    private static String plain(Number n) {
        try {
            return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
        } catch (NumberFormatException e) {
            return n.toString();
        }
    }

    private static String quoted(String s) {
        try {
            return KEYS.writeValueAsString(s);
        } catch (Exception e) {
            return '"' + s + '"';
        }
    }

    @Override
    public EntityCacheStats stats() {
        return new EntityCacheStats(List.of(local.level(),
                new EntityCacheStats.Level("redis", hits.sum(), staleHits.sum(), misses.sum(), -1, -1)),
                new EntityCacheStats.Remote(commands.sum(), commandNanos.sum(), errors.sum(), skipped.sum(),
                        sent.sum(), received.sum(), redis.available()));
    }

    @Override
    public void close() {
        closed = true;
        redis.forget(this);
    }

    @Override
    public String toString() {
        return "RedisEntityCache[" + typename + ", " + local + ", " + redis + "]";
    }
}
