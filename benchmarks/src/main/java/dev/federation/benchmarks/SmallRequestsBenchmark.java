package dev.federation.benchmarks;

import graphql.ExecutionResult;
import java.util.concurrent.TimeUnit;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Many small requests at once: 4 or 16 threads share one subgraph, each sending {@code _entities} calls of 1 to
 * 5 {@code User} representations of skewed keys ({@link Workload#small}). It measures throughput and, through
 * the {@link BatchCounters}, the batch size per-request batching reaches on such traffic: at most the few
 * distinct keys of one request, far below the 50 of the go-live targets. It is the baseline that
 * cross-request batching will be judged against.
 *
 * <p>Public and not final because JMH generates subclasses of it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseSerialGC"})
// 40 s of warm-up: with 16 threads on 2 cores the JIT compiler gets a sliver of the CPU, and throughput was
// still rising several-fold 28 s in (see CrossRequestBenchmark)
@Warmup(iterations = 20, time = 2)
@Measurement(iterations = 5, time = 2)
public class SmallRequestsBenchmark {

    /** The request sizes cycled through: 1 to 5 representations. */
    static final int MAX_SIZE = 5;
    /** Distinct requests per size, each with its own keys. */
    static final int VARIANTS = 64;

    /** The implementation, by its {@link Subgraphs} name. */
    @Param({"naive", "dataloader", "springgraphql", "library"})
    public String impl = Subgraphs.LIBRARY;

    private Trial trial = Trial.NONE;
    private Workload[] requests = new Workload[0];

    /** Builds the implementation and the requests, and checks that it answers each of them. */
    @Setup(Level.Trial)
    public void setUp() {
        requests = requests();
        trial = Trial.start(impl, Backend.inMemoryCountingByThread(), requests);
    }

    /** The requests every thread draws from: sizes 1 to 5 in turn, {@value #VARIANTS} key sets each. */
    static Workload[] requests() {
        Workload[] out = new Workload[MAX_SIZE * VARIANTS];
        for (int i = 0; i < out.length; i++) {
            out[i] = Workload.small(1 + i % MAX_SIZE, 7919L * i);
        }
        return out;
    }

    /** Releases the implementation and the backend. */
    @TearDown(Level.Trial)
    public void tearDown() {
        trial.close();
    }

    /**
     * Which request a thread sends next: one drawn at random from the requests, by a generator of the thread's own,
     * split from one seeded generator (the same draws in every run). Not a fixed cycle: threads cycling through
     * the same list fall into step with each other once two of them ask for the same request at the same time
     * (they wait for the same answer, get it together and go on together), and then send identical requests ever
     * after, so that cross-request batching would merge copies rather than distinct keys.
     */
    @State(Scope.Thread)
    public static class Cursor {
        /** Splits a generator per thread (seeds in a simple sequence would give threads shifted copies of one). */
        private static final SplittableRandom SEEDS = new SplittableRandom(20261204L);
        private final SplittableRandom random = split();

        private static synchronized SplittableRandom split() {
            return SEEDS.split();
        }

        Workload next(Workload[] requests) {
            return requests[random.nextInt(requests.length)];
        }
    }

    /** One small request, 4 threads. */
    @Benchmark
    @Threads(4)
    public ExecutionResult threads4(Cursor cursor, BatchCounters counters) {
        return counters.execute(trial, cursor.next(requests));
    }

    /** One small request, 16 threads. */
    @Benchmark
    @Threads(16)
    public ExecutionResult threads16(Cursor cursor, BatchCounters counters) {
        return counters.execute(trial, cursor.next(requests));
    }
}
