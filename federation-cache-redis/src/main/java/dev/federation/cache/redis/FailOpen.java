package dev.federation.cache.redis;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Redis is used: after {@code threshold} failures in a row it is skipped for {@code retryAfter}, then one
 * command is let through; its success resumes Redis (and {@code onResume} runs: the local level drops what may
 * have missed an invalidation), its failure skips Redis again. One WARN line when Redis starts being skipped, one
 * INFO line when it resumes. Thread-safe.
 */
final class FailOpen {

    private static final Logger LOG = LoggerFactory.getLogger(RedisEntityCaches.class);

    private final int threshold;
    private final long retryAfterNanos;
    private final LongSupplier clock;
    private final Runnable onResume;
    private final AtomicInteger failuresInARow = new AtomicInteger();
    /** {@code true} while Redis is skipped (including while one probe is out). */
    private final AtomicBoolean open = new AtomicBoolean();
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile long retryAtNanos;

    FailOpen(int threshold, Duration retryAfter, LongSupplier clock, Runnable onResume) {
        this.threshold = threshold;
        this.retryAfterNanos = retryAfter.toNanos();
        this.clock = clock;
        this.onResume = onResume;
    }

    /**
     * {@code true} when a command may be sent now: Redis is in use, or it is skipped and the time to retry has
     * come (then this caller carries the one probe).
     */
    boolean allow() {
        if (!open.get()) {
            return true;
        }
        return clock.getAsLong() - retryAtNanos >= 0 && probing.compareAndSet(false, true);
    }

    /** {@code false} while Redis is skipped. */
    boolean available() {
        return !open.get();
    }

    /** A command {@link #allow()} let through was not sent after all (no connection yet): no verdict. */
    void notSent() {
        probing.set(false);
    }

    void succeeded() {
        failuresInARow.set(0);
        if (open.get()) {
            probing.set(false);
            if (open.compareAndSet(true, false)) {
                LOG.info("Redis answers again: the shared entity cache is used again (the local level was dropped, "
                        + "as it may have missed invalidations)");
                onResume.run();
            }
        }
    }

    void failed(Throwable cause) {
        int n = failuresInARow.incrementAndGet();
        if (open.get()) {
            retryAtNanos = clock.getAsLong() + retryAfterNanos;
            probing.set(false);
            return;
        }
        if (n >= threshold) {
            retryAtNanos = clock.getAsLong() + retryAfterNanos;
            if (open.compareAndSet(false, true)) {
                LOG.warn("Redis failed {} times in a row ({}): the shared entity cache skips Redis for {} ms and "
                        + "serves from the local level and the backend; requests do not fail", n, describe(cause),
                        retryAfterNanos / 1_000_000);
            }
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + (m.length() > 200 ? m.substring(0, 200) : m));
    }
}
