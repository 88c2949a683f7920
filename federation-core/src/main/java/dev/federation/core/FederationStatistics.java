package dev.federation.core;

import dev.federation.core.observer.BatchCall;
import dev.federation.core.observer.BatchObservation;
import dev.federation.core.observer.BatchResult;
import dev.federation.core.observer.FederationObserver;
import dev.federation.core.observer.LoadOutcome;
import dev.federation.core.observer.Rejection;
import dev.federation.core.observer.RejectionReason;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * An observer that counts, since it was made, what entity resolution did per type: loads by outcome,
 * backend calls by mode and outcome, batch sizes. Its {@link #snapshot()} serves debug endpoints
 * ({@code /debug/federation}) and tests without a metrics library.
 *
 * <pre>{@code
 * FederationStatistics stats = new FederationStatistics();
 * FederatedEntities entities = FederatedEntities.builder().observer(stats)...build();
 * FederationStatistics.Snapshot now = stats.snapshot();
 * }</pre>
 *
 * <p>Thread-safe and cheap (striped counters). Types are keyed by the typenames of the subgraph (and the
 * names of the service's own DataLoaders); invented typenames of bad input are only counted as rejections.
 *
 * <p>Public API.
 */
public final class FederationStatistics implements FederationObserver {

    private final Map<String, TypeCounters> types = new ConcurrentHashMap<>();
    private final Map<RejectionReason, LongAdder> rejections = new EnumMap<>(RejectionReason.class);

    /** Counters that start at zero. */
    public FederationStatistics() {
        for (RejectionReason r : RejectionReason.values()) {
            rejections.put(r, new LongAdder());
        }
    }

    private TypeCounters type(String typename) {
        TypeCounters c = types.get(typename);
        return c != null ? c : types.computeIfAbsent(typename, t -> new TypeCounters());
    }

    @Override
    public BatchObservation batchStarted(BatchCall call) {
        TypeCounters c = type(call.typename());
        boolean batched = call.mode() == FederationMode.BATCHED;
        return new BatchObservation() {
            @Override
            public void completed(BatchResult result) {
                (batched ? (result.succeeded() ? c.batchSuccess : c.batchError)
                        : (result.succeeded() ? c.directSuccess : c.directError)).increment();
                if (batched) {
                    c.batchedKeys.add(result.size());
                    c.maxBatchSize.accumulate(result.size());
                }
                c.durationNanos.add(result.durationNanos());
                c.maxDurationNanos.accumulate(result.durationNanos());
            }
        };
    }

    @Override
    public void loadsCompleted(String typename, LoadOutcome outcome, int count) {
        type(typename).loads.get(outcome).add(count);
    }

    @Override
    public void representationRejected(Rejection rejection) {
        rejections.get(rejection.reason()).increment();
    }

    /** What was counted so far. */
    public Snapshot snapshot() {
        Map<String, TypeSnapshot> out = new TreeMap<>();
        for (Map.Entry<String, TypeCounters> e : types.entrySet()) {
            out.put(e.getKey(), e.getValue().snapshot());
        }
        Map<RejectionReason, Long> rej = new EnumMap<>(RejectionReason.class);
        for (Map.Entry<RejectionReason, LongAdder> e : rejections.entrySet()) {
            long n = e.getValue().sum();
            if (n > 0) {
                rej.put(e.getKey(), n);
            }
        }
        return new Snapshot(Collections.unmodifiableMap(out), Collections.unmodifiableMap(rej));
    }

    /**
     * What was counted, per type, and the rejections of bad input by reason.
     *
     * @param types per typename
     * @param rejections rejected representations by reason (only reasons seen)
     */
    public record Snapshot(Map<String, TypeSnapshot> types, Map<RejectionReason, Long> rejections) {

        /** Loads of all types. */
        public long loads() {
            long n = 0;
            for (TypeSnapshot t : types.values()) {
                n += t.loads();
            }
            return n;
        }

        /** Backend calls of all types. */
        public long backendCalls() {
            long n = 0;
            for (TypeSnapshot t : types.values()) {
                n += t.backendCalls();
            }
            return n;
        }

        /** {@code 1 - backendCalls / loads} over all types, or 0 with no load. */
        public double effectiveness() {
            long loads = loads();
            return loads == 0 ? 0 : 1.0 - (double) backendCalls() / loads;
        }
    }

    /**
     * Backend calls of one kind, by how they ended.
     *
     * @param success calls that returned
     * @param error calls that failed (threw, timed out, broke the contract)
     */
    public record Calls(long success, long error) {

        /** Every call. */
        public long total() {
            return success + error;
        }
    }

    /**
     * What was counted for one type.
     *
     * @param loadsByOutcome loads by outcome (every outcome present)
     * @param batchCalls batch calls
     * @param directCalls one-by-one calls of {@code DIRECT} mode
     * @param batchedKeys keys sent in batch calls
     * @param maxBatchSize the largest batch call
     * @param totalDurationNanos time spent in backend calls
     * @param maxDurationNanos the longest backend call
     */
    public record TypeSnapshot(Map<LoadOutcome, Long> loadsByOutcome, Calls batchCalls, Calls directCalls,
            long batchedKeys, long maxBatchSize, long totalDurationNanos, long maxDurationNanos) {

        /** Loads of every outcome. */
        public long loads() {
            long n = 0;
            for (long v : loadsByOutcome.values()) {
                n += v;
            }
            return n;
        }

        /** Backend calls, batched and direct. */
        public long backendCalls() {
            return batchCalls.total() + directCalls.total();
        }

        /** Mean keys per batch call, or 0 without one. */
        public double averageBatchSize() {
            long calls = batchCalls.total();
            return calls == 0 ? 0 : (double) batchedKeys / calls;
        }

        /** {@code 1 - backendCalls / loads}, or 0 with no load. */
        public double effectiveness() {
            long loads = loads();
            return loads == 0 ? 0 : 1.0 - (double) backendCalls() / loads;
        }
    }

    private static final class TypeCounters {
        final Map<LoadOutcome, LongAdder> loads = new EnumMap<>(LoadOutcome.class);
        final LongAdder batchSuccess = new LongAdder();
        final LongAdder batchError = new LongAdder();
        final LongAdder directSuccess = new LongAdder();
        final LongAdder directError = new LongAdder();
        final LongAdder batchedKeys = new LongAdder();
        final LongAccumulator maxBatchSize = new LongAccumulator(Math::max, 0);
        final LongAdder durationNanos = new LongAdder();
        final LongAccumulator maxDurationNanos = new LongAccumulator(Math::max, 0);

        TypeCounters() {
            for (LoadOutcome o : LoadOutcome.values()) {
                loads.put(o, new LongAdder());
            }
        }

        TypeSnapshot snapshot() {
            Map<LoadOutcome, Long> l = new EnumMap<>(LoadOutcome.class);
            for (Map.Entry<LoadOutcome, LongAdder> e : loads.entrySet()) {
                l.put(e.getKey(), e.getValue().sum());
            }
            return new TypeSnapshot(Collections.unmodifiableMap(l), new Calls(batchSuccess.sum(), batchError.sum()),
                    new Calls(directSuccess.sum(), directError.sum()), batchedKeys.sum(), maxBatchSize.get(),
                    durationNanos.sum(), maxDurationNanos.get());
        }
    }
}
