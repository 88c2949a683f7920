package dev.federation.core.observer;

import org.jspecify.annotations.Nullable;

/**
 * The end of a batch function call.
 *
 * @param size how many keys the call had
 * @param entityCount how many keys got an entity
 * @param missingCount how many keys got no entity
 * @param keyErrorCount how many keys got their own error (a failed {@code Try})
 * @param durationNanos time from the call to its result
 * @param failure what failed the whole call (thrown, failed stage, timeout, broken contract), or {@code null}
 */
public record BatchResult(int size, int entityCount, int missingCount, int keyErrorCount, long durationNanos,
        @Nullable Throwable failure) {

    /** {@code true} when the call did not fail as a whole. */
    public boolean succeeded() {
        return failure == null;
    }
}
