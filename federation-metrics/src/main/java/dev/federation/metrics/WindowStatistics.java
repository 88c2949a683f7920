package dev.federation.metrics;

import java.time.Duration;

/**
 * What entity resolution did over the recent window of {@link FederationMetrics} (see
 * {@link FederationMetrics.Builder#window(Duration)}): the numbers the health monitor judges.
 *
 * @param window the length of the window read
 * @param loads loads served, every outcome; representations rejected as bad input are not loads here
 * @param loadErrors loads that ended in an error (failed batch, failed key, timeout, broken contract)
 * @param rejections representations rejected as bad input
 * @param backendCalls backend calls, batched and one-by-one
 * @param backendErrors backend calls that failed as a whole
 * @param batchCalls batch calls made in {@code BATCHED} mode
 * @param batchedKeys keys sent in those batch calls
 * @param p99ResolutionSeconds the 99th percentile of backend call durations in seconds (at most 12.5 % above
 *     the true value), or {@code NaN} without a call
 */
public record WindowStatistics(Duration window, long loads, long loadErrors, long rejections, long backendCalls,
        long backendErrors, long batchCalls, long batchedKeys, double p99ResolutionSeconds) {

    /** {@code 1 - backendCalls / loads}, or {@code NaN} without a load. */
    public double effectiveness() {
        return loads == 0 ? Double.NaN : 1.0 - (double) backendCalls / loads;
    }

    /** {@code loadErrors / loads}, or {@code NaN} without a load. */
    public double errorRate() {
        return loads == 0 ? Double.NaN : (double) loadErrors / loads;
    }

    /** {@code batchedKeys / batchCalls}, or {@code NaN} without a batch call. */
    public double averageBatchSize() {
        return batchCalls == 0 ? Double.NaN : (double) batchedKeys / batchCalls;
    }
}
