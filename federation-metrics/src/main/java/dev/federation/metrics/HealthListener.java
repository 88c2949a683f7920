package dev.federation.metrics;

import java.time.Instant;

/**
 * Told of what the health monitor does. Every method does nothing by default.
 *
 * <p>Called on the monitor's thread; an exception is logged and ignored. Public SPI.
 */
public interface HealthListener {

    /** A check ran. */
    default void checked(HealthReport report) {
    }

    /** {@code CRITICAL} was confirmed and the rollback action ran. */
    default void rolledBack(RollbackEvent event) {
    }

    /**
     * Batching was restored after a rollback: by the cool-down ({@code automatic}) or by someone who set the
     * switch back to {@code BATCHED}.
     */
    default void restored(Instant time, String reason, boolean automatic) {
    }
}
