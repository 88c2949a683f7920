/**
 * Micrometer meters for federation-core and its health monitor.
 *
 * <ul>
 *   <li>{@link dev.federation.metrics.FederationMetrics}: an observer of entity resolution and a Micrometer
 *       {@code MeterBinder} that publishes the meters operators read (loads, backend calls, batch sizes,
 *       resolution latency, batch effectiveness, mode);</li>
 *   <li>{@link dev.federation.metrics.FederationCacheMetrics}: the statistics of the cross-request caches;</li>
 *   <li>{@link dev.federation.metrics.HealthMonitorMetrics}: the meters of federation-health's monitor (its
 *       window is {@link dev.federation.metrics.FederationMetrics#healthWindow()}).</li>
 * </ul>
 *
 * <p>Public API.
 */
@NullMarked
package dev.federation.metrics;

import org.jspecify.annotations.NullMarked;
