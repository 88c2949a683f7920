package dev.federation.health;

import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import java.util.Objects;

/**
 * What the health monitor does when {@code CRITICAL} is confirmed, and, after a configured cool-down, to undo
 * it. The default, {@link #switchToDirect(FederationModeSwitch)}, flips core's kill switch; a custom action
 * (a webhook, a feature-flag service) implements this interface.
 *
 * <p>Called on the monitor's thread, one call at a time, outside the monitor's lock (a hanging webhook delays
 * the next check, never {@code status()}, the gauge or a manual change of the switch). An exception is logged and counts as not done
 * (the monitor tries again at the next confirmed check).
 *
 * <p>Public SPI.
 */
@FunctionalInterface
public interface RollbackAction {

    /**
     * Who the default action says changed the switch ({@link FederationModeSwitch.Change#changedBy()}): the
     * monitor tells its own changes from an operator's by it. A custom action that sets the switch itself
     * passes it too.
     */
    String CHANGED_BY = "health-monitor";

    /** Rolls back: stop batching. */
    void rollback(RollbackEvent event);

    /**
     * Undoes the rollback when a configured cool-down has passed (never called without one). Does nothing by
     * default.
     *
     * @param reason why, in words
     */
    default void restore(String reason) {
    }

    /**
     * The default action: sets {@code modeSwitch} to {@code DIRECT} (one backend call per representation)
     * with the event's reason, and back to {@code BATCHED} on restore.
     */
    static RollbackAction switchToDirect(FederationModeSwitch modeSwitch) {
        Objects.requireNonNull(modeSwitch, "modeSwitch");
        return new RollbackAction() {
            @Override
            public void rollback(RollbackEvent event) {
                modeSwitch.set(FederationMode.DIRECT, "health monitor rollback: " + event.reason(), CHANGED_BY);
            }

            @Override
            public void restore(String reason) {
                modeSwitch.set(FederationMode.BATCHED, reason, CHANGED_BY);
            }

            @Override
            public String toString() {
                return "switch to DIRECT";
            }
        };
    }
}
