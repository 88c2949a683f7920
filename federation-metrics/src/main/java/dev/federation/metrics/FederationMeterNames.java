package dev.federation.metrics;

import java.util.Objects;

/**
 * The names of the meters of {@link FederationMetrics} and {@link HealthMonitorMetrics}. The defaults are
 * the names agreed in the project's design (Prometheus shows dots as underscores, adds {@code _total} to
 * counters and {@code _seconds} to timers); a service that must fit an existing naming scheme overrides them:
 *
 * <pre>{@code
 * FederationMeterNames names = FederationMeterNames.custom()
 *     .prefix("subgraph.users")                 // every name: subgraph.users.entity.loads, ...
 *     .entityLoads("subgraph.users.entities")   // then single names
 *     .build();
 * FederationMetrics metrics = FederationMetrics.builder().names(names).build();
 * }</pre>
 *
 * <p>Immutable. Public API.
 */
public final class FederationMeterNames {

    /** Counter of entity loads by {@code typename} and {@code outcome}. */
    public static final String DEFAULT_ENTITY_LOADS = "federation.entity.loads";
    /** Counter of backend calls by {@code typename}, {@code mode} and {@code outcome}. */
    public static final String DEFAULT_BACKEND_CALLS = "federation.backend.calls";
    /** Distribution summary of the keys of each batch call, by {@code typename}. */
    public static final String DEFAULT_BATCH_SIZE = "federation.batch.size";
    /** Distribution summary of the requests each batch call serves (above 1 with cross-request batching). */
    public static final String DEFAULT_BATCH_REQUESTS = "federation.batch.requests";
    /** Timer of the time keys waited before their batch call (cross-request batching), by {@code typename}. */
    public static final String DEFAULT_BATCH_WAIT = "federation.batch.wait";
    /** Timer of each backend call, by {@code typename}. */
    public static final String DEFAULT_ENTITY_RESOLUTION = "federation.entity.resolution";
    /** Timer of each {@code _entities} field, by {@code outcome}. */
    public static final String DEFAULT_ENTITIES_REQUESTS = "federation.entities.requests";
    /** Gauge of {@code 1 - backend calls / entity loads} over the recent window. */
    public static final String DEFAULT_BATCH_EFFECTIVENESS = "federation.batch.effectiveness";
    /** Gauge of the mode: 1 batched, 0 direct. */
    public static final String DEFAULT_MODE = "federation.mode";
    /** Counter of representations rejected as bad input, by {@code reason}. */
    public static final String DEFAULT_ENTITY_REJECTIONS = "federation.entity.rejections";
    /** Gauge of the health: 0 healthy, 1 degraded, 2 critical. */
    public static final String DEFAULT_HEALTH = "federation.health";
    /** Counter of automatic rollbacks made by the health monitor. */
    public static final String DEFAULT_HEALTH_ROLLBACKS = "federation.health.rollbacks";
    /** Prefix of the {@code cache} tag value of the cross-request caches: {@code federation.User}. */
    public static final String DEFAULT_CACHE_PREFIX = "federation.";
    /**
     * Base name of the meters of a cache's remote level (e.g. Redis): {@code <base>.gets},
     * {@code <base>.commands}, {@code <base>.errors}, {@code <base>.skipped}, {@code <base>.invalidations},
     * {@code <base>.available}.
     */
    public static final String DEFAULT_CACHE_REMOTE = "federation.cache.remote";

    private static final FederationMeterNames DEFAULTS = custom().build();

    private final String entityLoads;
    private final String backendCalls;
    private final String batchSize;
    private final String batchRequests;
    private final String batchWait;
    private final String entityResolution;
    private final String entitiesRequests;
    private final String batchEffectiveness;
    private final String mode;
    private final String entityRejections;
    private final String health;
    private final String healthRollbacks;
    private final String cachePrefix;
    private final String cacheRemote;

    private FederationMeterNames(Builder b) {
        this.entityLoads = b.entityLoads;
        this.backendCalls = b.backendCalls;
        this.batchSize = b.batchSize;
        this.batchRequests = b.batchRequests;
        this.batchWait = b.batchWait;
        this.entityResolution = b.entityResolution;
        this.entitiesRequests = b.entitiesRequests;
        this.batchEffectiveness = b.batchEffectiveness;
        this.mode = b.mode;
        this.entityRejections = b.entityRejections;
        this.health = b.health;
        this.healthRollbacks = b.healthRollbacks;
        this.cachePrefix = b.cachePrefix;
        this.cacheRemote = b.cacheRemote;
    }

    /** The agreed names ({@code DEFAULT_*}). */
    public static FederationMeterNames ofDefaults() {
        return DEFAULTS;
    }

    /** A builder that starts from the defaults. */
    public static Builder custom() {
        return new Builder();
    }

    /** Name of the entity loads counter. */
    public String entityLoads() {
        return entityLoads;
    }

    /** Name of the backend calls counter. */
    public String backendCalls() {
        return backendCalls;
    }

    /** Name of the batch size distribution summary. */
    public String batchSize() {
        return batchSize;
    }

    /** Name of the backend call timer. */
    public String entityResolution() {
        return entityResolution;
    }

    /** Name of the {@code _entities} field timer. */
    public String entitiesRequests() {
        return entitiesRequests;
    }

    /** Name of the batch effectiveness gauge. */
    public String batchEffectiveness() {
        return batchEffectiveness;
    }

    /** Name of the mode gauge. */
    public String mode() {
        return mode;
    }

    /** Name of the rejected representations counter. */
    public String entityRejections() {
        return entityRejections;
    }

    /** Name of the distribution summary of requests per batch call. */
    public String batchRequests() {
        return batchRequests;
    }

    /** Name of the timer of the time keys waited before their batch call. */
    public String batchWait() {
        return batchWait;
    }

    /** Name of the health gauge. */
    public String health() {
        return health;
    }

    /** Name of the rollbacks counter. */
    public String healthRollbacks() {
        return healthRollbacks;
    }

    /** Prefix of the {@code cache} tag value of the cross-request caches. */
    public String cachePrefix() {
        return cachePrefix;
    }

    /** Base name of the meters of a cache's remote level. */
    public String cacheRemote() {
        return cacheRemote;
    }

    @Override
    public String toString() {
        return "FederationMeterNames{" + entityLoads + ", " + backendCalls + ", " + batchSize + ", " + batchRequests
                + ", " + batchWait + ", "
                + entityResolution + ", " + entitiesRequests + ", " + batchEffectiveness + ", " + mode + ", "
                + entityRejections + ", " + health + ", " + healthRollbacks + ", cache " + cachePrefix + "*, "
                + cacheRemote + ".*}";
    }

    /** Builder of {@link FederationMeterNames}; each setter rejects a blank name at once. */
    public static final class Builder {
        private String entityLoads = DEFAULT_ENTITY_LOADS;
        private String backendCalls = DEFAULT_BACKEND_CALLS;
        private String batchSize = DEFAULT_BATCH_SIZE;
        private String batchRequests = DEFAULT_BATCH_REQUESTS;
        private String batchWait = DEFAULT_BATCH_WAIT;
        private String entityResolution = DEFAULT_ENTITY_RESOLUTION;
        private String entitiesRequests = DEFAULT_ENTITIES_REQUESTS;
        private String batchEffectiveness = DEFAULT_BATCH_EFFECTIVENESS;
        private String mode = DEFAULT_MODE;
        private String entityRejections = DEFAULT_ENTITY_REJECTIONS;
        private String health = DEFAULT_HEALTH;
        private String healthRollbacks = DEFAULT_HEALTH_ROLLBACKS;
        private String cachePrefix = DEFAULT_CACHE_PREFIX;
        private String cacheRemote = DEFAULT_CACHE_REMOTE;

        private Builder() {
        }

        private static String check(String what, String name) {
            Objects.requireNonNull(name, what);
            if (name.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return name;
        }

        /**
         * Replaces the leading {@code federation} of every name (set so far) with {@code prefix}, e.g.
         * {@code prefix("users")} gives {@code users.entity.loads}.
         */
        public Builder prefix(String prefix) {
            check("prefix", prefix);
            entityLoads = reprefix(prefix, entityLoads);
            backendCalls = reprefix(prefix, backendCalls);
            batchSize = reprefix(prefix, batchSize);
            batchRequests = reprefix(prefix, batchRequests);
            batchWait = reprefix(prefix, batchWait);
            entityResolution = reprefix(prefix, entityResolution);
            entitiesRequests = reprefix(prefix, entitiesRequests);
            batchEffectiveness = reprefix(prefix, batchEffectiveness);
            mode = reprefix(prefix, mode);
            entityRejections = reprefix(prefix, entityRejections);
            health = reprefix(prefix, health);
            healthRollbacks = reprefix(prefix, healthRollbacks);
            cachePrefix = reprefix(prefix, cachePrefix);
            cacheRemote = reprefix(prefix, cacheRemote);
            return this;
        }

        private static String reprefix(String prefix, String name) {
            return name.startsWith("federation.") ? prefix + name.substring("federation".length()) : name;
        }

        /** @param name name of the entity loads counter */
        public Builder entityLoads(String name) {
            this.entityLoads = check("entityLoads", name);
            return this;
        }

        /** @param name name of the backend calls counter */
        public Builder backendCalls(String name) {
            this.backendCalls = check("backendCalls", name);
            return this;
        }

        /** @param name name of the batch size distribution summary */
        public Builder batchSize(String name) {
            this.batchSize = check("batchSize", name);
            return this;
        }

        /** @param name name of the distribution summary of requests per batch call */
        public Builder batchRequests(String name) {
            this.batchRequests = check("batchRequests", name);
            return this;
        }

        /** @param name name of the timer of the wait before a batch call */
        public Builder batchWait(String name) {
            this.batchWait = check("batchWait", name);
            return this;
        }

        /** @param name name of the backend call timer */
        public Builder entityResolution(String name) {
            this.entityResolution = check("entityResolution", name);
            return this;
        }

        /** @param name name of the {@code _entities} field timer */
        public Builder entitiesRequests(String name) {
            this.entitiesRequests = check("entitiesRequests", name);
            return this;
        }

        /** @param name name of the batch effectiveness gauge */
        public Builder batchEffectiveness(String name) {
            this.batchEffectiveness = check("batchEffectiveness", name);
            return this;
        }

        /** @param name name of the mode gauge */
        public Builder mode(String name) {
            this.mode = check("mode", name);
            return this;
        }

        /** @param name name of the rejected representations counter */
        public Builder entityRejections(String name) {
            this.entityRejections = check("entityRejections", name);
            return this;
        }

        /** @param name name of the health gauge */
        public Builder health(String name) {
            this.health = check("health", name);
            return this;
        }

        /** @param name name of the rollbacks counter */
        public Builder healthRollbacks(String name) {
            this.healthRollbacks = check("healthRollbacks", name);
            return this;
        }

        /** @param prefix prefix of the {@code cache} tag value of the cross-request caches */
        public Builder cachePrefix(String prefix) {
            this.cachePrefix = check("cachePrefix", prefix);
            return this;
        }

        /** @param name base name of the meters of a cache's remote level */
        public Builder cacheRemote(String name) {
            this.cacheRemote = check("cacheRemote", name);
            return this;
        }

        /** The names. */
        public FederationMeterNames build() {
            return new FederationMeterNames(this);
        }
    }
}
