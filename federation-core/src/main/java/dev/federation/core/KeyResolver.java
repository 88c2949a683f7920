package dev.federation.core;

import com.github.benmanes.caffeine.cache.Cache;
import dev.federation.core.observer.BatchCall;
import dev.federation.core.observer.BatchObservation;
import dev.federation.core.observer.BatchResult;
import dev.federation.core.observer.FederationObserver;
import graphql.GraphQLContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import org.dataloader.Try;
import org.jspecify.annotations.Nullable;

/**
 * Resolves the keys of one entity type and key shape: cross-request cache, split into batches, the batch
 * function call with its observation, timeout and contract checks. Thread-safe; shared by all requests.
 *
 * <p>Results map each key to its entity, to {@code null}, or to a {@link KeyFailure}.
 */
final class KeyResolver<K> {

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
    private final EntityBatchLoader<K, ?> loader;
    private final @Nullable Cache<CacheKey, Object> cache;
    private final FederationOptions options;
    private final FederationObserver observer;
    private final String shapeName;

    KeyResolver(String typename, EntityType.Key<K> key, @Nullable Cache<CacheKey, Object> cache,
            FederationOptions options, FederationObserver observer) {
        this.typename = typename;
        this.shape = key.shape();
        this.shapeName = shape.toString();
        this.loaderName = typename + "(" + shapeName + ")";
        this.mapper = key.mapper();
        this.loader = key.loader();
        this.cache = cache;
        this.options = options;
        this.observer = observer;
    }

    record CacheKey(KeyShape shape, Object scope, Object key) {
    }

    /**
     * Loads distinct keys in BATCHED mode. The result maps every key to an entity, {@code null}, a
     * {@link Cached} entity or a {@link KeyFailure}.
     */
    CompletableFuture<Map<K, Object>> loadBatched(List<K> keys, @Nullable GraphQLContext context,
            @Nullable Object scope) {
        Map<K, Object> out = new HashMap<>(keys.size() * 2);
        List<K> misses = keys;
        int cached = 0;
        if (cache != null && scope != null) {
            misses = new ArrayList<>(keys.size());
            for (K k : keys) {
                Object v = cache.getIfPresent(new CacheKey(shape, scope, k));
                if (v != null) {
                    out.put(k, new Cached(v));
                    cached++;
                } else {
                    misses.add(k);
                }
            }
        }
        if (misses.isEmpty()) {
            return CompletableFuture.completedFuture(out);
        }
        int max = options.maxBatchSize();
        if (misses.size() <= max) {
            return call(misses, FederationMode.BATCHED, cached, context, out, scope).thenApply(v -> out);
        }
        List<CompletableFuture<Void>> parts = new ArrayList<>((misses.size() + max - 1) / max);
        for (int from = 0; from < misses.size(); from += max) {
            List<K> chunk = misses.subList(from, Math.min(misses.size(), from + max));
            parts.add(call(chunk, FederationMode.BATCHED, from == 0 ? cached : 0, context, out, scope));
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(v -> out);
    }

    /** Loads one key in DIRECT mode: one backend call, no cache. */
    CompletableFuture<Object> loadDirect(K key, @Nullable GraphQLContext context) {
        Map<K, Object> out = new HashMap<>(4);
        return call(Collections.singletonList(key), FederationMode.DIRECT, 0, context, out, null)
                .thenApply(v -> out.get(key));
    }

    /** One backend call. Completes normally always; failures are recorded in {@code out}. */
    private CompletableFuture<Void> call(List<K> keys, FederationMode mode, int cachedCount,
            @Nullable GraphQLContext context, Map<K, Object> out, @Nullable Object scope) {
        BatchObservation observation = observer.batchStarted(
                new BatchCall(loaderName, typename, shapeName, mode, keys.size(), cachedCount, context));
        BatchEnvironment env = new BatchEnvironment(typename, shape, mode, context);
        long start = System.nanoTime();
        CompletionStage<?> stage = observation == null
                ? invoke(keys, mode, env)
                : observation.around(() -> invoke(keys, mode, env));
        CompletableFuture<Object> result = new CompletableFuture<>();
        if (stage == null) {
            result.completeExceptionally(new ContractException("returned null instead of a result"));
        } else {
            stage.whenComplete((v, e) -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    result.complete(v);
                }
            });
        }
        if (!result.isDone()) {
            result.orTimeout(options.batchTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
        return result.handle((value, error) -> {
            long duration = System.nanoTime() - start;
            Throwable failure = error == null ? null : KeyFailure.unwrap(error);
            int[] counts = new int[3];
            Object[] resolved = null;
            if (failure == null) {
                try {
                    resolved = collect(keys, mode, value, counts);
                } catch (ContractException e) {
                    failure = e;
                }
            }
            synchronized (out) {
                if (resolved == null) {
                    KeyFailure f = failureOf(keys.size(), failure);
                    for (K k : keys) {
                        out.put(k, f);
                    }
                } else {
                    for (int i = 0; i < resolved.length; i++) {
                        out.put(keys.get(i), resolved[i]);
                    }
                }
            }
            if (observation != null) {
                observation.completed(new BatchResult(keys.size(), counts[0], counts[1], counts[2], duration,
                        failure));
            }
            if (resolved != null && cache != null && scope != null) {
                for (int i = 0; i < resolved.length; i++) {
                    Object v = resolved[i];
                    if (v != null && !(v instanceof KeyFailure)) {
                        cache.put(new CacheKey(shape, scope, keys.get(i)), v);
                    }
                }
            }
            return null;
        });
    }

    private KeyFailure failureOf(int size, Throwable failure) {
        if (failure instanceof TimeoutException) {
            return new KeyFailure(FederationErrorCode.ENTITY_BATCH_TIMEOUT.name(),
                    "Batch of " + size + " " + typename + " keys (" + shapeName + ") timed out after "
                            + options.batchTimeout().toMillis() + " ms", failure);
        }
        if (failure instanceof ContractException) {
            return new KeyFailure(FederationErrorCode.ENTITY_BATCH_CONTRACT.name(),
                    "Batch function of " + loaderName + " broke its contract: " + failure.getMessage(), failure);
        }
        return new KeyFailure(FederationErrorCode.ENTITY_BATCH_FAILED.name(),
                "Failed to resolve " + typename + " (" + shapeName + "): " + KeyFailure.describe(failure), failure);
    }

    @SuppressWarnings("unchecked")
    private CompletionStage<?> invoke(List<K> keys, FederationMode mode, BatchEnvironment env) {
        try {
            BiFunction<K, BatchEnvironment, ? extends CompletionStage<?>> direct = loader.direct();
            if (mode == FederationMode.DIRECT && direct != null) {
                K key = keys.get(0);
                CompletionStage<?> single = direct.apply(key, env);
                return single == null ? null : single.thenApply(v -> v == null
                        ? Collections.emptyMap() : Collections.singletonMap(key, v));
            }
            return ((EntityBatchLoader<K, Object>) loader).invoke(keys, env);
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(t);
        }
    }

    /**
     * Maps the batch function's result onto the keys: entity, {@code null} or {@link KeyFailure} per key, in
     * key order; counts found, missing and failed keys.
     */
    private Object[] collect(List<K> keys, FederationMode mode, @Nullable Object value, int[] counts) {
        boolean directSingle = mode == FederationMode.DIRECT && loader.direct() != null;
        if (value == null) {
            throw new ContractException("returned a null " + (loader.isMapped() ? "map" : "list"));
        }
        Object[] values = new Object[keys.size()];
        if (loader.isMapped() || directSingle) {
            if (!(value instanceof Map)) {
                throw new ContractException("returned a " + value.getClass().getSimpleName() + " instead of a Map");
            }
            Map<?, ?> map = (Map<?, ?>) value;
            int present = 0;
            for (int i = 0; i < values.length; i++) {
                Object v = map.get(keys.get(i));
                if (v != null || map.containsKey(keys.get(i))) {
                    present++;
                }
                values[i] = v;
            }
            if (map.size() > present) {
                for (Object k : map.keySet()) {
                    if (!keys.contains(k)) {
                        throw new ContractException("returned a value for key " + k + ", which was not asked for");
                    }
                }
            }
        } else {
            if (!(value instanceof List)) {
                throw new ContractException("returned a " + value.getClass().getSimpleName() + " instead of a List");
            }
            List<?> list = (List<?>) value;
            if (list.size() != keys.size()) {
                throw new ContractException("returned " + list.size() + " values for " + keys.size() + " keys");
            }
            list.toArray(values);
        }
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v instanceof Try) {
                Try<?> t = (Try<?>) v;
                if (t.isFailure()) {
                    Throwable cause = KeyFailure.unwrap(t.getThrowable());
                    values[i] = new KeyFailure(FederationErrorCode.ENTITY_KEY_FAILED.name(),
                            "Failed to resolve " + typename + " " + keys.get(i) + ": " + KeyFailure.describe(cause),
                            cause);
                    counts[2]++;
                    continue;
                }
                v = t.get();
                values[i] = v;
            }
            if (v == null) {
                counts[1]++;
            } else {
                counts[0]++;
            }
        }
        return values;
    }

    static final class ContractException extends RuntimeException {
        ContractException(String message) {
            super(message, null, false, false);
        }
    }
}
