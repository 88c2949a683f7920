package dev.federation.core.observer;

import dev.federation.core.FederationMode;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Told of everything entity resolution does: each {@code _entities} call, each batch function call, how each
 * load was served, each rejected representation, each change of mode. Metrics and tracing are two
 * implementations; {@link #noop()} is the default.
 *
 * <p>Every method has a default that does nothing, so an observer implements only what it needs and the hot
 * path pays nothing for the rest. The {@code ...Started} methods may return {@code null} when there is
 * nothing to do at the end.
 *
 * <p>Observers are guarded: an exception thrown by an observer is logged once (then at DEBUG) and never
 * fails a request. They are called on the threads that do the work, concurrently for concurrent requests,
 * and must be thread-safe.
 *
 * <p>Public SPI: new methods are added only as defaults.
 */
public interface FederationObserver {

    /**
     * An {@code _entities} field starts resolving.
     *
     * @return what to do around and at the end of the call, or {@code null}
     */
    default @Nullable EntitiesObservation entitiesStarted(EntitiesCall call) {
        return null;
    }

    /**
     * A batch function is about to be called (in {@code DIRECT} mode: a one-key call), or a DataLoader
     * registered in the request's registry is about to call its batch loader.
     *
     * @return what to do around and at the end of the call, or {@code null}
     */
    default @Nullable BatchObservation batchStarted(BatchCall call) {
        return null;
    }

    /**
     * {@code count} loads of entities of {@code typename} ended with {@code outcome}. Called once per type
     * and outcome at the end of each {@code _entities} call, and per key for the entity DataLoaders of the
     * registry. Rejected representations are not loads: they come to
     * {@link #representationRejected(Rejection)}.
     */
    default void loadsCompleted(String typename, LoadOutcome outcome, int count) {
    }

    /** A representation was refused as bad input (or the whole call was, for the size limit). */
    default void representationRejected(Rejection rejection) {
    }

    /** The kill switch changed mode. */
    default void modeChanged(FederationMode from, FederationMode to, String reason) {
    }

    /** The observer that does nothing. */
    static FederationObserver noop() {
        return NoopObserver.INSTANCE;
    }

    /**
     * One observer that calls each of {@code observers} in order, each guarded on its own: one that throws
     * is logged and skipped, the others still run. {@code around} hooks nest, the first outermost. With no
     * observer (or only no-op ones) it is {@link #noop()} itself, so the library can skip building events.
     */
    static FederationObserver composite(List<? extends FederationObserver> observers) {
        return CompositeObserver.of(observers);
    }

    /** {@link #composite(List)} of the given observers. */
    static FederationObserver composite(FederationObserver... observers) {
        return composite(Arrays.asList(observers));
    }
}
