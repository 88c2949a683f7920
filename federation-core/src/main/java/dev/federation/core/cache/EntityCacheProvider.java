package dev.federation.core.cache;

import dev.federation.core.EntityCacheOptions;
import dev.federation.core.EntityType;

/**
 * Makes the cross-request cache of each entity type that has {@link EntityCacheOptions}. Set it with
 * {@code FederatedEntities.builder().cacheProvider(...)}; {@link #local()} (in-process, bounded) when not set.
 *
 * <pre>{@code
 * FederatedEntities.builder()
 *     .entity(product)                               // .cache(EntityCacheOptions.of(10_000, Duration.ofMinutes(5)))
 *     .cacheProvider(redisCaches)                    // federation-cache-redis: a local level in front of Redis
 *     .build();
 * }</pre>
 *
 * <p>Public SPI.
 */
@FunctionalInterface
public interface EntityCacheProvider {

    /** The cache of {@code type}, whose {@link EntityType#cache()} is {@code options}. */
    EntityCache create(EntityType type, EntityCacheOptions options);

    /** The default: one {@link LocalEntityCache} per type. */
    static EntityCacheProvider local() {
        return (type, options) -> LocalEntityCache.create(options);
    }
}
