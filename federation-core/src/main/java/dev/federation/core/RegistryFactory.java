package dev.federation.core;

import dev.federation.core.observer.BatchCall;
import dev.federation.core.observer.BatchObservation;
import dev.federation.core.observer.BatchResult;
import dev.federation.core.observer.FederationObserver;
import dev.federation.core.observer.LoadOutcome;
import graphql.GraphQLContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.dataloader.BatchLoaderEnvironment;
import org.dataloader.DataLoader;
import org.dataloader.DataLoaderFactory;
import org.dataloader.DataLoaderOptions;
import org.dataloader.DataLoaderRegistry;
import org.dataloader.MappedBatchLoaderWithContext;
import org.dataloader.Try;
import org.dataloader.instrumentation.DataLoaderInstrumentation;
import org.dataloader.instrumentation.DataLoaderInstrumentationContext;
import org.jspecify.annotations.Nullable;

/** Makes the per-request DataLoaderRegistry: entity loaders (made on first use) plus the service's own, observed. */
final class RegistryFactory {

    private final FederatedEntities entities;
    private final Map<String, KeyResolver<?>> entityLoaders = new LinkedHashMap<>();

    RegistryFactory(FederatedEntities entities) {
        this.entities = entities;
        for (KeyResolver<?> r : entities.keyResolvers()) {
            entityLoaders.put(r.loaderName, r);
        }
    }

    DataLoaderRegistry create(@Nullable GraphQLContext context) {
        Map<String, DataLoader<?, ?>> loaders = new LinkedHashMap<>();
        for (Map.Entry<String, Supplier<? extends DataLoader<?, ?>>> e : entities.userLoaders().entrySet()) {
            DataLoader<?, ?> dl = e.getValue().get();
            if (dl == null) {
                throw new IllegalStateException("DataLoader factory " + e.getKey() + " returned null");
            }
            String name = e.getKey();
            if (!name.equals(dl.getName())) {
                dl = dl.transform(x -> x.name(name));
            }
            loaders.put(name, dl);
        }
        return new Registry(loaders, entities.userLoaders().isEmpty() ? null : new Observing(context), context);
    }

    /**
     * A request's registry: the service's own loaders from the start, an entity loader only from its first
     * {@code getDataLoader} (a request that never loads entities by key outside {@code _entities} makes none).
     * {@link #getKeys()} names both.
     */
    private final class Registry extends DataLoaderRegistry {
        private final @Nullable GraphQLContext context;

        Registry(Map<String, DataLoader<?, ?>> loaders, @Nullable DataLoaderInstrumentation instrumentation,
                @Nullable GraphQLContext context) {
            super(loaders, instrumentation); // the registry instruments the loaders it is given
            this.context = context;
        }

        @Override
        public <K, V> DataLoader<K, V> getDataLoader(String key) {
            DataLoader<K, V> existing = super.getDataLoader(key);
            if (existing != null) {
                return existing;
            }
            KeyResolver<?> r = entityLoaders.get(key);
            return r == null ? null : computeIfAbsent(key, k -> entityLoader(r, context));
        }

        @Override
        public Set<String> getKeys() {
            Set<String> keys = new LinkedHashSet<>(entityLoaders.keySet());
            keys.addAll(super.getKeys());
            return keys;
        }
    }

    private <K> DataLoader<K, Object> entityLoader(KeyResolver<K> r, @Nullable GraphQLContext context) {
        DataLoaderOptions options = DataLoaderOptions.newOptions()
                .setMaxBatchSize(entities.options().maxBatchSize())
                .setBatchLoaderContextProvider(() -> context)
                .build();
        MappedBatchLoaderWithContext<K, Try<Object>> fn = (keys, env) -> load(r, keys, context);
        return DataLoaderFactory.newMappedDataLoaderWithTry(r.loaderName, fn, options);
    }

    private <K> CompletionStage<Map<K, Try<Object>>> load(KeyResolver<K> r, Set<K> keySet,
            @Nullable GraphQLContext context) {
        List<K> keys = new ArrayList<>(keySet);
        FederationMode mode = entities.modeSwitch().mode();
        CompletableFuture<Object[]> loaded;
        if (mode == FederationMode.BATCHED) {
            loaded = r.loadBatched(keys, context, entities.scopeOf(context));
        } else {
            Object[] answers = new Object[keys.size()];
            loaded = DirectLoop.oneByOne(new KeyResolver<?>[] {r}, null, keys.toArray(), 0, context,
                    DirectLoop.deadlineAfter(entities.options().batchTimeout()), (v, i) -> answers[i] = v)
                    .thenApply(v -> answers);
        }
        return loaded.thenApply(results -> {
            Map<K, Try<Object>> out = new HashMap<>(keys.size() * 2);
            int[] counts = new int[LoadOutcome.values().length];
            LoadOutcome served = mode == FederationMode.BATCHED ? LoadOutcome.BATCHED : LoadOutcome.DIRECT;
            for (int i = 0; i < results.length; i++) {
                K k = keys.get(i);
                Object v = results[i];
                if (v instanceof KeyResolver.Cached) {
                    counts[LoadOutcome.CACHED.ordinal()]++;
                    out.put(k, Try.succeeded(((KeyResolver.Cached) v).value));
                } else if (v instanceof KeyFailure) {
                    counts[LoadOutcome.ERROR.ordinal()]++;
                    out.put(k, Try.failed(((KeyFailure) v).toException()));
                } else {
                    counts[(v == null ? LoadOutcome.MISSING : served).ordinal()]++;
                    out.put(k, Try.succeeded(v));
                }
            }
            if (entities.observed()) {
                FederationObserver observer = entities.observer();
                for (LoadOutcome o : LoadOutcome.values()) {
                    if (counts[o.ordinal()] > 0) {
                        observer.loadsCompleted(r.typename, o, counts[o.ordinal()]);
                    }
                }
            }
            return out;
        });
    }

    /** The instrumentation that reports the service's own loaders' batches for a request of {@code context}. */
    DataLoaderInstrumentation observing(@Nullable GraphQLContext context) {
        return new Observing(context);
    }

    /** Reports the batches of the service's own DataLoaders to the observers. */
    private final class Observing implements DataLoaderInstrumentation {
        private final @Nullable GraphQLContext context;

        Observing(@Nullable GraphQLContext context) {
            this.context = context;
        }

        @Override
        public DataLoaderInstrumentationContext<List<?>> beginBatchLoader(DataLoader<?, ?> dataLoader,
                List<?> keys, BatchLoaderEnvironment environment) {
            String name = dataLoader.getName();
            if (name == null || entityLoaders.containsKey(name)) {
                return null;
            }
            BatchObservation observation = entities.observer().batchStarted(new BatchCall(name, name, null,
                    entities.modeSwitch().mode(), keys.size(), 0, context));
            if (observation == null) {
                return null;
            }
            long start = System.nanoTime();
            return new DataLoaderInstrumentationContext<>() {
                @Override
                public void onCompleted(List<?> result, Throwable t) {
                    int found = 0;
                    int missing = 0;
                    int failed = 0;
                    if (result != null) {
                        for (Object v : result) {
                            if (v instanceof Try && ((Try<?>) v).isFailure()) {
                                failed++;
                            } else if (v == null || (v instanceof Try && ((Try<?>) v).get() == null)) {
                                missing++;
                            } else {
                                found++;
                            }
                        }
                    }
                    observation.completed(new BatchResult(keys.size(), found, missing, failed,
                            System.nanoTime() - start, t == null ? null : KeyFailure.unwrap(t)));
                }
            };
        }
    }
}
