package dev.federation.health;

import java.time.Duration;

/**
 * What entity resolution did over the recent window of a {@link HealthWindow} (see
 * {@link HealthWindow#of(Duration, HealthClock)}): the numbers the health monitor judges, per backend call
 * and per request (one {@code _entities} field).
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
 * @param meanResolutionSeconds the mean backend call duration in seconds, or {@code NaN} without a call
 * @param requests {@code _entities} fields that ended
 * @param requestErrors those with at least one failed representation
 * @param requestRepresentations the representations of those fields
 * @param p99RequestSeconds the 99th percentile of the fields' durations in seconds, or {@code NaN} without one
 * @param meanRequestSeconds the mean duration of a field in seconds, or {@code NaN} without one
 */
public record WindowStatistics(Duration window, long loads, long loadErrors, long rejections, long backendCalls,
        long backendErrors, long batchCalls, long batchedKeys, double p99ResolutionSeconds,
        double meanResolutionSeconds, long requests, long requestErrors, long requestRepresentations,
        double p99RequestSeconds, double meanRequestSeconds) {

    /** 1 - backend calls / loads, or {@code NaN} without a load. */
    public double effectiveness() {
        return loads == 0 ? Double.NaN : 1.0 - (double) backendCalls / loads;
    }

    /** Failed loads / loads, or {@code NaN} without a load. */
    public double errorRate() {
        return loads == 0 ? Double.NaN : (double) loadErrors / loads;
    }

    /** Keys per batch call, or {@code NaN} without a batch call. */
    public double averageBatchSize() {
        return batchCalls == 0 ? Double.NaN : (double) batchedKeys / batchCalls;
    }

    /** Representations per {@code _entities} field, or {@code NaN} without one. */
    public double representationsPerRequest() {
        return requests == 0 ? Double.NaN : (double) requestRepresentations / requests;
    }
}
