/**
 * The health monitor of federation-core and its automatic rollback to {@code DIRECT} mode, with no metrics
 * library.
 *
 * <ul>
 *   <li>{@link dev.federation.health.HealthWindow}: an observer that keeps the recent past of entity
 *       resolution (loads, errors, backend calls, latency);</li>
 *   <li>{@link dev.federation.health.FederationHealthMonitor}: periodic checks over that window and the heap,
 *       and the automatic rollback: a judge (numbers in, checks out) and a rollback policy (a state machine
 *       over verdicts) inside a shell that owns the clock, the lock and the scheduler;</li>
 *   <li>{@link dev.federation.health.HealthMonitorConfig}: thresholds and timing.</li>
 * </ul>
 * federation-metrics publishes the monitor's meters ({@code HealthMonitorMetrics}).
 *
 * <p>Public API, except the {@code internal} subpackage.
 */
@NullMarked
package dev.federation.health;

import org.jspecify.annotations.NullMarked;
