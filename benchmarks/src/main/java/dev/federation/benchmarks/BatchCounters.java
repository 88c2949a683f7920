package dev.federation.benchmarks;

import graphql.ExecutionResult;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What batching did during a benchmark iteration, counted on each benchmark thread and reported by JMH next
 * to time and bytes: requests executed, backend calls and keys they made, representations (entity loads)
 * they carried. {@link Summary} turns them into backend calls per request, average batch size (keys per
 * backend call) and batch effectiveness ({@code 1 - backend calls / entity loads}, as the metrics module and
 * the go-live targets define it).
 *
 * <p>The counts come from the in-memory backend's per-thread counters, exact because its tables answer on
 * the thread that executes the request.
 *
 * <p>Public and not final because JMH generates subclasses of it; its public fields are the counters.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class BatchCounters {

    /** Requests executed. */
    public long requests;
    /** Backend calls they made. */
    public long backendCalls;
    /** Keys those calls asked for. */
    public long backendKeys;
    /** Representations the requests carried: the entity loads. */
    public long entityLoads;

    /** Starts every iteration from zero. */
    @Setup(Level.Iteration)
    public void reset() {
        requests = 0;
        backendCalls = 0;
        backendKeys = 0;
        entityLoads = 0;
    }

    /** Executes {@code workload} in {@code trial} and counts what it cost the trial's backend. */
    ExecutionResult execute(Trial trial, Workload workload) {
        long[] counts = trial.backend().threadCounts();
        long calls = counts[0];
        long keys = counts[1];
        ExecutionResult result = trial.execute(workload);
        requests++;
        backendCalls += counts[0] - calls;
        backendKeys += counts[1] - keys;
        entityLoads += workload.representations;
        return result;
    }
}
