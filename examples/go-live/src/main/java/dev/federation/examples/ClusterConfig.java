package dev.federation.examples;

import dev.federation.core.CrossRequestBatching;
import dev.federation.core.EntityCacheOptions;
import dev.federation.core.FederationMode;
import dev.federation.core.observer.FederationObserver;
import dev.federation.examples.http.SubgraphServer;
import dev.federation.examples.observability.OpenTelemetrySetup;
import dev.federation.examples.observability.SubgraphObservability;
import dev.federation.examples.subgraphs.DataSettings;
import dev.federation.examples.subgraphs.SubgraphConfig;
import dev.federation.health.HealthMonitorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Immutable settings of a {@link SubgraphCluster}: the seeded data ({@link DataSettings}), ports, the initial
 * mode, the admin token and OpenTelemetry.
 *
 * <pre>{@code
 * ClusterConfig config = ClusterConfig.custom().ports(4001, 4002, 4003).adminToken(token).build();
 * }</pre>
 */
public final class ClusterConfig {

    /** Default port of the users subgraph in {@code serve}. */
    public static final int DEFAULT_USERS_PORT = 4001;
    /** Default port of the posts subgraph in {@code serve}. */
    public static final int DEFAULT_POSTS_PORT = 4002;
    /** Default port of the products subgraph in {@code serve}. */
    public static final int DEFAULT_PRODUCTS_PORT = 4003;

    private final DataSettings data;
    private final String host;
    private final int usersPort;
    private final int postsPort;
    private final int productsPort;
    private final FederationMode mode;
    private final @Nullable String adminToken;
    private final boolean debugSql;
    private final OpenTelemetrySetup openTelemetry;
    private final List<FederationObserver> observers;
    private final @Nullable EntityCacheOptions productCache;
    private final HealthMonitorConfig health;
    private final @Nullable Duration crossRequestWindow;
    private final @Nullable String redis;

    private ClusterConfig(Builder b) {
        this.crossRequestWindow = b.crossRequestWindow;
        this.redis = b.redis;
        this.health = b.health;
        this.data = b.data;
        this.host = b.host;
        this.usersPort = b.usersPort;
        this.postsPort = b.postsPort;
        this.productsPort = b.productsPort;
        this.mode = b.mode;
        this.adminToken = b.adminToken;
        this.debugSql = b.debugSql;
        this.openTelemetry = b.openTelemetry;
        this.observers = List.copyOf(b.observers);
        this.productCache = b.productCache;
    }

    /** A builder: go-live sizes, ports 0 (any free port), {@code BATCHED}, no admin token, tracing off. */
    public static Builder custom() {
        return new Builder();
    }

    /** The settings of one subgraph of this cluster (data, mode, extra observers). */
    SubgraphConfig.Builder subgraph() {
        SubgraphConfig.Builder b = SubgraphConfig.custom().data(data).mode(mode);
        observers.forEach(b::observer);
        return b;
    }

    /** The data every subgraph seeds, and the simulated round trip of each SQL statement. */
    public DataSettings data() {
        return data;
    }

    /** The address the servers bind. */
    public String host() {
        return host;
    }

    /** Port of the users subgraph (0: any free port). */
    public int usersPort() {
        return usersPort;
    }

    /** Port of the posts subgraph (0: any free port). */
    public int postsPort() {
        return postsPort;
    }

    /** Port of the products subgraph (0: any free port). */
    public int productsPort() {
        return productsPort;
    }

    /** The mode every subgraph starts in. */
    public FederationMode mode() {
        return mode;
    }

    /** The admin token of {@code POST /admin/mode}, or {@code null} (admin calls refused). */
    public @Nullable String adminToken() {
        return adminToken;
    }

    /**
     * Whether {@code GET /debug/sql} is served: it shows the statements the subgraph ran, so it is off unless
     * asked for ({@code serve --debug-sql}).
     */
    public boolean debugSql() {
        return debugSql;
    }

    /** The process's OpenTelemetry. */
    public OpenTelemetrySetup openTelemetry() {
        return openTelemetry;
    }

    /** The Redis of the shared entity cache, or {@code null} when the caches are in process. */
    public @Nullable String redis() {
        return redis;
    }

    /** The window of cross-request batching for every entity type, or {@code null} when it is off. */
    public @Nullable Duration crossRequestWindow() {
        return crossRequestWindow;
    }

    /** The health monitor's settings of every subgraph. */
    public HealthMonitorConfig health() {
        return health;
    }

    /** The cross-request cache of Product, or {@code null}. */
    public @Nullable EntityCacheOptions productCache() {
        return productCache;
    }

    /** Builder of {@link ClusterConfig}; each setter rejects a bad value at once. */
    public static final class Builder {
        private DataSettings data = DataSettings.ofDefaults();
        private String host = SubgraphServer.DEFAULT_HOST;
        private int usersPort;
        private int postsPort;
        private int productsPort;
        private FederationMode mode = FederationMode.BATCHED;
        private @Nullable String adminToken;
        private boolean debugSql;
        private OpenTelemetrySetup openTelemetry = OpenTelemetrySetup.off();
        private final List<FederationObserver> observers = new ArrayList<>();
        private @Nullable EntityCacheOptions productCache;
        private HealthMonitorConfig health = SubgraphObservability.DEFAULT_HEALTH;
        private @Nullable Duration crossRequestWindow;
        private @Nullable String redis;

        private Builder() {
        }

        /** The seeded data and the round trip; {@link DataSettings#ofDefaults()} when not set. */
        public Builder data(DataSettings data) {
            this.data = Objects.requireNonNull(data, "data");
            return this;
        }

        /** The address to bind; {@value SubgraphServer#DEFAULT_HOST} when not set. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** Ports of users, posts and products (0: any free port). */
        public Builder ports(int users, int posts, int products) {
            this.usersPort = port(users);
            this.postsPort = port(posts);
            this.productsPort = port(products);
            return this;
        }

        /** The initial mode; {@code BATCHED} when not set. */
        public Builder mode(FederationMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** The admin token; {@code null} or blank refuses admin calls. */
        public Builder adminToken(@Nullable String adminToken) {
            this.adminToken = adminToken;
            return this;
        }

        /** Serve {@code GET /debug/sql} (statement text: off by default). */
        public Builder debugSql(boolean debugSql) {
            this.debugSql = debugSql;
            return this;
        }

        /** OpenTelemetry; off when not set. */
        public Builder openTelemetry(OpenTelemetrySetup openTelemetry) {
            this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
            return this;
        }

        /** An observer added to every subgraph (it must be thread-safe). */
        public Builder observer(FederationObserver observer) {
            observers.add(Objects.requireNonNull(observer, "observer"));
            return this;
        }

        /** Caches Product across requests in the products subgraph. */
        public Builder productCache(EntityCacheOptions productCache) {
            this.productCache = Objects.requireNonNull(productCache, "productCache");
            return this;
        }

        /**
         * Puts the cached entity types behind a shared level on the Redis at {@code uri} (for example
         * {@code redis://127.0.0.1:6379}), one key prefix per subgraph: two clusters on one Redis share entities.
         */
        public Builder redis(String uri) {
            io.lettuce.core.RedisURI.create(Objects.requireNonNull(uri, "uri")); // refuses a bad URI here
            this.redis = uri;
            return this;
        }

        /**
         * Turns cross-request batching on for every entity type, with this window (merged calls run on a pool of
         * {@value SubgraphCluster#BATCH_THREADS} threads of the cluster); off when not set.
         */
        public Builder crossRequestWindow(Duration window) {
            Objects.requireNonNull(window, "window");
            CrossRequestBatching.custom().window(window); // refuses a window that is not positive
            this.crossRequestWindow = window;
            return this;
        }

        /** The health monitor's settings; {@link SubgraphObservability#DEFAULT_HEALTH} when not set. */
        public Builder health(HealthMonitorConfig health) {
            this.health = Objects.requireNonNull(health, "health");
            return this;
        }

        /** The configuration. */
        public ClusterConfig build() {
            return new ClusterConfig(this);
        }

        private static int port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            return port;
        }
    }
}
