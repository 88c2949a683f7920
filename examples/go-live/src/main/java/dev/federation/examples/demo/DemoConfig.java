package dev.federation.examples.demo;

import dev.federation.examples.subgraphs.DataSettings;
import java.io.PrintStream;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Immutable settings of the {@link GoLiveDemo}: the seeded data ({@link DataSettings}), how many workload
 * rounds each mode runs, and where progress goes.
 *
 * <pre>{@code
 * DemoConfig quick = DemoConfig.custom().data(DataSettings.sizes(1_000, 10_000, 100)).rounds(20).warmupRounds(5).build();
 * }</pre>
 */
public final class DemoConfig {

    /** Default measured rounds per mode (each round is {@value GoLiveDemo#REQUESTS_PER_ROUND} requests). */
    public static final int DEFAULT_ROUNDS = 100;
    /** Default unmeasured rounds per mode, to warm the JIT and the pools. */
    public static final int DEFAULT_WARMUP_ROUNDS = 25;
    /** Default representations per {@code _entities} call, as a gateway sends for a page of 100 posts. */
    public static final int DEFAULT_REPRESENTATIONS = 100;

    private final DataSettings data;
    private final int rounds;
    private final int warmupRounds;
    private final int representations;
    private final @Nullable PrintStream progress;

    private DemoConfig(Builder b) {
        this.data = b.data;
        this.rounds = b.rounds;
        this.warmupRounds = b.warmupRounds;
        this.representations = b.representations;
        this.progress = b.progress;
    }

    /** The defaults: go-live data sizes, {@value #DEFAULT_ROUNDS} rounds, progress on {@code System.err}. */
    public static DemoConfig ofDefaults() {
        return custom().build();
    }

    /** A builder that starts from the defaults. */
    public static Builder custom() {
        return new Builder();
    }

    /** The data the demo's subgraphs seed, and the simulated round trip of each SQL statement. */
    public DataSettings data() {
        return data;
    }

    /** Measured rounds per mode. */
    public int rounds() {
        return rounds;
    }

    /** Unmeasured rounds per mode. */
    public int warmupRounds() {
        return warmupRounds;
    }

    /** Representations per {@code _entities} call. */
    public int representations() {
        return representations;
    }

    /** Where the progress indicator goes, or {@code null} for none. */
    public @Nullable PrintStream progress() {
        return progress;
    }

    /** Builder of {@link DemoConfig}; each setter rejects a bad value at once. */
    public static final class Builder {
        private DataSettings data = DataSettings.ofDefaults();
        private int rounds = DEFAULT_ROUNDS;
        private int warmupRounds = DEFAULT_WARMUP_ROUNDS;
        private int representations = DEFAULT_REPRESENTATIONS;
        private @Nullable PrintStream progress = System.err;

        private Builder() {
        }

        /**
         * The seeded data and the round trip; {@link DataSettings#ofDefaults()} when not set. The workload
         * needs at least as many users, posts and products as representations per call.
         */
        public Builder data(DataSettings data) {
            this.data = Objects.requireNonNull(data, "data");
            return this;
        }

        /** @param rounds measured rounds per mode, at least 1 */
        public Builder rounds(int rounds) {
            if (rounds < 1) {
                throw new IllegalArgumentException("rounds must be at least 1, was " + rounds);
            }
            this.rounds = rounds;
            return this;
        }

        /** @param warmupRounds unmeasured rounds per mode, at least 0 */
        public Builder warmupRounds(int warmupRounds) {
            if (warmupRounds < 0) {
                throw new IllegalArgumentException("warmupRounds must not be negative, was " + warmupRounds);
            }
            this.warmupRounds = warmupRounds;
            return this;
        }

        /** @param representations per {@code _entities} call, 1 to 1000 */
        public Builder representations(int representations) {
            if (representations < 1 || representations > 1_000) {
                throw new IllegalArgumentException("representations must be 1 to 1000, was " + representations);
            }
            this.representations = representations;
            return this;
        }

        /** Where progress goes; {@code null} for none. */
        public Builder progress(@Nullable PrintStream progress) {
            this.progress = progress;
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException when the data is smaller than one call's representations
         */
        public DemoConfig build() {
            if (data.users() < representations || data.products() < representations
                    || data.posts() < representations) {
                throw new IllegalArgumentException("users, posts and products must each be at least "
                        + representations + " (the representations per call)");
            }
            return new DemoConfig(this);
        }
    }

    @Override
    public String toString() {
        return "DemoConfig{" + data + ", rounds=" + rounds
                + ", warmupRounds=" + warmupRounds + ", representations=" + representations + '}';
    }

    /** Checks {@code config} is not null (for callers that take one). */
    static DemoConfig require(DemoConfig config) {
        return Objects.requireNonNull(config, "config");
    }
}
