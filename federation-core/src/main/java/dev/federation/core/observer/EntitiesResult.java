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

    /** {@code SUCCESS} with no error, {@code PARTIAL} with some, {@code ERROR} when none resolved cleanly. */
    public EntitiesOutcome outcome() {
        if (errorCount == 0) {
            return EntitiesOutcome.SUCCESS;
        }
        return errorCount >= representationCount ? EntitiesOutcome.ERROR : EntitiesOutcome.PARTIAL;
    }
}
