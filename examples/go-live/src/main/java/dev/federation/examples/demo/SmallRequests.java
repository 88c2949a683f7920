package dev.federation.examples.demo;

import dev.federation.examples.ClusterConfig;
import dev.federation.examples.SubgraphCluster;
import dev.federation.examples.subgraphs.DataSettings;
import java.io.IOException;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Many small concurrent requests to the users subgraph over HTTP, as a router sends them: {@code clients}
 * clients at once, each sending {@code _entities} requests of 1 to 5 distinct users, with or without
 * cross-request batching. It counts SQL statements, latency and failed answers; the demo prints it after the
 * go-live table, and the benchmarks' {@code SmallRequestsHttpRun} runs it at 48 and 256 clients.
 */
public final class SmallRequests {

    private SmallRequests() {
    }

    /**
     * What one configuration measured.
     *
     * @param batching {@code per request} or the cross-request window
     * @param clients concurrent clients
     * @param requests requests sent
     * @param representations representations they carried
     * @param statements SQL statements the users database ran for them
     * @param p50Nanos median latency
     * @param p99Nanos 99th percentile latency
     * @param seconds wall time of the requests
     * @param serverErrors answers with a 5xx status
     * @param otherErrors other failed answers (another status, a GraphQL error, an I/O failure)
     */
    public record Result(String batching, int clients, int requests, long representations, long statements,
            long p50Nanos, long p99Nanos, double seconds, long serverErrors, long otherErrors) {

        /** SQL statements per request. */
        public double statementsPerRequest() {
            return (double) statements / requests;
        }

        /** Representations per SQL statement: the average batch, duplicates counted. */
        public double representationsPerStatement() {
            return statements == 0 ? 0 : (double) representations / statements;
        }
    }

    /**
     * Starts the subgraphs with {@code data} (cross-request batching with {@code window}, or none when
     * {@code null}), sends {@code requestsEach} requests from each of {@code clients} clients at once after a
     * warm-up, and stops everything.
     */
    public static Result run(DataSettings data, int clients, int requestsEach, @Nullable Duration window)
            throws IOException, InterruptedException {
        ClusterConfig.Builder config = ClusterConfig.custom().data(data);
        if (window != null) {
            config.crossRequestWindow(window);
        }
        String batching = window == null ? "per request" : "cross-request " + (window.toNanos() % 1_000_000 == 0
                ? window.toMillis() + " ms" : window.toNanos() / 1_000 + " us");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try (SubgraphCluster cluster = SubgraphCluster.start(config.build())) {
            URI users = cluster.graphqlUris().get("users");
            Random warm = new Random(1);
            for (int i = 0; i < 200; i++) {
                http.send(request(users, warm, 1 + i % 5, data.users()), HttpResponse.BodyHandlers.discarding());
            }
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
                            HttpResponse<String> response = http.send(request(users, random, n, data.users()),
                                    HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() >= 500) {
                                serverErrors.incrementAndGet();
                            } else if (response.statusCode() != 200 || response.body().contains("\"errors\"")) {
                                otherErrors.incrementAndGet();
                            }
                        } catch (IOException e) {
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
                try {
                    f.get();
                } catch (ExecutionException e) {
                    otherErrors.incrementAndGet();
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long statements = cluster.node("users").subgraph().sql().total() - statementsBefore;
            Arrays.sort(latencies);
            return new Result(batching, clients, total, representations.get(), statements,
                    latencies[(int) Math.ceil(0.50 * total) - 1], latencies[(int) Math.ceil(0.99 * total) - 1],
                    seconds, serverErrors.get(), otherErrors.get());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The results as a Markdown table. */
    public static String table(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| batching | clients | requests | SQL / request | users / SQL statement | p50 ms | p99 ms "
                + "| requests/s | 5xx | other errors |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %.3f | %.1f | %.1f | %.1f | %.0f | %d | %d |%n",
                    r.batching(), r.clients(), r.requests(), r.statementsPerRequest(),
                    r.representationsPerStatement(), r.p50Nanos() / 1e6, r.p99Nanos() / 1e6,
                    r.requests() / r.seconds(), r.serverErrors(), r.otherErrors()));
        }
        return sb.toString();
    }

    private static HttpRequest request(URI uri, Random random, int n, int rows) {
        StringBuilder reps = new StringBuilder();
        List<Integer> ids = new ArrayList<>();
        while (ids.size() < n) {
            int id = 1 + random.nextInt(rows);
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
