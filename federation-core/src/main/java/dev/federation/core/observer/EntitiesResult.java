package dev.federation.core.observer;

/**
 * The end of an {@code _entities} call.
 *
 * @param representationCount how many representations the call held
 * @param entityCount how many resolved to an entity
 * @param missingCount how many resolved to {@code null} because no entity exists
 * @param errorCount how many got an error (rejected, failed batch, failed key); for a call refused whole
 *     (too many representations) all of them
 * @param durationNanos time from the start of the field to its result
 */
public record EntitiesResult(int representationCount, int entityCount, int missingCount, int errorCount,
        long durationNanos) {

    /** {@code success} with no error, {@code partial} with some, {@code error} when none resolved cleanly. */
    public String outcome() {
        if (errorCount == 0) {
            return "success";
        }
        return errorCount >= representationCount ? "error" : "partial";
    }
}
