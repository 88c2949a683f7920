package dev.federation.benchmarks;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * The backend of every benchmarked subgraph: one in-memory table per entity type ({@code User},
 * {@code Product}, {@code Review}), each of {@link #ROWS} rows with ids such as {@code u7}, {@code p7},
 * {@code r7}, and a count of the backend calls made.
 *
 * <p>Without latency ({@link #inMemory()}) every call answers at once, on the calling thread, so a benchmark
 * measures only the resolution code around it. With latency ({@link #withLatency(Duration)}) every call
 * answers after that fixed delay through a scheduled executor, as a database or HTTP round trip would, and
 * never sleeps on the calling thread; the synchronous methods are then refused.
 *
 * <p>Thread-safe.
 */
final class Backend implements AutoCloseable {

    /** The entity types, in the order the representations of a workload use them. */
    static final List<String> TYPENAMES = List.of("User", "Product", "Review");

    /** Rows per table: ids {@code 0..ROWS-1}. */
    static final int ROWS = 1_000;

    private final Table<User> users;
    private final Table<Product> products;
    private final Table<Review> reviews;
    private final Map<String, Table<?>> tables;
    private final @Nullable ScheduledExecutorService scheduler;
    private final long latencyNanos;
    /** Calls in progress at most (a connection pool), 0 for no bound; the others wait in order. */
    private final int connections;
    private int busy;
    private final java.util.ArrayDeque<Runnable> waiting = new java.util.ArrayDeque<>();
    private final LongAdder calls = new LongAdder();
    private final LongAdder keys = new LongAdder();
    /** Calls and keys made by each thread: exact per benchmark thread, as the in-memory tables answer on it. */
    private final @Nullable ThreadLocal<long[]> byThread;

    private Backend(Duration latency, boolean countByThread) {
        this(latency, countByThread, 0);
    }

    private Backend(Duration latency, boolean countByThread, int connections) {
        this.connections = connections;
        this.byThread = countByThread ? ThreadLocal.withInitial(() -> new long[2]) : null;
        this.latencyNanos = latency.toNanos();
        this.scheduler = latencyNanos == 0 ? null : Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "backend-latency");
            t.setDaemon(true);
            return t;
        });
        this.users = new Table<>("User", User::new);
        this.products = new Table<>("Product", Product::new);
        this.reviews = new Table<>("Review", Review::new);
        Map<String, Table<?>> t = new LinkedHashMap<>();
        t.put(users.typename, users);
        t.put(products.typename, products);
        t.put(reviews.typename, reviews);
        this.tables = Map.copyOf(t);
    }

    /** A backend that answers at once. */
    static Backend inMemory() {
        return new Backend(Duration.ZERO, false);
    }

    /** A backend that answers at once and counts calls and keys by thread too ({@link #threadCounts()}). */
    static Backend inMemoryCountingByThread() {
        return new Backend(Duration.ZERO, true);
    }

    /**
     * A backend whose every call answers after {@code latency}.
     *
     * @throws IllegalArgumentException when {@code latency} is not positive
     */
    static Backend withLatency(Duration latency) {
        return new Backend(positive(latency), false);
    }

    private static Duration positive(Duration latency) {
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative() || latency.isZero()) {
            throw new IllegalArgumentException("latency must be positive, was " + latency);
        }
        return latency;
    }

    /**
     * A backend whose every call takes {@code latency} on one of {@code connections} connections, as a database
     * behind a pool of that size: a call that finds every connection busy waits for one, in order.
     */
    static Backend withLatency(Duration latency, int connections) {
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1, was " + connections);
        }
        return new Backend(positive(latency), false, connections);
    }

    /** The id of row {@code index} of a type, e.g. {@code u7} for {@code User} 7. */
    static String id(String typename, int index) {
        return Character.toLowerCase(typename.charAt(0)) + Integer.toString(index);
    }

    /** The name every row carries: {@code "User u7"}. */
    static String name(String typename, String id) {
        return typename + " " + id;
    }

    Table<User> users() {
        return users;
    }

    Table<Product> products() {
        return products;
    }

    Table<Review> reviews() {
        return reviews;
    }

    /**
     * The table of a type.
     *
     * @throws IllegalArgumentException for a type the backend does not hold
     */
    Table<?> table(String typename) {
        Table<?> t = tables.get(typename);
        if (t == null) {
            throw new IllegalArgumentException("no table for type " + typename);
        }
        return t;
    }

    /** {@code true} when calls answer after a latency (only the asynchronous methods may be used). */
    boolean hasLatency() {
        return scheduler != null;
    }

    /** The backend calls made so far, over all tables. */
    long calls() {
        return calls.sum();
    }

    /** The keys asked for so far, over all calls and tables. */
    long keys() {
        return keys.sum();
    }

    /**
     * The calls and keys made so far on the current thread, as {@code {calls, keys}} (a live array: copy the
     * values). For the in-memory backend every call of a request is made on the thread that executes it.
     */
    long[] threadCounts() {
        if (byThread == null) {
            throw new IllegalStateException("this backend does not count by thread");
        }
        return byThread.get();
    }

    private void count(int keyCount) {
        calls.increment();
        keys.add(keyCount);
        if (byThread != null) {
            long[] mine = byThread.get();
            mine[0]++;
            mine[1] += keyCount;
        }
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "Backend[" + (scheduler == null ? "in memory" : "latency " + latencyNanos + " ns"
                + (connections == 0 ? "" : ", " + connections + " connections")) + "]";
    }

    private <T> CompletableFuture<T> answer(T value) {
        if (scheduler == null) {
            return CompletableFuture.completedFuture(value);
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        if (connections == 0) {
            scheduler.schedule(() -> f.complete(value), latencyNanos, TimeUnit.NANOSECONDS);
            return f;
        }
        Runnable call = () -> scheduler.schedule(() -> {
            try {
                release();
            } finally {
                f.complete(value);
            }
        }, latencyNanos, TimeUnit.NANOSECONDS);
        synchronized (waiting) {
            if (busy == connections) {
                waiting.add(call);
                return f;
            }
            busy++;
        }
        call.run();
        return f;
    }

    /** A call ended: its connection goes to the first waiting call, or back to the pool. */
    private void release() {
        Runnable next;
        synchronized (waiting) {
            next = waiting.poll();
            if (next == null) {
                busy--;
            }
        }
        if (next != null) {
            next.run();
        }
    }

    private void requireNoLatency() {
        if (scheduler != null) {
            throw new IllegalStateException("a backend with latency answers asynchronously only");
        }
    }

    /**
     * One table: lookups by id, by one id or by many at once; each method call is one backend call.
     *
     * @param <V> the entity class
     */
    final class Table<V> {
        final String typename;
        private final Map<String, V> rows;

        private Table(String typename, BiFunction<String, String, V> factory) {
            this.typename = typename;
            Map<String, V> r = new HashMap<>(ROWS * 2);
            for (int i = 0; i < ROWS; i++) {
                String id = id(typename, i);
                r.put(id, factory.apply(id, name(typename, id)));
            }
            this.rows = Map.copyOf(r);
        }

        /** {@code true} when the backend answers after a latency (use the asynchronous methods). */
        boolean backendHasLatency() {
            return hasLatency();
        }

        /** The entity of {@code id}, or {@code null}; one call. */
        @Nullable V find(String id) {
            requireNoLatency();
            count(1);
            return rows.get(id);
        }

        /** The entities of {@code ids} by id (absent when unknown); one call. */
        Map<String, V> findAll(Collection<String> ids) {
            requireNoLatency();
            count(ids.size());
            return lookup(ids);
        }

        /** {@link #find(String)}, answered after the backend's latency. */
        CompletableFuture<@Nullable V> findAsync(String id) {
            count(1);
            return answer(rows.get(id));
        }

        /** {@link #findAll(Collection)}, answered after the backend's latency. */
        CompletableFuture<Map<String, V>> findAllAsync(Collection<String> ids) {
            count(ids.size());
            return answer(lookup(ids));
        }

        private Map<String, V> lookup(Collection<String> ids) {
            Map<String, V> out = new HashMap<>((int) (ids.size() / 0.75f) + 1); // no resize, no oversized table
            for (String id : ids) {
                V v = rows.get(id);
                if (v != null) {
                    out.put(id, v);
                }
            }
            return out;
        }
    }
}
