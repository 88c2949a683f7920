package dev.federation.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.federation.cache.redis.RedisEntityCaches;
import dev.federation.core.EntityBatchLoader;
import dev.federation.core.EntityCacheOptions;
import dev.federation.core.EntityType;
import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import dev.federation.core.cache.EntityCacheStats;
import dev.federation.testkit.EntitiesSubgraph;
import dev.federation.testkit.RedisServer;
import graphql.ExecutionResult;
import graphql.schema.idl.RuntimeWiring;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The shared entity cache against the local one, measured in one run on a real {@code redis-server} (started on
 * 127.0.0.1 on a free port, stopped at the end):
 * <ol>
 *   <li><b>Three replicas</b> (three {@code FederatedEntities}, each with its own local level of 1,000 entries)
 *       take requests of 1 to 5 items drawn from a Zipf distribution (s = 0.9) over 20,000 items, far more
 *       than one local level holds; every backend call costs 1 ms. Local only, then local + Redis: backend calls
 *       and items loaded per representation, p50 and p99.</li>
 *   <li><b>An L2 hit against a backend call</b>: one replica loads 1,000 items; another (empty local level)
 *       asks for them, 5 per request, one request at a time (all Redis hits), then for 1,000 new items (all
 *       backend calls): p50 of each, the mean Redis read, and the bytes allocated (all threads) and read from
 *       Redis per item.</li>
 *   <li><b>Redis stopped mid-run</b> and started again: failed requests, and p99 of the requests made while it
 *       was gone, against the command timeout plus the backend's time.</li>
 * </ol>
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.federation.benchmarks.SharedCacheRun
 * </pre>
 */
public final class SharedCacheRun {

    static final String SDL = "extend schema @link(url: \"https://specs.apollo.dev/federation/v2.3\", "
            + "import: [\"@key\"])\n"
            + "type Item @key(fields: \"id\") { id: ID! name: String description: String priceCents: Int "
            + "tags: [String] }\n"
            + "type Query { top: Item }\n";
    static final String SELECTION = "...on Item{id name description priceCents tags}";
    static final int ITEMS = 20_000;
    static final int LOCAL_SIZE = 1_000;
    static final Duration COMMAND_TIMEOUT = Duration.ofMillis(100);

    /** An item as the backend returns it (about 200 bytes of JSON). */
    public record Item(String id, String name, String description, long priceCents, List<String> tags) {
    }

    private SharedCacheRun() {
    }

    /** The backend: 1 ms per call, counted. */
    static final class Backend {
        final LongAdder calls = new LongAdder();
        final LongAdder keys = new LongAdder();

        Map<String, Item> items(List<String> ids) {
            calls.increment();
            keys.add(ids.size());
            LockSupport.parkNanos(1_000_000);
            Map<String, Item> out = new LinkedHashMap<>();
            for (String id : ids) {
                out.put(id, new Item(id, "Item " + id, "A fine item, number " + id + ", in stock and ready to ship",
                        1999 + id.hashCode() % 1000, List.of("tools", "garden", "sale")));
            }
            return out;
        }
    }

    /** One replica: a real federation-jvm schema on graphql-java. */
    static final class Replica implements AutoCloseable {
        final FederatedEntities entities;
        final EntitiesSubgraph subgraph;
        final RedisEntityCaches redis;

        Replica(Backend backend, String redisUri) {
            this.redis = redisUri == null ? null : RedisEntityCaches.builder(redisUri).prefix("run")
                    .commandTimeout(COMMAND_TIMEOUT).failureThreshold(3).retryAfter(Duration.ofMillis(200)).build();
            FederatedEntities.Builder b = FederatedEntities.builder()
                    .modeSwitch(FederationModeSwitch.of(FederationMode.BATCHED))
                    .entity(EntityType.named("Item").javaClass(Item.class)
                            .key("id", rep -> rep.getString("id"), EntityBatchLoader.mapped(backend::items))
                            .cache(EntityCacheOptions.of(LOCAL_SIZE, Duration.ofMinutes(10)))
                            .build());
            if (redis != null) {
                b.cacheProvider(redis);
            }
            this.entities = b.build();
            this.subgraph = EntitiesSubgraph.of(SDL, RuntimeWiring.newRuntimeWiring().build(), entities.fetcher(),
                    entities.typeResolver(), entities::withRegistry);
        }

        /** Asks for the items; returns the nanoseconds it took, or -1 when the answer had an error. */
        long request(List<String> ids) {
            List<Map<String, Object>> reps = new ArrayList<>(ids.size());
            for (String id : ids) {
                reps.add(EntitiesSubgraph.rep("Item", "id", id));
            }
            long start = System.nanoTime();
            ExecutionResult r = subgraph.entities(reps, SELECTION);
            long took = System.nanoTime() - start;
            return r.getErrors().isEmpty() && EntitiesSubgraph.entityList(r).size() == ids.size() ? took : -1;
        }

        EntityCacheStats stats() {
            return entities.caches().get("Item").stats();
        }

        @Override
        public void close() {
            entities.close();
            if (redis != null) {
                redis.close();
            }
        }
    }

    /** Zipf(s) over {@code n} ranks, by its cumulative distribution. */
    static final class Zipf {
        final double[] cdf;

        Zipf(int n, double s) {
            cdf = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += 1 / Math.pow(i + 1, s);
                cdf[i] = sum;
            }
            for (int i = 0; i < n; i++) {
                cdf[i] /= sum;
            }
        }

        int next(Random random) {
            int i = Arrays.binarySearch(cdf, random.nextDouble());
            return Math.min(cdf.length - 1, i >= 0 ? i : -i - 1);
        }
    }

    record Phase(String name, long requests, long representations, long calls, long keys, long failed, double p50,
            double p99, double seconds) {
        String row() {
            return String.format("| %s | %,d | %.3f | %.3f | %.2f | %.2f | %.0f | %d |", name, requests,
                    (double) calls / representations, (double) keys / representations, p50, p99,
                    requests / seconds, failed);
        }
    }

    /** 6 client threads, 2 per replica, each {@code each} requests of 1 to 5 distinct items (Zipf). */
    static Phase replicas(String name, Backend backend, List<Replica> replicas, int each, Runnable atOneThird,
            Runnable atTwoThirds, List<Long> outageLatencies, boolean[] outage) throws Exception {
        Zipf zipf = new Zipf(ITEMS, 0.9);
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long calls0 = backend.calls.sum();
        long keys0 = backend.keys.sum();
        AtomicInteger done = new AtomicInteger();
        LongAdder reps = new LongAdder();
        LongAdder failed = new LongAdder();
        long[][] latencies = new long[threads][each];
        int total = threads * each;
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Replica replica = replicas.get(t % replicas.size());
            futures.add(pool.submit(() -> {
                Random random = new Random(name.hashCode() * 31L + thread); // each phase its own draws
                for (int i = 0; i < each; i++) {
                    int n = 1 + random.nextInt(5);
                    List<String> ids = new ArrayList<>(n);
                    while (ids.size() < n) {
                        String id = "i" + zipf.next(random);
                        if (!ids.contains(id)) {
                            ids.add(id);
                        }
                    }
                    reps.add(n);
                    boolean during = outage[0];
                    long took = replica.request(ids);
                    if (took < 0) {
                        failed.increment();
                        took = 0;
                    }
                    latencies[thread][i] = took;
                    if (during && outage[0]) {
                        synchronized (outageLatencies) {
                            outageLatencies.add(took);
                        }
                    }
                    int d = done.incrementAndGet();
                    if (d == total / 3) {
                        atOneThird.run();
                    } else if (d == 2 * total / 3) {
                        atTwoThirds.run();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(10, TimeUnit.MINUTES);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        return new Phase(name, total, reps.sum(), backend.calls.sum() - calls0, backend.keys.sum() - keys0,
                failed.sum(), percentile(all, 0.50), percentile(all, 0.99), seconds);
    }

    static double ratio(Phase shared, Phase local, boolean keys) {
        return ((double) (keys ? shared.keys : shared.calls) / shared.representations)
                / ((double) (keys ? local.keys : local.calls) / local.representations);
    }

    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    static long allocatedBytes() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long b : mx.getThreadAllocatedBytes(mx.getAllThreadIds())) {
            sum += Math.max(0, b);
        }
        return sum;
    }

    /** Runs the three parts and prints their figures. */
    public static void main(String[] args) throws Exception {
        int each = args.length > 0 ? Integer.parseInt(args[0]) : 4_000;
        try (RedisServer server = RedisServer.start()) {
            System.out.println("redis-server at " + server.uri() + "; " + ITEMS + " items, Zipf 0.9, local level "
                    + LOCAL_SIZE + " entries, backend 1 ms per call, 6 client threads over 3 replicas, " + each
                    + " requests each");
            List<Phase> phases = new ArrayList<>();
            for (boolean shared : new boolean[] {false, true}) {
                Backend backend = new Backend();
                List<Replica> replicas = new ArrayList<>();
                for (int r = 0; r < 3; r++) {
                    replicas.add(new Replica(backend, shared ? server.uri() : null));
                }
                String name = shared ? "local + Redis (shared)" : "local only";
                phases.add(replicas(name + ", from cold", backend, replicas, each, () -> { }, () -> { },
                        new ArrayList<>(), new boolean[1]));
                phases.add(replicas(name + ", then warm", backend, replicas, each, () -> { }, () -> { },
                        new ArrayList<>(), new boolean[1]));
                for (Replica r : replicas) {
                    r.close();
                }
            }
            System.out.println();
            System.out.println("| cache | requests | backend calls / representation | items loaded / representation "
                    + "| p50 ms | p99 ms | requests/s | failed |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
            for (Phase p : phases) {
                System.out.println(p.row());
            }
            System.out.printf("backend calls per representation, shared / local only: %.3f from cold, %.3f warm "
                    + "(target <= 0.5); items loaded: %.3f and %.3f%n%n", ratio(phases.get(2), phases.get(0), false),
                    ratio(phases.get(3), phases.get(1), false), ratio(phases.get(2), phases.get(0), true),
                    ratio(phases.get(3), phases.get(1), true));

            l2AgainstBackend(server);
            outage(server, each);
        }
    }

    static void l2AgainstBackend(RedisServer server) throws Exception {
        Backend backend = new Backend();
        try (Replica writer = new Replica(backend, server.uri()); Replica reader = new Replica(backend, server.uri())) {
            List<List<String>> warm = new ArrayList<>();
            List<List<String>> cold = new ArrayList<>();
            for (int i = 0; i < 1_000; i += 5) {
                List<String> w = new ArrayList<>();
                List<String> c = new ArrayList<>();
                for (int k = i; k < i + 5; k++) {
                    w.add("w" + k);
                    c.add("c" + k);
                }
                warm.add(w);
                cold.add(c);
            }
            for (List<String> ids : warm) {
                writer.request(ids);
            }
            // the writes are asynchronous: wait until the last one is in Redis
            while (reader.redis != null && !inRedis(server, "w995")) {
                Thread.onSpinWait();
            }
            for (int i = 0; i < 200; i++) { // warm the JIT on other keys' both paths
                reader.request(List.of("x" + i));
            }
            long[] hitTimes = new long[warm.size()];
            long calls0 = backend.calls.sum();
            long alloc0 = allocatedBytes();
            for (int i = 0; i < warm.size(); i++) {
                hitTimes[i] = reader.request(warm.get(i));
            }
            long hitAlloc = allocatedBytes() - alloc0;
            long hitCalls = backend.calls.sum() - calls0;
            EntityCacheStats afterHits = reader.stats();
            long[] missTimes = new long[cold.size()];
            alloc0 = allocatedBytes();
            for (int i = 0; i < cold.size(); i++) {
                missTimes[i] = reader.request(cold.get(i));
            }
            long missAlloc = allocatedBytes() - alloc0;
            long missCalls = backend.calls.sum() - calls0 - hitCalls;
            long[] localTimes = new long[warm.size()];
            for (int i = 0; i < warm.size(); i++) { // now in the reader's local level: no I/O at all
                localTimes[i] = reader.request(warm.get(i));
            }
            Arrays.sort(localTimes);
            double localP50 = percentile(localTimes, 0.5);
            Arrays.sort(hitTimes);
            Arrays.sort(missTimes);
            double hitP50 = percentile(hitTimes, 0.5);
            double missP50 = percentile(missTimes, 0.5);
            EntityCacheStats.Remote remote = afterHits.remote();
            double meanCommandMs = remote.commandNanos() / 1e6 / remote.commands();
            byte[] sample = new ObjectMapper().writeValueAsBytes(backend.items(List.of("w500")).get("w500"));
            System.out.println("An L2 hit against a backend call (one request at a time, 5 items each, 200 requests):");
            System.out.println("| served by | p50 ms per request | backend calls | bytes allocated per item (all threads) |");
            System.out.println("|---|---:|---:|---:|");
            System.out.printf("| Redis (local level empty) | %.3f | %d | %,d |%n", hitP50, hitCalls, hitAlloc / 1000);
            System.out.printf("| the backend (1 ms per call) | %.3f | %d | %,d |%n", missP50,
                    missCalls, missAlloc / 1000);
            System.out.printf("| the local level (no I/O) | %.3f | 0 | |%n", localP50);
            System.out.printf("a bare Redis PING from this JVM (Lettuce, sync, loopback): p50 %.3f ms%n", pingP50(server));
            System.out.printf("what the L2 hit adds to a request (p50 over the local level's): %.3f ms = %.3f of a "
                    + "1 ms backend call (target <= 0.3); what the backend adds: %.3f ms; L2-hit request / backend "
                    + "request: %.3f; mean Redis command (reads and writes) %.3f ms over %d; bytes read from Redis per "
                    + "item %d (9 header + %d JSON)%n%n", hitP50 - localP50, (hitP50 - localP50) / 1.0,
                    missP50 - localP50, hitP50 / missP50, meanCommandMs, remote.commands(), 9 + sample.length,
                    sample.length);
        }
    }

    /** The floor: 2,000 PINGs in a row over one Lettuce connection, p50. */
    static double pingP50(RedisServer server) {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(server.uri());
        try (var c = client.connect()) {
            long[] t = new long[2_000];
            for (int i = 0; i < 500; i++) {
                c.sync().ping();
            }
            for (int i = 0; i < t.length; i++) {
                long start = System.nanoTime();
                c.sync().ping();
                t[i] = System.nanoTime() - start;
            }
            Arrays.sort(t);
            return percentile(t, 0.5);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    static boolean inRedis(RedisServer server, String id) {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(server.uri());
        try (var c = client.connect()) {
            return c.sync().exists("run:Item:id:s:" + id) == 1;
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    static void outage(RedisServer server, int each) throws Exception {
        Backend backend = new Backend();
        List<Replica> replicas = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            replicas.add(new Replica(backend, server.uri()));
        }
        List<Long> during = new ArrayList<>();
        boolean[] outage = new boolean[1];
        Phase p = replicas("local + Redis, Redis stopped from 1/3 to 2/3", backend, replicas, each, () -> {
            server.stop();
            outage[0] = true;
        }, () -> {
            outage[0] = false;
            server.restart();
        }, during, outage);
        long[] d = during.stream().mapToLong(Long::longValue).sorted().toArray();
        long errors = 0;
        for (Replica r : replicas) {
            errors += r.stats().remote().errors();
            r.close();
        }
        System.out.println("Redis stopped mid-run:");
        System.out.println("| run | requests | failed | requests while Redis was gone | their p50 ms | their p99 ms "
                + "| command timeout + backend ms | Redis errors counted |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        System.out.printf("| %s | %,d | %d | %,d | %.2f | %.2f | %d | %d |%n", p.name, p.requests, p.failed, d.length,
                percentile(d, 0.5), percentile(d, 0.99), COMMAND_TIMEOUT.toMillis() + 1, errors);
    }
}
