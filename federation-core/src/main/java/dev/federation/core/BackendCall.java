package dev.federation.core;

import dev.federation.core.cache.EntityCache;
import dev.federation.core.observer.BatchCall;
import dev.federation.core.observer.BatchObservation;
import dev.federation.core.observer.BatchResult;
import dev.federation.core.observer.FederationObserver;
import graphql.GraphQLContext;
import java.util.ArrayList;
import java.util.Collections;
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
 * The call step of one entity type and key shape: one call of the batch function and what it answers. It owns
 * the hand-off to the batch executor, the batch timeout and the caller's deadline, the observation, the
 * contract checks on the answer, the failures answered as {@link KeyFailure}s, and the fill of the
 * cross-request cache with what was found. The load step ({@link KeyResolver#loadBatched}, or the
 * {@link CrossRequestBatcher} for merged calls, or {@link DirectLoop} one key at a time) decides which keys go
 * together. Thread-safe; one per key resolver, shared by all requests.
 */
final class BackendCall<K> {

    private static final Logger LOG = LoggerFactory.getLogger(BackendCall.class);

    /** A completed future shared by every call that completed on the calling thread. */
    static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final String typename;
    private final KeyShape shape;
    private final String shapeName;
    private final String loaderName;
    private final EntityBatchLoader<K, ?> loader;
    private final @Nullable EntityCache cache;
    private final FederationOptions options;
    private final FederationObserver observer;
    private final boolean observed;

    BackendCall(String typename, KeyShape shape, String loaderName, EntityBatchLoader<K, ?> loader,
            @Nullable EntityCache cache, FederationOptions options,
            FederationObserver observer) {
        this.typename = typename;
        this.shape = shape;
        this.shapeName = shape.toString();
        this.loaderName = loaderName;
        this.loader = loader;
        this.cache = cache;
        this.options = options;
        this.observer = observer;
        this.observed = observer != FederationObserver.noop();
    }

    /**
     * Loads one key in DIRECT mode: one backend call, no cache, bounded by {@code deadline} (a
     * {@link System#nanoTime()} value) as well as by the batch timeout. The result is an entity, {@code null}
     * or a {@link KeyFailure}.
     */
    CompletableFuture<Object> direct(K key, @Nullable GraphQLContext context, long deadline) {
        Object[] out = new Object[1];
        return call(Collections.singletonList(key), null, 0, FederationMode.DIRECT, 0, context, out, null, deadline,
                1, 0, List.of()).thenApply(v -> out[0]);
    }

    /** The failure of a representation left unloaded because its DIRECT-mode deadline passed. */
    KeyFailure directDeadlinePassed() {
        return new KeyFailure(FederationErrorCode.ENTITY_BATCH_TIMEOUT.name(), typename + " (" + shapeName
                + ") not loaded: the batch timeout of " + options.batchTimeout().toMillis()
                + " ms for the one-by-one calls of this _entities field passed", null);
    }

    /** The failure of the keys of a request whose deadline passed while they waited in a merged call. */
    KeyFailure batchTimedOut() {
        return new KeyFailure(FederationErrorCode.ENTITY_BATCH_TIMEOUT.name(), typename + " (" + shapeName
                + ") not loaded within the batch timeout of " + options.batchTimeout().toMillis() + " ms", null);
    }

    /**
     * One backend call for {@code keys}, bounded by the batch timeout and by {@code callerDeadline}. Key
     * {@code j} answers into {@code out[at == null ? offset + j : at[offset + j]]}. Completes normally always:
     * failures are answered as {@link KeyFailure}s. {@code requests} is how many requests the call serves
     * (more than one for a merged call, whose {@code context} is {@code null}), {@code waitNanos} how long
     * its keys waited for it, {@code contributors} the GraphQL contexts of a merged call's requests (for the
     * observers).
     */
    CompletableFuture<Void> call(List<K> keys, int @Nullable [] at, int offset, FederationMode mode,
            int cachedCount, @Nullable GraphQLContext context, Object[] out, @Nullable Object scope,
            long callerDeadline, int requests, long waitNanos, List<GraphQLContext> contributors) {
        BatchObservation observation = observed ? observer.batchStarted(
                new BatchCall(loaderName, typename, shapeName, mode, keys.size(), cachedCount, context, requests,
                        waitNanos, contributors)) : null;
        BatchEnvironment env = new BatchEnvironment(typename, shape, mode, context, scope, requests);
        long start = System.nanoTime();
        long deadline = earlier(saturatedAdd(start, options.batchTimeout().toNanos()), callerDeadline);
        Executor executor = options.batchExecutor();
        CompletableFuture<Object> result;
        if (executor != null && loader.isSynchronous(mode)) {
            CompletableFuture<Object> offloaded = new CompletableFuture<>();
            result = offloaded;
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
            CompletionStage<?> stage = observed(observation, keys, mode, env);
            if (stage instanceof CompletableFuture && ((CompletableFuture<?>) stage).isDone()) {
                @SuppressWarnings("unchecked")
                CompletableFuture<Object> answered = (CompletableFuture<Object>) stage;
                result = answered; // answered on this thread: no stage of our own in between
            } else {
                result = new CompletableFuture<>();
                pipe(stage, result);
            }
            if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0) {
                // it ran past its time on this thread: its result is discarded, as it would be had it been async
                result = CompletableFuture.failedFuture(new TimeoutException());
            }
        }
        if (!result.isDone() && deadline != Long.MAX_VALUE) {
            result.orTimeout(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        if (result.isDone()) {
            Object value = null;
            Throwable error = null;
            try {
                value = result.join();
            } catch (RuntimeException e) {
                error = e;
            }
            complete(keys, at, offset, mode, out, scope, observation, start, value, error);
            return DONE;
        }
        return result.handle((value, error) -> {
            complete(keys, at, offset, mode, out, scope, observation, start, value, error);
            return null;
        });
    }

    /** Writes the answers of one call (or its failure) into {@code out}, reports it and fills the cache. */
    private void complete(List<K> keys, int @Nullable [] at, int offset, FederationMode mode, Object[] out,
            @Nullable Object scope, @Nullable BatchObservation observation, long start, @Nullable Object value,
            @Nullable Throwable error) {
        long duration = System.nanoTime() - start;
        Throwable failure = error == null ? null : KeyFailure.unwrap(error);
        int[] counts = new int[3];
        if (failure == null) {
            try {
                collect(keys, mode, value, counts, out, at, offset);
            } catch (ContractException e) {
                failure = e;
            }
        }
        int size = keys.size();
        if (failure != null) { // every key of the call fails, including any collect had answered
            KeyFailure f = failureOf(size, failure);
            for (int j = 0; j < size; j++) {
                out[at == null ? offset + j : at[offset + j]] = f;
            }
        }
        if (observation != null) {
            observation.completed(new BatchResult(size, counts[0], counts[1], counts[2], duration, failure));
        }
        if (failure == null && cache != null && scope != null) {
            fill(cache, keys, at, offset, out, scope, start);
        }
    }

    /** Writes the found entities of one call to the cache; a cache that throws costs the request nothing. */
    private void fill(EntityCache cache, List<K> keys, int @Nullable [] at, int offset, Object[] out, Object scope,
            long start) {
        int size = keys.size();
        List<Object> found = new ArrayList<>(size);
        List<Object> entities = new ArrayList<>(size);
        for (int j = 0; j < size; j++) {
            Object v = out[at == null ? offset + j : at[offset + j]];
            if (v != null && !(v instanceof KeyFailure)) {
                found.add(keys.get(j));
                entities.add(v);
            }
        }
        if (found.isEmpty()) {
            return;
        }
        try {
            cache.putAll(shape, scope, found, entities, start);
        } catch (RuntimeException e) {
            LOG.warn("the cache of {} failed to write {} entities: {}", typename, found.size(), e.toString());
        }
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
     * Maps the batch function's result onto the keys: entity, {@code null} or {@link KeyFailure} per key, into
     * {@code out} where {@link #call} says key {@code j} answers; counts found, missing and failed keys.
     *
     * @throws ContractException when the result does not fit the keys (some keys may have been answered
     *     already: the caller then fails them all)
     */
    private void collect(List<K> keys, FederationMode mode, @Nullable Object value, int[] counts, Object[] out,
            int @Nullable [] at, int offset) {
        boolean directSingle = mode == FederationMode.DIRECT && loader.direct() != null;
        if (value == null) {
            throw new ContractException("returned a null " + (loader.isMapped() ? "map" : "list"));
        }
        int size = keys.size();
        if (loader.isMapped() || directSingle) {
            if (!(value instanceof Map)) {
                throw new ContractException("returned a " + value.getClass().getSimpleName() + " instead of a Map");
            }
            Map<?, ?> map = (Map<?, ?>) value;
            int present = 0;
            for (int j = 0; j < size; j++) {
                K key = keys.get(j);
                Object v = map.get(key);
                if (v != null || map.containsKey(key)) {
                    present++;
                }
                out[at == null ? offset + j : at[offset + j]] = answer(key, v, counts);
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
            if (list.size() != size) {
                throw new ContractException("returned " + list.size() + " values for " + size + " keys");
            }
            int j = 0;
            for (Object v : list) {
                if (j == size) {
                    throw new ContractException("returned more values than its size of " + size);
                }
                out[at == null ? offset + j : at[offset + j]] = answer(keys.get(j), v, counts);
                j++;
            }
        }
    }

    /** The answer for {@code key} of the value the batch function gave it, a {@link Try} unwrapped; counted. */
    private @Nullable Object answer(K key, @Nullable Object v, int[] counts) {
        if (v instanceof Try) {
            Try<?> t = (Try<?>) v;
            if (t.isFailure()) {
                Throwable cause = KeyFailure.unwrap(t.getThrowable());
                counts[2]++;
                return new KeyFailure(FederationErrorCode.ENTITY_KEY_FAILED.name(),
                        "Failed to resolve " + typename + " " + KeyFailure.echo(String.valueOf(key))
                                + KeyFailure.safeDetail(cause), cause);
            }
            v = t.get();
        }
        counts[v == null ? 1 : 0]++;
        return v;
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
