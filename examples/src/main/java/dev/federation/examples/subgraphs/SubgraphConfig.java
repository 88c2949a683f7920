package dev.federation.examples.subgraphs;

import dev.federation.core.EntityCacheOptions;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import dev.federation.core.FederationOptions;
import dev.federation.core.observer.FederationObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Immutable settings of one example subgraph: the size of the seeded data, the kill switch, the library's
 * options and the observers (metrics, tracing) to register.
 *
 * <pre>{@code
 * SubgraphConfig config = SubgraphConfig.custom()
 *     .users(1_000).posts(10_000).products(100)
 *     .modeSwitch(FederationModeSwitch.of(FederationMode.BATCHED))
 *     .observer(metricsObserver)
 *     .build();
 * }</pre>
 *
 * <p>All three subgraphs must be built with the same sizes so that the references of posts point at
 * existing users and products.
 */
public final class SubgraphConfig {

    /** Default number of users seeded. */
    public static final int DEFAULT_USERS = 10_000;
    /** Default number of posts seeded. */
    public static final int DEFAULT_POSTS = 100_000;
    /** Default number of products seeded. */
    public static final int DEFAULT_PRODUCTS = 1_000;

    private final int users;
    private final int posts;
    private final int products;
    private final FederationModeSwitch modeSwitch;
    private final FederationOptions options;
    private final List<FederationObserver> observers;
    private final @Nullable EntityCacheOptions productCache;
    private final Duration dbRoundTrip;

    private SubgraphConfig(Builder b) {
        this.dbRoundTrip = b.dbRoundTrip;
        this.users = b.users;
        this.posts = b.posts;
        this.products = b.products;
        this.modeSwitch = b.modeSwitch != null ? b.modeSwitch : FederationModeSwitch.fromEnvironment();
        this.options = b.options;
        this.observers = List.copyOf(b.observers);
        this.productCache = b.productCache;
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
        Builder b = new Builder().users(users).posts(posts).products(products).modeSwitch(modeSwitch)
                .options(options).dbRoundTrip(dbRoundTrip);
        observers.forEach(b::observer);
        if (productCache != null) {
            b.productCache(productCache);
        }
        return b;
    }

    /** Users seeded (ids 1 to this). */
    public int users() {
        return users;
    }

    /** Posts seeded (ids 1 to this). */
    public int posts() {
        return posts;
    }

    /** Products seeded (ids 1 to this). */
    public int products() {
        return products;
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

    /** The simulated network round trip of each SQL statement; {@link Duration#ZERO} (the default) for none. */
    public Duration dbRoundTrip() {
        return dbRoundTrip;
    }

    /** The cross-request cache of the products subgraph's Product, or {@code null} for none (the default). */
    public @Nullable EntityCacheOptions productCache() {
        return productCache;
    }

    @Override
    public String toString() {
        return "SubgraphConfig{users=" + users + ", posts=" + posts + ", products=" + products + ", mode="
                + modeSwitch.mode() + ", observers=" + observers.size() + '}';
    }

    /** Builder of {@link SubgraphConfig}; each setter rejects a bad value at once. */
    public static final class Builder {
        private int users = DEFAULT_USERS;
        private int posts = DEFAULT_POSTS;
        private int products = DEFAULT_PRODUCTS;
        private @Nullable FederationModeSwitch modeSwitch;
        private FederationOptions options = FederationOptions.ofDefaults();
        private final List<FederationObserver> observers = new ArrayList<>();
        private @Nullable EntityCacheOptions productCache;
        private Duration dbRoundTrip = Duration.ZERO;

        private Builder() {
        }

        /** A simulated network round trip added to each SQL statement; zero for none (the default). */
        public Builder dbRoundTrip(Duration dbRoundTrip) {
            Objects.requireNonNull(dbRoundTrip, "dbRoundTrip");
            if (dbRoundTrip.isNegative()) {
                throw new IllegalArgumentException("dbRoundTrip must not be negative, was " + dbRoundTrip);
            }
            this.dbRoundTrip = dbRoundTrip;
            return this;
        }

        /** @param users at least 1 */
        public Builder users(int users) {
            this.users = positive("users", users);
            return this;
        }

        /** @param posts at least 1 */
        public Builder posts(int posts) {
            this.posts = positive("posts", posts);
            return this;
        }

        /** @param products at least 1 */
        public Builder products(int products) {
            this.products = positive("products", products);
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

        /** Turns on the cross-request cache of Product in the products subgraph. */
        public Builder productCache(EntityCacheOptions productCache) {
            this.productCache = Objects.requireNonNull(productCache, "productCache");
            return this;
        }

        /** The configuration. */
        public SubgraphConfig build() {
            return new SubgraphConfig(this);
        }

        private static int positive(String what, int n) {
            if (n < 1) {
                throw new IllegalArgumentException(what + " must be at least 1, was " + n);
            }
            return n;
        }
    }
}
