package dev.federation.core.observer;

import dev.federation.core.FederationMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls several observers, each guarded so that one that throws never fails a request. */
final class CompositeObserver implements FederationObserver {

    private static final Logger LOG = LoggerFactory.getLogger(FederationObserver.class);

    private final FederationObserver[] observers;
    private final AtomicBoolean[] warned;

    private CompositeObserver(FederationObserver[] observers) {
        this.observers = observers;
        this.warned = new AtomicBoolean[observers.length];
        for (int i = 0; i < observers.length; i++) {
            warned[i] = new AtomicBoolean();
        }
    }

    static FederationObserver of(List<? extends FederationObserver> list) {
        List<FederationObserver> flat = new ArrayList<>();
        for (FederationObserver o : list) {
            Objects.requireNonNull(o, "observer");
            if (o instanceof CompositeObserver) {
                for (FederationObserver inner : ((CompositeObserver) o).observers) {
                    flat.add(inner);
                }
            } else if (!(o instanceof NoopObserver)) {
                flat.add(o);
            }
        }
        if (flat.isEmpty()) {
            return NoopObserver.INSTANCE; // the library then builds no event at all
        }
        return new CompositeObserver(flat.toArray(new FederationObserver[0]));
    }

    void failed(int i, String method, Throwable e) {
        if (warned[i].compareAndSet(false, true)) {
            LOG.warn("observer {} failed in {}; it is skipped for this event (further failures at DEBUG)",
                    observers[i], method, e);
        } else {
            LOG.debug("observer {} failed in {}", observers[i], method, e);
        }
    }

    @Override
    public @Nullable EntitiesObservation entitiesStarted(EntitiesCall call) {
        if (observers.length == 1) { // the bare observer, guarded: no arrays
            EntitiesObservation o;
            try {
                o = observers[0].entitiesStarted(call);
            } catch (RuntimeException e) {
                failed(0, "entitiesStarted", e);
                return null;
            }
            return o == null ? null : new One(o);
        }
        EntitiesObservation[] started = null;
        for (int i = 0; i < observers.length; i++) {
            EntitiesObservation o;
            try {
                o = observers[i].entitiesStarted(call);
            } catch (RuntimeException e) {
                failed(i, "entitiesStarted", e);
                continue;
            }
            if (o != null) {
                if (started == null) {
                    started = new EntitiesObservation[observers.length];
                }
                started[i] = o;
            }
        }
        return started == null ? null : new Entities(started);
    }

    @Override
    public @Nullable BatchObservation batchStarted(BatchCall call) {
        if (observers.length == 1) {
            BatchObservation o;
            try {
                o = observers[0].batchStarted(call);
            } catch (RuntimeException e) {
                failed(0, "batchStarted", e);
                return null;
            }
            return o == null ? null : new One(o);
        }
        BatchObservation[] started = null;
        for (int i = 0; i < observers.length; i++) {
            BatchObservation o;
            try {
                o = observers[i].batchStarted(call);
            } catch (RuntimeException e) {
                failed(i, "batchStarted", e);
                continue;
            }
            if (o != null) {
                if (started == null) {
                    started = new BatchObservation[observers.length];
                }
                started[i] = o;
            }
        }
        return started == null ? null : new Batch(started);
    }

    @Override
    public void loadsCompleted(String typename, LoadOutcome outcome, int count) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].loadsCompleted(typename, outcome, count);
            } catch (RuntimeException e) {
                failed(i, "loadsCompleted", e);
            }
        }
    }

    @Override
    public void representationRejected(Rejection rejection) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].representationRejected(rejection);
            } catch (RuntimeException e) {
                failed(i, "representationRejected", e);
            }
        }
    }

    @Override
    public void modeChanged(FederationMode from, FederationMode to, String reason) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].modeChanged(from, to, reason);
            } catch (RuntimeException e) {
                failed(i, "modeChanged", e);
            }
        }
    }

    @Override
    public String toString() {
        return "CompositeObserver" + java.util.Arrays.toString(observers);
    }

    /** Runs {@code work} inside the around hooks from index {@code i} on, skipping hooks that throw. */
    private <T> T nest(int i, Object[] hooks, Supplier<T> work) {
        while (i < hooks.length && hooks[i] == null) {
            i++;
        }
        if (i == hooks.length) {
            return work.get();
        }
        final int at = i;
        return guard(at, hooks[at], () -> nest(at + 1, hooks, work));
    }

    /**
     * Runs {@code inner} inside {@code hook} (observer {@code i}'s), or without it when the hook throws before
     * running it or returns without running it.
     */
    private <T> T guard(int i, Object hook, Supplier<T> inner) {
        boolean[] ran = new boolean[1];
        Supplier<T> once = () -> {
            ran[0] = true;
            return inner.get();
        };
        try {
            T result = hook instanceof EntitiesObservation
                    ? ((EntitiesObservation) hook).around(once)
                    : ((BatchObservation) hook).around(once);
            if (!ran[0]) {
                failed(i, "around", new IllegalStateException("around() did not run the work"));
                return once.get();
            }
            return result;
        } catch (RuntimeException e) {
            if (ran[0]) {
                throw e;
            }
            failed(i, "around", e);
            return once.get();
        }
    }

    /** The observation of the only observer, guarded: an {@code _entities} or a batch observation. */
    private final class One implements EntitiesObservation, BatchObservation {
        private final Object hook;

        One(Object hook) {
            this.hook = hook;
        }

        @Override
        public <T> T around(Supplier<T> work) {
            return guard(0, hook, work);
        }

        @Override
        public void completed(EntitiesResult result) {
            try {
                ((EntitiesObservation) hook).completed(result);
            } catch (RuntimeException e) {
                failed(0, "EntitiesObservation.completed", e);
            }
        }

        @Override
        public void completed(BatchResult result) {
            try {
                ((BatchObservation) hook).completed(result);
            } catch (RuntimeException e) {
                failed(0, "BatchObservation.completed", e);
            }
        }
    }

    private final class Entities implements EntitiesObservation {
        private final EntitiesObservation[] hooks;

        Entities(EntitiesObservation[] hooks) {
            this.hooks = hooks;
        }

        @Override
        public <T> T around(Supplier<T> work) {
            return nest(0, hooks, work);
        }

        @Override
        public void completed(EntitiesResult result) {
            for (int i = 0; i < hooks.length; i++) {
                if (hooks[i] != null) {
                    try {
                        hooks[i].completed(result);
                    } catch (RuntimeException e) {
                        failed(i, "EntitiesObservation.completed", e);
                    }
                }
            }
        }
    }

    private final class Batch implements BatchObservation {
        private final BatchObservation[] hooks;

        Batch(BatchObservation[] hooks) {
            this.hooks = hooks;
        }

        @Override
        public <T> T around(Supplier<T> work) {
            return nest(0, hooks, work);
        }

        @Override
        public void completed(BatchResult result) {
            for (int i = 0; i < hooks.length; i++) {
                if (hooks[i] != null) {
                    try {
                        hooks[i].completed(result);
                    } catch (RuntimeException e) {
                        failed(i, "BatchObservation.completed", e);
                    }
                }
            }
        }
    }
}
