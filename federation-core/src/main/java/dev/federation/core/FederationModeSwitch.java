package dev.federation.core;

import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kill switch between {@link FederationMode#BATCHED} and {@link FederationMode#DIRECT}.
 *
 * <p>Thread-safe. Each {@code _entities} call reads the mode once when it starts, so a flip affects the
 * calls that start after it and never changes the path of a call already running. The health monitor, an
 * admin endpoint or a test flips it with {@link #set(FederationMode, String)}; no restart is needed.
 *
 * <pre>{@code
 * FederationModeSwitch modeSwitch = FederationModeSwitch.fromEnvironment(); // FEDERATION_ENABLED=false -> DIRECT
 * modeSwitch.set(FederationMode.DIRECT, "error rate above 5%");
 * }</pre>
 *
 * <p>Public API.
 */
public final class FederationModeSwitch {

    /** The environment variable read by {@link #fromEnvironment()}. */
    public static final String ENVIRONMENT_VARIABLE = "FEDERATION_ENABLED";

    /** Who changed the mode when {@link #set(FederationMode, String)} does not say: an operator. */
    public static final String OPERATOR = "operator";

    private static final Logger LOG = LoggerFactory.getLogger(FederationModeSwitch.class);

    private final AtomicReference<FederationMode> mode;
    private final AtomicReference<@Nullable Change> lastChange = new AtomicReference<>();
    private final Object changing = new Object();
    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();

    private FederationModeSwitch(FederationMode initial) {
        this.mode = new AtomicReference<>(Objects.requireNonNull(initial, "initial mode"));
    }

    /** A switch that starts in {@code initial}. */
    public static FederationModeSwitch of(FederationMode initial) {
        return new FederationModeSwitch(initial);
    }

    /**
     * A switch that starts in {@code DIRECT} when the environment variable {@value #ENVIRONMENT_VARIABLE}
     * is {@code false} (any case), and in {@code BATCHED} otherwise.
     */
    public static FederationModeSwitch fromEnvironment() {
        return fromValue(System.getenv(ENVIRONMENT_VARIABLE));
    }

    /**
     * A switch that starts as {@link #fromEnvironment()} would for the given value of
     * {@value #ENVIRONMENT_VARIABLE}: {@code "false"} (any case, surrounding blanks ignored) gives
     * {@code DIRECT}; {@code null}, blank or {@code "true"} give {@code BATCHED}.
     *
     * @throws IllegalArgumentException for any other value, so that a typo never silently keeps batching on
     */
    public static FederationModeSwitch fromValue(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return of(FederationMode.BATCHED);
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("false")) {
            return of(FederationMode.DIRECT);
        }
        if (v.equals("true")) {
            return of(FederationMode.BATCHED);
        }
        throw new IllegalArgumentException(
                ENVIRONMENT_VARIABLE + " must be 'true' or 'false', was '" + value + "'");
    }

    /** The current mode. */
    public FederationMode mode() {
        return mode.get();
    }

    /** {@code true} when the current mode is {@link FederationMode#BATCHED}. */
    public boolean isBatched() {
        return mode.get() == FederationMode.BATCHED;
    }

    /**
     * Sets the mode for calls that start from now on, as an {@link #OPERATOR}.
     *
     * @param newMode the new mode
     * @param reason why, for the logs and the listeners (e.g. {@code "admin"}, {@code "health: CRITICAL"})
     * @return the previous mode
     */
    public FederationMode set(FederationMode newMode, String reason) {
        return set(newMode, reason, OPERATOR);
    }

    /**
     * Sets the mode for calls that start from now on, and records who did it: the listeners and
     * {@link #lastChange()} tell an operator's change from an automatic one (the health monitor's rollback
     * says {@code "health-monitor"}).
     *
     * @param newMode the new mode
     * @param reason why, for the logs and the listeners
     * @param changedBy who changed it, for example {@link #OPERATOR}
     * @return the previous mode
     */
    public FederationMode set(FederationMode newMode, String reason, String changedBy) {
        Objects.requireNonNull(newMode, "newMode");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(changedBy, "changedBy");
        FederationMode previous;
        Change change;
        synchronized (changing) {
            // one change at a time, so that lastChange() and the order listeners see agree with the mode
            previous = mode.getAndSet(newMode);
            if (previous == newMode) {
                return previous;
            }
            change = new Change(previous, newMode, reason, changedBy);
            lastChange.set(change);
        }
        LOG.info("federation mode changed from {} to {} by {}: {}", previous, newMode, changedBy, reason);
        for (Listener listener : listeners) {
            try {
                listener.changed(change);
            } catch (RuntimeException e) {
                LOG.warn("mode listener {} failed", listener, e);
            }
        }
        return previous;
    }

    /** The latest change of mode, or {@code null} when the mode never changed. */
    public @Nullable Change lastChange() {
        return lastChange.get();
    }

    /** Registers a listener called after each change of mode, on the thread that made the change. */
    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener added with {@link #addListener(Listener)}. */
    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    @Override
    public String toString() {
        return "FederationModeSwitch[" + mode.get() + "]";
    }

    /**
     * One change of mode, as the switch recorded it.
     *
     * @param from the mode before
     * @param to the mode after
     * @param reason why, in words
     * @param changedBy who changed it: {@link #OPERATOR} unless the caller said otherwise
     */
    public record Change(FederationMode from, FederationMode to, String reason, String changedBy) {
    }

    /** Told of each change of mode. */
    @FunctionalInterface
    public interface Listener {
        /** Called after the mode changed from {@code from} to {@code to}. */
        void modeChanged(FederationMode from, FederationMode to, String reason);

        /**
         * Called after each change, on the thread that made it; by default calls
         * {@link #modeChanged(FederationMode, FederationMode, String)}. Override it to know who made the change.
         */
        default void changed(Change change) {
            modeChanged(change.from(), change.to(), change.reason());
        }
    }
}
