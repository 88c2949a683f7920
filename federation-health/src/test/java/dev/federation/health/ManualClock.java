package dev.federation.health;

import java.time.Duration;
import java.time.Instant;

/** A clock the test moves by hand: monotonic and wall time advance together, only when told. */
public final class ManualClock implements HealthClock {

    private long nanos = 1_000_000_000L;
    private Instant wall = Instant.parse("2026-12-03T00:00:00Z");

    @Override
    public synchronized long monotonicNanos() {
        return nanos;
    }

    @Override
    public synchronized Instant now() {
        return wall;
    }

    /** Moves both clocks by {@code d}. */
    public synchronized void add(Duration d) {
        nanos += d.toNanos();
        wall = wall.plus(d);
    }
}
