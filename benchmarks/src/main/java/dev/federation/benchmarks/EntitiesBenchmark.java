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
 * The cost of resolving one {@code _entities} call from an in-memory backend, through graphql-java with the
 * query document parsed once, for each implementation a user could pick: the time (and, with
 * {@code -prof gc}, the bytes allocated) per call, on one thread.
 *
 * <p>Each trial first checks that its implementation answers the expected entities without errors, so every
 * implementation measured returns the same data.
 *
 * <p>Public and not final because JMH generates subclasses of it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseSerialGC"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class EntitiesBenchmark extends TrialState {

    /** Representations in the call. */
    @Param({"10", "100", "1000"})
    public int representations;

    /** Entity types the representations are spread over. */
    @Param({"1", "3"})
    public int types;

    /** The implementation, by its {@link Subgraphs} name. */
    @Param({"naive", "dataloader", "springgraphql", "library", "library_class", "library_registry", "library_metrics",
        "library_tracing", "library_all"})
    public String impl = Subgraphs.LIBRARY;

    @Override
    protected Trial start() {
        workload = Workload.of(representations, types);
        return Trial.start(impl, Backend.inMemory(), workload);
    }

    /** One {@code _entities} call. */
    @Benchmark
    public ExecutionResult entities() {
        return trial.execute(workload);
    }
}
