package dev.federation.health;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Thresholds and timing of {@link FederationHealthMonitor}. The defaults are the go-live plan's:
 * error rate above 5 %, p99 resolution above 2 s is {@code CRITICAL}; heap growth above 100 MB per hour over
 * the last hour, beyond what bounded caches may hold, is {@code DEGRADED}, and {@code CRITICAL} only while it
 * goes on and would reach the heap's limit within the hour; batch effectiveness below 60 % is
 * {@code DEGRADED}; two {@code CRITICAL} checks in a row roll back; recovery is manual.
 *
 * <pre>{@code
 * HealthMonitorConfig config = HealthMonitorConfig.custom()
 *     .checkInterval(Duration.ofSeconds(15))
 *     .errorRateThreshold(0.02)
 *     .coolDown(Duration.ofMinutes(30))
 *     .build();
 * }</pre>
 *
 * <p>Immutable. Public API.
 */
public final class HealthMonitorConfig {

    /** Time between two scheduled checks: 30 s. */
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(30);
    /** The recent past each check judges (error rate, p99, effectiveness): 1 minute. */
    public static final Duration DEFAULT_EVALUATION_WINDOW = Duration.ofMinutes(1);
    /** Error rate above which a check is {@code CRITICAL}: 0.05. */
    public static final double DEFAULT_ERROR_RATE_THRESHOLD = 0.05;
    /** p99 backend call duration above which a check is {@code CRITICAL}: 2 s. */
    public static final Duration DEFAULT_P99_THRESHOLD = Duration.ofSeconds(2);
    /** Heap growth after GC above which the heap is judged to grow: 100 MB (10^8 bytes) per hour. */
    public static final long DEFAULT_HEAP_GROWTH_THRESHOLD_BYTES_PER_HOUR = 100_000_000L;
    /** Batch effectiveness below which a check is {@code DEGRADED}: 0.60. */
    public static final double DEFAULT_EFFECTIVENESS_THRESHOLD = 0.60;
    /** {@code CRITICAL} checks in a row that trigger the rollback: 2. */
    public static final int DEFAULT_CRITICAL_CHECKS_TO_ROLL_BACK = 2;
    /** Time over which heap samples are fitted: 1 hour. */
    public static final Duration DEFAULT_HEAP_WINDOW = Duration.ofHours(1);
    /**
     * Time the heap samples must span before heap growth is judged: 55 minutes, the plan's hour less the
     * jitter of a check (a bounded cache that warms over a quarter of an hour is not judged on that quarter).
     */
    public static final Duration DEFAULT_HEAP_MINIMUM_WINDOW = Duration.ofMinutes(55);
    /** Bytes the service's own bounded caches may hold, discounted from heap growth: 0. */
    public static final long DEFAULT_HEAP_ALLOWANCE_BYTES = 0;
    /**
     * Bytes one entry of the library's cross-request caches is counted as, when their bound is discounted
     * from heap growth: 2 KiB.
     */
    public static final long DEFAULT_CACHED_ENTITY_BYTES = 2048;
    /** Loads the evaluation window must hold before error rate and effectiveness are judged: 100. */
    public static final long DEFAULT_MINIMUM_LOADS = 100;
    /** Backend calls the evaluation window must hold before the p99 is judged: 10. */
    public static final long DEFAULT_MINIMUM_BACKEND_CALLS = 10;
    /** p99 of a whole {@code _entities} field above which a check is {@code CRITICAL}: 5 s. */
    public static final Duration DEFAULT_REQUEST_P99_THRESHOLD = Duration.ofSeconds(5);
    /** {@code _entities} fields the evaluation window must hold before their p99 is judged: 10. */
    public static final long DEFAULT_MINIMUM_REQUESTS = 10;

    private static final HealthMonitorConfig DEFAULTS = custom().build();

    private final Duration checkInterval;
    private final Duration evaluationWindow;
    private final double errorRateThreshold;
    private final Duration p99Threshold;
    private final long heapGrowthThresholdBytesPerHour;
    private final double effectivenessThreshold;
    private final int criticalChecksToRollBack;
    private final boolean automaticRollback;
    private final @Nullable Duration coolDown;
    private final Duration heapWindow;
    private final Duration heapMinimumWindow;
    private final long minimumLoads;
    private final long minimumBackendCalls;
    private final Duration requestP99Threshold;
    private final long minimumRequests;
    private final DirectWorsePolicy whenDirectIsWorse;
    private final long heapAllowanceBytes;
    private final long cachedEntityBytes;

    private HealthMonitorConfig(Builder b) {
        this.heapAllowanceBytes = b.heapAllowanceBytes;
        this.cachedEntityBytes = b.cachedEntityBytes;
        this.requestP99Threshold = b.requestP99Threshold;
        this.minimumRequests = b.minimumRequests;
        this.whenDirectIsWorse = b.whenDirectIsWorse;
        this.checkInterval = b.checkInterval;
        this.evaluationWindow = b.evaluationWindow;
        this.errorRateThreshold = b.errorRateThreshold;
        this.p99Threshold = b.p99Threshold;
        this.heapGrowthThresholdBytesPerHour = b.heapGrowthThresholdBytesPerHour;
        this.effectivenessThreshold = b.effectivenessThreshold;
        this.criticalChecksToRollBack = b.criticalChecksToRollBack;
        this.automaticRollback = b.automaticRollback;
        this.coolDown = b.coolDown;
        this.heapWindow = b.heapWindow;
        this.heapMinimumWindow = b.heapMinimumWindow;
        this.minimumLoads = b.minimumLoads;
        this.minimumBackendCalls = b.minimumBackendCalls;
    }

    /** The defaults ({@code DEFAULT_*}). */
    public static HealthMonitorConfig ofDefaults() {
        return DEFAULTS;
    }

    /** A builder that starts from the defaults. */
    public static Builder custom() {
        return new Builder();
    }

    /** Time between two scheduled checks. */
    public Duration checkInterval() {
        return checkInterval;
    }

    /**
     * The recent past a check judges for error rate, p99 and effectiveness (read from the
     * {@link HealthWindow}, so at most that window, at its granularity of a thirtieth of it). Kept short so
     * that {@code CRITICAL} checks in a row are separate bad periods, not one spike seen several times.
     */
    public Duration evaluationWindow() {
        return evaluationWindow;
    }

    /** Error rate (failed loads / loads) above which a check is {@code CRITICAL}. */
    public double errorRateThreshold() {
        return errorRateThreshold;
    }

    /** p99 of backend call durations above which a check is {@code CRITICAL}. */
    public Duration p99Threshold() {
        return p99Threshold;
    }

    /**
     * Heap growth after GC, bytes per hour, above which the heap is judged to grow: {@code DEGRADED}, and
     * {@code CRITICAL} when the growth goes on in the latest half of the heap window and would reach the heap's
     * limit within one more heap window. Growth up to the {@link #heapAllowanceBytes() allowance} is not
     * counted.
     */
    public long heapGrowthThresholdBytesPerHour() {
        return heapGrowthThresholdBytesPerHour;
    }

    /** Batch effectiveness below which a check is {@code DEGRADED} (judged in {@code BATCHED} mode only). */
    public double effectivenessThreshold() {
        return effectivenessThreshold;
    }

    /** {@code CRITICAL} checks in a row that trigger the rollback action. */
    public int criticalChecksToRollBack() {
        return criticalChecksToRollBack;
    }

    /** {@code false} when the monitor only reports and never runs the rollback action. */
    public boolean automaticRollback() {
        return automaticRollback;
    }

    /**
     * Time after a rollback after which batching is restored by the monitor (when the latest check is not
     * {@code CRITICAL}), or {@code null} when recovery is manual (the default).
     */
    public @Nullable Duration coolDown() {
        return coolDown;
    }

    /** Time over which the heap samples are fitted with a least-squares line. */
    public Duration heapWindow() {
        return heapWindow;
    }

    /** Time the heap samples must span before heap growth is judged. */
    public Duration heapMinimumWindow() {
        return heapMinimumWindow;
    }

    /**
     * Bytes the service's bounded caches may hold at most (a product cache, Spring's caches, Hibernate's
     * second-level cache, a parsed-query cache): heap growth up to it over the heap window is taken as those
     * caches warming, not as a leak. The monitor adds the bound of the library's own cross-request caches
     * ({@link #cachedEntityBytes()} per entry) when it knows the {@code FederatedEntities}.
     */
    public long heapAllowanceBytes() {
        return heapAllowanceBytes;
    }

    /** Bytes one entry of the library's cross-request caches is counted as in the heap allowance. */
    public long cachedEntityBytes() {
        return cachedEntityBytes;
    }

    /** Loads the evaluation window must hold before error rate and effectiveness are judged. */
    public long minimumLoads() {
        return minimumLoads;
    }

    /** Backend calls the evaluation window must hold before the p99 is judged. */
    public long minimumBackendCalls() {
        return minimumBackendCalls;
    }

    /**
     * p99 of a whole {@code _entities} field (what the gateway waits for) above which a check is
     * {@code CRITICAL}.
     */
    public Duration requestP99Threshold() {
        return requestP99Threshold;
    }

    /** {@code _entities} fields the evaluation window must hold before their p99 is judged. */
    public long minimumRequests() {
        return minimumRequests;
    }

    /**
     * What the monitor does when, after a rollback, {@code DIRECT} turns out to serve worse than
     * {@code BATCHED} did (a slow backend is slow in both modes, and one call per representation multiplies
     * it): {@link DirectWorsePolicy#RESTORE_BATCHED} (the default) or {@link DirectWorsePolicy#HOLD}.
     */
    public DirectWorsePolicy whenDirectIsWorse() {
        return whenDirectIsWorse;
    }

    /** What to do when {@code DIRECT} serves worse than {@code BATCHED} did before the rollback. */
    public enum DirectWorsePolicy {
        /**
         * Switch back to {@code BATCHED}, say why (WARN log, listeners), and make no new automatic rollback
         * until a check is no longer {@code CRITICAL} or an operator sets the mode.
         */
        RESTORE_BATCHED,
        /** Stay in {@code DIRECT} and say so in every report, leaving the decision to an operator. */
        HOLD
    }

    @Override
    public String toString() {
        return "HealthMonitorConfig{checkInterval=" + checkInterval + ", evaluationWindow=" + evaluationWindow
                + ", errorRate>" + errorRateThreshold + ", p99>" + p99Threshold + ", heapGrowth>"
                + heapGrowthThresholdBytesPerHour + " B/h, effectiveness<" + effectivenessThreshold
                + ", criticalChecksToRollBack=" + criticalChecksToRollBack + ", automaticRollback="
                + automaticRollback + ", coolDown=" + (coolDown == null ? "manual" : coolDown) + ", heapWindow="
                + heapWindow + ", heapMinimumWindow=" + heapMinimumWindow + ", minimumLoads=" + minimumLoads
                + ", minimumBackendCalls=" + minimumBackendCalls + ", requestP99>" + requestP99Threshold
                + ", minimumRequests=" + minimumRequests + ", whenDirectIsWorse=" + whenDirectIsWorse
                + ", heapAllowance=" + heapAllowanceBytes + " B, cachedEntity=" + cachedEntityBytes + " B}";
    }

    /** Builder of {@link HealthMonitorConfig}; each setter rejects a bad value at once. */
    public static final class Builder {
        private Duration checkInterval = DEFAULT_CHECK_INTERVAL;
        private Duration evaluationWindow = DEFAULT_EVALUATION_WINDOW;
        private double errorRateThreshold = DEFAULT_ERROR_RATE_THRESHOLD;
        private Duration p99Threshold = DEFAULT_P99_THRESHOLD;
        private long heapGrowthThresholdBytesPerHour = DEFAULT_HEAP_GROWTH_THRESHOLD_BYTES_PER_HOUR;
        private double effectivenessThreshold = DEFAULT_EFFECTIVENESS_THRESHOLD;
        private int criticalChecksToRollBack = DEFAULT_CRITICAL_CHECKS_TO_ROLL_BACK;
        private boolean automaticRollback = true;
        private @Nullable Duration coolDown;
        private Duration heapWindow = DEFAULT_HEAP_WINDOW;
        private Duration heapMinimumWindow = DEFAULT_HEAP_MINIMUM_WINDOW;
        private long minimumLoads = DEFAULT_MINIMUM_LOADS;
        private long minimumBackendCalls = DEFAULT_MINIMUM_BACKEND_CALLS;
        private Duration requestP99Threshold = DEFAULT_REQUEST_P99_THRESHOLD;
        private long minimumRequests = DEFAULT_MINIMUM_REQUESTS;
        private DirectWorsePolicy whenDirectIsWorse = DirectWorsePolicy.RESTORE_BATCHED;
        private long heapAllowanceBytes = DEFAULT_HEAP_ALLOWANCE_BYTES;
        private long cachedEntityBytes = DEFAULT_CACHED_ENTITY_BYTES;

        private Builder() {
        }

        private static Duration positive(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, was " + d);
            }
            return d;
        }

        private static double ratio(String what, double r) {
            if (!(r >= 0 && r <= 1)) {
                throw new IllegalArgumentException(what + " must be between 0 and 1, was " + r);
            }
            return r;
        }

        /** @param interval positive */
        public Builder checkInterval(Duration interval) {
            this.checkInterval = positive("checkInterval", interval);
            return this;
        }

        /** @param window positive; longer than the health window reads the whole health window */
        public Builder evaluationWindow(Duration window) {
            this.evaluationWindow = positive("evaluationWindow", window);
            return this;
        }

        /** @param threshold between 0 and 1 */
        public Builder errorRateThreshold(double threshold) {
            this.errorRateThreshold = ratio("errorRateThreshold", threshold);
            return this;
        }

        /** @param threshold positive */
        public Builder p99Threshold(Duration threshold) {
            this.p99Threshold = positive("p99Threshold", threshold);
            return this;
        }

        /** @param bytesPerHour positive */
        public Builder heapGrowthThresholdBytesPerHour(long bytesPerHour) {
            if (bytesPerHour <= 0) {
                throw new IllegalArgumentException(
                        "heapGrowthThresholdBytesPerHour must be positive, was " + bytesPerHour);
            }
            this.heapGrowthThresholdBytesPerHour = bytesPerHour;
            return this;
        }

        /** @param threshold between 0 and 1 */
        public Builder effectivenessThreshold(double threshold) {
            this.effectivenessThreshold = ratio("effectivenessThreshold", threshold);
            return this;
        }

        /** @param checks at least 1 */
        public Builder criticalChecksToRollBack(int checks) {
            if (checks < 1) {
                throw new IllegalArgumentException("criticalChecksToRollBack must be at least 1, was " + checks);
            }
            this.criticalChecksToRollBack = checks;
            return this;
        }

        /** {@code false}: report only, never run the rollback action. Default {@code true}. */
        public Builder automaticRollback(boolean enabled) {
            this.automaticRollback = enabled;
            return this;
        }

        /**
         * Restore batching this long after a rollback, once a check is not {@code CRITICAL}; {@code null}
         * (the default) leaves recovery to an operator.
         *
         * @param coolDown positive, or {@code null}
         */
        public Builder coolDown(@Nullable Duration coolDown) {
            this.coolDown = coolDown == null ? null : positive("coolDown", coolDown);
            return this;
        }

        /** @param window positive */
        public Builder heapWindow(Duration window) {
            this.heapWindow = positive("heapWindow", window);
            return this;
        }

        /** @param window positive, at most the heap window (checked by {@link #build()}) */
        public Builder heapMinimumWindow(Duration window) {
            this.heapMinimumWindow = positive("heapMinimumWindow", window);
            return this;
        }

        /** @param loads at least 1 */
        public Builder minimumLoads(long loads) {
            if (loads < 1) {
                throw new IllegalArgumentException("minimumLoads must be at least 1, was " + loads);
            }
            this.minimumLoads = loads;
            return this;
        }

        /** @param calls at least 1 */
        public Builder minimumBackendCalls(long calls) {
            if (calls < 1) {
                throw new IllegalArgumentException("minimumBackendCalls must be at least 1, was " + calls);
            }
            this.minimumBackendCalls = calls;
            return this;
        }

        /** @param threshold positive */
        public Builder requestP99Threshold(Duration threshold) {
            this.requestP99Threshold = positive("requestP99Threshold", threshold);
            return this;
        }

        /** @param requests at least 1 */
        public Builder minimumRequests(long requests) {
            if (requests < 1) {
                throw new IllegalArgumentException("minimumRequests must be at least 1, was " + requests);
            }
            this.minimumRequests = requests;
            return this;
        }

        /** @param bytes at least 0 */
        public Builder heapAllowanceBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("heapAllowanceBytes must be at least 0, was " + bytes);
            }
            this.heapAllowanceBytes = bytes;
            return this;
        }

        /** @param bytes at least 0 */
        public Builder cachedEntityBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("cachedEntityBytes must be at least 0, was " + bytes);
            }
            this.cachedEntityBytes = bytes;
            return this;
        }

        /** What to do when {@code DIRECT} turns out worse than {@code BATCHED}; never {@code null}. */
        public Builder whenDirectIsWorse(DirectWorsePolicy policy) {
            this.whenDirectIsWorse = Objects.requireNonNull(policy, "whenDirectIsWorse");
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalStateException when the heap minimum window is longer than the heap window
         */
        public HealthMonitorConfig build() {
            if (heapMinimumWindow.compareTo(heapWindow) > 0) {
                throw new IllegalStateException("heapMinimumWindow " + heapMinimumWindow
                        + " is longer than heapWindow " + heapWindow);
            }
            return new HealthMonitorConfig(this);
        }
    }
}
