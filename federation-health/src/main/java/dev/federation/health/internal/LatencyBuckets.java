package dev.federation.health.internal;

/**
 * Log-linear buckets of durations in nanoseconds: 8 buckets per power of two from 1 us to about 18 minutes,
 * so that a quantile read from them is at most 12.5 % above the true value.
 */
public final class LatencyBuckets {

    private static final int SUB_BITS = 3;
    private static final int SUB = 1 << SUB_BITS;
    private static final int MIN_SHIFT = 10;
    private static final int MAX_SHIFT = 40;

    /** Number of buckets, the last one holding everything of 2^40 ns and more. */
    public static final int COUNT = 1 + (MAX_SHIFT - MIN_SHIFT) * SUB + 1;

    private LatencyBuckets() {
    }

    /** The bucket of {@code nanos}. */
    public static int index(long nanos) {
        if (nanos < (1L << MIN_SHIFT)) {
            return 0;
        }
        int msb = 63 - Long.numberOfLeadingZeros(nanos);
        if (msb >= MAX_SHIFT) {
            return COUNT - 1;
        }
        int sub = (int) ((nanos >>> (msb - SUB_BITS)) & (SUB - 1));
        return 1 + (msb - MIN_SHIFT) * SUB + sub;
    }

    /** The exclusive upper bound of bucket {@code index} in nanoseconds (the lower bound for the last one). */
    public static long upperBound(int index) {
        if (index <= 0) {
            return 1L << MIN_SHIFT;
        }
        if (index >= COUNT - 1) {
            return 1L << MAX_SHIFT;
        }
        int i = index - 1;
        int msb = MIN_SHIFT + i / SUB;
        int sub = i % SUB;
        return (1L << msb) + ((long) (sub + 1) << (msb - SUB_BITS));
    }

    /**
     * The {@code q} quantile of the counts, as the upper bound of the bucket that holds it, or -1 when the
     * counts are all zero.
     */
    public static long quantile(long[] counts, double q) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(q * total);
        if (rank < 1) {
            rank = 1;
        }
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return upperBound(i);
            }
        }
        return upperBound(counts.length - 1);
    }
}
