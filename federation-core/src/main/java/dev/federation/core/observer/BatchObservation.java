package dev.federation.core.observer;

import java.util.function.Supplier;

/**
 * What an observer does around one batch function call, returned by
 * {@link FederationObserver#batchStarted(BatchCall)}.
 *
 * <p>Public SPI.
 */
public interface BatchObservation {

    /**
     * Runs the batch function call itself. A tracing observer makes the batch span current here so that
     * the spans and logs the user's function makes nest under it. An implementation must call {@code work}
     * exactly once and return its result. Not called for DataLoaders the user registered (they are
     * observed through java-dataloader's instrumentation, which has no such hook).
     */
    default <T> T around(Supplier<T> work) {
        return work.get();
    }

    /** The batch function's result arrived (or it failed, or timed out). */
    default void completed(BatchResult result) {
    }
}
