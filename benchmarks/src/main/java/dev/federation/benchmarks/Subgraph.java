package dev.federation.benchmarks;

import graphql.ExecutionResult;
import java.util.Map;

/** One implementation of a subgraph's {@code _entities}, executed as a gateway calls it. */
interface Subgraph extends AutoCloseable {

    /** Executes a query with its variables and waits for the result. */
    ExecutionResult execute(String query, Map<String, Object> variables);

    /** Executes {@code workload}'s query with its representations and waits for the result. */
    default ExecutionResult execute(Workload workload) {
        return execute(workload.query, workload.variables);
    }

    /** Releases what the implementation holds (an application context, observers); idempotent. */
    @Override
    default void close() {
    }
}
