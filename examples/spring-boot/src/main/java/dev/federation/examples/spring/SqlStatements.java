package dev.federation.examples.spring;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.stereotype.Component;

/**
 * Counts the SQL statements {@link UserRepository} sends, one per repository call, by statement.
 * {@code GET /actuator/sql} shows the counts, so that tests and users can see the batching.
 */
@Component
@Endpoint(id = "sql")
public class SqlStatements {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    /** {@code statement} is being sent. */
    void sent(String statement) {
        counts.computeIfAbsent(statement, k -> new LongAdder()).increment();
    }

    /** {@code {"total": n, "statements": {sql: n}}}. */
    @ReadOperation
    public Map<String, Object> sql() {
        Map<String, Long> statements = new TreeMap<>();
        counts.forEach((k, v) -> statements.put(k, v.sum()));
        return Map.of("total", total(), "statements", statements);
    }

    /** Statements sent so far. */
    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Times {@code statement} (one of {@link UserRepository}'s) was sent. */
    public long count(String statement) {
        LongAdder n = counts.get(statement);
        return n == null ? 0 : n.sum();
    }
}
