package dev.federation.spring;

import dev.federation.core.FederationMode;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code federation.*} properties. Every default is the library's own ({@code DEFAULT_*} of
 * {@code FederationOptions}, {@code HealthMonitorConfig}, {@code FederationMetrics} and
 * {@code FederationTelemetry}, written as literals so that the configuration metadata shows them;
 * {@code FederationPropertiesTest} keeps them equal); a value the library refuses fails startup with the
 * property's name.
 *
 * <p>Public API.
 */
@ConfigurationProperties("federation")
public class FederationProperties {

    /**
     * Whether entity resolution is batched. false (also as the environment variable FEDERATION_ENABLED=false)
     * starts in DIRECT mode: one backend call per representation.
     */
    private boolean enabled = true;

    /** The starting mode, BATCHED or DIRECT; when set, it wins over federation.enabled. */
    private @Nullable FederationMode mode;

    /** Most distinct keys handed to one batch function call; larger groups are split. */
    private int maxBatchSize = 1000;

    /** Most representations in one request, all its _entities fields together; more are refused whole. */
    private int maxRepresentations = 10000;

    /** Time one batch function call may take; then its keys fail with ENTITY_BATCH_TIMEOUT. */
    private Duration batchTimeout = Duration.ofSeconds(30);

    private final CrossRequest crossRequest = new CrossRequest();
    private final Health health = new Health();
    private final Metrics metrics = new Metrics();
    private final Tracing tracing = new Tracing();

    /** The mode the switch starts in. */
    public FederationMode startMode() {
        return mode != null ? mode : enabled ? FederationMode.BATCHED : FederationMode.DIRECT;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public @Nullable FederationMode getMode() {
        return mode;
    }

    public void setMode(@Nullable FederationMode mode) {
        this.mode = mode;
    }

    public int getMaxBatchSize() {
        return maxBatchSize;
    }

    public void setMaxBatchSize(int maxBatchSize) {
        this.maxBatchSize = maxBatchSize;
    }

    public int getMaxRepresentations() {
        return maxRepresentations;
    }

    public void setMaxRepresentations(int maxRepresentations) {
        this.maxRepresentations = maxRepresentations;
    }

    public Duration getBatchTimeout() {
        return batchTimeout;
    }

    public void setBatchTimeout(Duration batchTimeout) {
        this.batchTimeout = batchTimeout;
    }

    public Health getHealth() {
        return health;
    }

    public CrossRequest getCrossRequest() {
        return crossRequest;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    public Tracing getTracing() {
        return tracing;
    }

    /**
     * {@code federation.cross-request.*}: cross-request batching for every entity type (an {@code EntityType}
     * may say otherwise).
     */
    public static class CrossRequest {

        /**
         * Whether the keys of concurrent requests of one type and batch scope (the cache scope) share backend
         * calls. Synchronous batch functions then run on the bean named federationBatchExecutor, else on Spring's
         * applicationTaskExecutor.
         */
        private boolean enabled = false;

        /** Longest time keys wait while a call of their group is in flight, before they go anyway. */
        private Duration window = Duration.ofMillis(2);

        /** Most calls of one group (type, key shape, scope) in flight at once. */
        private int maxCallsInFlight = 4;

        /** Most keys of one group waiting for a call; past it, requests are answered busy (ENTITY_BATCH_FAILED). */
        private int maxWaitingKeys = 10000;

        /**
         * Recent call time below which a group does not merge: each request calls the backend at once (an in-memory
         * backend, a local cache). 0 merges always.
         */
        private Duration directBelow = Duration.ofNanos(50_000);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getWindow() {
            return window;
        }

        public void setWindow(Duration window) {
            this.window = window;
        }

        public int getMaxCallsInFlight() {
            return maxCallsInFlight;
        }

        public void setMaxCallsInFlight(int maxCallsInFlight) {
            this.maxCallsInFlight = maxCallsInFlight;
        }

        public int getMaxWaitingKeys() {
            return maxWaitingKeys;
        }

        public void setMaxWaitingKeys(int maxWaitingKeys) {
            this.maxWaitingKeys = maxWaitingKeys;
        }

        public Duration getDirectBelow() {
            return directBelow;
        }

        public void setDirectBelow(Duration directBelow) {
            this.directBelow = directBelow;
        }
    }

    /** {@code federation.health.*}: the health monitor (needs federation-health; the starter brings it). */
    public static class Health {

        /** Whether the health monitor runs. */
        private boolean enabled = true;

        /** Time between two checks. */
        private Duration interval = Duration.ofSeconds(30);

        /** The recent past each check judges for error rate, p99 and effectiveness. */
        private Duration evaluationWindow = Duration.ofMinutes(1);

        /** Error rate (failed loads / loads) above which a check is CRITICAL. */
        private double errorRateThreshold = 0.05;

        /** p99 of backend call durations above which a check is CRITICAL. */
        private Duration p99Threshold = Duration.ofSeconds(2);

        /** p99 of whole _entities fields above which a check is CRITICAL. */
        private Duration requestP99Threshold = Duration.ofSeconds(5);

        /**
         * Heap growth after GC, bytes per hour beyond the heap allowance, above which the heap is judged to grow:
         * DEGRADED, and CRITICAL only while it goes on and would reach the heap's limit within the heap window.
         */
        private long heapGrowthThresholdBytesPerHour = 100_000_000L;

        /** Time over which heap samples are fitted. */
        private Duration heapWindow = Duration.ofHours(1);

        /** Time the heap samples must span before heap growth is judged. */
        private Duration heapMinimumWindow = Duration.ofMinutes(55);

        /**
         * What the service's own bounded caches may hold (product caches, Spring's caches, Hibernate's): heap growth
         * up to it is taken as caches warming, not as a leak.
         */
        private DataSize heapAllowance = DataSize.ofBytes(0);

        /** Size one entry of the library's cross-request caches counts for in the heap allowance. */
        private DataSize cachedEntitySize = DataSize.ofBytes(2048);

        /** Loads the evaluation window must hold before error rate and effectiveness are judged. */
        private long minimumLoads = 100;

        /** Backend calls the evaluation window must hold before the p99 is judged. */
        private long minimumBackendCalls = 10;

        /** _entities fields the evaluation window must hold before their p99 is judged. */
        private long minimumRequests = 10;

        /**
         * What to do when DIRECT serves worse than BATCHED did before the rollback: RESTORE_BATCHED (switch back
         * and hold further rollbacks) or HOLD (stay on DIRECT, an operator decides).
         */
        private String whenDirectIsWorse = "RESTORE_BATCHED";

        /** Batch effectiveness below which a check is DEGRADED. */
        private double effectivenessThreshold = 0.60;

        /** CRITICAL checks in a row before the rollback to DIRECT. */
        private int criticalChecksToRollBack = 2;

        /** Whether the monitor may roll back by itself (false: report only). */
        private boolean automaticRollback = true;

        /** Time after a rollback after which batching is restored; none (manual) when not set. */
        private @Nullable Duration coolDown;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public Duration getEvaluationWindow() {
            return evaluationWindow;
        }

        public void setEvaluationWindow(Duration evaluationWindow) {
            this.evaluationWindow = evaluationWindow;
        }

        public Duration getHeapWindow() {
            return heapWindow;
        }

        public void setHeapWindow(Duration heapWindow) {
            this.heapWindow = heapWindow;
        }

        public Duration getHeapMinimumWindow() {
            return heapMinimumWindow;
        }

        public void setHeapMinimumWindow(Duration heapMinimumWindow) {
            this.heapMinimumWindow = heapMinimumWindow;
        }

        public DataSize getHeapAllowance() {
            return heapAllowance;
        }

        public void setHeapAllowance(DataSize heapAllowance) {
            this.heapAllowance = heapAllowance;
        }

        public DataSize getCachedEntitySize() {
            return cachedEntitySize;
        }

        public void setCachedEntitySize(DataSize cachedEntitySize) {
            this.cachedEntitySize = cachedEntitySize;
        }

        public long getMinimumLoads() {
            return minimumLoads;
        }

        public void setMinimumLoads(long minimumLoads) {
            this.minimumLoads = minimumLoads;
        }

        public long getMinimumBackendCalls() {
            return minimumBackendCalls;
        }

        public void setMinimumBackendCalls(long minimumBackendCalls) {
            this.minimumBackendCalls = minimumBackendCalls;
        }

        public long getMinimumRequests() {
            return minimumRequests;
        }

        public void setMinimumRequests(long minimumRequests) {
            this.minimumRequests = minimumRequests;
        }

        public String getWhenDirectIsWorse() {
            return whenDirectIsWorse;
        }

        public void setWhenDirectIsWorse(String whenDirectIsWorse) {
            this.whenDirectIsWorse = whenDirectIsWorse;
        }

        public double getErrorRateThreshold() {
            return errorRateThreshold;
        }

        public void setErrorRateThreshold(double errorRateThreshold) {
            this.errorRateThreshold = errorRateThreshold;
        }

        public Duration getP99Threshold() {
            return p99Threshold;
        }

        public void setP99Threshold(Duration p99Threshold) {
            this.p99Threshold = p99Threshold;
        }

        public Duration getRequestP99Threshold() {
            return requestP99Threshold;
        }

        public void setRequestP99Threshold(Duration requestP99Threshold) {
            this.requestP99Threshold = requestP99Threshold;
        }

        public long getHeapGrowthThresholdBytesPerHour() {
            return heapGrowthThresholdBytesPerHour;
        }

        public void setHeapGrowthThresholdBytesPerHour(long heapGrowthThresholdBytesPerHour) {
            this.heapGrowthThresholdBytesPerHour = heapGrowthThresholdBytesPerHour;
        }

        public double getEffectivenessThreshold() {
            return effectivenessThreshold;
        }

        public void setEffectivenessThreshold(double effectivenessThreshold) {
            this.effectivenessThreshold = effectivenessThreshold;
        }

        public int getCriticalChecksToRollBack() {
            return criticalChecksToRollBack;
        }

        public void setCriticalChecksToRollBack(int criticalChecksToRollBack) {
            this.criticalChecksToRollBack = criticalChecksToRollBack;
        }

        public boolean isAutomaticRollback() {
            return automaticRollback;
        }

        public void setAutomaticRollback(boolean automaticRollback) {
            this.automaticRollback = automaticRollback;
        }

        public @Nullable Duration getCoolDown() {
            return coolDown;
        }

        public void setCoolDown(@Nullable Duration coolDown) {
            this.coolDown = coolDown;
        }
    }

    /** {@code federation.metrics.*}. */
    public static class Metrics {

        /** Length of the recent window behind the effectiveness gauge and the health checks. */
        private Duration window = Duration.ofMinutes(5);

        public Duration getWindow() {
            return window;
        }

        public void setWindow(Duration window) {
            this.window = window;
        }
    }

    /** {@code federation.tracing.*} (needs federation-tracing and an OpenTelemetry bean). */
    public static class Tracing {

        /** Whether batch spans and batch logs are made. */
        private boolean enabled = true;

        /** Batches slower than this are logged at WARN. */
        private Duration slowBatchThreshold = Duration.ofMillis(100);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getSlowBatchThreshold() {
            return slowBatchThreshold;
        }

        public void setSlowBatchThreshold(Duration slowBatchThreshold) {
            this.slowBatchThreshold = slowBatchThreshold;
        }
    }
}
