package dev.federation.benchmarks;

import dev.federation.core.CrossRequestBatching;
import dev.federation.core.EntityBatchLoader;
import dev.federation.core.EntityType;
import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import dev.federation.core.FederationOptions;
import graphql.ExecutionResult;
import graphql.GraphQL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Cross-request batching against per-request batching on many small concurrent requests: 1 to 5 {@code User}
 * representations each, drawn uniformly from 1,000 rows ({@link Workload#smallUniform}), on 1, 16 and 64
 * threads, with a backend that answers at once or after 1 ms (an asynchronous driver: the wait holds no
 * thread). JMH samples each request's time (mean, p50, p99; throughput is threads / mean); at the end of each
 * trial the benchmark prints the backend calls per request and the keys per backend call it counted over the
 * measured iterations, as one line starting with {@code cross-request:}.
 *
 * <p>Both variants run the same {@link FederatedEntities} with an asynchronous batch function; only
 * {@code FederationOptions.crossRequest} differs (a window of {@code windowMicros}, 2 ms by default, the
 * defaults otherwise).
 *
 * <p>Public and not final because JMH generates subclasses of it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseSerialGC"})
// 40 s of warm-up: with 16 or 64 threads on 2 cores the JIT compiler gets a sliver of the CPU, and a free
// backend's throughput was still rising 5-fold 28 s in (one thread is steady after 6 s)
@Warmup(iterations = 20, time = 2)
@Measurement(iterations = 5, time = 2)
public class CrossRequestBenchmark {

    /** Per-request batching ({@value #PER_REQUEST}) or cross-request batching ({@value #CROSS_REQUEST}). */
    static final String PER_REQUEST = "per_request";
    static final String CROSS_REQUEST = "cross_request";
    static final int REQUESTS = 320;

    /** How batching is done. */
    @Param({PER_REQUEST, CROSS_REQUEST})
    public String batching = PER_REQUEST;

    /** The backend's time per call, in microseconds: 0 (in memory) or 1,000. */
    @Param({"0", "1000"})
    public int backendMicros;

    /** The cross-request window, in microseconds (per-request batching ignores it). */
    @Param({"2000"})
    public int windowMicros = 2000;

    /**
     * The backend's connections (calls in progress at once, the others wait for one), as a database pool: 0 for no
     * bound, where a call's latency never depends on how many there are. Only with {@code backendMicros > 0}: an
     * in-memory backend answers at once, on the caller's thread.
     */
    @Param({"0"})
    public int connections;

    /** Calls of the group at once (per-request batching ignores it): the library's default is 4. */
    @Param({"4"})
    public int maxCallsInFlight = CrossRequestBatching.DEFAULT_MAX_CALLS_IN_FLIGHT;

    private Backend backend = Backend.inMemory();
    private Subgraph subgraph = (q, v) -> {
        throw new IllegalStateException("not set up");
    };
    private Workload[] requests = new Workload[0];
    private final LongAdder executed = new LongAdder();
    private final LongAdder asked = new LongAdder();
    private long askedAtStart;
    private long measuredAsked;
    private long callsAtStart;
    private long keysAtStart;
    private long requestsAtStart;
    private long measuredCalls;
    private long measuredKeys;
    private int iteration;
    /** Requests completed in each measured iteration: steady figures say the warm-up was long enough. */
    private final List<Long> perIteration = new ArrayList<>();

    /** Builds the subgraph and checks that it answers every request. */
    @Setup(Level.Trial)
    public void setUp() {
        Duration latency = Duration.ofNanos(backendMicros * 1_000L);
        backend = backendMicros == 0 ? Backend.inMemory()
                : connections == 0 ? Backend.withLatency(latency) : Backend.withLatency(latency, connections);
        subgraph = subgraph(backend, batching.equals(CROSS_REQUEST), Duration.ofNanos(windowMicros * 1_000L),
                maxCallsInFlight);
        requests = new Workload[REQUESTS];
        for (int i = 0; i < REQUESTS; i++) {
            requests[i] = Workload.smallUniform(1 + i % 5, 104_729L * i);
            Verification.check(batching, subgraph, requests[i]);
        }
    }

    static Subgraph subgraph(Backend backend, boolean crossRequest, Duration window, int maxCallsInFlight) {
        FederationOptions.Builder options = FederationOptions.custom();
        if (crossRequest) {
            options.crossRequest(CrossRequestBatching.custom().window(window).maxCallsInFlight(maxCallsInFlight)
                    .build());
        }
        FederatedEntities entities = FederatedEntities.builder()
                .modeSwitch(FederationModeSwitch.of(FederationMode.BATCHED))
                .options(options.build())
                .entity(EntityType.named("User").javaClass(User.class)
                        .key("id", rep -> rep.getString("id"),
                                EntityBatchLoader.<String, User>mappedAsync(backend.users()::findAllAsync))
                        .build())
                .build();
        GraphQL graphQL = Subgraphs.graphQL(entities.fetcher(), entities.typeResolver());
        return (query, variables) -> graphQL.execute(Subgraphs.input(query, variables));
    }

    /** Counts from the start of each measured iteration (the warm-up ones are left out). */
    @Setup(Level.Iteration)
    public void startIteration() {
        callsAtStart = backend.calls();
        keysAtStart = backend.keys();
        requestsAtStart = executed.sum();
        askedAtStart = asked.sum();
    }

    /** Adds the iteration's counts, once the warm-up iterations are over. */
    @TearDown(Level.Iteration)
    public void endIteration(BenchmarkParams params) {
        iteration++;
        if (iteration > params.getWarmup().getCount()) {
            measuredCalls += backend.calls() - callsAtStart;
            measuredKeys += backend.keys() - keysAtStart;
            perIteration.add(executed.sum() - requestsAtStart);
            measuredAsked += asked.sum() - askedAtStart;
        }
    }

    /** Prints what batching did, and releases the backend. */
    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams params) {
        long measuredRequests = perIteration.stream().mapToLong(Long::longValue).sum();
        System.out.printf(Locale.ROOT, "%ncross-request: batching=%s backendMicros=%d windowMicros=%d "
                        + "maxCallsInFlight=%d connections=%d threads=%d requests=%d backendCalls=%d "
                        + "callsPerRequest=%.4f keysPerCall=%.2f keysAskedPerCall=%.2f perIteration=%s%n", batching,
                backendMicros, windowMicros, maxCallsInFlight, connections,
                params.getThreads(), measuredRequests, measuredCalls,
                measuredRequests == 0 ? Double.NaN : (double) measuredCalls / measuredRequests,
                measuredCalls == 0 ? Double.NaN : (double) measuredKeys / measuredCalls,
                measuredCalls == 0 ? Double.NaN : (double) measuredAsked / measuredCalls, perIteration);
        backend.close();
    }

    private ExecutionResult run(SmallRequestsBenchmark.Cursor cursor) {
        Workload request = cursor.next(requests);
        asked.add(request.representations);
        ExecutionResult result = subgraph.execute(request);
        if (!result.getErrors().isEmpty()) {
            throw new IllegalStateException(batching + " answered errors: " + result.getErrors());
        }
        Map<String, Object> data = result.getData();
        if (data == null || !request.expectedEntities().equals(data.get("_entities"))) {
            // merged calls must still give each request its own entities, in its order
            throw new IllegalStateException(batching + " answered other entities than asked for " + request);
        }
        executed.increment();
        return result;
    }

    /** One small request, 1 thread: the latency floor, if any. */
    @Benchmark
    @Threads(1)
    public ExecutionResult threads1(SmallRequestsBenchmark.Cursor cursor) {
        return run(cursor);
    }

    /** One small request, 16 threads. */
    @Benchmark
    @Threads(16)
    public ExecutionResult threads16(SmallRequestsBenchmark.Cursor cursor) {
        return run(cursor);
    }

    /** One small request, 64 threads. */
    @Benchmark
    @Threads(64)
    public ExecutionResult threads64(SmallRequestsBenchmark.Cursor cursor) {
        return run(cursor);
    }
}
