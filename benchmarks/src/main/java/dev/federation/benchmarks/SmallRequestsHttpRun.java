package dev.federation.benchmarks;

import dev.federation.examples.ClusterConfig;
import dev.federation.examples.SubgraphCluster;
import dev.federation.examples.subgraphs.DataSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many small concurrent requests over HTTP to the examples' users subgraph, as {@code serve} runs it, with and
 * without cross-request batching, in one run: 48 and then 256 clients, each sending {@code _entities} requests
 * of 1 to 5 distinct users (uniform over 10,000 rows), every SQL statement costing a simulated round trip of
 * 1 ms ({@code --db-round-trip-ms 1}). For each, it prints SQL statements per request and per representation,
 * p50 and p99 latency, throughput, and how many answers were 5xx or otherwise failed.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.federation.benchmarks.SmallRequestsHttpRun
 * </pre>
 *
 * <p>Every server binds {@code 127.0.0.1} on a free port and is stopped at the end of its configuration.
 */
public final class SmallRequestsHttpRun {

    private static final int ROWS = 10_000;

    private SmallRequestsHttpRun() {
    }

    record Result(String batching, int clients, int requests, long representations, long statements, long p50Nanos,
            long p99Nanos, double seconds, long serverErrors, long otherErrors) {
    }

    /** Runs the four configurations and prints one line each. */
    public static void main(String[] args) throws Exception {
        List<Result> results = new ArrayList<>();
        for (int clients : new int[] {48, 256}) {
            int each = clients == 48 ? 60 : 12;
            for (String window : new String[] {null, "2ms"}) {
                results.add(run(clients, each, window == null ? null : Duration.ofMillis(2)));
            }
        }
        System.out.println();
        System.out.println("| batching | clients | requests | SQL / request | SQL / representation | p50 ms | p99 ms "
                + "| requests/s | 5xx | other errors |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %.3f | %.3f | %.1f | %.1f | %.0f | %d | %d |%n",
                    r.batching(), r.clients(), r.requests(), (double) r.statements() / r.requests(),
                    (double) r.statements() / r.representations(), r.p50Nanos() / 1e6, r.p99Nanos() / 1e6,
                    r.requests() / r.seconds(), r.serverErrors(), r.otherErrors());
        }
    }

    static Result run(int clients, int requestsEach, Duration window) throws Exception {
        ClusterConfig.Builder config = ClusterConfig.custom()
                .data(DataSettings.sizes(ROWS, 1_000, 100).withDbRoundTrip(Duration.ofMillis(1)));
        if (window != null) {
            config.crossRequestWindow(window);
        }
        String batching = window == null ? "per request" : "cross-request 2 ms";
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try (SubgraphCluster cluster = SubgraphCluster.start(config.build())) {
            URI users = cluster.graphqlUris().get("users");
            warmUp(http, users);
            long statementsBefore = cluster.node("users").subgraph().sql().total();
            int total = clients * requestsEach;
            long[] latencies = new long[total];
            AtomicLong representations = new AtomicLong();
            AtomicLong serverErrors = new AtomicLong();
            AtomicLong otherErrors = new AtomicLong();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                running.add(pool.submit(() -> {
                    start.await();
                    Random random = new Random(31L * client + 7);
                    for (int r = 0; r < requestsEach; r++) {
                        int n = 1 + random.nextInt(5);
                        representations.addAndGet(n);
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<String> response = http.send(request(users, random, n),
                                    HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() >= 500) {
                                serverErrors.incrementAndGet();
                            } else if (response.statusCode() != 200 || response.body().contains("\"errors\"")) {
                                otherErrors.incrementAndGet();
                            }
                        } catch (java.io.IOException e) {
                            otherErrors.incrementAndGet();
                        }
                        latencies[client * requestsEach + r] = System.nanoTime() - t0;
                    }
                    return null;
                }));
            }
            long t0 = System.nanoTime();
            start.countDown();
            for (Future<?> f : running) {
                f.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long statements = cluster.node("users").subgraph().sql().total() - statementsBefore;
            Arrays.sort(latencies);
            Result result = new Result(batching, clients, total, representations.get(), statements,
                    latencies[(int) Math.ceil(0.50 * total) - 1], latencies[(int) Math.ceil(0.99 * total) - 1],
                    seconds, serverErrors.get(), otherErrors.get());
            System.out.printf(Locale.ROOT, "%s, %d clients: %d requests, %d SQL statements, %d 5xx%n", batching,
                    clients, total, statements, serverErrors.get());
            return result;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void warmUp(HttpClient http, URI users) throws Exception {
        Random random = new Random(1);
        for (int i = 0; i < 300; i++) {
            http.send(request(users, random, 1 + i % 5), HttpResponse.BodyHandlers.discarding());
        }
    }

    private static HttpRequest request(URI uri, Random random, int n) {
        StringBuilder reps = new StringBuilder();
        List<Integer> ids = new ArrayList<>();
        while (ids.size() < n) {
            int id = 1 + random.nextInt(ROWS);
            if (!ids.contains(id)) {
                ids.add(id);
                reps.append(reps.length() == 0 ? "" : ",").append("{\"__typename\":\"User\",\"id\":\"").append(id)
                        .append("\"}");
            }
        }
        String body = "{\"query\":\"query($r:[_Any!]!){_entities(representations:$r){...on User{id name}}}\","
                + "\"variables\":{\"r\":[" + reps + "]}}";
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
