package dev.federation.health;

import dev.federation.core.EntityType;
import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationOptions;
import dev.federation.core.FederationStatistics;
import dev.federation.core.cache.EntityCache;
import dev.federation.core.cache.EntityCacheStats;
import dev.federation.core.observer.LoadOutcome;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The go-live runbook's three debug views as JSON-ready maps (strings, numbers, maps; {@code "n/a"} for a number
 * that cannot be computed yet): what an admin endpoint serves, e.g. {@code /debug/federation} or Spring Boot's
 * {@code /actuator/federation}.
 * <ul>
 *   <li>{@link #federation}: mode, and per type the loads by outcome, batch and direct calls, batch sizes,
 *       effectiveness, backend call times; the rejections by reason;</li>
 *   <li>{@link #dataLoader}: the limits, the entity loaders (one per type and key) and the service's own loaders
 *       with their batches;</li>
 *   <li>{@link #cacheStats}: the cross-request caches' statistics.</li>
 * </ul>
 *
 * <p>Core keeps the typed snapshots ({@link FederationStatistics.Snapshot},
 * {@link dev.federation.core.cache.EntityCacheStats}); this class, next to the health report that the same
 * endpoints serve, renders them. Public API.
 */
public final class FederationViews {

    private FederationViews() {
    }

    /** {@code mode}, {@code batch_stats} per type, {@code loads}, {@code backend_calls}, {@code effectiveness}, {@code rejections}. */
    public static Map<String, Object> federation(FederatedEntities entities, FederationStatistics statistics) {
        FederationStatistics.Snapshot s = statistics.snapshot();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", entities.modeSwitch().mode().name());
        Map<String, Object> types = new LinkedHashMap<>();
        s.types().forEach((type, t) -> types.put(type, typeStats(t)));
        out.put("batch_stats", types);
        out.put("loads", s.loads());
        out.put("backend_calls", s.backendCalls());
        out.put("effectiveness", jsonNumber(s.effectiveness()));
        Map<String, Long> rejections = new LinkedHashMap<>();
        s.rejections().forEach((r, n) -> rejections.put(r.name().toLowerCase(Locale.ROOT), n));
        out.put("rejections", rejections);
        return out;
    }

    /**
     * {@code mode}, {@code options} (the limits) and {@code loaders}: each entity loader, and each service loader
     * (those of {@code serviceLoaders}, and any other name the statistics saw that is not an entity type) with its
     * batches.
     */
    public static Map<String, Object> dataLoader(FederatedEntities entities, FederationStatistics statistics,
            Set<String> serviceLoaders) {
        FederationOptions o = entities.options();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", entities.modeSwitch().mode().name());
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("max_batch_size", o.maxBatchSize());
        options.put("max_representations", o.maxRepresentations());
        options.put("batch_timeout_ms", o.batchTimeout().toMillis());
        out.put("options", options);
        Map<String, Object> loaders = new LinkedHashMap<>();
        for (EntityType t : entities.entityTypes().values()) {
            for (EntityType.Key<?> k : t.keys()) {
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("kind", "entity");
                l.put("typename", t.typename());
                l.put("key", k.shape().toString());
                l.put("cross_request_cache", t.cache() != null);
                loaders.put(FederatedEntities.loaderName(t.typename(), k.shape().toString()), l);
            }
        }
        Map<String, FederationStatistics.TypeSnapshot> seen = statistics.snapshot().types();
        Set<String> service = new java.util.LinkedHashSet<>(serviceLoaders);
        seen.keySet().stream().filter(n -> !entities.entityTypes().containsKey(n)).forEach(service::add);
        for (String name : service) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("kind", "service");
            FederationStatistics.TypeSnapshot t = seen.get(name);
            if (t != null) {
                Map<String, Object> st = typeStats(t);
                st.remove("loads"); // the library counts loads of entity keys only
                st.remove("effectiveness");
                l.putAll(st);
            }
            loaders.put(name, l);
        }
        out.put("loaders", loaders);
        return out;
    }

    /**
     * {@code caches}: each cross-request cache's levels (size, hits, stale hits, misses, hit rate, evictions)
     * and, for a cache with a remote level, its commands, errors, invalidations and whether it is available.
     */
    public static Map<String, Object> cacheStats(FederatedEntities entities) {
        Map<String, Object> caches = new LinkedHashMap<>();
        for (Map.Entry<String, EntityCache> e : entities.caches().entrySet()) {
            EntityCacheStats st = e.getValue().stats();
            Map<String, Object> c = new LinkedHashMap<>();
            EntityCacheStats.Level first = st.levels().isEmpty() ? null : st.levels().get(0);
            if (first != null) { // the nearest level at the top, as before levels existed
                c.put("estimated_size", first.size());
                c.put("hit_count", first.hits() + first.staleHits());
                c.put("miss_count", first.misses());
                c.put("hit_rate", jsonNumber(first.hitRate()));
                c.put("eviction_count", first.evictions());
            }
            Map<String, Object> levels = new LinkedHashMap<>();
            for (EntityCacheStats.Level l : st.levels()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("size", l.size());
                m.put("hits", l.hits());
                m.put("stale_hits", l.staleHits());
                m.put("misses", l.misses());
                m.put("hit_rate", jsonNumber(l.hitRate()));
                m.put("evictions", l.evictions());
                levels.put(l.name(), m);
            }
            c.put("levels", levels);
            EntityCacheStats.Remote r = st.remote();
            if (r != null) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("available", r.available());
                m.put("commands", r.commands());
                m.put("avg_command_ms", r.commands() == 0 ? 0 : jsonNumber(r.commandNanos() / 1e6 / r.commands()));
                m.put("errors", r.errors());
                m.put("skipped", r.skipped());
                m.put("invalidations_sent", r.invalidationsSent());
                m.put("invalidations_received", r.invalidationsReceived());
                c.put("remote", m);
            }
            caches.put(e.getKey(), c);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("caches", caches);
        return out;
    }

    private static Map<String, Object> typeStats(FederationStatistics.TypeSnapshot t) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Long> loads = new LinkedHashMap<>();
        for (LoadOutcome o : LoadOutcome.values()) {
            loads.put(o.name().toLowerCase(Locale.ROOT), t.loadsByOutcome().get(o));
        }
        m.put("loads", loads);
        m.put("batch_calls", calls(t.batchCalls()));
        m.put("direct_calls", calls(t.directCalls()));
        m.put("backend_calls", t.backendCalls());
        m.put("avg_batch_size", jsonNumber(t.averageBatchSize()));
        m.put("max_batch_size", t.maxBatchSize());
        m.put("effectiveness", jsonNumber(t.effectiveness()));
        long calls = t.backendCalls();
        m.put("avg_backend_call_ms", calls == 0 ? 0 : jsonNumber(t.totalDurationNanos() / 1e6 / calls));
        m.put("max_backend_call_ms", jsonNumber(t.maxDurationNanos() / 1e6));
        return m;
    }

    /**
     * A number as the JSON views show it: rounded to 4 decimals, {@code "n/a"} when not finite (JSON has no NaN);
     * for views of one's own (health endpoints) to read the same.
     */
    public static Object jsonNumber(double v) {
        return Double.isFinite(v) ? Math.round(v * 10_000) / 10_000.0 : "n/a";
    }

    private static Map<String, Object> calls(FederationStatistics.Calls c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success", c.success());
        m.put("error", c.error());
        return m;
    }
}
