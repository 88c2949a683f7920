package dev.federation.health;

import dev.federation.core.FederationMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The judge: numbers in, checks and a verdict out. No clock, no lock, no scheduler, no state: the same
 * statistics always give the same checks, so its tests are tables.
 *
 * <p>What a client can move, and why it cannot pull a rollback:
 * <ul>
 *   <li>error rate: bad representations are rejections, never loads, so they never count as errors;</li>
 *   <li>p99 of backend calls and of whole fields: a heavy but allowed request is bounded by
 *       {@code maxRepresentations}, split in calls of at most {@code maxBatchSize} keys, each cut at
 *       {@code batchTimeout}; to move a p99 it must be over 1 % of the window's calls or fields, and stay so
 *       for {@link HealthMonitorConfig#criticalChecksToRollBack()} windows in a row;</li>
 *   <li>heap: growth is judged over the heap window on the heap after GC, less what bounded caches may hold,
 *       and is {@code CRITICAL} only while it goes on and would reach the heap's limit: anything a client
 *       fills that is bounded levels off, and levelled-off growth is at most {@code DEGRADED}.</li>
 * </ul>
 */
final class HealthJudge {

    private static final double MB = 1_000_000.0;
    private static final double NANOS_PER_HOUR = 3_600e9;

    private final HealthMonitorConfig config;

    HealthJudge(HealthMonitorConfig config) {
        this.config = config;
    }

    /**
     * The heap as the monitor sampled it over the heap window.
     *
     * @param samples how many samples the window holds
     * @param spanNanos time between the oldest and the newest
     * @param slopeBytesPerHour least-squares slope over every sample
     * @param recentSlopeBytesPerHour least-squares slope over the latest half of the span
     * @param latestBytes the newest sample, or -1
     * @param limitBytes the heap's limit, or -1 when not known
     * @param allowanceBytes what bounded caches may hold
     */
    record Heap(int samples, long spanNanos, double slopeBytesPerHour, double recentSlopeBytesPerHour,
            long latestBytes, long limitBytes, long allowanceBytes) {
    }

    /** What {@code BATCHED} mode did just before a rollback, to judge {@code DIRECT} against. */
    record Baseline(double meanRequestSeconds, double errorRate, double representationsPerRequest,
            boolean judgeable, String why) {
    }

    /**
     * The checks and their verdict.
     *
     * @param checks in the order error rate, p99 resolution, p99 request, heap growth, effectiveness, and the
     *     comparison with {@code BATCHED} after a rollback
     * @param verdict the worst status of the checks
     * @param judged whether any of the traffic checks (error rate, p99s) had data enough
     * @param comparison the comparison with {@code BATCHED}, or {@code null} when none was asked for
     */
    record Judgement(List<HealthCheck> checks, HealthStatus verdict, boolean judged,
            @Nullable HealthCheck comparison) {
    }

    /**
     * Judges one window.
     *
     * @param compareWith after a rollback, in {@code DIRECT}: what {@code BATCHED} did before it ({@code null}
     *     when no comparison is due)
     * @param compare whether the comparison is due (rolled back and in {@code DIRECT})
     */
    Judgement judge(WindowStatistics w, FederationMode mode, Heap heap, boolean compare,
            @Nullable Baseline compareWith) {
        List<HealthCheck> checks = new ArrayList<>(6);
        checks.add(errorRate(w));
        checks.add(p99(w));
        checks.add(requestP99(w));
        checks.add(heapGrowth(heap));
        checks.add(effectiveness(w, mode));
        HealthCheck comparison = compare ? directVsBatched(w, compareWith) : null;
        if (comparison != null) {
            checks.add(comparison);
        }
        HealthStatus verdict = HealthStatus.HEALTHY;
        for (HealthCheck c : checks) {
            verdict = verdict.worst(c.status());
        }
        boolean judged = checks.get(0).judged() || checks.get(1).judged() || checks.get(2).judged();
        return new Judgement(checks, verdict, judged, comparison);
    }

    /** What {@code BATCHED} did in the window of the report that confirmed the rollback. */
    static Baseline baselineOf(HealthReport report) {
        WindowStatistics w = report.window();
        boolean heapInvolved = report.check(CheckName.HEAP_GROWTH).status() == HealthStatus.CRITICAL;
        double perRequest = w.representationsPerRequest();
        if (Double.isNaN(perRequest)) {
            perRequest = Double.isNaN(w.averageBatchSize()) ? 1 : w.averageBatchSize();
        }
        double mean = w.meanRequestSeconds();
        if (Double.isNaN(mean)) {
            mean = w.meanResolutionSeconds();
        }
        boolean judgeable = !heapInvolved && !Double.isNaN(mean);
        String why = heapInvolved ? "the rollback was for heap growth, which a comparison of latency cannot judge"
                : Double.isNaN(mean) ? "BATCHED mode left no latency to compare with" : "";
        return new Baseline(mean, w.errorRate(), perRequest, judgeable, why);
    }

    HealthCheck errorRate(WindowStatistics w) {
        double threshold = config.errorRateThreshold();
        double rate = w.errorRate();
        if (w.loads() < config.minimumLoads()) {
            return new HealthCheck(CheckName.ERROR_RATE, HealthStatus.HEALTHY, false, rate, threshold,
                    "error rate not judged: " + w.loads() + " loads, fewer than " + config.minimumLoads());
        }
        boolean bad = rate > threshold;
        return new HealthCheck(CheckName.ERROR_RATE, bad ? HealthStatus.CRITICAL : HealthStatus.HEALTHY, true,
                rate, threshold, String.format(Locale.ROOT, "error rate %.4f %s %.4f (%d of %d loads failed%s)",
                        rate, bad ? "above" : "within", threshold, w.loadErrors(), w.loads(),
                        w.rejections() == 0 ? "" : "; " + w.rejections() + " bad representations not counted"));
    }

    HealthCheck p99(WindowStatistics w) {
        double threshold = config.p99Threshold().toNanos() / 1e9;
        double p99 = w.p99ResolutionSeconds();
        if (w.backendCalls() < config.minimumBackendCalls()) {
            return new HealthCheck(CheckName.P99_RESOLUTION, HealthStatus.HEALTHY, false, p99, threshold,
                    "p99 resolution not judged: " + w.backendCalls() + " backend calls, fewer than "
                            + config.minimumBackendCalls());
        }
        boolean bad = p99 > threshold;
        return new HealthCheck(CheckName.P99_RESOLUTION, bad ? HealthStatus.CRITICAL : HealthStatus.HEALTHY,
                true, p99, threshold, String.format(Locale.ROOT, "p99 resolution %.3f s %s %.3f s (%d backend calls)",
                        p99, bad ? "above" : "within", threshold, w.backendCalls()));
    }

    HealthCheck requestP99(WindowStatistics w) {
        double threshold = config.requestP99Threshold().toNanos() / 1e9;
        double p99 = w.p99RequestSeconds();
        if (w.requests() < config.minimumRequests()) {
            return new HealthCheck(CheckName.P99_REQUEST, HealthStatus.HEALTHY, false, p99, threshold,
                    "p99 of _entities fields not judged: " + w.requests() + " fields, fewer than "
                            + config.minimumRequests());
        }
        boolean bad = p99 > threshold;
        return new HealthCheck(CheckName.P99_REQUEST, bad ? HealthStatus.CRITICAL : HealthStatus.HEALTHY, true,
                p99, threshold, String.format(Locale.ROOT, "p99 of _entities fields %.3f s %s %.3f s (%d fields)",
                        p99, bad ? "above" : "within", threshold, w.requests()));
    }

    /**
     * Heap growth: judged once the samples span {@link HealthMonitorConfig#heapMinimumWindow()}. The growth
     * over the span (slope × span) less the allowance, per hour, is the value. Within the threshold it is
     * {@code HEALTHY}. Above it, the heap grows: {@code DEGRADED}, and {@code CRITICAL} only when the latest
     * half of the span grows above the threshold too (sustained, not a cache that filled and levelled off)
     * and the newest sample plus that growth over one more heap window reaches the heap's limit.
     */
    HealthCheck heapGrowth(Heap heap) {
        double threshold = config.heapGrowthThresholdBytesPerHour();
        if (heap.spanNanos() < config.heapMinimumWindow().toNanos() || heap.samples() < 3) {
            return new HealthCheck(CheckName.HEAP_GROWTH, HealthStatus.HEALTHY, false, heap.slopeBytesPerHour(),
                    threshold, "heap growth not judged: samples span "
                            + Duration.ofNanos(heap.spanNanos()).toSeconds() + " s, less than "
                            + config.heapMinimumWindow().toSeconds() + " s");
        }
        double hours = heap.spanNanos() / NANOS_PER_HOUR;
        double growth = heap.slopeBytesPerHour() * hours;
        double rate = Math.max(0, growth - heap.allowanceBytes()) / hours;
        String measured = String.format(Locale.ROOT,
                "heap after GC grows %.1f MB/hour beyond the %.1f MB allowance of bounded caches (%.1f MB over "
                        + "%d s, %d samples)", rate / MB, heap.allowanceBytes() / MB, growth / MB,
                Duration.ofNanos(heap.spanNanos()).toSeconds(), heap.samples());
        if (!(rate > threshold)) {
            return new HealthCheck(CheckName.HEAP_GROWTH, HealthStatus.HEALTHY, true, rate, threshold,
                    String.format(Locale.ROOT, "%s, within %.1f MB/hour", measured, threshold / MB));
        }
        double recent = heap.recentSlopeBytesPerHour();
        if (!(recent > threshold)) {
            return new HealthCheck(CheckName.HEAP_GROWTH, HealthStatus.DEGRADED, true, rate, threshold,
                    String.format(Locale.ROOT, "%s, above %.1f MB/hour, but levelled off: %.1f MB/hour over the "
                            + "latest half (a bounded cache warming looks like this; no rollback)", measured,
                            threshold / MB, recent / MB));
        }
        double horizonHours = config.heapWindow().toNanos() / NANOS_PER_HOUR;
        if (heap.limitBytes() <= 0 || heap.latestBytes() < 0) {
            return new HealthCheck(CheckName.HEAP_GROWTH, HealthStatus.DEGRADED, true, rate, threshold,
                    String.format(Locale.ROOT, "%s, above %.1f MB/hour and still growing (%.1f MB/hour over the "
                            + "latest half); no heap limit known to project against, so no rollback", measured,
                            threshold / MB, recent / MB));
        }
        double projected = heap.latestBytes() + recent * horizonHours;
        double hoursToLimit = (heap.limitBytes() - heap.latestBytes()) / recent;
        boolean breach = projected >= heap.limitBytes();
        return new HealthCheck(CheckName.HEAP_GROWTH, breach ? HealthStatus.CRITICAL : HealthStatus.DEGRADED,
                true, rate, threshold, String.format(Locale.ROOT, "%s, above %.1f MB/hour and still growing "
                        + "(%.1f MB/hour over the latest half): %.1f MB now reaches the %.1f MB limit in %.1f hours"
                        + "%s", measured, threshold / MB, recent / MB, heap.latestBytes() / MB,
                        heap.limitBytes() / MB, Math.max(0, hoursToLimit),
                        breach ? ", within the heap window: a leak" : ", later than the heap window: no rollback"));
    }

    HealthCheck effectiveness(WindowStatistics w, FederationMode mode) {
        double threshold = config.effectivenessThreshold();
        double e = w.effectiveness();
        if (mode != FederationMode.BATCHED) {
            return new HealthCheck(CheckName.BATCH_EFFECTIVENESS, HealthStatus.HEALTHY, false, e, threshold,
                    "batch effectiveness not judged: mode is " + mode);
        }
        if (w.loads() < config.minimumLoads()) {
            return new HealthCheck(CheckName.BATCH_EFFECTIVENESS, HealthStatus.HEALTHY, false, e, threshold,
                    "batch effectiveness not judged: " + w.loads() + " loads, fewer than " + config.minimumLoads());
        }
        boolean bad = e < threshold;
        return new HealthCheck(CheckName.BATCH_EFFECTIVENESS, bad ? HealthStatus.DEGRADED : HealthStatus.HEALTHY,
                true, e, threshold, String.format(Locale.ROOT,
                        "batch effectiveness %.4f %s %.4f (%d backend calls for %d loads)", e,
                        bad ? "below" : "within", threshold, w.backendCalls(), w.loads()));
    }

    /**
     * After a rollback: does {@code DIRECT} serve better than {@code BATCHED} did? It is better when it fixes
     * the errors, or when an {@code _entities} field takes less time. Requests that have not finished yet still
     * count, through the estimate representations per request × the mean one-by-one call.
     */
    HealthCheck directVsBatched(WindowStatistics w, @Nullable Baseline b) {
        if (b == null || !b.judgeable()) {
            return new HealthCheck(CheckName.DIRECT_VS_BATCHED, HealthStatus.HEALTHY, false, Double.NaN,
                    b == null ? Double.NaN : b.meanRequestSeconds(),
                    "DIRECT against BATCHED not judged: " + (b == null ? "no baseline" : b.why()));
        }
        if (w.backendCalls() < config.minimumBackendCalls()) {
            return new HealthCheck(CheckName.DIRECT_VS_BATCHED, HealthStatus.HEALTHY, false, Double.NaN,
                    b.meanRequestSeconds(), "DIRECT against BATCHED not judged yet: " + w.backendCalls()
                            + " backend calls since the rollback, fewer than " + config.minimumBackendCalls());
        }
        boolean measured = w.requests() >= config.minimumRequests();
        double direct = measured ? w.meanRequestSeconds() : b.representationsPerRequest() * w.meanResolutionSeconds();
        double directErrors = w.errorRate();
        boolean errorsBetter = !Double.isNaN(b.errorRate()) && !Double.isNaN(directErrors)
                && b.errorRate() > config.errorRateThreshold() && directErrors <= config.errorRateThreshold();
        boolean fasterOrEqual = direct <= b.meanRequestSeconds();
        boolean worse = !errorsBetter && !fasterOrEqual;
        String how = measured
                ? String.format(Locale.ROOT, "%.3f s per _entities field over %d fields", direct, w.requests())
                : String.format(Locale.ROOT, "about %.3f s per _entities field (%.1f representations x %.3f s a call)",
                        direct, b.representationsPerRequest(), w.meanResolutionSeconds());
        String message = String.format(Locale.ROOT, "DIRECT %s: %s, against %.3f s in BATCHED before the rollback; "
                        + "error rate %.4f, against %.4f", worse ? "serves worse than BATCHED" : "serves no worse",
                how, b.meanRequestSeconds(), directErrors, b.errorRate());
        return new HealthCheck(CheckName.DIRECT_VS_BATCHED, worse ? HealthStatus.CRITICAL : HealthStatus.HEALTHY,
                true, direct, b.meanRequestSeconds(), message);
    }
}
