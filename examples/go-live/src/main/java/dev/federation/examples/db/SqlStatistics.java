package dev.federation.examples.db;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * Counts the SQL statements executed through a {@link Database}'s data source, by normalized SQL text.
 *
 * <p>The count is taken at the JDBC layer (each {@code execute*} call of a statement), so it shows what the
 * database really received, whatever the code above it believes it did. Normalization collapses white space
 * and folds {@code IN (?, ?, ...)} lists of any length into {@code IN (?...)}, so one query shape is one
 * entry whatever the batch size.
 *
 * <p>Thread-safe. Counters only grow; take two {@link #snapshot()}s and subtract to measure a window.
 */
public final class SqlStatistics {

    private static final Pattern BLANKS = Pattern.compile("\\s+");
    private static final Pattern IN_LIST = Pattern.compile("(?i)\\bIN\\s*\\(\\s*\\?(\\s*,\\s*\\?)*\\s*\\)");

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

    /** Counters that start at zero. */
    public SqlStatistics() {
    }

    /** Counts one execution of {@code sql}. */
    public void executed(String sql) {
        String key = normalize(sql);
        LongAdder n = counts.get(key);
        if (n == null) {
            n = counts.computeIfAbsent(key, k -> new LongAdder());
        }
        n.increment();
        total.increment();
    }

    /** Statements executed so far. */
    public long total() {
        return total.sum();
    }

    /** Executions so far of statements whose normalized text is {@code normalizedSql}. */
    public long count(String normalizedSql) {
        LongAdder n = counts.get(normalize(normalizedSql));
        return n == null ? 0 : n.sum();
    }

    /** Executions so far by normalized SQL, sorted by text. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((sql, n) -> out.put(sql, n.sum()));
        return Collections.unmodifiableMap(out);
    }

    /** {@code sql} with white space collapsed and {@code IN (?, ...)} lists folded into {@code IN (?...)}. */
    public static String normalize(String sql) {
        String s = BLANKS.matcher(sql.trim()).replaceAll(" ");
        return IN_LIST.matcher(s).replaceAll("IN (?...)");
    }

    @Override
    public String toString() {
        return "SqlStatistics[total=" + total() + "]";
    }
}
