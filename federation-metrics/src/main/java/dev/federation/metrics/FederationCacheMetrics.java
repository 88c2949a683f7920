package dev.federation.metrics;

import com.github.benmanes.caffeine.cache.Cache;
import dev.federation.core.FederatedEntities;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.util.Map;
import java.util.Objects;

/**
 * The statistics of the cross-request caches of {@code FederatedEntities} (the entity types built with
 * {@code EntityType.Builder.cache(...)}), bound with Micrometer's {@link CaffeineCacheMetrics}: the usual
 * {@code cache.gets{result=hit|miss}}, {@code cache.puts}, {@code cache.evictions}, {@code cache.size}, ...
 * with the tag {@code cache} = {@code federation.<typename>} (prefix from
 * {@link FederationMeterNames#cachePrefix()}).
 *
 * <pre>{@code
 * FederationCacheMetrics.of(entities).bindTo(meterRegistry);
 * }</pre>
 *
 * <p>Binds nothing when no type has a cross-request cache. Public API.
 */
public final class FederationCacheMetrics implements MeterBinder {

    private final FederatedEntities entities;
    private final FederationMeterNames names;

    private FederationCacheMetrics(FederatedEntities entities, FederationMeterNames names) {
        this.entities = entities;
        this.names = names;
    }

    /** The cache metrics of {@code entities}, with the default names. */
    public static FederationCacheMetrics of(FederatedEntities entities) {
        return of(entities, FederationMeterNames.ofDefaults());
    }

    /** The cache metrics of {@code entities}, the {@code cache} tag prefixed as {@code names} says. */
    public static FederationCacheMetrics of(FederatedEntities entities, FederationMeterNames names) {
        return new FederationCacheMetrics(Objects.requireNonNull(entities, "entities"),
                Objects.requireNonNull(names, "names"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Map.Entry<String, Cache<?, ?>> e : entities.caches().entrySet()) {
            bind(registry, e.getValue(), names.cachePrefix() + e.getKey());
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void bind(MeterRegistry registry, Cache<?, ?> cache, String name) {
        CaffeineCacheMetrics.monitor(registry, (Cache) cache, name, Tags.empty());
    }
}
