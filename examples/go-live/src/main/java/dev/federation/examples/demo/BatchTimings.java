package dev.federation.examples.demo;

import dev.federation.core.observer.BatchCall;
import dev.federation.core.observer.BatchObservation;
import dev.federation.core.observer.BatchResult;
import dev.federation.core.observer.FederationObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jspecify.annotations.Nullable;

/**
 * Records the duration of every entity batch call (one-by-one calls in {@code DIRECT} mode included), so the
 * demo can give the p99 entity resolution of each phase exactly. Thread-safe.
 */
final class BatchTimings implements FederationObserver {

    private final ConcurrentLinkedQueue<Long> nanos = new ConcurrentLinkedQueue<>();

    @Override
    public @Nullable BatchObservation batchStarted(BatchCall call) {
        if (call.keyShape() == null) {
            return null; // a service DataLoader, not an entity key
        }
        return new BatchObservation() {
            @Override
            public void completed(BatchResult result) {
                nanos.add(result.durationNanos());
            }
        };
    }

    /** The durations recorded since the last drain, and forgets them. */
    List<Long> drain() {
        List<Long> out = new ArrayList<>();
        Long v;
        while ((v = nanos.poll()) != null) {
            out.add(v);
        }
        return out;
    }
}
