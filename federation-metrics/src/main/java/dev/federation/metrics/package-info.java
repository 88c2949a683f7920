/**
 * Micrometer meters and a health monitor for federation-core.
 *
 * <ul>
 *   <li>{@link dev.federation.metrics.FederationMetrics}: an observer of entity resolution and a Micrometer
 *       {@code MeterBinder} that publishes the meters operators read (loads, backend calls, batch sizes,
 *       resolution latency, batch effectiveness, mode);</li>
 *   <li>{@link dev.federation.metrics.FederationCacheMetrics}: the statistics of the cross-request caches;</li>
 *   <li>{@link dev.federation.metrics.FederationHealthMonitor}: periodic health checks over the recent window
 *       and the automatic rollback to {@code DIRECT} mode.</li>
 * </ul>
 *
 * <p>Public API, except the {@code internal} subpackage.
 */
@NullMarked
package dev.federation.metrics;

import org.jspecify.annotations.NullMarked;
