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
 * The {@code _entities} call a gateway sends for a page of posts ({@link Workload#posts}): authors, and with 3
 * types products and reviews, that repeat with a skewed popularity. Besides time and bytes per call it reports
 * the {@link BatchCounters}, from which {@link Summary} checks the go-live targets: batch effectiveness above
 * 80 % and batch size above 50 where the page has that many distinct keys.
 *
 * <p>Public and not final because JMH generates subclasses of it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseSerialGC"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GatewayWorkloadBenchmark extends TrialState {

    /** Posts on the page: 100 draw on 40 authors, of whom 28 appear. */
    @Param({"100", "1000"})
    public int posts;

    /** 1: authors only; 3: author, product and review of each post. */
    @Param({"1", "3"})
    public int types;

    /** The implementation, by its {@link Subgraphs} name. */
    @Param({"naive", "dataloader", "springgraphql", "library"})
    public String impl = Subgraphs.LIBRARY;

    @Override
    protected Trial start() {
        workload = Workload.posts(posts, types);
        return Trial.start(impl, Backend.inMemoryCountingByThread(), workload);
    }

    /** One {@code _entities} call for the page. */
    @Benchmark
    public ExecutionResult postsPage(BatchCounters counters) {
        return counters.execute(trial, workload);
    }
}
