package dev.federation.benchmarks;

import graphql.ExecutionResult;

/**
 * What one benchmark trial holds: a backend and an implementation over it, checked on its workloads before
 * anything is measured. Closing it releases both.
 */
final class Trial implements AutoCloseable {

    /** Before set-up: executes nothing, holds nothing. */
    static final Trial NONE = new Trial(null, (query, variables) -> {
        throw new IllegalStateException("not set up");
    });

    private final Backend backend;
    final Subgraph subgraph;

    private Trial(Backend backend, Subgraph subgraph) {
        this.backend = backend;
        this.subgraph = subgraph;
    }

    /**
     * Implementation {@code impl} (a {@link Subgraphs} name) over {@code backend}, checked to answer every one
     * of {@code workloads} as expected ({@link Verification}).
     */
    static Trial start(String impl, Backend backend, Workload... workloads) {
        Subgraph subgraph = Subgraphs.create(impl, backend);
        try {
            for (Workload w : workloads) {
                Verification.check(impl, subgraph, w);
            }
        } catch (RuntimeException e) {
            subgraph.close();
            backend.close();
            throw e;
        }
        return new Trial(backend, subgraph);
    }

    /** The backend (its per-thread counters, for {@link BatchCounters}). */
    Backend backend() {
        if (backend == null) {
            throw new IllegalStateException("not set up");
        }
        return backend;
    }

    /** Executes {@code workload}. */
    ExecutionResult execute(Workload workload) {
        return subgraph.execute(workload);
    }

    @Override
    public void close() {
        subgraph.close();
        if (backend != null) {
            backend.close();
        }
    }
}
