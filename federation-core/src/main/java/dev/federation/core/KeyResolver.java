package dev.federation.core;

import com.github.benmanes.caffeine.cache.Cache;
import dev.federation.core.observer.FederationObserver;
import dev.federation.core.observer.Rejection;
import dev.federation.core.observer.RejectionReason;
import graphql.GraphQLContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
    private final @Nullable Cache<CacheKey, Object> cache;
    private final FederationOptions options;
    private final String shapeName;
    /** The call step: one call of the batch function. */
    final BackendCall<K> calls;
    private final @Nullable CrossRequestBatcher<K> batcher;

    KeyResolver(String typename, EntityType.Key<K> key, int ordinal, int typeOrdinal, boolean typed,
            @Nullable Cache<CacheKey, Object> cache, FederationOptions options, FederationObserver observer,
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

    record CacheKey(KeyShape shape, Object scope, Object key) {
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
     * Loads distinct keys in BATCHED mode: the cross-request cache first, then the misses in calls of at most
     * {@link FederationOptions#maxBatchSize()} keys. The result holds, in key order, an entity, {@code null},
     * a {@link Cached} entity or a {@link KeyFailure} per key.
     */
    CompletableFuture<Object[]> loadBatched(List<K> keys, @Nullable GraphQLContext context, @Nullable Object scope) {
        int size = keys.size();
        Object[] out = new Object[size];
        List<K> misses = keys;
        int[] at = null;
        int cached = 0;
        if (cache != null && scope != null) {
            List<K> m = new ArrayList<>(size);
            at = new int[size];
            for (int i = 0; i < size; i++) {
                K k = keys.get(i);
                Object v = cache.getIfPresent(new CacheKey(shape, scope, k));
                if (v != null) {
                    out[i] = new Cached(v);
                    cached++;
                } else {
                    at[m.size()] = i;
                    m.add(k);
                }
            }
            misses = m;
        }
        int count = misses.size();
        if (count == 0) {
            return CompletableFuture.completedFuture(out);
        }
        if (batcher != null && scope != null) {
            CompletableFuture<Object[]> merged = batcher.load(misses, scope,
                    DirectLoop.deadlineAfter(options.batchTimeout()), context);
            if (at == null) {
                return merged; // no key was cached: the batcher's answers are in key order already
            }
            int[] positions = at;
            return merged.thenApply(answers -> {
                for (int j = 0; j < answers.length; j++) {
                    out[positions[j]] = answers[j];
                }
                return out;
            });
        }
        int max = options.maxBatchSize();
        if (count <= max) {
            CompletableFuture<Void> done = calls.call(misses, at, 0, FederationMode.BATCHED, cached, context, out, scope,
                    Long.MAX_VALUE, 1, 0, List.of());
            return done.isDone() ? CompletableFuture.completedFuture(out) : done.thenApply(v -> out);
        }
        CompletableFuture<?>[] parts = new CompletableFuture<?>[(count + max - 1) / max];
        for (int from = 0, p = 0; from < count; from += max, p++) {
            List<K> chunk = misses.subList(from, Math.min(count, from + max));
            parts[p] = calls.call(chunk, at, from, FederationMode.BATCHED, from == 0 ? cached : 0, context, out, scope,
                    Long.MAX_VALUE, 1, 0, List.of());
        }
        return CompletableFuture.allOf(parts).thenApply(v -> out);
    }
}
