package dev.federation.core;

import dev.federation.core.cache.CacheLookup;
import dev.federation.core.cache.EntityCache;
import dev.federation.core.observer.FederationObserver;
import dev.federation.core.observer.Rejection;
import dev.federation.core.observer.RejectionReason;
import graphql.GraphQLContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One entity type and key shape, from representation to loaded keys, one owner per step:
 * <ol>
 *   <li>key: {@link #keyOf} checks the key fields and runs the key mapper (here);</li>
 *   <li>load: {@link #loadBatched} reads the cross-request cache, then hands the misses to the
 *       {@link CrossRequestBatcher} (merged with other requests) or splits them into calls of at most
 *       {@code maxBatchSize} (here); {@link DirectLoop} loads one key at a time in {@code DIRECT} mode;</li>
 *   <li>call: {@link BackendCall} calls the batch function, bounds it, checks and reports its answer and fills
 *       the cache.</li>
 * </ol>
 * Results map each key to its entity, to {@code null}, or to a {@link KeyFailure}. Thread-safe; shared by all
 * requests.
 */
final class KeyResolver<K> {

    private static final Logger LOG = LoggerFactory.getLogger(KeyResolver.class);

    /** Marks a key served by the cross-request cache. */
    static final class Cached {
        final Object value;

        Cached(Object value) {
            this.value = value;
        }
    }

    final String typename;
    final KeyShape shape;
    final String loaderName;
    final KeyMapper<K> mapper;
    /** This resolver's place in {@link FederatedEntities#keyResolvers()}. */
    final int ordinal;
    /** Its entity type's place in {@link FederatedEntities#entityTypes()}. */
    final int typeOrdinal;
    /** {@code true} when the entity type has a Java class, so the type resolver needs no help. */
    final boolean typed;
    private final @Nullable EntityCache cache;
    /**
     * The keys of a cached type being loaded, by scope and key: concurrent misses of one key load it once, and
     * a stale entry is refreshed once. {@code null} when the type has no cache.
     */
    private final @Nullable ConcurrentHashMap<CacheKey, CompletableFuture<@Nullable Object>> inFlight;
    private final FederationOptions options;
    private final String shapeName;
    /** The call step: one call of the batch function. */
    final BackendCall<K> calls;
    private final @Nullable CrossRequestBatcher<K> batcher;

    KeyResolver(String typename, EntityType.Key<K> key, int ordinal, int typeOrdinal, boolean typed,
            @Nullable EntityCache cache, FederationOptions options, FederationObserver observer,
            @Nullable CrossRequestBatching crossRequest) {
        this.typename = typename;
        this.shape = key.shape();
        this.shapeName = shape.toString();
        this.loaderName = typename + "(" + shapeName + ")";
        this.mapper = key.mapper();
        this.ordinal = ordinal;
        this.typeOrdinal = typeOrdinal;
        this.typed = typed;
        this.cache = cache;
        this.inFlight = cache == null ? null : new ConcurrentHashMap<>();
        this.options = options;
        this.calls = new BackendCall<>(typename, shape, loaderName, key.loader(), cache, options, observer);
        this.batcher = crossRequest == null ? null : new CrossRequestBatcher<>(this, crossRequest, options);
    }

    /** {@code true} when this key's loads of concurrent requests of one scope are merged. */
    boolean merges() {
        return batcher != null;
    }

    /** The cross-request batcher, or {@code null} (a test's view). */
    @Nullable CrossRequestBatcher<K> batcher() {
        return batcher;
    }

    /** A key in one scope, for {@link #inFlight}. */
    record CacheKey(Object scope, Object key) {
    }

    /** The number of cached keys being loaded now (a test's view). */
    int loadsInFlight() {
        return inFlight == null ? 0 : inFlight.size();
    }

    /**
     * The key of representation {@code index}, which carries this resolver's key fields: the key mapper's
     * value, or the {@link Rejection} that says why the representation has no valid key. The mapper sees
     * {@code scratch[ordinal]}, made on first use and refilled for each representation of the call.
     */
    Object keyOf(int index, Map<String, Object> rep, @Nullable Representation[] scratch) {
        String mistyped = mistyped(shape, rep, "");
        if (mistyped != null) {
            return rejection(index, "Representation " + index + " of " + typename + ": " + mistyped);
        }
        Object key;
        try {
            Representation view = scratch[ordinal];
            if (view == null) {
                view = new Representation(typename, shape, rep);
                scratch[ordinal] = view;
            } else {
                view.refill(rep);
            }
            key = mapper.toKey(view);
        } catch (InvalidKeyException e) {
            return rejection(index, "Representation " + index + " of " + typename + " has an invalid key: "
                    + e.getMessage());
        } catch (RuntimeException e) {
            LOG.debug("key mapper of {} ({}) refused representation {}", typename, shapeName, index, e);
            return rejection(index, "Representation " + index + " of " + typename
                    + " has an invalid key: the key mapper refused it (@key(fields: \"" + shapeName + "\"))");
        }
        if (key == null) {
            return rejection(index, "Representation " + index + " of " + typename
                    + " has an invalid key: the key mapper returned null");
        }
        return key;
    }

    private Rejection rejection(int index, String message) {
        return new Rejection(index, typename, true, RejectionReason.INVALID_KEY_FIELD, message);
    }

    private static @Nullable String mistyped(KeyShape shape, Map<?, ?> map, String prefix) {
        for (KeyShape.Field f : shape.fieldArray()) {
            Object v = map.get(f.name());
            KeyShape nested = f.nested();
            if (nested == null) {
                if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
                    return "key field '" + prefix + f.name() + "' must be a scalar, was " + Representation.describe(v);
                }
            } else {
                if (!(v instanceof Map)) {
                    return "key field '" + prefix + f.name() + "' must be an object, was "
                            + Representation.describe(v);
                }
                String inner = mistyped(nested, (Map<?, ?>) v, prefix + f.name() + ".");
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    /**
     * Loads distinct keys in BATCHED mode: the cross-request cache first (a stale entry is served and refreshed
     * in the background), then the misses: merged with other requests' by the {@link CrossRequestBatcher}, or
     * joined to a load of the same key in flight, or in calls of at most {@link FederationOptions#maxBatchSize()}
     * keys. The result holds, in key order, an entity, {@code null}, a {@link Cached} entity or a
     * {@link KeyFailure} per key.
     */
    CompletableFuture<Object[]> loadBatched(List<K> keys, @Nullable GraphQLContext context, @Nullable Object scope) {
        if (scope == null) {
            return callAll(keys, null, 0, context, new Object[keys.size()], null);
        }
        if (cache == null) {
            return batcher != null
                    ? batcher.load(keys, scope, DirectLoop.deadlineAfter(options.batchTimeout()), context)
                    : callAll(keys, null, 0, context, new Object[keys.size()], scope);
        }
        CompletableFuture<CacheLookup> read;
        try {
            read = cache.getAll(shape, scope, keys).toCompletableFuture();
        } catch (RuntimeException e) {
            read = CompletableFuture.failedFuture(e);
        }
        if (read.isDone() && !read.isCompletedExceptionally()) {
            return afterLookup(keys, read.join(), context, scope);
        }
        return read.handle((lookup, e) -> {
            if (e != null) {
                LOG.warn("the cache of {} failed to read {} keys; they are loaded: {}", typename, keys.size(),
                        e.toString());
            }
            return lookup;
        }).thenCompose(lookup -> afterLookup(keys, lookup, context, scope));
    }

    private CompletableFuture<Object[]> afterLookup(List<K> keys, @Nullable CacheLookup lookup,
            @Nullable GraphQLContext context, Object scope) {
        int size = keys.size();
        Object[] out = new Object[size];
        if (lookup == null || lookup.size() != size) {
            lookup = CacheLookup.of(size); // a cache that answered nothing, or the wrong number of keys: all misses
        }
        int cached = lookup.found();
        List<K> misses = new ArrayList<>(size - cached);
        int[] at = new int[size - cached];
        List<K> stale = null;
        for (int i = 0; i < size; i++) {
            Object entity = lookup.entity(i);
            if (entity != null) {
                out[i] = new Cached(entity);
                if (lookup.isStale(i)) {
                    if (stale == null) {
                        stale = new ArrayList<>();
                    }
                    stale.add(keys.get(i));
                }
            } else {
                at[misses.size()] = i;
                misses.add(keys.get(i));
            }
        }
        if (stale != null) {
            refresh(stale, context, scope);
        }
        if (misses.isEmpty()) {
            return CompletableFuture.completedFuture(out);
        }
        if (batcher != null) { // the batcher joins keys in flight itself
            int[] positions = at;
            return batcher.load(misses, scope, DirectLoop.deadlineAfter(options.batchTimeout()), context)
                    .thenApply(answers -> {
                        for (int j = 0; j < answers.length; j++) {
                            out[positions[j]] = answers[j];
                        }
                        return out;
                    });
        }
        return loadOnce(misses, at, cached, context, out, scope);
    }

    /**
     * Loads the misses of a cached type, each key once however many requests miss it at the same time: a key
     * another request is loading is joined (its answer is this request's, served from that call), the others
     * are loaded here and offered to later requests until their call completes.
     */
    private CompletableFuture<Object[]> loadOnce(List<K> misses, int[] at, int cached,
            @Nullable GraphQLContext context, Object[] out, Object scope) {
        int count = misses.size();
        List<K> owned = new ArrayList<>(count);
        int[] ownedAt = new int[count];
        List<CompletableFuture<@Nullable Object>> mine = new ArrayList<>(count);
        List<CompletableFuture<@Nullable Object>> joined = null;
        int[] joinedAt = null;
        for (int j = 0; j < count; j++) {
            K k = misses.get(j);
            CompletableFuture<@Nullable Object> f = new CompletableFuture<>();
            CompletableFuture<@Nullable Object> other = inFlight.putIfAbsent(new CacheKey(scope, k), f);
            if (other == null) {
                ownedAt[owned.size()] = at[j];
                owned.add(k);
                mine.add(f);
            } else {
                if (joined == null) {
                    joined = new ArrayList<>();
                    joinedAt = new int[count];
                }
                joinedAt[joined.size()] = at[j];
                joined.add(other);
            }
        }
        CompletableFuture<Object[]> own;
        if (owned.isEmpty()) {
            own = CompletableFuture.completedFuture(out);
        } else {
            try {
                own = callAll(owned, ownedAt, cached, context, out, scope);
            } catch (RuntimeException | Error e) { // never leave the keys offered to others unanswered
                release(owned, mine, scope, j -> null, e);
                throw e;
            }
            own = own.whenComplete((v, e) -> release(owned, mine, scope, j -> out[ownedAt[j]], e));
        }
        if (joined == null) {
            return own;
        }
        List<CompletableFuture<@Nullable Object>> others = joined;
        int[] positions = joinedAt;
        CompletableFuture<?>[] all = others.toArray(new CompletableFuture<?>[others.size() + 1]);
        all[others.size()] = own;
        return CompletableFuture.allOf(all).handle((v, e) -> {
            for (int j = 0; j < others.size(); j++) {
                out[positions[j]] = joinedAnswer(others.get(j));
            }
            return out;
        });
    }

    /** Another request's answer for a key this one joined: served as cached, since this request made no call. */
    private @Nullable Object joinedAnswer(CompletableFuture<@Nullable Object> f) {
        Object v;
        try {
            v = f.join();
        } catch (RuntimeException e) {
            return failed(e);
        }
        return v == null || v instanceof KeyFailure ? v : new Cached(v);
    }

    /** The failure of keys whose load broke in an unexpected way ({@code cause} is kept, never shown). */
    KeyFailure failed(Throwable cause) {
        return new KeyFailure(FederationErrorCode.ENTITY_BATCH_FAILED.name(), "Failed to resolve " + typename
                + " (" + shapeName + ")", cause);
    }

    /** Completes the in-flight loads of {@code owned} with their answers and forgets them. */
    private void release(List<K> owned, List<CompletableFuture<@Nullable Object>> futures, Object scope,
            java.util.function.IntFunction<@Nullable Object> answer, @Nullable Throwable error) {
        for (int j = 0; j < owned.size(); j++) {
            CompletableFuture<@Nullable Object> f = futures.get(j);
            inFlight.remove(new CacheKey(scope, owned.get(j)), f);
            if (error != null) {
                f.completeExceptionally(error);
            } else {
                f.complete(answer.apply(j));
            }
        }
    }

    /**
     * Loads stale keys again in the background (stale-while-revalidate), each at most once at a time; the
     * call fills the cache. The request that found them has already been answered from the cache.
     */
    private void refresh(List<K> stale, @Nullable GraphQLContext context, Object scope) {
        List<K> owned = new ArrayList<>(stale.size());
        List<CompletableFuture<@Nullable Object>> mine = new ArrayList<>(stale.size());
        for (K k : stale) {
            CompletableFuture<@Nullable Object> f = new CompletableFuture<>();
            if (inFlight.putIfAbsent(new CacheKey(scope, k), f) == null) {
                owned.add(k);
                mine.add(f);
            }
        }
        if (owned.isEmpty()) {
            return;
        }
        Object[] answers = new Object[owned.size()];
        try {
            callAll(owned, null, 0, context, answers, scope)
                    .whenComplete((v, e) -> release(owned, mine, scope, j -> answers[j], e));
        } catch (RuntimeException e) { // a refresh that failed at once: the stale entries stay until they expire
            release(owned, mine, scope, j -> null, e);
            LOG.warn("refreshing {} stale {} entries failed: {}", owned.size(), typename, e.toString());
        }
    }

    /**
     * Calls the batch function for {@code keys}, in calls of at most {@link FederationOptions#maxBatchSize()}
     * keys; key {@code j} answers into {@code out[at == null ? j : at[j]]}.
     */
    private CompletableFuture<Object[]> callAll(List<K> keys, int @Nullable [] at, int cached,
            @Nullable GraphQLContext context, Object[] out, @Nullable Object scope) {
        int count = keys.size();
        int max = options.maxBatchSize();
        if (count <= max) {
            CompletableFuture<Void> done = calls.call(keys, at, 0, FederationMode.BATCHED, cached, context, out, scope,
                    Long.MAX_VALUE, 1, 0, List.of());
            return done.isDone() ? CompletableFuture.completedFuture(out) : done.thenApply(v -> out);
        }
        CompletableFuture<?>[] parts = new CompletableFuture<?>[(count + max - 1) / max];
        for (int from = 0, p = 0; from < count; from += max, p++) {
            List<K> chunk = keys.subList(from, Math.min(count, from + max));
            parts[p] = calls.call(chunk, at, from, FederationMode.BATCHED, from == 0 ? cached : 0, context, out, scope,
                    Long.MAX_VALUE, 1, 0, List.of());
        }
        return CompletableFuture.allOf(parts).thenApply(v -> out);
    }
}
