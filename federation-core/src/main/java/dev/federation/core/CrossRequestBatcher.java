package dev.federation.core;

import graphql.GraphQLContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The load step of cross-request batching for one {@link KeyResolver}: the distinct keys of concurrent
 * requests of one batch scope meet in a group, and go to the batch function together (natural batching, see
 * {@link CrossRequestBatching}). Thread-safe; one per resolver, shared by all requests.
 *
 * <p>A group's state (keys waiting, keys in flight, calls in flight) is guarded by the group's monitor, which
 * is never held while the batch function runs or while answers are handed out. A key wanted by several
 * requests is loaded once by the merged calls (a direct call, {@link #direct}, is one request's own); each of
 * them gets the key's own answer; a failure reaches the requests of the keys it failed. A request's answer is
 * complete when every one of its keys is answered, or when its deadline passes (the keys left then fail with
 * {@code ENTITY_BATCH_TIMEOUT}, and their loads go on for the others).
 */
final class CrossRequestBatcher<K> {

    private final KeyResolver<K> resolver;
    private final CrossRequestBatching settings;
    private final int maxBatchSize;
    private final long windowNanos;
    /** A group whose recent call time is below this calls the backend at once for each request. */
    private final long directBelowNanos;
    private final Executor timerExecutor;
    /** Where a timer hands the dispatch over: the batch executor, or the timer's own thread. */
    private final Executor handOff;
    private final ConcurrentHashMap<Object, Group> groups = new ConcurrentHashMap<>();

    /**
     * Groups kept (per entity type and key shape), idle or not, so that a busy scope does not build and drop its
     * group at every request; past it, the least recently used idle groups are dropped, so that a scope per tenant
     * holds no memory once quiet.
     */
    static final int KEPT_IDLE_GROUPS = 64;
    /** Shortest time between two sweeps of idle groups (a sweep reads every group). */
    private static final long SWEEP_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private final AtomicLong lastSweep = new AtomicLong(System.nanoTime() - SWEEP_INTERVAL_NANOS);
    private final AtomicBoolean sweeping = new AtomicBoolean();
    /** An idle group kept after holding more keys than this gets new, small maps (a map never shrinks). */
    private static final int SHRINK_ABOVE = 256;

    /** What a request's future holds when its deadline passed before its answers. */
    private static final Object[] EXPIRED = new Object[0];

    CrossRequestBatcher(KeyResolver<K> resolver, CrossRequestBatching settings, FederationOptions options) {
        this.resolver = resolver;
        this.settings = settings;
        this.maxBatchSize = options.maxBatchSize();
        this.windowNanos = settings.window().toNanos();
        this.directBelowNanos = settings.directBelow().toNanos();
        Executor executor = options.batchExecutor();
        // the JDK's delay thread only hands the dispatch over: to the batch executor when there is one
        this.handOff = executor != null ? executor : Runnable::run;
        this.timerExecutor = CompletableFuture.delayedExecutor(windowNanos, TimeUnit.NANOSECONDS, handOff);
    }

    /** Groups alive now (a test's view: past {@link #KEPT_IDLE_GROUPS}, idle groups are swept). */
    int groupCount() {
        return groups.size();
    }

    /** Keys waiting for a call, over every group (a test's view). */
    int waitingKeys() {
        int n = 0;
        for (Group g : groups.values()) {
            synchronized (g) {
                n += g.waiting.size();
            }
        }
        return n;
    }

    /**
     * Loads distinct {@code keys} of one request in {@code scope} (never {@code null}); the answers come in key
     * order, each an entity, {@code null} or a {@link KeyFailure}. Completes normally always.
     *
     * @param deadline the request's {@link System#nanoTime()} deadline
     * @param context the request's GraphQL context, handed to the observers of the calls it joins (never to a
     *     batch function)
     */
    CompletableFuture<Object[]> load(List<K> keys, Object scope, long deadline, @Nullable GraphQLContext context) {
        Group group = groups.computeIfAbsent(scope, Group::new);
        long recent = group.callNanos;
        if (recent > 0 && recent < directBelowNanos && keys.size() <= maxBatchSize // else merged: it splits
                && group.tryDirect(settings.maxCallsInFlight())) {
            return direct(group, keys, scope, deadline, context);
        }
        Request request = new Request(keys.size(), context);
        List<Batch<K>> now;
        while (true) {
            synchronized (group) {
                if (group.retired) {
                    group = groups.computeIfAbsent(scope, Group::new);
                    continue; // it went idle and was dropped meanwhile: join the new one
                }
                if (group.waiting.size() + keys.size() > settings.maxWaitingKeys() // else no need to count
                        && group.waiting.size() + fresh(group, keys) > settings.maxWaitingKeys()) {
                    return CompletableFuture.completedFuture(request.busy(busy(keys.size())));
                }
                for (int i = 0; i < keys.size(); i++) {
                    K k = keys.get(i);
                    Slot<K> slot = group.inFlight.get(k);
                    if (slot == null) {
                        slot = group.waiting.computeIfAbsent(k, Slot::new);
                    }
                    slot.waiters.add(new Waiter(request, i));
                }
                group.peakKeys = Math.max(group.peakKeys, group.waiting.size() + group.inFlight.size());
                now = group.takeOnArrival(deadline);
            }
            break;
        }
        for (Batch<K> batch : now) {
            dispatch(group, batch);
        }
        CompletableFuture<Object[]> f = request.future;
        if (f.isDone()) {
            return f;
        }
        // the timer is cancelled when the answers come first, so a finished request is not held until its deadline
        f.completeOnTimeout(EXPIRED, Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        return f.thenApply(answers -> answers == EXPIRED ? request.expire(resolver.calls.batchTimedOut()) : answers);
    }

    /** How many of {@code keys} the group neither waits for nor has in flight. Under the group's monitor. */
    private int fresh(Group group, List<K> keys) {
        int fresh = 0;
        for (K k : keys) {
            if (!group.inFlight.containsKey(k) && !group.waiting.containsKey(k)) {
                fresh++;
            }
        }
        return fresh;
    }

    /**
     * One call for one request's keys, at once and past the group's monitor: its calls have recently been faster
     * than {@link CrossRequestBatching#directBelow()}, so merging could not pay for a wait. Counted against
     * {@code maxCallsInFlight} among the direct calls of the group (taken by the caller).
     */
    private CompletableFuture<Object[]> direct(Group group, List<K> keys, Object scope, long deadline,
            @Nullable GraphQLContext context) {
        Object[] out = new Object[keys.size()];
        long start = System.nanoTime();
        CompletableFuture<Void> done;
        try {
            done = resolver.calls.call(keys, null, 0, FederationMode.BATCHED, 0, null, out, scope, deadline, 1, 0,
                    context == null ? List.of() : List.of(context));
        } catch (RuntimeException | Error e) {
            group.directDone(start);
            if (e instanceof Error) {
                throw (Error) e;
            }
            Arrays.fill(out, resolver.failed(e)); // as a merged call answers it: the request completes normally
            return CompletableFuture.completedFuture(out);
        }
        if (done.isDone()) {
            group.directDone(start);
            return CompletableFuture.completedFuture(out);
        }
        return done.handle((v, e) -> {
            group.directDone(start);
            return out;
        });
    }

    private KeyFailure busy(int size) {
        return new KeyFailure(FederationErrorCode.ENTITY_BATCH_FAILED.name(), "Failed to resolve " + resolver.typename
                + " (" + resolver.shape + "): the backend is busy (" + settings.maxWaitingKeys()
                + " keys are waiting already)", null);
    }

    /** Calls the batch function for {@code batch} (its keys moved to in flight already) and answers its waiters. */
    private void dispatch(Group group, Batch<K> batch) {
        Object[] out = new Object[batch.keys.size()];
        CompletableFuture<Void> done;
        try {
            done = resolver.calls.call(batch.keys, null, 0, FederationMode.BATCHED, 0, null, out, group.scope,
                    Long.MAX_VALUE, batch.requests, Math.max(0, System.nanoTime() - batch.firstArrival),
                    batch.contributors);
        } catch (RuntimeException | Error e) {
            // call() answers failures as KeyFailures; anything else must still free the keys and the slot, and
            // answer every request of the batch (an Error goes on up once it has)
            Arrays.fill(out, resolver.failed(e));
            completed(group, batch, out);
            if (e instanceof Error) {
                throw (Error) e;
            }
            return;
        }
        if (done.isDone()) {
            completed(group, batch, out);
        } else {
            done.whenComplete((v, e) -> completed(group, batch, out));
        }
    }

    private void completed(Group group, Batch<K> batch, Object[] out) {
        List<Batch<K>> next;
        synchronized (group) {
            for (Slot<K> s : batch.slots) {
                group.inFlight.remove(s.key);
            }
            group.calls--;
            group.callTook(System.nanoTime() - batch.dispatched);
            next = group.takeAll();
            group.wentIdle();
        }
        if (groups.size() > KEPT_IDLE_GROUPS) {
            sweep(false);
        }
        // the keys that waited go first: handing out answers runs each request's own continuation (the rest of
        // its GraphQL execution) on this thread, and the next call must not wait behind them
        for (Batch<K> b : next) {
            dispatch(group, b);
        }
        // no waiter joins a slot once it left inFlight, so the lists are read after the last write
        for (int j = 0; j < batch.slots.size(); j++) {
            Object answer = out[j];
            for (Waiter w : batch.slots.get(j).waiters) {
                w.request.answer(w.index, answer);
            }
        }
    }

    /**
     * Drops the least recently used idle groups until at most {@link #KEPT_IDLE_GROUPS} remain; at most once per
     * {@code SWEEP_INTERVAL_NANOS} unless {@code now}, one sweep at a time. Each group's monitor is taken alone,
     * never inside another's.
     */
    void sweep(boolean now) {
        long t = System.nanoTime();
        long last = lastSweep.get();
        if ((!now && t - last < SWEEP_INTERVAL_NANOS) || !sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            lastSweep.set(t);
            record Idle(CrossRequestBatcher<?>.Group group, long sinceUse) {
            }
            List<Idle> idle = new ArrayList<>();
            for (Group g : groups.values()) {
                synchronized (g) {
                    if (g.idle()) {
                        idle.add(new Idle(g, t - g.lastUse()));
                    }
                }
            }
            idle.sort(Comparator.comparingLong(Idle::sinceUse).reversed()); // the longest idle first
            for (Idle i : idle) {
                if (groups.size() <= KEPT_IDLE_GROUPS) {
                    break;
                }
                CrossRequestBatcher<?>.Group g = i.group();
                synchronized (g) {
                    if (g.idle()) { // a request may have come meanwhile: then it stays
                        g.retired = true;
                        groups.remove(g.scope, g);
                    }
                }
            }
        } finally {
            sweeping.set(false);
        }
    }

    /**
     * The most keys the group of {@code scope} held at once since its maps were made, or -1 when it has no group (a
     * test's view: 0 once an idle group got new maps after a burst).
     */
    int peakKeys(Object scope) {
        Group g = groups.get(scope);
        if (g == null) {
            return -1;
        }
        synchronized (g) {
            return g.peakKeys;
        }
    }

    /** Whether a group of {@code scope} is alive (a test's view). */
    boolean hasGroup(Object scope) {
        return groups.containsKey(scope);
    }

    private void windowPassed(Group group) {
        List<Batch<K>> now;
        synchronized (group) {
            group.timerArmed = false;
            now = group.takeAll();
        }
        for (Batch<K> b : now) {
            dispatch(group, b);
        }
    }

    /**
     * Keys taken for one call, with what was true of them when taken (under the group's monitor): later
     * waiters may still join its slots until the call completes, so only {@link #completed} reads them again.
     */
    static final class Batch<K> {
        final List<Slot<K>> slots;
        final List<K> keys;
        final int requests;
        final long firstArrival;
        /** When it was taken for its call. */
        final long dispatched = System.nanoTime();
        /** The GraphQL contexts of the requests served, in arrival order, for the observers. */
        final List<GraphQLContext> contributors;

        Batch(List<Slot<K>> slots) {
            this.slots = slots;
            this.keys = new ArrayList<>(slots.size());
            Set<Request> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            List<GraphQLContext> contexts = new ArrayList<>(2);
            long first = Long.MAX_VALUE;
            for (Slot<K> s : slots) {
                keys.add(s.key);
                for (Waiter w : s.waiters) {
                    if (seen.add(w.request) && w.request.context != null) {
                        contexts.add(w.request.context);
                    }
                }
                if (first == Long.MAX_VALUE || s.arrived - first < 0) {
                    first = s.arrived;
                }
            }
            this.requests = seen.size();
            this.firstArrival = first;
            this.contributors = contexts;
        }
    }

    /** One key of a group and the requests waiting for it. */
    static final class Slot<K> {
        final K key;
        final long arrived = System.nanoTime();
        final List<Waiter> waiters = new ArrayList<>(2);

        Slot(K key) {
            this.key = key;
        }
    }

    /** A request waiting for the answer to its key at {@code index}. */
    record Waiter(Request request, int index) {
    }

    /** The answers of one request, complete when every key is answered or its deadline passed. */
    static final class Request {
        final CompletableFuture<Object[]> future = new CompletableFuture<>();
        final @Nullable GraphQLContext context;
        private final Object[] out;
        private final boolean[] answered;
        private int left;

        Request(int size, @Nullable GraphQLContext context) {
            this.context = context;
            this.out = new Object[size];
            this.answered = new boolean[size];
            this.left = size;
        }

        Object[] busy(KeyFailure failure) {
            Arrays.fill(out, failure);
            return out;
        }

        void answer(int index, @Nullable Object value) {
            boolean complete;
            synchronized (this) {
                if (left == 0 || answered[index]) {
                    return;
                }
                answered[index] = true;
                out[index] = value;
                complete = --left == 0;
            }
            if (complete) {
                future.complete(out);
            }
        }

        /** The deadline passed: the keys not answered yet fail with {@code timeout}; later answers are dropped. */
        synchronized Object[] expire(KeyFailure timeout) {
            for (int i = 0; i < out.length; i++) {
                if (!answered[i]) {
                    answered[i] = true;
                    out[i] = timeout;
                }
            }
            left = 0;
            return out;
        }
    }

    /** The keys of one batch scope: waiting, in flight, and the calls in flight. Guarded by its monitor. */
    final class Group {
        final Object scope;
        LinkedHashMap<K, Slot<K>> waiting = new LinkedHashMap<>();
        Map<K, Slot<K>> inFlight = new HashMap<>();
        /** Most keys waiting and in flight at once since the maps were made. */
        int peakKeys;
        int calls;
        boolean timerArmed;
        /** When the latest call was taken (its creation before the first): what the sweep reads as last used. */
        long lastDispatch = System.nanoTime();
        /**
         * The recent time of a call (a moving average), or 0 before the first completes. Written under the monitor
         * or by a direct call as it completes (a lost update only delays the average); read without it.
         */
        volatile long callNanos;
        /** When the latest direct call completed: a group served by direct calls only is in use all the same. */
        volatile long lastDirect = lastDispatch;
        /** Direct calls in flight ({@link #direct}): at most {@code maxCallsInFlight}. */
        final AtomicInteger directCalls = new AtomicInteger();
        boolean retired;

        Group(Object scope) {
            this.scope = scope;
        }

        /** A request arrived: what to dispatch at once, and the window armed for what waits. */
        List<Batch<K>> takeOnArrival(long deadline) {
            if (calls == 0) {
                return takeAll(); // no call in flight: no reason to wait
            }
            List<Batch<K>> out = new ArrayList<>(1);
            while (waiting.size() >= maxBatchSize && calls < settings.maxCallsInFlight()) {
                out.add(take());
            }
            if (!waiting.isEmpty()) {
                long now = System.nanoTime();
                // calls in flight are spread over a call's time: a new one may go once the latest has had its
                // share of it (pipelined natural batching), so that keys wait a fraction of a call, not a whole one
                long share = callNanos / settings.maxCallsInFlight();
                long sinceLast = now - lastDispatch;
                if (deadline - now <= windowNanos) {
                    out.addAll(takeAll()); // its deadline is nearer than the wait
                } else if (callNanos > 0 && calls < settings.maxCallsInFlight() && sinceLast >= share) {
                    out.addAll(takeAll());
                } else if (!timerArmed) {
                    timerArmed = true;
                    long wait = callNanos > 0 && calls < settings.maxCallsInFlight()
                            ? Math.min(windowNanos, Math.max(1, share - sinceLast)) : windowNanos;
                    Executor timer = wait == windowNanos ? timerExecutor
                            : CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS, handOff);
                    timer.execute(() -> windowPassed(this));
                }
            }
            return out;
        }

        /** A call of this group took {@code nanos}: folded into the moving average. */
        void callTook(long nanos) {
            long recent = callNanos;
            callNanos = recent == 0 ? nanos : (7 * recent + nanos) / 8;
        }

        /** Takes a slot for a direct call, if fewer than {@code max} are in flight. */
        boolean tryDirect(int max) {
            while (true) {
                int n = directCalls.get();
                if (n >= max) {
                    return false;
                }
                if (directCalls.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
        }

        /** A direct call that started at {@code start} is over: its slot is free, and its time counts. */
        void directDone(long start) {
            long now = System.nanoTime();
            callTook(now - start);
            lastDirect = now;
            directCalls.decrementAndGet();
        }

        /** The later of the latest merged call taken and the latest direct call completed (what the sweep ranks). */
        long lastUse() {
            long direct = lastDirect;
            return direct - lastDispatch > 0 ? direct : lastDispatch;
        }

        /** Every waiting key, in calls of at most {@code maxBatchSize}, as far as the calls in flight allow. */
        List<Batch<K>> takeAll() {
            if (waiting.isEmpty() || calls >= settings.maxCallsInFlight()) {
                return List.of();
            }
            List<Batch<K>> out = new ArrayList<>(1);
            while (!waiting.isEmpty() && calls < settings.maxCallsInFlight()) {
                out.add(take());
            }
            return out;
        }

        private Batch<K> take() {
            int n = Math.min(maxBatchSize, waiting.size());
            List<Slot<K>> batch = new ArrayList<>(n);
            Iterator<Slot<K>> it = waiting.values().iterator();
            while (batch.size() < n) {
                Slot<K> s = it.next();
                it.remove();
                inFlight.put(s.key, s);
                batch.add(s);
            }
            calls++;
            lastDispatch = System.nanoTime();
            return new Batch<>(batch);
        }

        /**
         * No merged call in flight and no key waiting. Direct calls are read as a hint only: one may start on a group
         * the sweep retires (it uses none of the group's state; its time is then lost with the group).
         */
        boolean idle() {
            return calls == 0 && directCalls.get() == 0 && waiting.isEmpty() && !retired;
        }

        /** After a call: when now idle, small maps again after a large burst (a map never shrinks). */
        void wentIdle() {
            if (idle() && peakKeys > SHRINK_ABOVE) {
                waiting = new LinkedHashMap<>();
                inFlight = new HashMap<>();
                peakKeys = 0;
            }
        }
    }
}
