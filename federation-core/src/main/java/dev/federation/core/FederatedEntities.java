package dev.federation.core;

import dev.federation.core.cache.EntityCache;
import dev.federation.core.cache.EntityCacheProvider;
import dev.federation.core.observer.FederationObserver;
import dev.federation.core.observer.Rejection;
import graphql.ExecutionInput;
import graphql.GraphQLContext;
import graphql.GraphQLError;
import graphql.schema.DataFetcher;
import graphql.schema.TypeResolver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.dataloader.DataLoader;
import org.dataloader.DataLoaderRegistry;
import org.dataloader.instrumentation.DataLoaderInstrumentation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entity types of a subgraph and everything graphql-java needs to resolve them in batches: the
 * {@code _entities} {@link #fetcher()}, the entity {@link #typeResolver()} and a per-request
 * {@link #newRegistry(GraphQLContext) DataLoaderRegistry}.
 *
 * <pre>{@code
 * FederatedEntities entities = FederatedEntities.builder()
 *     .entity(EntityType.named("User")
 *         .key("id", rep -> rep.getString("id"), EntityBatchLoader.mapped(users::findByIds)))
 *     .build();
 *
 * GraphQLSchema schema = Federation.transform(sdl, wiring)
 *     .fetchEntities(entities.fetcher())
 *     .resolveEntityType(entities.typeResolver())
 *     .build();
 * GraphQL graphQL = GraphQL.newGraphQL(schema).build();
 *
 * // per request: _entities needs no DataLoaderRegistry; when your own fields load through DataLoaders,
 * // a fresh one bound to the request's GraphQL context
 * ExecutionInput input = entities.withRegistry(ExecutionInput.newExecutionInput(query)
 *     .variables(variables)
 *     .build());
 * ExecutionResult result = graphQL.execute(input);
 * }</pre>
 *
 * <p>Each {@code _entities} call validates its representations (bad ones get a GraphQL error at their
 * index, the others are resolved), groups them by type and key shape, and calls each batch function once per
 * group of distinct keys (split at {@link FederationOptions#maxBatchSize()}). A failed batch fails only its
 * own group. Nothing is shared between requests but the opt-in cross-request cache.
 *
 * <p>Thread-safe; build one per schema and share it.
 *
 * <p>Public API.
 */
public final class FederatedEntities implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FederatedEntities.class);

    private final Map<String, EntityKeys> keysByTypename;
    private final KeyResolver<?>[] keyResolvers;
    private final String[] typenames;
    private final boolean observed;
    private final Map<String, EntityType> entityTypes;
    private final Map<String, EntityCache> caches;
    /** {@code true} when a type has a cross-request cache or cross-request batching, so requests need a scope. */
    private final boolean scoped;
    private final Map<Class<?>, String> classes;
    private final FederationOptions options;
    private final FederationObserver observer;
    private final FederationModeSwitch modeSwitch;
    private final CacheScope cacheScope;
    private final Map<String, Supplier<? extends DataLoader<?, ?>>> userLoaders;
    private final EntitiesFetcher fetcher;
    private final EntityTypeResolver typeResolver;
    private final RegistryFactory registries;
    private final FederationModeSwitch.Listener modeListener;

    private FederatedEntities(Builder b) {
        this.options = b.options;
        this.observer = FederationObserver.composite(b.observers);
        this.observed = observer != FederationObserver.noop();
        this.modeSwitch = b.modeSwitch != null ? b.modeSwitch : FederationModeSwitch.fromEnvironment();
        this.cacheScope = b.cacheScope;
        this.userLoaders = Collections.unmodifiableMap(new LinkedHashMap<>(b.userLoaders));
        Map<String, EntityKeys> t = new HashMap<>();
        List<KeyResolver<?>> all = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Map<String, EntityCache> c = new LinkedHashMap<>();
        Map<Class<?>, String> cl = new LinkedHashMap<>();
        for (EntityType type : b.types.values()) {
            EntityCache cache = null;
            EntityCacheOptions co = type.cache();
            if (co != null) {
                cache = Objects.requireNonNull(b.cacheProvider.create(type, co),
                        () -> "the cache provider made no cache for " + type.typename());
                c.put(type.typename(), cache);
            }
            KeyResolver<?>[] resolvers = new KeyResolver<?>[type.keys().size()];
            for (int i = 0; i < resolvers.length; i++) {
                resolvers[i] = resolver(type, type.keys().get(i), all.size(), names.size(), cache);
                all.add(resolvers[i]);
            }
            t.put(type.typename(), new EntityKeys(type.typename(), resolvers));
            names.add(type.typename());
            if (type.javaClass() != null) {
                String previous = cl.put(type.javaClass(), type.typename());
                if (previous != null) {
                    throw new IllegalStateException("java class " + type.javaClass().getName()
                            + " is registered for both " + previous + " and " + type.typename());
                }
            }
        }
        this.keysByTypename = t;
        boolean merging = false;
        for (KeyResolver<?> r : all) {
            merging |= r.merges();
        }
        this.scoped = !c.isEmpty() || merging;
        this.keyResolvers = all.toArray(new KeyResolver<?>[0]);
        this.typenames = names.toArray(new String[0]);
        this.entityTypes = Collections.unmodifiableMap(new LinkedHashMap<>(b.types));
        this.caches = Collections.unmodifiableMap(c);
        this.classes = Collections.unmodifiableMap(cl);
        this.fetcher = new EntitiesFetcher(this);
        this.typeResolver = new EntityTypeResolver(this);
        this.registries = new RegistryFactory(this);
        this.modeListener = observer::modeChanged;
        this.modeSwitch.addListener(modeListener);
        if (LOG.isInfoEnabled()) {
            LOG.info(describe(b.observers));
        }
    }

    /**
     * The one line said at INFO when built: the entity types and key shapes, the mode, which types are cached
     * (and where) or merged across requests, and the observers (metrics, tracing, ...).
     */
    private String describe(List<FederationObserver> observers) {
        StringBuilder sb = new StringBuilder(entityTypes.isEmpty()
                ? "federation: no entity type of its own (observing another _entities resolver)"
                : "federation: _entities of ");
        boolean first = true;
        for (EntityType t : entityTypes.values()) {
            sb.append(first ? "" : ", ").append(t.typename()).append(" (");
            for (int i = 0; i < t.keys().size(); i++) {
                sb.append(i == 0 ? "" : " | ").append(t.keys().get(i).shape());
            }
            sb.append(')');
            first = false;
        }
        if (!entityTypes.isEmpty()) {
            sb.append(" in ").append(modeSwitch.mode()).append(" mode");
        }
        if (!caches.isEmpty()) {
            sb.append("; cross-request cache: ");
            first = true;
            for (Map.Entry<String, EntityCache> e : caches.entrySet()) {
                sb.append(first ? "" : ", ").append(e.getKey()).append(" (")
                        .append(simpleName(e.getValue().getClass())).append(')');
                first = false;
            }
        }
        List<String> merged = new ArrayList<>();
        for (EntityType t : entityTypes.values()) {
            if (t.crossRequest(options) != null) {
                merged.add(t.typename());
            }
        }
        if (!merged.isEmpty()) {
            sb.append("; cross-request batching: ").append(String.join(", ", merged));
        }
        sb.append("; observers: ");
        if (observers.isEmpty()) {
            sb.append("none (no metrics, no tracing)");
        } else {
            first = true;
            for (FederationObserver o : observers) {
                sb.append(first ? "" : ", ").append(simpleName(o.getClass()));
                first = false;
            }
        }
        return sb.toString();
    }

    private static String simpleName(Class<?> c) {
        String n = c.getSimpleName();
        int lambda = n.indexOf("$$");
        return n.isEmpty() ? c.getName() : lambda > 0 ? n.substring(0, lambda) : n;
    }

    private <K> KeyResolver<K> resolver(EntityType type, EntityType.Key<K> key, int ordinal, int typeOrdinal,
            @Nullable EntityCache cache) {
        CrossRequestBatching crossRequest = type.crossRequest(options);
        if (crossRequest != null && key.loader().isSynchronous() && options.batchExecutor() == null) {
            throw new IllegalStateException("cross-request batching of " + type.typename() + " needs "
                    + "FederationOptions.batchExecutor for its synchronous batch function (key \"" + key.shape()
                    + "\"): a merged call must not run on another request's thread");
        }
        EntityCacheOptions co = type.cache();
        if (co != null && !co.gracePeriod().isZero() && key.loader().isSynchronous()
                && options.batchExecutor() == null) {
            throw new IllegalStateException("the cache grace period of " + type.typename() + " needs "
                    + "FederationOptions.batchExecutor for its synchronous batch function (key \"" + key.shape()
                    + "\"): a stale entry's refresh must not hold the request that was served it");
        }
        return new KeyResolver<>(type.typename(), key, ordinal, typeOrdinal, type.javaClass() != null, cache,
                options, observer, crossRequest);
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The {@code _entities} data fetcher to hand to {@code SchemaTransformer.fetchEntities(...)}.
     *
     * @throws IllegalStateException when no entity type was added
     */
    public DataFetcher<?> fetcher() {
        requireTypes();
        return fetcher;
    }

    /**
     * The entity type resolver to hand to {@code SchemaTransformer.resolveEntityType(...)}.
     *
     * @throws IllegalStateException when no entity type was added
     */
    public TypeResolver typeResolver() {
        requireTypes();
        return typeResolver;
    }

    private void requireTypes() {
        if (entityTypes.isEmpty()) {
            throw new IllegalStateException("no entity type was added: add one with FederatedEntities.Builder.entity"
                    + " before installing the _entities fetcher");
        }
    }

    /**
     * {@code fetcher}, an {@code _entities} fetcher of another resolver (Spring for GraphQL's
     * {@code @EntityMapping} methods, a hand-written one), with this library's request-wide representation
     * limit ({@link FederationOptions#maxRepresentations()}) and its observers around it: the call's events,
     * and per typename the loads it answered, missed or failed, read back from its answer (an entity at index
     * {@code i}, {@code null}, or an error whose path ends in {@code i}). The fetcher still resolves every
     * representation; batching, caching and the kill switch of this library do not apply to it.
     *
     * @param modes each entity typename {@code fetcher} resolves, {@link FederationMode#BATCHED} when it loads
     *     the representations of one type in one backend call, {@link FederationMode#DIRECT} when one by one;
     *     read at each answer, so a live map may grow. An object type implementing an interface named here
     *     counts as the interface does. Typenames of neither kind that fail are counted as rejections, so a
     *     caller cannot add meters by inventing names.
     * @param notFound the errors that mean "no entity for this key" (counted as missing, not as failed), for a
     *     fetcher that answers a missing entity with an error
     */
    public DataFetcher<Object> observe(DataFetcher<?> fetcher, Map<String, FederationMode> modes,
            Predicate<GraphQLError> notFound) {
        return new ObservedEntitiesFetcher(this, Objects.requireNonNull(fetcher, "fetcher"),
                Objects.requireNonNull(modes, "modes"), Objects.requireNonNull(notFound, "notFound"));
    }

    /**
     * {@code input} with a fresh registry of {@link #newRegistry(GraphQLContext)} bound to its GraphQL
     * context. DataLoaders already on {@code input} are kept (a loader of the same name stays the input's).
     */
    public ExecutionInput withRegistry(ExecutionInput input) {
        DataLoaderRegistry registry = newRegistry(input.getGraphQLContext());
        DataLoaderRegistry existing = input.getDataLoaderRegistry();
        if (existing != null) {
            for (Map.Entry<String, DataLoader<?, ?>> e : existing.getDataLoadersMap().entrySet()) {
                registry.register(e.getKey(), e.getValue());
            }
        }
        return input.transform(b -> b.dataLoaderRegistry(registry));
    }

    /** {@link #newRegistry(GraphQLContext)} without a context. */
    public DataLoaderRegistry newRegistry() {
        return registries.create(null);
    }

    /**
     * A fresh registry for one request: one DataLoader per entity type and key shape (named as
     * {@link #loaderName(String, String)} gives, made on the first {@code getDataLoader} of its name), and the
     * DataLoaders registered with {@link Builder#dataLoader(String, Supplier)}. Put it on the
     * {@code ExecutionInput}; never share it between requests.
     *
     * <p>{@code _entities} does not need it (it calls the batch functions directly); a field resolver that
     * loads entities of this subgraph by key does, and so do the service's own DataLoaders, whose batches
     * are reported to the observer through java-dataloader's instrumentation.
     *
     * @param context the request's GraphQL context, handed to the batch functions and the cache scope
     */
    public DataLoaderRegistry newRegistry(@Nullable GraphQLContext context) {
        return registries.create(context);
    }

    /**
     * A java-dataloader instrumentation that reports the batches of the service's own DataLoaders (every
     * loader but this library's entity loaders) to the observers, as {@link #newRegistry(GraphQLContext)} does
     * for the loaders registered with {@link Builder#dataLoader}: for a registry that a framework builds, e.g.
     * {@code DataLoaderRegistry.newRegistry().instrumentation(entities.dataLoaderInstrumentation(context))}.
     * Put on a registry, it is chained with a loader's own instrumentation, not in place of it.
     *
     * @param context the request's GraphQL context, handed to the observers
     */
    public DataLoaderInstrumentation dataLoaderInstrumentation(@Nullable GraphQLContext context) {
        return registries.observing(context);
    }

    /** The name of the DataLoader of one entity key in the registry, e.g. {@code "Product(sku package)"}. */
    public static String loaderName(String typename, String keyFields) {
        return typename + "(" + KeyShape.parse(keyFields) + ")";
    }

    /** The kill switch this instance reads. */
    public FederationModeSwitch modeSwitch() {
        return modeSwitch;
    }

    /** The options. */
    public FederationOptions options() {
        return options;
    }

    /** The entity types, by typename, in registration order. */
    public Map<String, EntityType> entityTypes() {
        return entityTypes;
    }

    /**
     * The cross-request caches, by typename, for the types that have one (for example to bind their
     * statistics to a meter registry, or to invalidate).
     */
    public Map<String, EntityCache> caches() {
        return caches;
    }

    /**
     * Drops one entity from the cross-request cache of its type, in every scope and on every level (on every
     * replica, for a shared cache), so that the next request loads it: call it when the entity changed.
     * {@code keyFields} are the key fields as a representation carries them, e.g. {@code Map.of("id", "7")};
     * the entity is dropped under each key shape of its type whose fields they hold (entries cached under
     * another key shape stay until they expire: invalidate those too, or {@link #invalidateAll(String)}).
     *
     * @return the number of key shapes it was dropped under (at least 1)
     * @throws IllegalArgumentException when {@code typename} has no cross-request cache, or {@code keyFields}
     *     hold no key of it, or its key mapper refuses them
     */
    public int invalidate(String typename, Map<String, Object> keyFields) {
        Objects.requireNonNull(keyFields, "keyFields");
        EntityCache cache = cacheOf(typename);
        EntityKeys keys = keysByTypename.get(typename);
        int dropped = 0;
        String refused = null;
        for (KeyResolver<?> r : keys.resolvers()) {
            if (r.shape.firstMissingField(keyFields) != null) {
                continue;
            }
            Object key = r.keyOf(0, keyFields, new Representation[keyResolvers.length]);
            if (key instanceof Rejection) {
                refused = ((Rejection) key).message();
                continue;
            }
            cache.invalidate(r.shape, key);
            dropped++;
        }
        if (dropped == 0) {
            throw new IllegalArgumentException(refused != null ? refused
                    : "the key fields " + keyFields.keySet() + " hold no key of " + KeyFailure.echo(typename));
        }
        return dropped;
    }

    /**
     * Drops every entity of {@code typename} from its cross-request cache, in every scope and on every level
     * (on every replica, for a shared cache).
     *
     * @throws IllegalArgumentException when {@code typename} has no cross-request cache
     */
    public void invalidateAll(String typename) {
        cacheOf(typename).invalidateAll();
    }

    private EntityCache cacheOf(String typename) {
        Objects.requireNonNull(typename, "typename");
        EntityCache cache = caches.get(typename);
        if (cache == null) {
            throw new IllegalArgumentException(entityTypes.containsKey(typename)
                    ? typename + " has no cross-request cache" : "no entity type " + KeyFailure.echo(typename));
        }
        return cache;
    }

    /** The observer all events go to (a guarded composite of those registered). */
    public FederationObserver observer() {
        return observer;
    }

    /** Every key resolver, by {@link KeyResolver#ordinal}. */
    KeyResolver<?>[] keyResolvers() {
        return keyResolvers;
    }

    /** The key resolvers of the entity type named {@code typename}, or {@code null} for no such type. */
    @Nullable EntityKeys keysOf(String typename) {
        return keysByTypename.get(typename);
    }

    /** The typename of the entity type at {@code typeOrdinal} (registration order). */
    String typenameAt(int typeOrdinal) {
        return typenames[typeOrdinal];
    }

    /** The number of entity types. */
    int typeCount() {
        return typenames.length;
    }

    /** {@code false} when no observer was registered: then no event is built at all. */
    boolean observed() {
        return observed;
    }

    Map<String, Supplier<? extends DataLoader<?, ?>>> userLoaders() {
        return userLoaders;
    }

    Map<Class<?>, String> classes() {
        return classes;
    }

    /**
     * The request's cache and batch scope ({@link CacheScope}), or {@code null} when it has none or when no
     * type uses one (no cross-request cache, no cross-request batching).
     */
    @Nullable Object scopeOf(@Nullable GraphQLContext context) {
        if (!scoped) {
            return null;
        }
        if (context == null) {
            return cacheScope == CacheScope.GLOBAL ? "global" : null;
        }
        try {
            return cacheScope.scopeOf(context);
        } catch (RuntimeException e) {
            LOG.warn("cache scope function failed; the cross-request cache and batching are bypassed for this "
                    + "request", e);
            return null;
        }
    }

    /**
     * Stops telling the observers about changes of the {@link #modeSwitch()}: the listener this instance added
     * to the switch (which may be shared and outlive it) is removed; and closes the cross-request caches (a
     * shared cache's subscription). The fetcher keeps working; call it when the schema is retired. Idempotent.
     */
    @Override
    public void close() {
        modeSwitch.removeListener(modeListener);
        for (Map.Entry<String, EntityCache> e : caches.entrySet()) {
            try {
                e.getValue().close();
            } catch (RuntimeException ex) {
                LOG.warn("the cache of {} failed to close: {}", e.getKey(), ex.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "FederatedEntities" + entityTypes.keySet() + "[" + modeSwitch.mode() + "]";
    }

    /** Builder of {@link FederatedEntities}. */
    public static final class Builder {
        private final Map<String, EntityType> types = new LinkedHashMap<>();
        private final List<FederationObserver> observers = new ArrayList<>();
        private final Map<String, Supplier<? extends DataLoader<?, ?>>> userLoaders = new LinkedHashMap<>();
        private FederationOptions options = FederationOptions.ofDefaults();
        private @Nullable FederationModeSwitch modeSwitch;
        private CacheScope cacheScope = CacheScope.GLOBAL;
        private EntityCacheProvider cacheProvider = EntityCacheProvider.local();

        private Builder() {
        }

        /**
         * Adds an entity type.
         *
         * @throws IllegalArgumentException when a type of that name was added already
         */
        public Builder entity(EntityType type) {
            Objects.requireNonNull(type, "type");
            if (types.putIfAbsent(type.typename(), type) != null) {
                throw new IllegalArgumentException("entity type " + type.typename() + " added twice");
            }
            return this;
        }

        /** The limits; {@link FederationOptions#ofDefaults()} when not set. */
        public Builder options(FederationOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Adds an observer; several are called in the order added. */
        public Builder observer(FederationObserver observer) {
            observers.add(Objects.requireNonNull(observer, "observer"));
            return this;
        }

        /** The kill switch; {@link FederationModeSwitch#fromEnvironment()} when not set. */
        public Builder modeSwitch(FederationModeSwitch modeSwitch) {
            this.modeSwitch = Objects.requireNonNull(modeSwitch, "modeSwitch");
            return this;
        }

        /**
         * How the cross-request cache scope is taken from a request; {@link CacheScope#GLOBAL} when not set.
         * Set it whenever entities depend on who asks.
         */
        public Builder cacheScope(CacheScope cacheScope) {
            this.cacheScope = Objects.requireNonNull(cacheScope, "cacheScope");
            return this;
        }

        /**
         * Makes the cross-request cache of each type that has {@link EntityCacheOptions};
         * {@link EntityCacheProvider#local()} (in process) when not set. {@code federation-cache-redis} provides
         * a local level in front of Redis, shared by the replicas.
         */
        public Builder cacheProvider(EntityCacheProvider cacheProvider) {
            this.cacheProvider = Objects.requireNonNull(cacheProvider, "cacheProvider");
            return this;
        }

        /**
         * Registers one of the service's own DataLoaders (e.g. for {@code User.posts}); {@code factory} makes a
         * fresh one for each request's registry, and its batches are reported to the observers.
         *
         * @throws IllegalArgumentException when the name is taken
         */
        public Builder dataLoader(String name, Supplier<? extends DataLoader<?, ?>> factory) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(factory, "factory");
            if (userLoaders.putIfAbsent(name, factory) != null) {
                throw new IllegalArgumentException("DataLoader " + name + " registered twice");
            }
            return this;
        }

        /**
         * The entities.
         *
         * <p>With no entity type, the instance observes another resolver ({@link #observe}); its
         * {@link #fetcher()} refuses to be installed.
         *
         * @throws IllegalStateException when a DataLoader name clashes with an
         *     entity loader's, or the graphql-java and federation-jvm on the class path do not work together
         */
        public FederatedEntities build() {
            Compatibility.check();
            for (EntityType t : types.values()) {
                for (EntityType.Key<?> k : t.keys()) {
                    String name = t.typename() + "(" + k.shape() + ")";
                    if (userLoaders.containsKey(name)) {
                        throw new IllegalStateException("DataLoader name " + name + " is taken by an entity key");
                    }
                }
            }
            return new FederatedEntities(this);
        }
    }
}
