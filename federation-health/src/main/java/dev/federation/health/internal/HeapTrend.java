package dev.federation.health.internal;

import java.util.ArrayDeque;

/**
 * Samples of heap usage over time and the least-squares slopes through them. Not thread-safe: the health
 * monitor calls it under its own lock.
 */
public final class HeapTrend {

    private static final double NANOS_PER_HOUR = 3_600e9;

    private final long windowNanos;
    private final ArrayDeque<long[]> samples = new ArrayDeque<>();

    /** @param windowNanos how far back samples are kept */
    public HeapTrend(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    /** Adds a sample taken at {@code nanos} (monotonic) and drops those older than the window. */
    public void add(long nanos, long bytes) {
        samples.addLast(new long[] {nanos, bytes});
        while (!samples.isEmpty() && nanos - samples.peekFirst()[0] > windowNanos) {
            samples.removeFirst();
        }
    }

    /** How many samples are kept. */
    public int size() {
        return samples.size();
    }

    /** Time between the oldest and the newest sample, nanoseconds; 0 with fewer than two. */
    public long spanNanos() {
        return samples.size() < 2 ? 0 : samples.peekLast()[0] - samples.peekFirst()[0];
    }

    /** The least-squares slope in bytes per hour over every sample, or {@code NaN} with fewer than two times. */
    public double slopeBytesPerHour() {
        return slopeSince(Long.MIN_VALUE);
    }

    /**
     * The least-squares slope in bytes per hour over the samples of the latest half of the span, or
     * {@code NaN} with fewer than two of them: whether the growth goes on now, or has levelled off.
     */
    public double recentSlopeBytesPerHour() {
        if (samples.size() < 2) {
            return Double.NaN;
        }
        return slopeSince(samples.peekLast()[0] - spanNanos() / 2);
    }

    /** The newest sample in bytes, or -1 without one. */
    public long latestBytes() {
        return samples.isEmpty() ? -1 : samples.peekLast()[1];
    }

    private double slopeSince(long fromNanos) {
        int n = 0;
        long t0 = 0;
        double sumX = 0;
        double sumY = 0;
        for (long[] s : samples) {
            if (s[0] < fromNanos) {
                continue;
            }
            if (n == 0) {
                t0 = s[0];
            }
            n++;
            sumX += (s[0] - t0) / NANOS_PER_HOUR;
            sumY += s[1];
        }
        if (n < 2) {
            return Double.NaN;
        }
        double meanX = sumX / n;
        double meanY = sumY / n;
        double sxx = 0;
        double sxy = 0;
        for (long[] s : samples) {
            if (s[0] < fromNanos) {
                continue;
            }
            double dx = (s[0] - t0) / NANOS_PER_HOUR - meanX;
            sxx += dx * dx;
            sxy += dx * (s[1] - meanY);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }
}
