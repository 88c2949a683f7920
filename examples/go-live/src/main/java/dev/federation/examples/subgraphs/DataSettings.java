package dev.federation.examples.subgraphs;

import java.time.Duration;
import java.util.Objects;

/**
 * The data the example subgraphs seed and the database they stand for: how many users, posts and products,
 * and the simulated network round trip of each SQL statement. One value, shared by {@link SubgraphConfig},
 * {@code ClusterConfig} and {@code DemoConfig}, so that the three subgraphs of a cluster (and the demo's
 * workload) agree on which ids exist.
 *
 * <pre>{@code
 * DataSettings small = DataSettings.sizes(1_000, 10_000, 100);
 * DataSettings remote = small.withDbRoundTrip(Duration.ofMillis(1));
 * }</pre>
 *
 * @param users users seeded (ids 1 to this), at least 1
 * @param posts posts seeded (ids 1 to this), at least 1
 * @param products products seeded (ids 1 to this), at least 1
 * @param dbRoundTrip added to each SQL statement; {@link Duration#ZERO} for none; never negative
 */
public record DataSettings(int users, int posts, int products, Duration dbRoundTrip) {

    /** Default number of users seeded. */
    public static final int DEFAULT_USERS = 10_000;
    /** Default number of posts seeded. */
    public static final int DEFAULT_POSTS = 100_000;
    /** Default number of products seeded. */
    public static final int DEFAULT_PRODUCTS = 1_000;

    /** Rejects a size below 1 and a missing or negative round trip. */
    public DataSettings {
        positive("users", users);
        positive("posts", posts);
        positive("products", products);
        Objects.requireNonNull(dbRoundTrip, "dbRoundTrip");
        if (dbRoundTrip.isNegative()) {
            throw new IllegalArgumentException("dbRoundTrip must not be negative, was " + dbRoundTrip);
        }
    }

    /**
     * The go-live sizes ({@value #DEFAULT_USERS} users, {@value #DEFAULT_POSTS} posts,
     * {@value #DEFAULT_PRODUCTS} products), no round trip.
     */
    public static DataSettings ofDefaults() {
        return new DataSettings(DEFAULT_USERS, DEFAULT_POSTS, DEFAULT_PRODUCTS, Duration.ZERO);
    }

    /** These sizes (each at least 1), no round trip. */
    public static DataSettings sizes(int users, int posts, int products) {
        return new DataSettings(users, posts, products, Duration.ZERO);
    }

    /** These settings with another round trip per SQL statement. */
    public DataSettings withDbRoundTrip(Duration dbRoundTrip) {
        return new DataSettings(users, posts, products, dbRoundTrip);
    }

    private static void positive(String what, int n) {
        if (n < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, was " + n);
        }
    }
}
