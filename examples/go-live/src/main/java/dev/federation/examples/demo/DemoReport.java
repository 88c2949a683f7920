package dev.federation.examples.demo;

import dev.federation.examples.subgraphs.DataSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The go-live success-metrics table of one demo run: each metric's target, its measured value before
 * ({@code DIRECT}) and after ({@code BATCHED}), and whether the target holds.
 *
 * <p>Targets are the go-live plan's: SQL queries down by at least 80 %, p99 response time under 500 ms,
 * batch effectiveness above 80 %, average batch size above 50, p99 entity resolution under 100 ms, error
 * rate under 1 %, heap under 1 GB; and the batched run must be faster at the median.
 */
public final class DemoReport {

    /** Smallest reduction of SQL queries per request. */
    public static final double TARGET_SQL_REDUCTION = 0.80;
    /** Largest p99 response time, ms. */
    public static final double TARGET_P99_MS = 500;
    /** Smallest batch effectiveness. */
    public static final double TARGET_EFFECTIVENESS = 0.80;
    /** Smallest average batch size. */
    public static final double TARGET_BATCH_SIZE = 50;
    /** Largest p99 entity resolution, ms. */
    public static final double TARGET_RESOLUTION_P99_MS = 100;
    /** Largest error rate. */
    public static final double TARGET_ERROR_RATE = 0.01;
    /** Largest heap used, bytes. */
    public static final long TARGET_HEAP_BYTES = 1L << 30;

    /**
     * One line of the table.
     *
     * @param metric what is measured
     * @param target the go-live target, or {@code "-"}
     * @param before the value in {@code DIRECT} mode
     * @param after the value in {@code BATCHED} mode
     * @param result {@code PASS}/{@code FAIL} and the comparison, or an empty string for a line without target
     * @param met {@code false} only when a target is missed
     * @param timing {@code true} for a verdict on measured time, which a loaded machine can swing (a test
     *     checks the other verdicts; the demo's exit status checks all)
     */
    public record Row(String metric, String target, String before, String after, String result, boolean met,
            boolean timing) {
    }

    private final DemoConfig config;
    private final PhaseResult before;
    private final PhaseResult after;
    private final long elapsedNanos;
    private final List<Row> rows;
    private final List<SmallRequests.Result> smallRequests;

    DemoReport(DemoConfig config, PhaseResult before, PhaseResult after, long elapsedNanos) {
        this(config, before, after, List.of(), elapsedNanos);
    }

    DemoReport(DemoConfig config, PhaseResult before, PhaseResult after, List<SmallRequests.Result> smallRequests,
            long elapsedNanos) {
        this.config = config;
        this.before = before;
        this.after = after;
        this.smallRequests = List.copyOf(smallRequests);
        this.elapsedNanos = elapsedNanos;
        this.rows = List.copyOf(buildRows());
    }

    /** The small-requests phase, without and with cross-request batching; empty when it did not run. */
    public List<SmallRequests.Result> smallRequests() {
        return smallRequests;
    }

    /** What {@code DIRECT} mode measured. */
    public PhaseResult before() {
        return before;
    }

    /** What {@code BATCHED} mode measured. */
    public PhaseResult after() {
        return after;
    }

    /** The table's lines. */
    public List<Row> rows() {
        return rows;
    }

    /** {@code true} when every go-live target holds. */
    public boolean targetsMet() {
        return rows.stream().allMatch(Row::met);
    }

    /** The lines whose target was missed. */
    public List<Row> misses() {
        return rows.stream().filter(r -> !r.met()).toList();
    }

    /** Wall time of the run (seeding, warm-up and both phases). */
    public long elapsedNanos() {
        return elapsedNanos;
    }

    private List<Row> buildRows() {
        List<Row> out = new ArrayList<>();
        double reduction = before.sqlPerRequest() == 0 ? 0 : 1 - after.sqlPerRequest() / before.sqlPerRequest();
        out.add(row("SQL queries per request", "-80 % or better", num(before.sqlPerRequest()),
                num(after.sqlPerRequest()), reduction >= TARGET_SQL_REDUCTION,
                String.format(Locale.ROOT, "-%.1f %%", reduction * 100)));
        out.add(new Row("SQL queries per _entities call (" + config.representations() + " users)", "-",
                num(before.sqlPerUserEntitiesCall()), num(after.sqlPerUserEntitiesCall()), "", true, false));
        double p50Speedup = after.p50Nanos() == 0 ? 0 : (double) before.p50Nanos() / after.p50Nanos();
        double p99Speedup = after.p99Nanos() == 0 ? 0 : (double) before.p99Nanos() / after.p99Nanos();
        out.add(timingRow("Response time p50", "faster", ms(before.p50Nanos()), ms(after.p50Nanos()),
                after.p50Nanos() < before.p50Nanos(), speed(p50Speedup)));
        out.add(timingRow("Response time p99", "< 500 ms", ms(before.p99Nanos()), ms(after.p99Nanos()),
                after.p99Nanos() / 1e6 < TARGET_P99_MS, speed(p99Speedup)));
        out.add(row("Batch effectiveness", "> 80 %", pct(before.batchEffectiveness()),
                pct(after.batchEffectiveness()), after.batchEffectiveness() > TARGET_EFFECTIVENESS, ""));
        out.add(row("Average batch size", "> 50", num(before.averageBatchSize()), num(after.averageBatchSize()),
                after.averageBatchSize() > TARGET_BATCH_SIZE, ""));
        out.add(timingRow("p99 entity resolution (per backend call)", "< 100 ms", ms(before.p99ResolutionNanos()),
                ms(after.p99ResolutionNanos()), after.p99ResolutionNanos() / 1e6 < TARGET_RESOLUTION_P99_MS, ""));
        out.add(row("Error rate", "< 1 %", pct(before.errorRate()), pct(after.errorRate()),
                after.errorRate() < TARGET_ERROR_RATE && before.errorRate() < TARGET_ERROR_RATE, ""));
        out.add(row("Heap used (after GC)", "< 1 GB", mb(before.heapUsedBytes()), mb(after.heapUsedBytes()),
                after.heapUsedBytes() < TARGET_HEAP_BYTES, ""));
        return out;
    }

    private static Row row(String metric, String target, String before, String after, boolean met, String detail) {
        return new Row(metric, target, before, after, (met ? "PASS" : "FAIL") + (detail.isEmpty() ? "" : " (" + detail
                + ")"), met, false);
    }

    /** A verdict on time: PASS only when met (a slower batched run is a FAIL, whatever the reason). */
    private static Row timingRow(String metric, String target, String before, String after, boolean met,
            String detail) {
        Row r = row(metric, target, before, after, met, detail);
        return new Row(r.metric(), r.target(), r.before(), r.after(), r.result(), r.met(), true);
    }

    /** The table, as Markdown with aligned columns, followed by a summary line. */
    public String table() {
        String[] head = {"Metric", "Target", "Before (DIRECT)", "After (BATCHED)", "Result"};
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            w[i] = head[i].length();
        }
        for (Row r : rows) {
            String[] c = cells(r);
            for (int i = 0; i < c.length; i++) {
                w[i] = Math.max(w[i], c[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, head, w);
        sb.append('|');
        for (int i = 0; i < w.length; i++) {
            sb.append('-').append("-".repeat(w[i])).append("-|");
        }
        sb.append('\n');
        for (Row r : rows) {
            line(sb, cells(r), w);
        }
        long met = rows.stream().filter(r -> r.met() && !r.result().isEmpty()).count();
        long targets = rows.stream().filter(r -> !r.result().isEmpty()).count();
        DataSettings data = config.data();
        long rt = data.dbRoundTrip().toNanos();
        sb.append('\n').append(String.format(Locale.ROOT,
                "%d of %d go-live targets met. %d requests per mode (%d rounds), %d users, %d posts, %d products, %s, %.1f s.%n",
                met, targets, after.requests(), config.rounds(), data.users(), data.posts(), data.products(),
                rt == 0 ? "in-memory H2 (no network round trip)"
                        : String.format(Locale.ROOT, "H2 + %.2f ms simulated round trip per SQL statement", rt / 1e6),
                elapsedNanos / 1e9));
        sb.append("p99 entity resolution is the time of one backend call: one key a call before, 100 keys a call"
                + " after, which is why it rises with batching while the request time falls.\n");
        if (!smallRequests.isEmpty()) {
            SmallRequests.Result first = smallRequests.get(0);
            sb.append('\n').append(String.format(Locale.ROOT, "Many small requests (%d clients at once, 1 to 5 users "
                    + "each, BATCHED), without and with cross-request batching:%n%n", first.clients()));
            sb.append(SmallRequests.table(smallRequests));
        }
        return sb.toString();
    }

    private static String[] cells(Row r) {
        return new String[] {r.metric(), r.target(), r.before(), r.after(), r.result()};
    }

    private static void line(StringBuilder sb, String[] cells, int[] w) {
        sb.append('|');
        for (int i = 0; i < cells.length; i++) {
            sb.append(' ').append(cells[i]).append(" ".repeat(w[i] - cells[i].length())).append(" |");
        }
        sb.append('\n');
    }

    private static String speed(double ratio) {
        return ratio >= 1 ? String.format(Locale.ROOT, "%.1fx faster", ratio)
                : String.format(Locale.ROOT, "%.1fx slower", 1 / ratio);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f %%", v * 100);
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%d MB", bytes / (1024 * 1024));
    }

    @Override
    public String toString() {
        return table();
    }
}
