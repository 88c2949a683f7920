package dev.federation.health;

import java.time.Instant;

/**
 * The time the health window and the monitor read: a monotonic clock that places events and measures
 * intervals, and a wall clock that stamps reports. Tests give one they move by hand, so that an hour of
 * checks runs in a moment and no test sleeps.
 *
 * <p>Public SPI.
 */
public interface HealthClock {

    /** Monotonic time in nanoseconds, as {@link System#nanoTime()}: only differences mean something. */
    long monotonicNanos();

    /** The wall-clock time, for the time of a report. */
    Instant now();

    /** The system's clocks: {@link System#nanoTime()} and {@link Instant#now()}. */
    static HealthClock system() {
        return SystemHealthClock.INSTANCE;
    }
}
