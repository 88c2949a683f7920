/**
 * A shared cross-request entity cache on Redis for federation-core: {@link dev.federation.cache.redis.RedisEntityCaches}
 * puts a local level in front of Redis, scopes every entry by the request's cache scope, spreads invalidations
 * to every replica over a Redis channel, and fails open when Redis is down.
 */
@NullMarked
package dev.federation.cache.redis;

import org.jspecify.annotations.NullMarked;
