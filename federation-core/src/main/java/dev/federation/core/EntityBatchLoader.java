package dev.federation.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The user's batch function of one entity type and key shape: it receives the distinct keys of one
 * dispatch (at most {@link FederationOptions#maxBatchSize()}) and returns the entities either by key
 * ({@link #mapped}) or in key order ({@link #ordered}), synchronously or as a {@link CompletionStage}
 * ({@link #mappedAsync}, {@link #orderedAsync}).
 *
 * <p>Contract of what it returns:
 * <ul>
 *   <li>a key with no entity: absent from the map, or {@code null} in the list; it resolves to {@code null}
 *       and fails nothing else;</li>
 *   <li>a failure of one key: an {@link org.dataloader.Try#failed(Throwable)} as that key's value; it becomes
 *       a GraphQL error at that representation's index;</li>
 *   <li>a thrown exception or a failed stage fails every key of this call, and only those;</li>
 *   <li>a list of another length than the keys, or a map holding a key that was not asked for, breaks the
 *       contract: every key of the call fails with an error that says so.</li>
 * </ul>
 *
 * <pre>{@code
 * EntityBatchLoader<String, User> users = EntityBatchLoader.mapped(ids -> userRepository.findByIds(ids));
 * }</pre>
 *
 * <p>In {@link FederationMode#DIRECT} mode the function is called once per representation with a single
 * key, unless a one-key function is given with {@link #withDirect(Function)} (for example a
 * {@code WHERE id = ?} query).
 *
 * <p>Public API.
 *
 * @param <K> the key type
 * @param <V> the entity type
 */
public final class EntityBatchLoader<K, V> {

    private final BiFunction<List<K>, BatchEnvironment, ? extends CompletionStage<?>> function;
    private final boolean mapped;
    private final boolean synchronous;
    private final @Nullable BiFunction<K, BatchEnvironment, ? extends CompletionStage<?>> direct;
    private final boolean directSynchronous;

    private EntityBatchLoader(BiFunction<List<K>, BatchEnvironment, ? extends CompletionStage<?>> function,
            boolean mapped, boolean synchronous) {
        this(function, mapped, synchronous, null, false);
    }

    private EntityBatchLoader(BiFunction<List<K>, BatchEnvironment, ? extends CompletionStage<?>> function,
            boolean mapped, boolean synchronous,
            @Nullable BiFunction<K, BatchEnvironment, ? extends CompletionStage<?>> direct,
            boolean directSynchronous) {
        this.function = function;
        this.mapped = mapped;
        this.synchronous = synchronous;
        this.direct = direct;
        this.directSynchronous = directSynchronous;
    }

    /** A synchronous function that returns the entities by key. */
    public static <K, V> EntityBatchLoader<K, V> mapped(Function<List<K>, ? extends Map<K, ? extends V>> fn) {
        Objects.requireNonNull(fn, "fn");
        return new EntityBatchLoader<>((keys, env) -> CompletableFuture.completedFuture(fn.apply(keys)), true, true);
    }

    /** A synchronous function that returns the entities by key and reads the environment. */
    public static <K, V> EntityBatchLoader<K, V> mapped(
            BiFunction<List<K>, BatchEnvironment, ? extends Map<K, ? extends V>> fn) {
        Objects.requireNonNull(fn, "fn");
        return new EntityBatchLoader<>((keys, env) -> CompletableFuture.completedFuture(fn.apply(keys, env)), true,
                true);
    }

    /** An asynchronous function that returns the entities by key. */
    public static <K, V> EntityBatchLoader<K, V> mappedAsync(
            Function<List<K>, ? extends CompletionStage<? extends Map<K, ? extends V>>> fn) {
        Objects.requireNonNull(fn, "fn");
        return new EntityBatchLoader<>((keys, env) -> fn.apply(keys), true, false);
    }

    /** An asynchronous function that returns the entities by key and reads the environment. */
    public static <K, V> EntityBatchLoader<K, V> mappedAsync(
            BiFunction<List<K>, BatchEnvironment, ? extends CompletionStage<? extends Map<K, ? extends V>>> fn) {
        Objects.requireNonNull(fn, "fn");
        return new EntityBatchLoader<>(fn, true, false);
    }

    /** A synchronous function that returns the entities in key order ({@code null} for a missing one). */
    public static <K, V> EntityBatchLoader<K, V> ordered(Function<List<K>, ? extends List<? extends V>> fn) {
        Objects.requireNonNull(fn, "fn");
        return new EntityBatchLoader<>((keys, env) -> CompletableFuture.completedFuture(fn.apply(keys)), false, true);
    }

    /** A synchronous function that returns the entities in key order and reads the environment. */
    public static <K, V> EntityBatchLoader<K, V> ordered(
            BiFunction<List<K>, BatchEnvironment, ? extends List<? extends V>> fn) {
        Objects.requireNonNull(fn, "fn");
        return new EntityBatchLoader<>((keys, env) -> CompletableFuture.completedFuture(fn.apply(keys, env)), false,
                true);
    }

    /** An asynchronous function that returns the entities in key order. */
    public static <K, V> EntityBatchLoader<K, V> orderedAsync(
            Function<List<K>, ? extends CompletionStage<? extends List<? extends V>>> fn) {
        Objects.requireNonNull(fn, "fn");
        return new EntityBatchLoader<>((keys, env) -> fn.apply(keys), false, false);
    }

    /** An asynchronous function that returns the entities in key order and reads the environment. */
    public static <K, V> EntityBatchLoader<K, V> orderedAsync(
            BiFunction<List<K>, BatchEnvironment, ? extends CompletionStage<? extends List<? extends V>>> fn) {
        Objects.requireNonNull(fn, "fn");
        return new EntityBatchLoader<>(fn, false, false);
    }

    /**
     * This loader, using {@code single} for the one-by-one calls of {@link FederationMode#DIRECT} mode
     * ({@code null} for a missing entity).
     */
    public EntityBatchLoader<K, V> withDirect(Function<K, ? extends V> single) {
        Objects.requireNonNull(single, "single");
        return new EntityBatchLoader<>(function, mapped, synchronous,
                (key, env) -> CompletableFuture.completedFuture(single.apply(key)), true);
    }

    /** This loader, using the asynchronous {@code single} for the one-by-one calls of {@code DIRECT} mode. */
    public EntityBatchLoader<K, V> withDirectAsync(Function<K, ? extends CompletionStage<? extends V>> single) {
        Objects.requireNonNull(single, "single");
        return new EntityBatchLoader<>(function, mapped, synchronous, (key, env) -> single.apply(key), false);
    }

    /** {@code true} when the function returns entities by key, {@code false} when in key order. */
    boolean isMapped() {
        return mapped;
    }

    /** {@code true} when a one-key function was given for {@code DIRECT} mode. */
    boolean hasDirect() {
        return direct != null;
    }

    /**
     * {@code true} for the synchronous forms ({@link #mapped}, {@link #ordered}): they return their result,
     * so {@link FederationOptions#batchExecutor()} runs them when set.
     */
    boolean isSynchronous() {
        return synchronous;
    }

    /** Whether the function of {@code mode} is synchronous (the one-key function in {@code DIRECT}, if any). */
    boolean isSynchronous(FederationMode mode) {
        return mode == FederationMode.DIRECT && direct != null ? directSynchronous : synchronous;
    }

    CompletionStage<?> invoke(List<K> keys, BatchEnvironment env) {
        return function.apply(keys, env);
    }

    @Nullable BiFunction<K, BatchEnvironment, ? extends CompletionStage<?>> direct() {
        return direct;
    }
}
