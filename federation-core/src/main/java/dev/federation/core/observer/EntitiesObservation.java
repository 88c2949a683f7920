package dev.federation.core.observer;

import java.util.function.Supplier;

/**
 * What an observer does around one {@code _entities} call, returned by
 * {@link FederationObserver#entitiesStarted(EntitiesCall)}.
 *
 * <p>Public SPI.
 */
public interface EntitiesObservation {

    /**
     * Runs the start of the call's work, on the thread that executes the {@code _entities} field. The
     * batch functions of the call are started inside it, so a tracing observer makes its span current here
     * and the batch spans become its children. An implementation must call {@code work} exactly once and
     * return its result.
     */
    default <T> T around(Supplier<T> work) {
        return work.get();
    }

    /** The call ended (every batch finished). */
    default void completed(EntitiesResult result) {
    }
}
