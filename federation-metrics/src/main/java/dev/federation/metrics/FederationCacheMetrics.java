package dev.federation.metrics;

import dev.federation.core.FederatedEntities;
import dev.federation.core.cache.EntityCache;
import dev.federation.core.cache.EntityCacheStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The statistics of the cross-request caches of {@code FederatedEntities} (the entity types built with
 * {@code EntityType.Builder.cache(...)}), with the tag {@code cache} = {@code federation.<typename>} (prefix from
 * {@link FederationMeterNames#cachePrefix()}):
 * <ul>
 *   <li>the local level under Micrometer's usual cache names: {@code cache.gets{result=hit|miss}} (a stale
 *       entry served counts as a hit), {@code cache.size}, {@code cache.evictions};</li>
 *   <li>a remote level (federation-cache-redis), under {@link FederationMeterNames#cacheRemote()}:
 *       {@code .gets{level, result=hit|stale|miss}}, {@code .commands} (a function timer: count and total
 *       time), {@code .errors}, {@code .skipped} (reads and writes not sent while it fails open),
 *       {@code .invalidations{direction=sent|received}} and {@code .available} (1, or 0 while it is skipped).</li>
 * </ul>
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

    /** The cache metrics of {@code entities}, named as {@code names} says. */
    public static FederationCacheMetrics of(FederatedEntities entities, FederationMeterNames names) {
        return new FederationCacheMetrics(Objects.requireNonNull(entities, "entities"),
                Objects.requireNonNull(names, "names"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Map.Entry<String, EntityCache> e : entities.caches().entrySet()) {
            bind(registry, e.getValue(), names.cachePrefix() + e.getKey());
        }
    }

    private void bind(MeterRegistry registry, EntityCache cache, String name) {
        Tags tags = Tags.of("cache", name);
        EntityCacheStats first = cache.stats();
        if (first.levels().isEmpty()) {
            return;
        }
        String local = first.levels().get(0).name();
        counter(registry, "cache.gets", tags.and("result", "hit"), cache,
                s -> level(s, local).hits() + level(s, local).staleHits(), "keys found in the local level");
        counter(registry, "cache.gets", tags.and("result", "miss"), cache, s -> level(s, local).misses(),
                "keys not found in the local level");
        counter(registry, "cache.evictions", tags, cache, s -> level(s, local).evictions(),
                "entries dropped from the local level for its maximum size or because they expired");
        gauge(registry, "cache.size", tags, cache, s -> level(s, local).size(), "entries in the local level");
        String base = names.cacheRemote();
        for (EntityCacheStats.Level l : first.levels().subList(1, first.levels().size())) {
            String level = l.name();
            Tags lt = tags.and("level", level);
            counter(registry, base + ".gets", lt.and("result", "hit"), cache, s -> level(s, level).hits(),
                    "keys found fresh in this level");
            counter(registry, base + ".gets", lt.and("result", "stale"), cache, s -> level(s, level).staleHits(),
                    "keys found stale in this level, served while one refresh loads them");
            counter(registry, base + ".gets", lt.and("result", "miss"), cache, s -> level(s, level).misses(),
                    "keys not found in this level, or not read while it was skipped");
        }
        if (first.remote() == null) {
            return;
        }
        FunctionTimer.builder(base + ".commands", cache, c -> remote(c).commands(),
                        c -> remote(c).commandNanos(), TimeUnit.NANOSECONDS)
                .tags(tags).description("commands sent to the remote level and their latency")
                .register(registry);
        counter(registry, base + ".errors", tags, cache, s -> s.remote().errors(),
                "commands to the remote level that failed or timed out (the request went on without it)");
        counter(registry, base + ".skipped", tags, cache, s -> s.remote().skipped(),
                "reads and writes not sent while the remote level was skipped after repeated failures");
        counter(registry, base + ".invalidations", tags.and("direction", "sent"), cache,
                s -> s.remote().invalidationsSent(), "invalidations published to the other replicas");
        counter(registry, base + ".invalidations", tags.and("direction", "received"), cache,
                s -> s.remote().invalidationsReceived(), "invalidations received from the replicas");
        gauge(registry, base + ".available", tags, cache, s -> s.remote().available() ? 1 : 0,
                "1 while the remote level is used, 0 while it is skipped after repeated failures (failing open)");
    }

    private static EntityCacheStats.Remote remote(EntityCache cache) {
        EntityCacheStats.Remote r = cache.stats().remote();
        return r != null ? r : new EntityCacheStats.Remote(0, 0, 0, 0, 0, 0, false);
    }

    private static EntityCacheStats.Level level(EntityCacheStats s, String name) {
        EntityCacheStats.Level l = s.level(name);
        return l != null ? l : new EntityCacheStats.Level(name, 0, 0, 0, 0, 0);
    }

    private static void counter(MeterRegistry registry, String name, Tags tags, EntityCache cache,
            ToLongFunction<EntityCacheStats> value, String description) {
        FunctionCounter.builder(name, cache, c -> value.applyAsLong(c.stats()))
                .tags(tags).description(description).register(registry);
    }

    private static void gauge(MeterRegistry registry, String name, Tags tags, EntityCache cache,
            ToDoubleFunction<EntityCacheStats> value, String description) {
        Gauge.builder(name, cache, c -> value.applyAsDouble(c.stats())).tags(tags).description(description)
                .register(registry);
    }
}
