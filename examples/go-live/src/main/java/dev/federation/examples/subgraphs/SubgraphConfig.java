package dev.federation.examples.subgraphs;

import dev.federation.core.EntityCacheOptions;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import dev.federation.core.FederationOptions;
import dev.federation.core.observer.FederationObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Immutable settings of one example subgraph: the seeded data ({@link DataSettings}), the kill switch, the
 * library's options and the observers (metrics, tracing) to register.
 *
 * <pre>{@code
 * SubgraphConfig config = SubgraphConfig.custom()
 *     .data(DataSettings.sizes(1_000, 10_000, 100))
 *     .modeSwitch(FederationModeSwitch.of(FederationMode.BATCHED))
 *     .observer(metricsObserver)
 *     .build();
 * }</pre>
 *
 * <p>All three subgraphs must be built with the same {@link DataSettings} so that the references of posts
 * point at existing users and products.
 */
public final class SubgraphConfig {

    private final DataSettings data;
    private final FederationModeSwitch modeSwitch;
    private final FederationOptions options;
    private final List<FederationObserver> observers;
    private final @Nullable EntityCacheOptions productCache;
    private final dev.federation.core.cache.@Nullable EntityCacheProvider cacheProvider;

    private SubgraphConfig(Builder b) {
        this.data = b.data;
        this.modeSwitch = b.modeSwitch != null ? b.modeSwitch : FederationModeSwitch.fromEnvironment();
        this.options = b.options;
        this.observers = List.copyOf(b.observers);
        this.productCache = b.productCache;
        this.cacheProvider = b.cacheProvider;
    }

    /** The defaults: the go-live sizes, the mode from {@code FEDERATION_ENABLED}, no observer. */
    public static SubgraphConfig ofDefaults() {
        return custom().build();
    }

    /** A builder that starts from the defaults. */
    public static Builder custom() {
        return new Builder();
    }

    /** A builder that starts from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder().data(data).modeSwitch(modeSwitch).options(options);
        observers.forEach(b::observer);
        if (productCache != null) {
            b.productCache(productCache);
        }
        if (cacheProvider != null) {
            b.cacheProvider(cacheProvider);
        }
        return b;
    }

    /** The seeded data and the simulated round trip of each SQL statement. */
    public DataSettings data() {
        return data;
    }

    /** The kill switch of the subgraph's entities. */
    public FederationModeSwitch modeSwitch() {
        return modeSwitch;
    }

    /** The library's limits. */
    public FederationOptions options() {
        return options;
    }

    /** The observers registered on the subgraph's entities, in order. */
    public List<FederationObserver> observers() {
        return observers;
    }

    /** The cross-request cache of the products subgraph's Product, or {@code null} for none (the default). */
    public @Nullable EntityCacheOptions productCache() {
        return productCache;
    }

    /** Where cached entities live (for example a shared level on Redis), or {@code null} for in process. */
    public dev.federation.core.cache.@Nullable EntityCacheProvider cacheProvider() {
        return cacheProvider;
    }

    @Override
    public String toString() {
        return "SubgraphConfig{" + data + ", mode="
                + modeSwitch.mode() + ", observers=" + observers.size() + '}';
    }

    /** Builder of {@link SubgraphConfig}; each setter rejects a bad value at once. */
    public static final class Builder {
        private DataSettings data = DataSettings.ofDefaults();
        private @Nullable FederationModeSwitch modeSwitch;
        private FederationOptions options = FederationOptions.ofDefaults();
        private final List<FederationObserver> observers = new ArrayList<>();
        private @Nullable EntityCacheOptions productCache;
        private dev.federation.core.cache.@Nullable EntityCacheProvider cacheProvider;

        private Builder() {
        }

        /** The seeded data and the round trip; {@link DataSettings#ofDefaults()} when not set. */
        public Builder data(DataSettings data) {
            this.data = Objects.requireNonNull(data, "data");
            return this;
        }

        /** The kill switch; {@link FederationModeSwitch#fromEnvironment()} when not set. */
        public Builder modeSwitch(FederationModeSwitch modeSwitch) {
            this.modeSwitch = Objects.requireNonNull(modeSwitch, "modeSwitch");
            return this;
        }

        /** Starts in {@code mode} with a switch of its own. */
        public Builder mode(FederationMode mode) {
            return modeSwitch(FederationModeSwitch.of(mode));
        }

        /** The library's limits; {@link FederationOptions#ofDefaults()} when not set. */
        public Builder options(FederationOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Adds an observer. */
        public Builder observer(FederationObserver observer) {
            observers.add(Objects.requireNonNull(observer, "observer"));
            return this;
        }

        /** Where cached entities live; in process when not set. */
        public Builder cacheProvider(dev.federation.core.cache.EntityCacheProvider cacheProvider) {
            this.cacheProvider = Objects.requireNonNull(cacheProvider, "cacheProvider");
            return this;
        }

        /** Turns on the cross-request cache of Product in the products subgraph. */
        public Builder productCache(EntityCacheOptions productCache) {
            this.productCache = Objects.requireNonNull(productCache, "productCache");
            return this;
        }

        /** The configuration. */
        public SubgraphConfig build() {
            return new SubgraphConfig(this);
        }
    }
}
