package dev.federation.examples.subgraphs;

import dev.federation.core.observer.EntitiesCall;
import dev.federation.core.observer.EntitiesObservation;
import dev.federation.core.observer.FederationObserver;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Counts the {@code _entities} calls a subgraph received and the representations they held, so that a test
 * or an operator can see what the gateway sent ("one call of 100 representations").
 *
 * <p>Thread-safe; counters only grow.
 */
public final class EntitiesCallStatistics implements FederationObserver {

    private final LongAdder calls = new LongAdder();
    private final LongAdder representations = new LongAdder();
    private final LongAccumulator maxRepresentations = new LongAccumulator(Math::max, 0);
    private final AtomicLong lastRepresentations = new AtomicLong();

    /** Counters that start at zero. */
    public EntitiesCallStatistics() {
    }

    @Override
    public @Nullable EntitiesObservation entitiesStarted(EntitiesCall call) {
        calls.increment();
        representations.add(call.representationCount());
        maxRepresentations.accumulate(call.representationCount());
        lastRepresentations.set(call.representationCount());
        return null;
    }

    /** {@code _entities} calls received. */
    public long calls() {
        return calls.sum();
    }

    /** Representations received over all calls. */
    public long representations() {
        return representations.sum();
    }

    /** The most representations one call held. */
    public long maxRepresentations() {
        return maxRepresentations.get();
    }

    /** The representations of the last call received. */
    public long lastRepresentations() {
        return lastRepresentations.get();
    }

    /** The counters as a JSON-friendly map. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("calls", calls());
        m.put("representations", representations());
        m.put("max_representations_per_call", maxRepresentations());
        m.put("last_call_representations", lastRepresentations());
        return m;
    }
}
