package dev.federation.health;

import java.time.Instant;

/** {@link HealthClock#system()}. */
final class SystemHealthClock implements HealthClock {

    static final SystemHealthClock INSTANCE = new SystemHealthClock();

    private SystemHealthClock() {
    }

    @Override
    public long monotonicNanos() {
        return System.nanoTime();
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public String toString() {
        return "system clock";
    }
}
