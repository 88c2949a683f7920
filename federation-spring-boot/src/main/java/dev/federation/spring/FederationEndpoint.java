package dev.federation.spring;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.federation.core.EntityType;
import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationOptions;
import dev.federation.core.FederationStatistics;
import dev.federation.core.observer.LoadOutcome;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/federation}: the go-live runbook's three debug views, and the mode switch.
 * <ul>
 *   <li>{@code GET /actuator/federation}: all three views;</li>
 *   <li>{@code GET /actuator/federation/federation}: mode and batch statistics per type;</li>
 *   <li>{@code GET /actuator/federation/dataloader}: the entity loaders, the limits and the app loaders'
 *       batches;</li>
 *   <li>{@code GET /actuator/federation/cache_stats}: the cross-request caches;</li>
 *   <li>{@code POST /actuator/federation} with {@code {"mode": "DIRECT" | "BATCHED", "reason": "..."}}: switches
 *       the mode. Read-only by default: {@code management.endpoint.federation.access=unrestricted} enables it
 *       (and secure it as the rest of the app).</li>
 * </ul>
 *
 * <p>Public API.
 */
@Endpoint(id = "federation", defaultAccess = Access.READ_ONLY)
public class FederationEndpoint {

    private final FederatedEntities entities;
    private final FederationStatistics statistics;

    /** The endpoint over {@code entities} and its {@code statistics}. */
    public FederationEndpoint(FederatedEntities entities, FederationStatistics statistics) {
        this.entities = entities;
        this.statistics = statistics;
    }

    /** The three views. */
    @ReadOperation
    public Map<String, Object> views() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("federation", federation());
        out.put("dataloader", dataLoader());
        out.put("cache_stats", cacheStats());
        return out;
    }

    /** One view: {@code federation}, {@code dataloader} or {@code cache_stats}; {@code null} (404) for another. */
    @ReadOperation
    public @Nullable Map<String, Object> view(@Selector String view) {
        return switch (view) {
            case "federation" -> federation();
            case "dataloader" -> dataLoader();
            case "cache_stats" -> cacheStats();
            default -> null;
        };
    }

    /**
     * Sets the mode.
     *
     * @param mode {@code DIRECT} or {@code BATCHED}
     * @param reason why, for the logs and the observers
     */
    @WriteOperation
    public Map<String, Object> mode(String mode, @Nullable String reason) {
        FederationMode m;
        try {
            m = FederationMode.valueOf(mode.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mode must be DIRECT or BATCHED, was " + mode);
        }
        String why = "actuator" + (reason == null || reason.isBlank() ? "" : ": " + reason);
        FederationMode previous = entities.modeSwitch().set(m, why);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("previous", previous.name());
        out.put("mode", m.name());
        out.put("reason", why);
        return out;
    }

    private Map<String, Object> federation() {
        FederationStatistics.Snapshot s = statistics.snapshot();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", entities.modeSwitch().mode().name());
        Map<String, Object> types = new LinkedHashMap<>();
        s.types().forEach((type, t) -> types.put(type, typeStats(t)));
        out.put("batch_stats", types);
        out.put("loads", s.loads());
        out.put("backend_calls", s.backendCalls());
        out.put("effectiveness", finite(s.effectiveness()));
        Map<String, Long> rejections = new LinkedHashMap<>();
        s.rejections().forEach((r, n) -> rejections.put(r.name().toLowerCase(Locale.ROOT), n));
        out.put("rejections", rejections);
        return out;
    }

    private Map<String, Object> dataLoader() {
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
        statistics.snapshot().types().forEach((name, t) -> {
            if (!entities.entityTypes().containsKey(name)) {
                Map<String, Object> l = typeStats(t);
                l.remove("loads");
                l.remove("effectiveness");
                l.put("kind", "service");
                loaders.put(name, l);
            }
        });
        out.put("loaders", loaders);
        return out;
    }

    private Map<String, Object> cacheStats() {
        Map<String, Object> caches = new LinkedHashMap<>();
        for (Map.Entry<String, Cache<?, ?>> e : entities.caches().entrySet()) {
            CacheStats st = e.getValue().stats();
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("estimated_size", e.getValue().estimatedSize());
            c.put("hit_count", st.hitCount());
            c.put("miss_count", st.missCount());
            c.put("hit_rate", finite(st.hitRate()));
            c.put("eviction_count", st.evictionCount());
            caches.put(e.getKey(), c);
        }
        return Map.of("caches", caches);
    }

    private static Map<String, Object> typeStats(FederationStatistics.TypeSnapshot t) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Long> loads = new LinkedHashMap<>();
        for (LoadOutcome o : LoadOutcome.values()) {
            loads.put(o.name().toLowerCase(Locale.ROOT), t.loadsByOutcome().get(o));
        }
        m.put("loads", loads);
        m.put("batch_calls", t.batchCalls());
        m.put("direct_calls", t.directCalls());
        m.put("backend_calls", t.backendCalls());
        m.put("avg_batch_size", finite(t.averageBatchSize()));
        m.put("max_batch_size", t.maxBatchSize());
        m.put("effectiveness", finite(t.effectiveness()));
        return m;
    }

    private static Object finite(double v) {
        return Double.isFinite(v) ? Math.round(v * 10_000) / 10_000.0 : "n/a";
    }
}
