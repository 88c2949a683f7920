package dev.federation.health;

import java.time.Instant;

/**
 * An automatic rollback decided by the health monitor. Public API.
 *
 * @param time when it was decided
 * @param reason why, in words: the checks that were {@code CRITICAL} with their measured values
 * @param report the check that confirmed it
 */
public record RollbackEvent(Instant time, String reason, HealthReport report) {
}
