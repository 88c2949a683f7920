package dev.federation.benchmarks;

import dev.federation.testkit.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
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
 * heap used after a full GC at the start and at the end of the measured requests (a leak shows as growth).
 *
 * <p>Targets, each bound to {@code 127.0.0.1} on a free port and stopped at the end:
 * <ul>
 *   <li>{@code --target example} (default): the examples module's users subgraph (H2 through HikariCP,
 *       this library, the examples' HTTP server) started in this JVM, so the heap figures are the
 *       subgraph's (and the clients'); the requests cycle through {@value LoadTarget#USERS_BODIES} bodies
 *       of distinct user ids;</li>
 *   <li>{@code --target local}: this module's in-memory subgraph, implementation {@code --impl} (default
 *       {@code library}), served by the examples' {@code SubgraphServer};</li>
 *   <li>{@code --url URL}: a users subgraph of the examples' schema started elsewhere, with ids
 *       {@code 1..--rows}; only the clients' heap is seen then.</li>
 * </ul>
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.federation.benchmarks.LoadRunner \
 *     --clients 4 --requests 10000 --representations 100
 * </pre>
 *
 * <p>Other options: {@code --clients} (default {@value #DEFAULT_CLIENTS}), {@code --requests} (default
 * {@value #DEFAULT_REQUESTS}), {@code --warmup} requests before the start heap is taken (default
 * {@value #DEFAULT_WARMUP}), {@code --representations} per request (default
 * {@value #DEFAULT_REPRESENTATIONS}), {@code --types} for the local target (default
 * {@value #DEFAULT_TYPES}). Exits with status 1 when any request failed.
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
    /** Target: the examples module's users subgraph, started in this JVM. */
    public static final String TARGET_EXAMPLE = "example";
    /** Target: this module's minimal in-memory subgraph, started in this JVM. */
    public static final String TARGET_LOCAL = "local";
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
    record Options(int clients, int requests, int warmup, int representations, int types, String target,
            String impl, @Nullable URI url, int rows) {

        Options {
            if (clients < 1 || requests < 1 || warmup < 0) {
                throw new IllegalArgumentException("clients and requests must be positive and warmup not negative");
            }
            Workload.of(representations, types); // validates both
            if (!target.equals(TARGET_EXAMPLE) && !target.equals(TARGET_LOCAL)) {
                throw new IllegalArgumentException("--target is " + TARGET_EXAMPLE + " or " + TARGET_LOCAL + ", was "
                        + target);
            }
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
                    m.getOrDefault("target", TARGET_EXAMPLE),
                    m.getOrDefault("impl", Subgraphs.LIBRARY),
                    m.containsKey("url") ? URI.create(m.get("url")) : null,
                    Integer.parseInt(m.getOrDefault("rows", String.valueOf(LoadTarget.USERS_ROWS))));
            m.keySet().removeAll(List.of("clients", "requests", "warmup", "representations", "types", "target",
                    "impl", "url", "rows"));
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
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            // the JDK server writes headers and body apart: without TCP_NODELAY each response waits for the
            // client's delayed ACK (about 40 ms); a service sets this, so the in-process targets do too
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        LoadTarget target;
        if (options.url() != null) {
            target = LoadTarget.externalUsers(options.url(), options.representations(), options.rows());
        } else if (options.target().equals(TARGET_LOCAL)) {
            target = LoadTarget.local(options.impl(), options.representations(), options.types(),
                    Math.max(2, options.clients()));
        } else {
            target = LoadTarget.exampleUsers(options.representations());
        }
        log.println("target: " + target.description());
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
            List<HttpRequest> requests = new ArrayList<>(target.bodies().size());
            for (String body : target.bodies()) {
                requests.add(HttpRequest.newBuilder(target.uri())
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build());
            }
            if (options.warmup() > 0) {
                log.println("warming up with " + options.warmup() + " requests");
                load(http, requests, target.expected(), options.clients(), options.warmup(),
                        new long[options.warmup()]);
            }
            long heapStart = heapAfterGc();
            log.printf(Locale.ROOT, "heap after GC at start: %.1f MB; sending %d requests from %d clients%n",
                    heapStart / 1e6, options.requests(), options.clients());
            long[] latencies = new long[options.requests()];
            long start = System.nanoTime();
            long errors = load(http, requests, target.expected(), options.clients(), options.requests(), latencies);
            double seconds = (System.nanoTime() - start) / 1e9;
            long heapEnd = heapAfterGc();
            Arrays.sort(latencies);
            return new Report(target.description(), options.clients(), options.requests(), target.representations(),
                    errors, seconds, percentile(latencies, 0.50), percentile(latencies, 0.99),
                    latencies[latencies.length - 1], heapStart, heapEnd);
        } finally {
            try {
                target.stop().close();
            } catch (Exception e) {
                log.println("could not stop the target: " + e);
            }
        }
    }

    /**
     * Sends {@code count} requests from {@code clients} threads, request {@code i} being
     * {@code requests[i % size]}; records each latency; counts errors (a status other than 200, an
     * {@code errors} entry, an exception, or, for every 100th response, {@code _entities} other than
     * expected).
     */
    private static long load(HttpClient http, List<HttpRequest> requests, List<List<Map<String, Object>>> expected,
            int clients, int count, long[] latencies) throws InterruptedException {
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
                            int k = i % requests.size();
                            HttpResponse<String> response = http.send(requests.get(k),
                                    HttpResponse.BodyHandlers.ofString());
                            latencies[i] = System.nanoTime() - t0;
                            String b = response.body();
                            if (response.statusCode() != 200 || b.contains("\"errors\"")
                                    || (i % 100 == 0 && !expected.get(k).equals(entities(b)))) {
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

    private static @Nullable Object entities(String body) {
        try {
            Object parsed = Json.parse(body);
            Object data = parsed instanceof Map ? ((Map<?, ?>) parsed).get("data") : null;
            return data instanceof Map ? ((Map<?, ?>) data).get("_entities") : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
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
