package dev.federation.examples.demo;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.federation.core.EntityType;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationStatistics;
import dev.federation.examples.ClusterConfig;
import dev.federation.examples.SubgraphCluster;
import dev.federation.examples.subgraphs.DataSettings;
import dev.federation.examples.subgraphs.PostsSubgraph;
import dev.federation.examples.subgraphs.ProductsSubgraph;
import dev.federation.examples.subgraphs.Subgraph;
import dev.federation.examples.subgraphs.UsersSubgraph;
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

/**
 * The go-live demo: starts the three subgraphs in-process on free ports, sends them over HTTP the workload a
 * gateway sends for pages of posts, first in {@code DIRECT} mode, then in {@code BATCHED} mode, and measures
 * what the go-live plan asks.
 *
 * <p>Each round is {@value #REQUESTS_PER_ROUND} requests, as a gateway's query plan for
 * {@code posts { author { name posts { title } } product { name } }} sends them:
 * <ol>
 *   <li>{@code posts(limit: N, offset)} to the posts subgraph;</li>
 *   <li>{@code _entities} of the N authors ({@code ...on User{id name email}}) to the users subgraph;</li>
 *   <li>{@code _entities} of N products ({@code ...on Product{id name price}}) to the products subgraph;</li>
 *   <li>{@code _entities} of the N authors ({@code ...on User{id posts{id title}}}) to the posts subgraph.</li>
 * </ol>
 * Every answer is checked (no GraphQL error, one entity per representation, the seeded values), and a wrong
 * one counts as an error. SQL is counted by each database's JDBC proxy; batch statistics come from the
 * library's {@link FederationStatistics}; response times are measured by the client.
 *
 * <pre>{@code
 * DemoReport report = GoLiveDemo.run(DemoConfig.ofDefaults());
 * System.out.print(report.table());
 * }</pre>
 */
public final class GoLiveDemo {

    /** Requests in one round of the workload. */
    public static final int REQUESTS_PER_ROUND = 4;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POSTS_QUERY =
            "query($limit:Int,$offset:Int){posts(limit:$limit,offset:$offset){id title author{id} product{id}}}";
    private static final String ENTITIES =
            "query($representations:[_Any!]!){_entities(representations:$representations){%s}}";

    private final DemoConfig config;
    private final SubgraphCluster cluster;
    private final BatchTimings timings;
    private final HttpClient http;
    private final URI users;
    private final URI posts;
    private final URI products;

    private GoLiveDemo(DemoConfig config, SubgraphCluster cluster, BatchTimings timings) {
        this.config = config;
        this.cluster = cluster;
        this.timings = timings;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, URI> uris = cluster.graphqlUris();
        this.users = uris.get("users");
        this.posts = uris.get("posts");
        this.products = uris.get("products");
    }

    /**
     * Runs the demo: seeds, warms up both modes, measures {@code DIRECT} then {@code BATCHED}, and stops
     * everything it started.
     */
    public static DemoReport run(DemoConfig config) {
        DemoConfig.require(config);
        long start = System.nanoTime();
        BatchTimings timings = new BatchTimings();
        PrintStream progress = config.progress();
        if (progress != null) {
            progress.printf(Locale.ROOT, "Seeding %,d users, %,d posts and %,d products in three H2 databases...%n",
                    config.data().users(), config.data().posts(), config.data().products());
        }
        ClusterConfig cc = ClusterConfig.custom()
                .data(config.data())
                .observer(timings)
                .build();
        PhaseResult before;
        PhaseResult after;
        try (SubgraphCluster cluster = SubgraphCluster.start(cc)) {
            GoLiveDemo demo = new GoLiveDemo(config, cluster, timings);
            demo.phase(FederationMode.DIRECT, config.warmupRounds(), 0, "warm-up DIRECT ");
            demo.phase(FederationMode.BATCHED, config.warmupRounds(), 0, "warm-up BATCHED");
            before = demo.phase(FederationMode.DIRECT, config.rounds(), config.warmupRounds(), "DIRECT         ");
            after = demo.phase(FederationMode.BATCHED, config.rounds(), config.warmupRounds(), "BATCHED        ");
        }
        return new DemoReport(config, before, after, smallRequests(config), System.nanoTime() - start);
    }

    /** Clients of the small-requests phase, and requests each sends. */
    static final int SMALL_CLIENTS = 32;
    static final int SMALL_REQUESTS_EACH = 20;

    /**
     * The small-requests phase: {@value #SMALL_CLIENTS} clients at once send requests of 1 to 5 users, per
     * request and then with cross-request batching (a window of 2 ms), each on subgraphs of its own.
     */
    private static List<SmallRequests.Result> smallRequests(DemoConfig config) {
        PrintStream progress = config.progress();
        if (progress != null) {
            progress.printf(Locale.ROOT, "Small requests: %d clients at once, 1 to 5 users each, without and with "
                    + "cross-request batching...%n", SMALL_CLIENTS);
        }
        DataSettings data = DataSettings.sizes(config.data().users(), 100, 10)
                .withDbRoundTrip(config.data().dbRoundTrip());
        try {
            return List.of(SmallRequests.run(data, SMALL_CLIENTS, SMALL_REQUESTS_EACH, null),
                    SmallRequests.run(data, SMALL_CLIENTS, SMALL_REQUESTS_EACH, Duration.ofMillis(2)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private PhaseResult phase(FederationMode mode, int rounds, int firstRound, String label) {
        cluster.setMode(mode, "demo: " + mode + " phase");
        Counters c0 = counters();
        timings.drain();
        List<Long> latencies = new ArrayList<>(rounds * REQUESTS_PER_ROUND);
        long errors = 0;
        PrintStream progress = config.progress();
        // drawn in place only on a terminal; in a log, a plain line at each quarter
        boolean inPlace = System.console() != null;
        for (int r = 0; r < rounds; r++) {
            errors += round(firstRound + r, latencies);
            if (progress != null) {
                if (inPlace) {
                    bar(progress, label, r + 1, rounds);
                } else if ((r + 1) * 4 / rounds != r * 4 / rounds || r + 1 == rounds) {
                    progress.printf(Locale.ROOT, "  %s %d/%d rounds%n", label, r + 1, rounds);
                }
            }
        }
        if (progress != null && inPlace) {
            progress.println();
        }
        List<Long> resolution = timings.drain();
        Counters c1 = counters();
        long heap = heapAfterGc();
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] res = resolution.stream().mapToLong(Long::longValue).sorted().toArray();
        return new PhaseResult(mode, sorted.length, errors, percentile(sorted, 0.50), percentile(sorted, 0.99),
                c1.sql - c0.sql, c1.userCalls - c0.userCalls, c1.userSql - c0.userSql, c1.loads - c0.loads,
                c1.backendCalls - c0.backendCalls, c1.batchCalls - c0.batchCalls, c1.batchedKeys - c0.batchedKeys,
                percentile(res, 0.99), heap);
    }

    /** One round; returns the number of failed requests. */
    private int round(int round, List<Long> latencies) {
        int n = config.representations();
        int offset = (int) ((long) round * n % (config.data().posts() - n + 1));
        List<Map<String, Object>> authors = new ArrayList<>(n);
        List<Map<String, Object>> productReps = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            long postId = offset + k + 1;
            authors.add(rep("User", PostsSubgraph.authorOf(postId, config.data().users())));
            productReps.add(rep("Product", (offset + k) % config.data().products() + 1));
        }
        int errors = 0;
        Map<String, Object> pageVars = new LinkedHashMap<>();
        pageVars.put("limit", n);
        pageVars.put("offset", offset);
        errors += send(posts, POSTS_QUERY, pageVars, latencies, data -> {
            List<?> page = (List<?>) data.get("posts");
            Map<?, ?> first = (Map<?, ?>) page.get(0);
            return page.size() == n && ("Post " + (offset + 1)).equals(first.get("title"));
        });
        errors += send(users, String.format(ENTITIES, "...on User{id name email}"),
                Map.of("representations", authors), latencies, data -> {
                    List<?> e = (List<?>) data.get("_entities");
                    Map<?, ?> first = (Map<?, ?>) e.get(0);
                    long id = Long.parseLong((String) first.get("id"));
                    return e.size() == n && UsersSubgraph.nameOf(id).equals(first.get("name"))
                            && e.stream().allMatch(x -> x instanceof Map && ((Map<?, ?>) x).get("name") != null);
                });
        errors += send(products, String.format(ENTITIES, "...on Product{id name price}"),
                Map.of("representations", productReps), latencies, data -> {
                    List<?> e = (List<?>) data.get("_entities");
                    Map<?, ?> first = (Map<?, ?>) e.get(0);
                    long id = Long.parseLong((String) first.get("id"));
                    return e.size() == n && ProductsSubgraph.nameOf(id).equals(first.get("name"))
                            && e.stream().allMatch(x -> x instanceof Map && ((Map<?, ?>) x).get("name") != null);
                });
        errors += send(posts, String.format(ENTITIES, "...on User{id posts{id title}}"),
                Map.of("representations", authors), latencies, data -> {
                    List<?> e = (List<?>) data.get("_entities");
                    return e.size() == n && e.stream().allMatch(x -> x instanceof Map
                            && ((Map<?, ?>) x).get("posts") instanceof List);
                });
        return errors;
    }

    private interface Check {
        boolean ok(Map<String, Object> data);
    }

    /** Sends one request; records its latency; returns 1 when it failed, 0 otherwise. */
    private int send(URI uri, String query, Map<String, Object> variables, List<Long> latencies, Check check) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        long start = System.nanoTime();
        try {
            HttpRequest req = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                    .build();
            HttpResponse<byte[]> resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            latencies.add(System.nanoTime() - start);
            if (resp.statusCode() != 200) {
                return 1;
            }
            Map<String, Object> result = JSON.readValue(resp.body(), new TypeReference<Map<String, Object>>() {
            });
            @SuppressWarnings("unchecked")
            Map<String, Object> data = (Map<String, Object>) result.get("data");
            return result.get("errors") != null || data == null || !check.ok(data) ? 1 : 0;
        } catch (IOException | RuntimeException e) {
            latencies.add(System.nanoTime() - start);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Map<String, Object> rep(String typename, long id) {
        Map<String, Object> m = new LinkedHashMap<>(4);
        m.put("__typename", typename);
        m.put("id", String.valueOf(id));
        return m;
    }

    private record Counters(long sql, long userCalls, long userSql, long loads, long backendCalls, long batchCalls,
            long batchedKeys) {
    }

    private Counters counters() {
        long sql = 0;
        long loads = 0;
        long backend = 0;
        long batchCalls = 0;
        long keys = 0;
        for (SubgraphCluster.Node node : cluster.nodes().values()) {
            Subgraph s = node.subgraph();
            sql += s.sql().total();
            FederationStatistics.Snapshot snap = s.statistics().snapshot();
            for (EntityType type : s.entities().entityTypes().values()) {
                FederationStatistics.TypeSnapshot t = snap.types().get(type.typename());
                if (t != null) {
                    loads += t.loads();
                    backend += t.backendCalls();
                    batchCalls += t.batchCalls().total();
                    keys += t.batchedKeys();
                }
            }
        }
        Subgraph u = cluster.node(UsersSubgraph.NAME).subgraph();
        return new Counters(sql, u.entitiesCalls().calls(), u.sql().total(), loads, backend, batchCalls, keys);
    }

    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void bar(PrintStream out, String label, int done, int total) {
        int width = 30;
        int filled = (int) ((long) done * width / total);
        char[] b = new char[width];
        Arrays.fill(b, 0, filled, '#');
        Arrays.fill(b, filled, width, '.');
        out.printf(Locale.ROOT, "\r  %s [%s] %d/%d rounds", label, new String(b), done, total);
        out.flush();
    }
}
