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
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import org.dataloader.Try;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves the keys of one entity type and key shape: cross-request cache, split into batches, the batch
 * function call with its observation, timeout and contract checks. Thread-safe; shared by all requests.
 *
 * <p>Results map each key to its entity, to {@code null}, or to a {@link KeyFailure}.
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

    /**
     * Loads one key in DIRECT mode: one backend call, no cache, bounded by {@code deadline} (a
     * {@link System#nanoTime()} value) as well as by the batch timeout.
     */
    CompletableFuture<Object> loadDirect(K key, @Nullable GraphQLContext context, long deadline) {
        Map<K, Object> out = new HashMap<>(4);
        return call(Collections.singletonList(key), FederationMode.DIRECT, 0, context, out, null, deadline)
                .thenApply(v -> out.get(key));
    }

    /** The failure of a representation left unloaded because its DIRECT-mode deadline passed. */
    KeyFailure directDeadlinePassed() {
        return new KeyFailure(FederationErrorCode.ENTITY_BATCH_TIMEOUT.name(), typename + " (" + shapeName
                + ") not loaded: the batch timeout of " + options.batchTimeout().toMillis()
                + " ms for the one-by-one calls of this _entities field passed", null);
    }

    private CompletableFuture<Void> call(List<K> keys, FederationMode mode, int cachedCount,
            @Nullable GraphQLContext context, Map<K, Object> out, @Nullable Object scope) {
        return call(keys, mode, cachedCount, context, out, scope, Long.MAX_VALUE);
    }

    /**
     * One backend call, bounded by the batch timeout and by {@code callerDeadline}. Completes normally always;
     * failures are recorded in {@code out}.
     */
    private CompletableFuture<Void> call(List<K> keys, FederationMode mode, int cachedCount,
            @Nullable GraphQLContext context, Map<K, Object> out, @Nullable Object scope, long callerDeadline) {
        BatchObservation observation = observer.batchStarted(
                new BatchCall(loaderName, typename, shapeName, mode, keys.size(), cachedCount, context));
        BatchEnvironment env = new BatchEnvironment(typename, shape, mode, context);
        long start = System.nanoTime();
        long deadline = earlier(saturatedAdd(start, options.batchTimeout().toNanos()), callerDeadline);
        Executor executor = options.batchExecutor();
        CompletableFuture<Object> result = new CompletableFuture<>();
        if (executor != null && loader.isSynchronous(mode)) {
            CompletableFuture<Object> offloaded = result;
            try {
                executor.execute(() -> {
                    if (!offloaded.isDone()) { // not called at all when the time ran out in the executor's queue
                        pipe(observed(observation, keys, mode, env), offloaded);
                    }
                });
            } catch (RejectedExecutionException e) {
                result.completeExceptionally(new SaturatedException());
            }
        } else {
            pipe(observed(observation, keys, mode, env), result);
            if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0) {
                // it ran past its time on this thread: its result is discarded, as it would be had it been async
                result = CompletableFuture.failedFuture(new TimeoutException());
            }
        }
        if (!result.isDone() && deadline != Long.MAX_VALUE) {
            result.orTimeout(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
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

    private CompletionStage<?> observed(@Nullable BatchObservation observation, List<K> keys, FederationMode mode,
            BatchEnvironment env) {
        return observation == null ? invoke(keys, mode, env) : observation.around(() -> invoke(keys, mode, env));
    }

    private static void pipe(@Nullable CompletionStage<?> stage, CompletableFuture<Object> result) {
        if (stage == null) {
            result.completeExceptionally(new ContractException("returned null instead of a result"));
            return;
        }
        stage.whenComplete((v, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(v);
            }
        });
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    /** The earlier of two {@link System#nanoTime()} deadlines; {@link Long#MAX_VALUE} means none. */
    private static long earlier(long a, long b) {
        if (a == Long.MAX_VALUE) {
            return b;
        }
        if (b == Long.MAX_VALUE) {
            return a;
        }
        return a - b <= 0 ? a : b;
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
        if (failure instanceof SaturatedException) {
            return new KeyFailure(FederationErrorCode.ENTITY_BATCH_FAILED.name(), "Failed to resolve " + typename
                    + " (" + shapeName + "): the backend is busy (the batch executor refused the call)", failure);
        }
        LOG.warn("batch function of {} failed for {} keys: {}", loaderName, size, KeyFailure.describe(failure));
        LOG.debug("batch function of {} failed", loaderName, failure);
        return new KeyFailure(FederationErrorCode.ENTITY_BATCH_FAILED.name(),
                "Failed to resolve " + typename + " (" + shapeName + ")" + KeyFailure.safeDetail(failure), failure);
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
                            "Failed to resolve " + typename + " " + KeyFailure.echo(String.valueOf(keys.get(i)))
                                    + KeyFailure.safeDetail(cause), cause);
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

    /** The batch executor refused a call. */
    static final class SaturatedException extends RuntimeException {
        SaturatedException() {
            super("the batch executor refused the call", null, false, false);
        }
    }

    static final class ContractException extends RuntimeException {
        ContractException(String message) {
            super(message, null, false, false);
        }
    }
}
