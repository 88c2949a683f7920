package dev.federation.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One entity type of the subgraph: its {@code __typename}, each of its {@code @key}s with the batch function
 * that resolves it, and optionally its Java class and a cross-request cache.
 *
 * <pre>{@code
 * EntityType product = EntityType.named("Product")
 *     .javaClass(Product.class)
 *     .key("id", rep -> rep.getString("id"), EntityBatchLoader.mapped(products::findByIds))
 *     .key("sku package", EntityBatchLoader.mapped(products::findBySkuAndPackage)) // keys are EntityKeys
 *     .key("sku variation { id }", KeyMapper.entityKey(), EntityBatchLoader.mapped(products::findByVariation))
 *     .cache(EntityCacheOptions.of(10_000, Duration.ofMinutes(5)))
 *     .build();
 * }</pre>
 *
 * <p>When a representation holds the fields of several keys, the first key declared whose fields are all
 * present is used.
 *
 * <p>Public API.
 */
public final class EntityType {

    private final String typename;
    private final List<Key<?>> keys;
    private final @Nullable Class<?> javaClass;
    private final @Nullable EntityCacheOptions cache;
    private final boolean crossRequestSet;
    private final @Nullable CrossRequestBatching crossRequest;

    private EntityType(Builder b) {
        this.crossRequestSet = b.crossRequestSet;
        this.crossRequest = b.crossRequest;
        this.typename = b.typename;
        this.keys = Collections.unmodifiableList(new ArrayList<>(b.keys));
        this.javaClass = b.javaClass;
        this.cache = b.cache;
    }

    /** Starts an entity type of the given {@code __typename}. */
    public static Builder named(String typename) {
        return new Builder(typename);
    }

    /** The {@code __typename}. */
    public String typename() {
        return typename;
    }

    /** The declared keys, in declaration order. */
    public List<Key<?>> keys() {
        return keys;
    }

    /**
     * This type's cross-request batching: its own when set ({@code null} for none), else
     * {@code options.crossRequest()}.
     */
    public @Nullable CrossRequestBatching crossRequest(FederationOptions options) {
        return crossRequestSet ? crossRequest : options.crossRequest();
    }

    /** The Java class of this type's entities, used to resolve the GraphQL type, or {@code null}. */
    public @Nullable Class<?> javaClass() {
        return javaClass;
    }

    /** The cross-request cache settings, or {@code null} when this type is not cached across requests. */
    public @Nullable EntityCacheOptions cache() {
        return cache;
    }

    @Override
    public String toString() {
        return "EntityType[" + typename + ", keys=" + keys + ']';
    }

    /**
     * One {@code @key} of a type: its shape, how a representation becomes a key, and the batch function.
     *
     * @param <K> the key type
     */
    public static final class Key<K> {
        private final KeyShape shape;
        private final KeyMapper<K> mapper;
        private final EntityBatchLoader<K, ?> loader;

        Key(KeyShape shape, KeyMapper<K> mapper, EntityBatchLoader<K, ?> loader) {
            this.shape = shape;
            this.mapper = mapper;
            this.loader = loader;
        }

        /** The key's fields. */
        public KeyShape shape() {
            return shape;
        }

        /** How a representation becomes a key. */
        public KeyMapper<K> mapper() {
            return mapper;
        }

        /** The batch function. */
        public EntityBatchLoader<K, ?> loader() {
            return loader;
        }

        @Override
        public String toString() {
            return shape.toString();
        }
    }

    /** Builder of {@link EntityType}. */
    public static final class Builder {
        private final String typename;
        private final List<Key<?>> keys = new ArrayList<>();
        private @Nullable Class<?> javaClass;
        private @Nullable EntityCacheOptions cache;
        private boolean crossRequestSet;
        private @Nullable CrossRequestBatching crossRequest;

        private Builder(String typename) {
            Objects.requireNonNull(typename, "typename");
            if (!typename.matches("[_A-Za-z][_0-9A-Za-z]*")) {
                throw new IllegalArgumentException("'" + typename + "' is not a GraphQL type name");
            }
            this.typename = typename;
        }

        /** Declares a key whose batch function takes {@link EntityKey}s. */
        public Builder key(String fields, EntityBatchLoader<EntityKey, ?> loader) {
            return key(fields, KeyMapper.entityKey(), loader);
        }

        /**
         * Declares a key.
         *
         * @param fields the {@code @key(fields: ...)} selection, e.g. {@code "sku variation { id }"}
         * @param mapper how a representation becomes the batch function's key
         * @param loader the batch function
         * @throws IllegalArgumentException when the selection is invalid or declared twice
         */
        public <K> Builder key(String fields, KeyMapper<K> mapper, EntityBatchLoader<K, ?> loader) {
            KeyShape shape = KeyShape.parse(fields);
            for (Key<?> k : keys) {
                if (k.shape.equals(shape)) {
                    throw new IllegalArgumentException("key \"" + shape + "\" of " + typename + " declared twice");
                }
            }
            keys.add(new Key<>(shape, Objects.requireNonNull(mapper, "mapper"),
                    Objects.requireNonNull(loader, "loader")));
            return this;
        }

        /**
         * The Java class of this type's entities. With it, the entity type resolver recognises the values by
         * class; without it, by the representation they answered (both work).
         */
        public Builder javaClass(Class<?> javaClass) {
            this.javaClass = Objects.requireNonNull(javaClass, "javaClass");
            return this;
        }

        /**
         * Cross-request batching for this type, whatever {@link FederationOptions#crossRequest()} says:
         * {@code null} turns it off for this type.
         */
        public Builder crossRequest(@Nullable CrossRequestBatching crossRequest) {
            this.crossRequestSet = true;
            this.crossRequest = crossRequest;
            return this;
        }

        /** Turns on the cross-request cache for this type. */
        public Builder cache(EntityCacheOptions cache) {
            this.cache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /**
         * The type.
         *
         * @throws IllegalStateException when no key was declared
         */
        public EntityType build() {
            if (keys.isEmpty()) {
                throw new IllegalStateException("entity type " + typename + " declares no key");
            }
            return new EntityType(this);
        }
    }
}
