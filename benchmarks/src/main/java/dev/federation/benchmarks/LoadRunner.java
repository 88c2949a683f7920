package dev.federation.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Load and soak runner: {@code N} concurrent clients send a fixed number of {@code _entities} requests (the
 * gateway's shape) to a subgraph over HTTP, then it prints throughput, latency percentiles, errors, and the
 * heap used after a full GC at the start and at the end of the run (a leak shows as growth).
 *
 * <p>Without {@code --url} it starts a subgraph in this JVM ({@link LocalSubgraphServer}, this library over
 * an in-memory backend, bound to {@code 127.0.0.1} on a free port) and stops it at the end, so the heap
 * figures are the subgraph's (and the clients'). With {@code --url} only the clients' heap is seen.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.federation.benchmarks.LoadRunner \
 *     --clients 4 --requests 10000 --representations 100 --types 3
 * </pre>
 *
 * <p>Options: {@code --clients} (default {@value #DEFAULT_CLIENTS}), {@code --requests} (default
 * {@value #DEFAULT_REQUESTS}), {@code --warmup} requests before the start heap is taken (default
 * {@value #DEFAULT_WARMUP}), {@code --representations} per request (default
 * {@value #DEFAULT_REPRESENTATIONS}), {@code --types} (default {@value #DEFAULT_TYPES}), {@code --impl} of
 * the local subgraph (default {@code library}), {@code --url} of another subgraph. Exits with status 1 when
 * any request failed.
 */
public final class LoadRunner {

    /** Default number of concurrent clients. */
    public static final int DEFAULT_CLIENTS = 4;
    /** Default number of measured requests. */
    public static final int DEFAULT_REQUESTS = 10_000;
    /** Default number of warm-up requests. */
    public static final int DEFAULT_WARMUP = 2_000;
    /** Default representations per request. */
    public static final int DEFAULT_REPRESENTATIONS = 100;
    /** Default entity types per request. */
    public static final int DEFAULT_TYPES = 3;
    /** Allowed heap growth between start and end, as a fraction of the start. */
    public static final double HEAP_GROWTH_TARGET = 0.05;

    private LoadRunner() {
    }

    /**
     * Runs the load as the arguments say and prints the report.
     *
     * @param args the options listed in the class description
     * @throws Exception when the local subgraph cannot start or the run is interrupted
     */
    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Report report = run(options, System.out);
        report.print(System.out);
        System.exit(report.errors() == 0 ? 0 : 1);
    }

    /** The settings of one run. */
    record Options(int clients, int requests, int warmup, int representations, int types, String impl,
            @Nullable URI url) {

        Options {
            if (clients < 1 || requests < 1 || warmup < 0) {
                throw new IllegalArgumentException("clients and requests must be positive and warmup not negative");
            }
            Workload.of(representations, types); // validates both
        }

        static Options parse(String[] args) {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --option value pairs, got " + Arrays.toString(args));
                }
                m.put(args[i].substring(2), args[++i]);
            }
            Options o = new Options(
                    Integer.parseInt(m.getOrDefault("clients", String.valueOf(DEFAULT_CLIENTS))),
                    Integer.parseInt(m.getOrDefault("requests", String.valueOf(DEFAULT_REQUESTS))),
                    Integer.parseInt(m.getOrDefault("warmup", String.valueOf(DEFAULT_WARMUP))),
                    Integer.parseInt(m.getOrDefault("representations", String.valueOf(DEFAULT_REPRESENTATIONS))),
                    Integer.parseInt(m.getOrDefault("types", String.valueOf(DEFAULT_TYPES))),
                    m.getOrDefault("impl", Subgraphs.LIBRARY),
                    m.containsKey("url") ? URI.create(m.get("url")) : null);
            m.keySet().removeAll(List.of("clients", "requests", "warmup", "representations", "types", "impl", "url"));
            if (!m.isEmpty()) {
                throw new IllegalArgumentException("unknown options " + m.keySet());
            }
            return o;
        }
    }

    /** What a run measured. */
    record Report(String target, int clients, int requests, int representations, long errors, double seconds,
            long p50Nanos, long p99Nanos, long maxNanos, long heapStart, long heapEnd) {

        /** Entities asked for over the measured requests. */
        long entityLoads() {
            return (long) requests * representations;
        }

        /** Heap growth between start and end, as a fraction of the start. */
        double heapGrowth() {
            return heapStart == 0 ? 0 : (double) (heapEnd - heapStart) / heapStart;
        }

        void print(PrintStream out) {
            out.printf(Locale.ROOT, "target          %s%n", target);
            out.printf(Locale.ROOT, "clients         %d%n", clients);
            out.printf(Locale.ROOT, "requests        %d x %d representations = %,d entity loads%n", requests,
                    representations, entityLoads());
            out.printf(Locale.ROOT, "duration        %.2f s%n", seconds);
            out.printf(Locale.ROOT, "throughput      %,.0f requests/s, %,.0f entities/s%n", requests / seconds,
                    entityLoads() / seconds);
            out.printf(Locale.ROOT, "latency         p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", p50Nanos / 1e6,
                    p99Nanos / 1e6, maxNanos / 1e6);
            out.printf(Locale.ROOT, "errors          %d%n", errors);
            out.printf(Locale.ROOT, "heap after GC   start %.1f MB, end %.1f MB, growth %+.1f %% (target within %.0f %%: %s)%n",
                    heapStart / 1e6, heapEnd / 1e6, heapGrowth() * 100, HEAP_GROWTH_TARGET * 100,
                    Math.abs(heapGrowth()) <= HEAP_GROWTH_TARGET ? "met" : "MISSED");
        }
    }

    /**
     * Runs the load: warm-up, start heap, measured requests, end heap.
     *
     * @param log where progress goes
     */
    static Report run(Options options, PrintStream log) throws IOException, InterruptedException {
        LocalSubgraphServer local = null;
        URI uri = options.url();
        if (uri == null) {
            local = LocalSubgraphServer.start(options.impl(), Math.max(2, options.clients()));
            uri = local.uri();
            log.println("started a local " + options.impl() + " subgraph at " + uri);
        }
        ExecutorService clients = Executors.newFixedThreadPool(options.clients(), r -> {
            Thread t = new Thread(r, "load-client");
            t.setDaemon(true);
            return t;
        });
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newFixedThreadPool(2, r -> {
                    Thread t = new Thread(r, "load-http");
                    t.setDaemon(true);
                    return t;
                }))
                .build();
        try {
            Workload workload = Workload.of(options.representations(), options.types());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("query", workload.query);
            body.put("variables", workload.variables);
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
                    .build();
            String expected = Json.write(Map.of("data", Map.of("_entities", workload.expectedEntities())));
            if (options.warmup() > 0) {
                log.println("warming up with " + options.warmup() + " requests");
                load(http, request, expected, options.clients(), options.warmup(), new long[options.warmup()]);
            }
            long heapStart = heapAfterGc();
            log.printf(Locale.ROOT, "heap after GC at start: %.1f MB; sending %d requests from %d clients%n",
                    heapStart / 1e6, options.requests(), options.clients());
            long[] latencies = new long[options.requests()];
            long start = System.nanoTime();
            long errors = load(http, request, expected, options.clients(), options.requests(), latencies);
            double seconds = (System.nanoTime() - start) / 1e9;
            long heapEnd = heapAfterGc();
            Arrays.sort(latencies);
            return new Report(uri.toString(), options.clients(), options.requests(), options.representations(),
                    errors, seconds, percentile(latencies, 0.50), percentile(latencies, 0.99),
                    latencies[latencies.length - 1], heapStart, heapEnd);
        } finally {
            clients.shutdownNow();
            if (local != null) {
                local.close();
            }
        }
    }

    /**
     * Sends {@code count} requests from {@code clients} threads; records each latency; counts errors (a status
     * other than 200, an {@code errors} entry, an exception, or, for every 100th response, a body other than
     * {@code expected}).
     */
    private static long load(HttpClient http, HttpRequest request, String expected, int clients, int count,
            long[] latencies) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            Future<?>[] running = new Future<?>[clients];
            for (int c = 0; c < clients; c++) {
                running[c] = pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < count) {
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                            latencies[i] = System.nanoTime() - t0;
                            String b = response.body();
                            if (response.statusCode() != 200 || b.contains("\"errors\"")
                                    || (i % 100 == 0 && !b.equals(expected))) {
                                errors.incrementAndGet();
                            }
                        } catch (IOException e) {
                            latencies[i] = System.nanoTime() - t0;
                            errors.incrementAndGet();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                });
            }
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    errors.incrementAndGet();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return errors.get();
    }

    private static long percentile(long[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** Heap used after full GCs, once it stops shrinking (at most five GCs). */
    static long heapAfterGc() throws InterruptedException {
        long previous = Long.MAX_VALUE;
        long used = 0;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(200);
            used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (used >= previous) {
                break;
            }
            previous = used;
        }
        return Math.min(used, previous);
    }
}
