package dev.federation.health;

import java.time.Instant;

/**
 * Told of what the health monitor does. Every method does nothing by default.
 *
 * <p>Called on the thread that runs the check (or that changed the switch), outside the monitor's lock: a
 * slow listener delays the next check, never a read of the status. An exception is logged and ignored.
 * Public SPI.
 */
public interface HealthListener {

    /** A check ran. */
    default void checked(HealthReport report) {
    }

    /** {@code CRITICAL} was confirmed and the rollback action ran. */
    default void rolledBack(RollbackEvent event) {
    }

    /**
     * Batching was restored after a rollback: by the monitor ({@code automatic}: the cool-down passed, or
     * {@code DIRECT} proved worse than {@code BATCHED}; {@code reason} says which) or by someone who set the
     * switch back to {@code BATCHED}.
     */
    default void restored(Instant time, String reason, boolean automatic) {
    }
}
