package dev.federation.benchmarks;

import graphql.ExecutionResult;

/** One implementation of a subgraph's {@code _entities}, executed as a gateway calls it. */
interface Subgraph extends AutoCloseable {

    /** Executes {@code workload}'s query with its representations and waits for the result. */
    ExecutionResult execute(Workload workload);

    /** Releases what the implementation holds (an application context, observers); idempotent. */
    @Override
    default void close() {
    }
}
