package dev.federation.cache.redis;

import static dev.federation.cache.redis.Replica.ids;
import static org.assertj.core.api.Assertions.assertThat;

import dev.federation.core.EntityCacheOptions;
import dev.federation.core.cache.EntityCacheStats;
import dev.federation.metrics.FederationCacheMetrics;
import dev.federation.testkit.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replicas of a real subgraph, each with its own {@link RedisEntityCaches}, on one real {@code redis-server}.
 * Nothing is mocked; where a test waits for a message from Redis it waits for the condition, never a time.
 */
class RedisEntityCacheTest {

    static RedisServer server;
    final Replica.Backend backend = new Replica.Backend();
    final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        server = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        if (server != null) {
            server.close();
        }
    }

    @org.junit.jupiter.api.BeforeEach
    void aPrefixOfItsOwn(org.junit.jupiter.api.TestInfo test) {
        Replica.PREFIX.set("t-" + test.getTestMethod().orElseThrow().getName());
    }

    @AfterEach
    void closeReplicasAndFlush() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (!server.running()) {
            server.restart();
        }
        RedisClient client = RedisClient.create(server.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().flushall();
        } finally {
            client.shutdown();
        }
    }

    Replica replica() {
        return track(new Replica(backend, server.uri()));
    }

    Replica replica(EntityCacheOptions cache, java.util.function.UnaryOperator<RedisEntityCaches.Builder> settings) {
        return track(new Replica(backend, server.uri(), cache, settings));
    }

    private Replica track(Replica r) {
        open.add(r);
        return r;
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** Waits until the (asynchronous) writes of these ids are in Redis: a test that reads them elsewhere needs them. */
    static void awaitInRedis(List<String> ids) {
        RedisClient client = RedisClient.create(server.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            for (String id : ids) {
                await(id + " written to Redis", () -> c.sync().exists(Replica.PREFIX.get() + ":Product:id:s:" + id) == 1);
            }
        } finally {
            client.shutdown();
        }
    }

    /** Waits until the entries of these ids in {@code tenant}'s scope are in Redis. */
    static void awaitInRedis(List<String> ids, String tenant) {
        String field = JacksonEntityCodec.of(Replica.Product.class).version() + "|s:" + tenant;
        RedisClient client = RedisClient.create(server.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            for (String id : ids) {
                await(id + " of " + tenant + " written to Redis",
                        () -> c.sync().hexists(Replica.PREFIX.get() + ":Product:id:s:" + id, field));
            }
        } finally {
            client.shutdown();
        }
    }

    static EntityCacheStats stats(Replica r) {
        return r.entities.caches().get("Product").stats();
    }

    static EntityCacheStats.Level level(Replica r, String name) {
        return stats(r).level(name);
    }

    @Test
    void whatOneReplicaLoadsAnotherServesFromRedisInOneRoundTrip() {
        Replica a = replica();
        Replica b = replica();

        List<String> fromA = a.names("acme", ids(0, 20));
        awaitInRedis(ids(0, 20));
        List<String> fromB = b.names("acme", ids(0, 20));

        assertThat(fromB).isEqualTo(fromA).first().isEqualTo("Product p0 of acme v1");
        assertThat(backend.calls).hasSize(1);
        assertThat(level(b, "redis").hits()).isEqualTo(20);
        assertThat(stats(b).remote().commands()).isEqualTo(1); // one script for 20 keys: one round trip
        // now b holds them locally too: no Redis command at all
        b.names("acme", ids(0, 20));
        assertThat(level(b, "local").hits()).isEqualTo(20);
        assertThat(stats(b).remote().commands()).isEqualTo(1);
    }

    @Test
    void withAnExecutorReadsAreAsynchronousAndGoOnThere() {
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> new Thread(r, "redis-answers"));
        List<String> handedOff = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.Executor counting = task -> pool.execute(() -> {
            handedOff.add(Thread.currentThread().getName());
            task.run();
        });
        try {
            Replica a = replica();
            Replica b = replica(EntityCacheOptions.of(1_000, Duration.ofMinutes(5)), s -> s.executor(counting));
            a.names("acme", ids(0, 10));
            awaitInRedis(ids(0, 10));

            assertThat(b.names("acme", ids(5, 10))).hasSize(10); // 5 from Redis, 5 loaded
            assertThat(level(b, "redis").hits()).isEqualTo(5);
            assertThat(backend.calls.get(1)).containsExactly("p10", "p11", "p12", "p13", "p14");
            // the one read's answer went on on the executor (writes are never handed off)
            assertThat(handedOff).singleElement().asString().startsWith("redis-answers");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoTenantsNeverReadEachOthersEntriesOnAnyLevel() throws Exception {
        Replica a = replica();
        Replica b = replica();
        a.names("acme", ids(0, 10));
        awaitInRedis(ids(0, 10), "acme"); // b could read acme's entries: it must not

        assertThat(b.names("globex", ids(0, 10))).allMatch(n -> n.endsWith("of globex v1"));
        awaitInRedis(ids(0, 10), "globex"); // b's writes are asynchronous: a reads them from Redis
        assertThat(a.names("globex", ids(0, 10))).allMatch(n -> n.endsWith("of globex v1"));
        assertThat(backend.calls).hasSize(2);

        // 16 threads, two tenants, two replicas, overlapping keys: every answer is its own tenant's
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                Replica r = t % 2 == 0 ? a : b;
                String tenant = t % 4 < 2 ? "acme" : "initech";
                int from = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        List<String> names = r.names(tenant, ids((from + i) % 30, 5));
                        assertThat(names).allMatch(n -> n.endsWith(" of " + tenant + " v1"));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anInvalidationOnOneReplicaMakesEveryReplicaReload() {
        Replica a = replica();
        Replica b = replica();
        a.names("acme", ids(0, 3));
        a.names("globex", ids(0, 3));
        awaitInRedis(ids(0, 3));
        b.names("acme", ids(0, 3)); // b holds p0..p2 locally now
        int calls = backend.calls.size();

        backend.change("p1");
        assertThat(a.entities.invalidate("Product", Map.of("id", "p1"))).isEqualTo(1);
        await("b received the invalidation", () -> stats(b).remote().invalidationsReceived() >= 1);

        assertThat(b.names("acme", ids(0, 3))).containsExactly("Product p0 of acme v1", "Product p1 of acme v2",
                "Product p2 of acme v1");
        assertThat(backend.calls.subList(calls, backend.calls.size())).containsExactly(List.of("p1"));
        // every scope: globex reloads p1 too, on the other replica
        assertThat(b.names("globex", ids(1, 1))).containsExactly("Product p1 of globex v2");
        assertThat(stats(a).remote().invalidationsSent()).isEqualTo(1);
    }

    @Test
    void invalidatingATypeDropsItEverywhere() {
        Replica a = replica();
        Replica b = replica();
        a.names("acme", ids(0, 50));
        awaitInRedis(ids(0, 50)); // none of a's writes may land after the deletion
        b.names("acme", ids(0, 50));
        int calls = backend.calls.size();

        b.entities.invalidateAll("Product");
        await("a received it", () -> stats(a).remote().invalidationsReceived() >= 1);

        a.names("acme", ids(0, 50));
        assertThat(backend.calls).hasSize(calls + 1);
        assertThat(backend.calls.get(calls)).hasSize(50);
    }

    @Test
    void aNewCodecVersionNeverReadsTheOldBytes() {
        Replica v1 = replica();
        v1.names("acme", ids(0, 5));
        awaitInRedis(ids(0, 5)); // the old version's bytes are there to be (not) read
        Replica v2 = replica(EntityCacheOptions.of(1_000, Duration.ofMinutes(5)), b -> b.codec("Product",
                JacksonEntityCodec.of(Replica.Product.class).withVersion("product-v2")));

        v2.names("acme", ids(0, 5));

        assertThat(backend.calls).hasSize(2);
        assertThat(level(v2, "redis").misses()).isEqualTo(5);
        assertThat(JacksonEntityCodec.of(Replica.Product.class).version()).startsWith("Product@").hasSize(16);
    }

    @Test
    void garbageInRedisIsLoadedAgainNotServed() {
        Replica a = replica();
        a.names("acme", ids(0, 2));
        awaitInRedis(ids(0, 2)); // a's own writes must not land after the garbage
        String field = JacksonEntityCodec.of(Replica.Product.class).version() + "|s:acme";
        RedisClient client = RedisClient.create(server.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().hset(Replica.PREFIX.get() + ":Product:id:s:p0", field, "\u0001garbage-not-json");
            c.sync().hset(Replica.PREFIX.get() + ":Product:id:s:p1", field, "x");
        } finally {
            client.shutdown();
        }
        Replica b = replica();

        assertThat(b.names("acme", ids(0, 2))).containsExactly("Product p0 of acme v1", "Product p1 of acme v1");
        assertThat(backend.calls).hasSize(2);
    }

    @Test
    void concurrentMissesOfOneKeyLoadItOnce() throws Exception {
        Replica a = replica();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch firstCall = new CountDownLatch(1);
        backend.beforeAnswer = () -> {
            firstCall.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            Future<List<String>> owner = pool.submit(() -> a.names("acme", List.of("hot")));
            firstCall.await(20, TimeUnit.SECONDS);
            List<Future<List<String>>> others = new ArrayList<>();
            for (int t = 0; t < 15; t++) {
                others.add(pool.submit(() -> a.names("acme", List.of("hot"))));
            }
            // every other request has joined the load in flight before it is released
            await("15 requests wait on the one load", () -> a.entities.caches().get("Product").stats()
                    .level("redis").misses() >= 16);
            release.countDown();
            assertThat(owner.get(20, TimeUnit.SECONDS)).containsExactly("Product hot of acme v1");
            for (Future<List<String>> f : others) {
                assertThat(f.get(20, TimeUnit.SECONDS)).containsExactly("Product hot of acme v1");
            }
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        assertThat(backend.calls).containsExactly(List.of("hot"));
    }

    @Test
    void aStaleEntryIsServedAtOnceWhileOneRefreshLoadsIt() throws Exception {
        MutableClock clock = new MutableClock();
        EntityCacheOptions swr = EntityCacheOptions.custom().maximumSize(100).timeToLive(Duration.ofMinutes(1))
                .gracePeriod(Duration.ofMinutes(10)).build();
        Replica a = replica(swr, b -> b.clock(clock));
        a.names("acme", ids(0, 1));
        backend.change("p0");
        clock.advance(Duration.ofMinutes(2));
        CountDownLatch refreshed = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        backend.beforeAnswer = () -> {
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            refreshed.countDown();
        };

        // the refresh is held: the request is answered with the stale entry regardless
        assertThat(a.names("acme", ids(0, 1))).containsExactly("Product p0 of acme v1");
        assertThat(a.names("acme", ids(0, 1))).containsExactly("Product p0 of acme v1");
        release.countDown();
        refreshed.await(20, TimeUnit.SECONDS);
        await("the refresh filled the cache", () -> a.names("acme", ids(0, 1)).get(0).endsWith("v2"));
        assertThat(backend.calls).hasSize(2); // the first load and one refresh, not one per stale read
        // the refresh wrote the local level first, then Redis: wait for Redis before moving the clock
        String field = JacksonEntityCodec.of(Replica.Product.class).version() + "|s:acme";
        RedisClient client = RedisClient.create(server.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            await("the refresh is in Redis", () -> String.valueOf(
                    c.sync().hget(Replica.PREFIX.get() + ":Product:id:s:p0", field)).contains("v2"));
        } finally {
            client.shutdown();
        }
        clock.advance(Duration.ofMinutes(30)); // past the grace: a miss, loaded while the request waits
        backend.change("p0");
        backend.beforeAnswer = () -> {
        };
        assertThat(a.names("acme", ids(0, 1))).containsExactly("Product p0 of acme v3");
    }

    @Test
    void withRedisDownEveryRequestIsAnsweredAndTheCacheResumesByItself() {
        Replica a = replica(EntityCacheOptions.of(1_000, Duration.ofMinutes(5)),
                b -> b.failureThreshold(3).retryAfter(Duration.ofMillis(200)).commandTimeout(Duration.ofMillis(200)));
        a.names("acme", ids(0, 5));
        server.stop();

        for (int i = 0; i < 50; i++) { // new keys each time: every read asks Redis, which is gone
            assertThat(a.names("acme", ids(100 + i, 2))).hasSize(2);
        }
        assertThat(a.redis.available()).isFalse();
        assertThat(stats(a).remote().errors()).isPositive();
        assertThat(stats(a).remote().skipped()).isPositive();
        assertThat(a.names("acme", ids(0, 5))).hasSize(5); // the local level still serves

        server.restart();
        int i = 0;
        while (!a.redis.available()) { // requests go on; one probe after retryAfter finds Redis back
            assertThat(a.names("acme", ids(1000 + i++, 1))).hasSize(1);
        }
        Replica b = replica();
        a.names("acme", ids(5000, 3));
        awaitInRedis(ids(5000, 3));
        int calls = backend.calls.size();
        assertThat(b.names("acme", ids(5000, 3))).hasSize(3);
        assertThat(backend.calls).hasSize(calls); // a wrote to Redis again, b read it
    }

    @Test
    void killingRedisUnderLoadFailsNoRequest() throws Exception {
        Replica a = replica(EntityCacheOptions.of(200, Duration.ofMinutes(5)),
                b -> b.failureThreshold(3).retryAfter(Duration.ofMillis(100)).commandTimeout(Duration.ofMillis(200)));
        Replica b = replica(EntityCacheOptions.of(200, Duration.ofMinutes(5)),
                b2 -> b2.failureThreshold(3).retryAfter(Duration.ofMillis(100)).commandTimeout(Duration.ofMillis(200)));
        java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int t = 0; t < 8; t++) {
                Replica r = t % 2 == 0 ? a : b;
                String tenant = t % 4 < 2 ? "acme" : "globex";
                java.util.Random random = new java.util.Random(t);
                pool.submit(() -> {
                    while (running.get()) {
                        int from = (int) Math.min(999, Math.abs(random.nextGaussian()) * 150); // skewed, > one L1
                        try {
                            List<String> names = r.names(tenant, ids(from, 1 + random.nextInt(5)));
                            if (!names.stream().allMatch(n -> n.contains(" of " + tenant + " "))) {
                                failures.add(new AssertionError("wrong tenant: " + names));
                            }
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                        answered.incrementAndGet();
                    }
                });
            }
            await("500 requests with Redis up", () -> answered.get() >= 500);
            server.stop();
            int atStop = answered.get();
            await("500 more with Redis gone", () -> answered.get() >= atStop + 500);
            assertThat(a.redis.available() && b.redis.available()).isFalse();
            server.restart();
            await("both replicas use Redis again", () -> a.redis.available() && b.redis.available());
            int atRestart = answered.get();
            await("500 more with Redis back", () -> answered.get() >= atRestart + 500);
        } finally {
            running.set(false);
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(failures).isEmpty();
        assertThat(stats(a).remote().errors() + stats(b).remote().errors()).isPositive();
        assertThat(level(a, "redis").hits() + level(b, "redis").hits()).isPositive();
    }

    @Test
    void anInvalidationMadeWhileRedisIsDownIsSentWhenItAnswers() {
        Replica a = replica(EntityCacheOptions.of(1_000, Duration.ofMinutes(5)),
                b -> b.failureThreshold(100).commandTimeout(Duration.ofMillis(200)));
        a.names("acme", ids(0, 1));
        server.stop();
        a.entities.invalidate("Product", Map.of("id", "p0")); // cannot reach Redis: kept
        assertThat(stats(a).remote().invalidationsSent()).isZero(); // no Redis to take it
        server.restart();
        // sent once Redis answers again (after the next command that succeeds, or the channel's resubscription)
        int[] i = {0};
        await("the kept invalidation was sent", () -> {
            a.names("acme", ids(100 + i[0]++, 1));
            return stats(a).remote().invalidationsSent() == 1;
        });
        assertThat(stats(a).remote().invalidationsSent()).isEqualTo(1);
    }

    @Test
    void redisUnreachableFromTheStartCostsNoRequest() {
        Replica a = track(new Replica(backend, "redis://127.0.0.1:1", EntityCacheOptions.of(100,
                Duration.ofMinutes(5)), b -> b.failureThreshold(1).retryAfter(Duration.ofMinutes(1))));
        for (int i = 0; i < 20; i++) {
            assertThat(a.names("acme", ids(i, 3))).hasSize(3);
        }
        assertThat(a.names("acme", ids(0, 3))).hasSize(3);
        assertThat(level(a, "local").hits()).isPositive();
    }

    @Test
    void aRedisThatHangsCostsTheCommandTimeoutThenIsSkipped() {
        Replica a = replica(EntityCacheOptions.of(1_000, Duration.ofMinutes(5)),
                b -> b.failureThreshold(2).retryAfter(Duration.ofMinutes(1)).commandTimeout(Duration.ofMillis(100)));
        a.names("acme", ids(0, 1));
        RedisClient client = RedisClient.create(server.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().clientPause(10_000); // every other client's commands wait 10 s

            for (int i = 0; i < 10; i++) {
                assertThat(a.names("acme", ids(10 + i, 1))).hasSize(1);
            }
            assertThat(a.redis.available()).isFalse();
            // then skipped, not asked again (a write sent before the second failure may fail too)
            assertThat(stats(a).remote().errors()).isBetween(2L, 3L);
            assertThat(stats(a).remote().skipped()).isGreaterThanOrEqualTo(8);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void theMetersShowBothLevelsAndTheRemoteState() {
        Replica a = replica();
        Replica b = replica();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FederationCacheMetrics.of(b.entities).bindTo(registry);
        a.names("acme", ids(0, 4));
        awaitInRedis(ids(0, 4));
        b.names("acme", ids(0, 4));
        b.names("acme", ids(0, 4));

        assertThat(registry.get("federation.cache.remote.gets").tag("cache", "federation.Product")
                .tag("level", "redis").tag("result", "hit").functionCounter().count()).isEqualTo(4);
        assertThat(registry.get("cache.gets").tag("cache", "federation.Product").tag("result", "hit")
                .functionCounter().count()).isEqualTo(4);
        assertThat(registry.get("federation.cache.remote.available").gauge().value()).isEqualTo(1);
        assertThat(registry.get("federation.cache.remote.commands").functionTimer().count()).isEqualTo(1);
        assertThat(dev.federation.health.FederationViews.cacheStats(b.entities).toString())
                .contains("redis={size=-1, hits=4").contains("available=true");
    }

    @Test
    void aScopeRedisCannotNameStaysLocal() {
        record Tenant(String id) {
        }
        Replica a = replica();
        Replica b = replica();
        List<Map<String, Object>> reps = List.of(dev.federation.testkit.EntitiesSubgraph.rep("Product", "id", "p1"));
        a.subgraph.entities(reps, Replica.SELECTION, c -> c.of("tenant", new Tenant("acme")));
        b.subgraph.entities(reps, Replica.SELECTION, c -> c.of("tenant", new Tenant("acme")));
        assertThat(backend.calls).hasSize(2); // never shared through Redis: it has no name there
        a.subgraph.entities(reps, Replica.SELECTION, c -> c.of("tenant", new Tenant("acme")));
        assertThat(backend.calls).hasSize(2); // but served from a's local level
    }

    /** A clock tests move. */
    static final class MutableClock extends Clock {
        private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);

        void advance(Duration d) {
            millis.addAndGet(d.toMillis());
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
