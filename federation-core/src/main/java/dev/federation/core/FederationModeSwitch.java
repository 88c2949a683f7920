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

    private static final Logger LOG = LoggerFactory.getLogger(FederationModeSwitch.class);

    private final AtomicReference<FederationMode> mode;
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
     * Sets the mode for calls that start from now on.
     *
     * @param newMode the new mode
     * @param reason why, for the logs and the listeners (e.g. {@code "admin"}, {@code "health: CRITICAL"})
     * @return the previous mode
     */
    public FederationMode set(FederationMode newMode, String reason) {
        Objects.requireNonNull(newMode, "newMode");
        Objects.requireNonNull(reason, "reason");
        FederationMode previous = mode.getAndSet(newMode);
        if (previous != newMode) {
            LOG.info("federation mode changed from {} to {}: {}", previous, newMode, reason);
            for (Listener listener : listeners) {
                try {
                    listener.modeChanged(previous, newMode, reason);
                } catch (RuntimeException e) {
                    LOG.warn("mode listener {} failed", listener, e);
                }
            }
        }
        return previous;
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

    /** Told of each change of mode. */
    @FunctionalInterface
    public interface Listener {
        /** Called after the mode changed from {@code from} to {@code to}. */
        void modeChanged(FederationMode from, FederationMode to, String reason);
    }
}
