package dev.federation.benchmarks;

import graphql.ExecutionResult;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The end-to-end time of one {@code _entities} call when every backend call takes a fixed
 * {@link #LATENCY} (answered through a scheduled executor, never a sleep on the calling thread), as a
 * database or HTTP round trip would: one-by-one resolution ({@code naive}) waits for each representation in
 * turn, batched implementations wait about once per type.
 *
 * <p>Each trial first checks that its implementation answers the expected entities without errors.
 *
 * <p>Public and not final because JMH generates subclasses of it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseSerialGC"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BackendLatencyBenchmark extends TrialState {

    /** The latency of every backend call. */
    static final java.time.Duration LATENCY = java.time.Duration.ofMillis(1);

    /** Representations in the call. */
    @Param({"10", "100", "1000"})
    public int representations;

    /** Entity types the representations are spread over. */
    @Param({"1", "3"})
    public int types;

    /** The implementation, by its {@link Subgraphs} name. */
    @Param({"naive", "dataloader", "springgraphql", "library", "library_metrics", "library_tracing", "library_all"})
    public String impl = Subgraphs.LIBRARY;

    @Override
    protected Trial start() {
        workload = Workload.of(representations, types);
        return Trial.start(impl, Backend.withLatency(LATENCY), workload);
    }

    /** One {@code _entities} call, waited for. */
    @Benchmark
    public ExecutionResult entities() {
        return trial.execute(workload);
    }
}
