/**
 * The cross-request entity cache SPI: {@link dev.federation.core.cache.EntityCache}, one per cached entity type,
 * made by an {@link dev.federation.core.cache.EntityCacheProvider}. {@link dev.federation.core.cache.LocalEntityCache}
 * (in-process, bounded) is the default; {@code federation-cache-redis} adds a shared level on Redis.
 */
@NullMarked
package dev.federation.core.cache;

import org.jspecify.annotations.NullMarked;
