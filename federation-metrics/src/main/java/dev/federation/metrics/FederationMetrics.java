package dev.federation.metrics;

import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import dev.federation.core.observer.BatchCall;
import dev.federation.core.observer.BatchObservation;
import dev.federation.core.observer.BatchResult;
import dev.federation.core.observer.EntitiesCall;
import dev.federation.core.observer.EntitiesObservation;
import dev.federation.core.observer.EntitiesOutcome;
import dev.federation.core.observer.EntitiesResult;
import dev.federation.core.observer.FederationObserver;
import dev.federation.core.observer.LoadOutcome;
import dev.federation.core.observer.Rejection;
import dev.federation.core.observer.RejectionReason;
import dev.federation.health.HealthClock;
import dev.federation.health.HealthWindow;
import dev.federation.health.WindowStatistics;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * The meters of entity resolution: an observer of federation-core that publishes what it is told to
 * Micrometer. Register it as an observer of {@code FederatedEntities} and bind it to a meter registry:
 *
 * <pre>{@code
 * FederationModeSwitch modeSwitch = FederationModeSwitch.fromEnvironment();
 * FederationMetrics metrics = FederationMetrics.builder().modeSwitch(modeSwitch).build();
 * FederatedEntities entities = FederatedEntities.builder()
 *     .modeSwitch(modeSwitch)
 *     .observer(metrics)
 *     .entity(...)
 *     .build();
 * metrics.bindTo(meterRegistry);
 * }</pre>
 *
 * <p>Meters (names from {@link FederationMeterNames}):
 * <ul>
 *   <li>{@code federation.entity.loads} counter, tags {@code typename}, {@code outcome} = batched, cached,
 *       direct, missing, error: each entity asked for and how it was served. A representation rejected as
 *       bad input counts as {@code error}, under its typename when that is an entity type of the schema and
 *       under {@value #UNKNOWN_TYPENAME} otherwise, so that invented typenames never add series;</li>
 *   <li>{@code federation.backend.calls} counter, tags {@code typename}, {@code mode} = batch, direct,
 *       {@code outcome} = success, error: each call of a batch function;</li>
 *   <li>{@code federation.batch.size} distribution summary with histogram, tag {@code typename}: the keys of
 *       each batch call ({@code BATCHED} mode only; a one-by-one call is not a batch);</li>
 *   <li>{@code federation.entity.resolution} timer with histogram, tag {@code typename}: each backend call,
 *       batched or one-by-one;</li>
 *   <li>{@code federation.entities.requests} timer with histogram, tag {@code outcome} = success, partial,
 *       error: each {@code _entities} field;</li>
 *   <li>{@code federation.entity.rejections} counter, tag {@code reason} (a {@code RejectionReason} in lower
 *       case): representations rejected as bad input;</li>
 *   <li>{@code federation.batch.effectiveness} gauge: {@code 1 - backend calls / entity loads} over the recent
 *       window ({@link Builder#window(Duration)}), {@code NaN} without a load;</li>
 *   <li>{@code federation.mode} gauge: 1 batched, 0 direct.</li>
 * </ul>
 * Histograms have the boundaries of {@link Builder#latencyBoundaries(Duration...)} and
 * {@link Builder#batchSizeBoundaries(double...)}. Tag values are bounded: typenames of the schema and names
 * of the service's own DataLoaders (whose batches count as batched loads and batch calls), fixed outcomes.
 *
 * <p>Meters are made once per typename and outcome and kept, so an event costs a map read and the meter
 * updates. Events that come before {@link #bindTo(MeterRegistry)} still count in the recent window.
 * Binding to several registries publishes to each.
 *
 * <p>Thread-safe. Public API.
 */
public final class FederationMetrics implements MeterBinder, FederationObserver {

    /** The {@code typename} tag value of rejected representations whose typename is not in the schema. */
    public static final String UNKNOWN_TYPENAME = "_unknown";
    /** The default length of the recent window: 5 minutes. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
    /**
     * The default histogram boundaries of the timers: 10 ms, 50 ms, 100 ms, 500 ms, 1 s, 2 s, 5 s, 10 s. They
     * reach past every threshold of the go-live plan (100 ms warning, 2 s critical), so that
     * {@code histogram_quantile} can report a p99 above 2 s and an alert on it can fire.
     */
    public static final List<Duration> DEFAULT_LATENCY_BOUNDARIES = List.of(Duration.ofMillis(10),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10));
    /** The default histogram boundaries of the batch size: 1, 5, 10, 25, 50, 100, 250, 500, 1000 keys. */
    public static final List<Double> DEFAULT_BATCH_SIZE_BOUNDARIES = List.of(1.0, 5.0, 10.0, 25.0, 50.0, 100.0,
            250.0, 500.0, 1000.0);

    private static final int BATCH_SUCCESS = 0;
    private static final int BATCH_ERROR = 1;
    private static final int DIRECT_SUCCESS = 2;
    private static final int DIRECT_ERROR = 3;

    private final FederationMeterNames names;
    private final @Nullable FederationModeSwitch modeSwitch;
    private final Duration[] latencyBoundaries;
    private final double[] batchSizeBoundaries;
    private final HealthWindow window;
    private final Clock clock;
    /** The window's observations (one per kind, the same every time), taken on first use. */
    private volatile @Nullable EntitiesObservation windowEntities;
    private final CompositeMeterRegistry meters;
    private final Set<MeterRegistry> bound = Collections.newSetFromMap(new IdentityHashMap<>());
    private final ConcurrentHashMap<String, TypeMeters> types = new ConcurrentHashMap<>();
    private final AtomicReferenceArray<Timer> requests = new AtomicReferenceArray<>(EntitiesOutcome.values().length);
    private final String effectivenessDescription;
    private final AtomicReferenceArray<Counter> rejections = new AtomicReferenceArray<>(RejectionReason.values().length);
    private final EntitiesObservation entitiesObservation = new EntitiesObservation() {
        @Override
        public void completed(EntitiesResult result) {
            request(result.outcome().ordinal()).record(result.durationNanos(), TimeUnit.NANOSECONDS);
            EntitiesObservation w = windowEntities;
            if (w != null) {
                w.completed(result);
            }
        }
    };
    private volatile @Nullable FederationMode lastSeenMode;

    private FederationMetrics(Builder b) {
        this.names = b.names;
        this.modeSwitch = b.modeSwitch;
        this.latencyBoundaries = b.latencyBoundaries.toArray(new Duration[0]);
        this.batchSizeBoundaries = b.batchSizeBoundaries.stream().mapToDouble(Double::doubleValue).toArray();
        this.window = HealthWindow.of(b.window, clockOf(b.clock));
        this.clock = b.clock;
        this.meters = new CompositeMeterRegistry(b.clock);
        this.effectivenessDescription = "1 - backend calls / entity loads over the last " + b.window
                + " (NaN without a load); 1 is perfect batching, 0 is one backend call per entity";
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Metrics with the defaults. Without a mode switch, the {@code federation.mode} gauge shows the mode of the
     * latest {@code _entities} call or mode change ({@code NaN} before any); prefer
     * {@code builder().modeSwitch(modeSwitch).build()}.
     */
    public static FederationMetrics create() {
        return builder().build();
    }

    /**
     * Publishes the meters to {@code registry}. May be called for several registries; a second call with the
     * same registry does nothing.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        synchronized (bound) {
            if (!bound.add(registry)) {
                return;
            }
            meters.add(registry);
        }
        Gauge.builder(names.batchEffectiveness(), this, FederationMetrics::batchEffectiveness)
                .description(effectivenessDescription)
                .strongReference(true)
                .register(registry);
        Gauge.builder(names.mode(), this, FederationMetrics::modeValue)
                .description("Entity resolution mode: 1 batched, 0 direct (one backend call per entity)")
                .strongReference(true)
                .register(registry);
    }

    private Timer request(int i) {
        Timer t = requests.get(i);
        if (t == null) {
            t = Timer.builder(names.entitiesRequests())
                    .description("Time to resolve one _entities field, by outcome: success, partial (some "
                            + "representations failed), error (all failed)")
                    .tag("outcome", EntitiesOutcome.values()[i].tagValue())
                    .serviceLevelObjectives(latencyBoundaries)
                    .register(meters);
            requests.set(i, t);
        }
        return t;
    }

    /** The names of the meters. */
    public FederationMeterNames names() {
        return names;
    }

    /** The clock of the recent window. */
    public Clock clock() {
        return clock;
    }

    /** The length of the recent window. */
    public Duration window() {
        return window.length();
    }

    /** The mode switch read by the {@code federation.mode} gauge, or {@code null}. */
    public @Nullable FederationModeSwitch modeSwitch() {
        return modeSwitch;
    }

    /** The value of the {@code federation.batch.effectiveness} gauge now. */
    public double batchEffectiveness() {
        return window.batchEffectiveness();
    }

    /** What happened over the recent window. */
    public WindowStatistics recentWindow() {
        return window.statistics();
    }

    /**
     * The recent window these metrics keep, fed by this observer: give it to federation-health's
     * {@code FederationHealthMonitor.builder(window, modeSwitch)} rather than registering a second one.
     */
    public HealthWindow healthWindow() {
        return window;
    }

    private static HealthClock clockOf(Clock clock) {
        return new HealthClock() {
            @Override
            public long monotonicNanos() {
                return clock.monotonicTime();
            }

            @Override
            public java.time.Instant now() {
                return java.time.Instant.ofEpochMilli(clock.wallTime());
            }
        };
    }

    private double modeValue() {
        FederationMode mode = modeSwitch != null ? modeSwitch.mode() : lastSeenMode;
        if (mode == null) {
            return Double.NaN;
        }
        return mode == FederationMode.BATCHED ? 1 : 0;
    }

    private TypeMeters type(String typename) {
        TypeMeters t = types.get(typename);
        return t != null ? t : types.computeIfAbsent(typename, TypeMeters::new);
    }

    @Override
    public EntitiesObservation entitiesStarted(EntitiesCall call) {
        if (modeSwitch == null) {
            lastSeenMode = call.mode();
        }
        if (windowEntities == null) {
            windowEntities = window.entitiesStarted(call);
        }
        return entitiesObservation;
    }

    @Override
    public BatchObservation batchStarted(BatchCall call) {
        TypeMeters t = type(call.typename());
        Observed o = call.keyShape() == null ? t.userLoader : call.mode() == FederationMode.BATCHED ? t.batched
                : t.direct;
        if (o == t.batched) {
            t.batchRequests().record(call.requests());
            t.batchWait().record(call.waitNanos(), TimeUnit.NANOSECONDS);
        }
        if (o.windowObservation == null) {
            // the window's observation depends on the kind of call alone, as this one does
            o.windowObservation = window.batchStarted(call);
        }
        return o;
    }

    @Override
    public void loadsCompleted(String typename, LoadOutcome outcome, int count) {
        type(typename).loads(outcome).increment(count);
        window.loadsCompleted(typename, outcome, count);
    }

    @Override
    public void representationRejected(Rejection rejection) {
        String typename = rejection.knownType() && rejection.typename() != null
                ? rejection.typename() : UNKNOWN_TYPENAME;
        type(typename).loads(LoadOutcome.ERROR).increment();
        int r = rejection.reason().ordinal();
        Counter c = rejections.get(r);
        if (c == null) {
            c = Counter.builder(names.entityRejections())
                    .description("Representations rejected as bad input (they also count as entity loads "
                            + "with outcome error), by reason")
                    .tag("reason", rejection.reason().name().toLowerCase(java.util.Locale.ROOT))
                    .register(meters);
            rejections.set(r, c);
        }
        c.increment();
        window.representationRejected(rejection);
    }

    @Override
    public void modeChanged(FederationMode from, FederationMode to, String reason) {
        if (modeSwitch == null) {
            lastSeenMode = to;
        }
    }

    @Override
    public String toString() {
        return "FederationMetrics[window=" + window.length() + ", registries=" + bound.size() + "]";
    }

    /** The meters of one typename, made when first needed and kept. */
    private final class TypeMeters {
        final String typename;
        final AtomicReferenceArray<Counter> loads = new AtomicReferenceArray<>(LoadOutcome.values().length);
        final AtomicReferenceArray<Counter> calls = new AtomicReferenceArray<>(4);
        volatile @Nullable DistributionSummary batchSize;
        volatile @Nullable DistributionSummary batchRequests;
        volatile @Nullable Timer batchWait;
        volatile @Nullable Timer resolution;
        final Observed batched = new Observed(this, true, false);
        final Observed direct = new Observed(this, false, false);
        final Observed userLoader = new Observed(this, true, true);

        TypeMeters(String typename) {
            this.typename = typename;
            // the error series exists (at 0) from the type's first load on, so that an error rate reads 0, not
            // "no data", on a healthy service
            loads(LoadOutcome.ERROR);
        }

        Counter loads(LoadOutcome outcome) {
            int i = outcome.ordinal();
            Counter c = loads.get(i);
            if (c == null) {
                c = Counter.builder(names.entityLoads())
                        .description("Entities asked for, by typename and how each was served: batched, cached, "
                                + "direct, missing, error")
                        .tags(Tags.of("typename", typename, "outcome", outcome.tagValue()))
                        .register(meters);
                loads.set(i, c);
            }
            return c;
        }

        Counter calls(int which) {
            Counter c = calls.get(which);
            if (c == null) {
                c = Counter.builder(names.backendCalls())
                        .description("Backend calls made by batch functions, by typename, mode (batch, direct) "
                                + "and outcome (success, error)")
                        .tags(Tags.of("typename", typename,
                                "mode", which <= BATCH_ERROR ? "batch" : "direct",
                                "outcome", which == BATCH_SUCCESS || which == DIRECT_SUCCESS ? "success" : "error"))
                        .register(meters);
                calls.set(which, c);
            }
            return c;
        }

        DistributionSummary batchSize() {
            DistributionSummary s = batchSize;
            if (s == null) {
                s = DistributionSummary.builder(names.batchSize())
                        .description("Keys sent in one batch call, by typename")
                        .tag("typename", typename)
                        .serviceLevelObjectives(batchSizeBoundaries)
                        .register(meters);
                batchSize = s;
            }
            return s;
        }

        DistributionSummary batchRequests() {
            DistributionSummary s = batchRequests;
            if (s == null) {
                s = DistributionSummary.builder(names.batchRequests())
                        .description("Requests one batch call serves, by typename: 1, or more when cross-request "
                                + "batching merged concurrent requests")
                        .tag("typename", typename)
                        .serviceLevelObjectives(batchSizeBoundaries)
                        .register(meters);
                batchRequests = s;
            }
            return s;
        }

        Timer batchWait() {
            Timer t = batchWait;
            if (t == null) {
                t = Timer.builder(names.batchWait())
                        .description("Time the keys of a batch call waited for it (cross-request batching: a call "
                                + "of their group in flight), by typename; 0 when dispatched at once")
                        .tag("typename", typename)
                        .serviceLevelObjectives(latencyBoundaries)
                        .register(meters);
                batchWait = t;
            }
            return t;
        }

        Timer resolution() {
            Timer t = resolution;
            if (t == null) {
                t = Timer.builder(names.entityResolution())
                        .description("Time of one backend call (batch or one-by-one), by typename")
                        .tag("typename", typename)
                        .serviceLevelObjectives(latencyBoundaries)
                        .register(meters);
                resolution = t;
            }
            return t;
        }
    }

    /** Records the end of the batch calls of one typename and mode; one instance per type and mode. */
    private final class Observed implements BatchObservation {
        private final TypeMeters type;
        private final boolean batched;
        private final boolean userLoader;
        volatile @Nullable BatchObservation windowObservation;

        Observed(TypeMeters type, boolean batched, boolean userLoader) {
            this.type = type;
            this.batched = batched;
            this.userLoader = userLoader;
        }

        @Override
        public void completed(BatchResult result) {
            boolean failed = !result.succeeded();
            type.calls(batched ? (failed ? BATCH_ERROR : BATCH_SUCCESS) : (failed ? DIRECT_ERROR : DIRECT_SUCCESS))
                    .increment();
            if (batched) {
                type.batchSize().record(result.size());
            }
            type.resolution().record(result.durationNanos(), TimeUnit.NANOSECONDS);
            BatchObservation w = windowObservation;
            if (w != null) {
                w.completed(result);
            }
            if (userLoader) {
                // the service's own DataLoaders report no loads of their own: count them from the batch (the
                // window counts them from the batch too)
                if (failed) {
                    type.loads(LoadOutcome.ERROR).increment(result.size());
                } else {
                    countLoads(LoadOutcome.BATCHED, result.entityCount());
                    countLoads(LoadOutcome.MISSING, result.missingCount());
                    countLoads(LoadOutcome.ERROR, result.keyErrorCount());
                }
            }
        }

        private void countLoads(LoadOutcome outcome, int count) {
            if (count > 0) {
                type.loads(outcome).increment(count);
            }
        }
    }

    /** Builder of {@link FederationMetrics}; each setter rejects a bad value at once. */
    public static final class Builder {
        private FederationMeterNames names = FederationMeterNames.ofDefaults();
        private @Nullable FederationModeSwitch modeSwitch;
        private Duration window = DEFAULT_WINDOW;
        private Clock clock = Clock.SYSTEM;
        private List<Duration> latencyBoundaries = DEFAULT_LATENCY_BOUNDARIES;
        private List<Double> batchSizeBoundaries = DEFAULT_BATCH_SIZE_BOUNDARIES;

        private Builder() {
        }

        /** The meter names; {@link FederationMeterNames#ofDefaults()} when not set. */
        public Builder names(FederationMeterNames names) {
            this.names = Objects.requireNonNull(names, "names");
            return this;
        }

        /** The switch the {@code federation.mode} gauge reads (the one given to {@code FederatedEntities}). */
        public Builder modeSwitch(FederationModeSwitch modeSwitch) {
            this.modeSwitch = Objects.requireNonNull(modeSwitch, "modeSwitch");
            return this;
        }

        /**
         * The length of the recent window of {@code federation.batch.effectiveness} and of the health monitor;
         * {@link #DEFAULT_WINDOW} when not set. It is kept in 30 slices, so its granularity is a thirtieth of it
         * (10 s for 5 minutes).
         *
         * @param window at least 1 second
         */
        public Builder window(Duration window) {
            Objects.requireNonNull(window, "window");
            if (window.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("window must be at least 1 s, was " + window);
            }
            this.window = window;
            return this;
        }

        /** The clock of the recent window (a {@code MockClock} in tests); {@link Clock#SYSTEM} when not set. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The histogram boundaries of the timers; {@link #DEFAULT_LATENCY_BOUNDARIES} when not set.
         *
         * @param boundaries positive, in increasing order
         */
        public Builder latencyBoundaries(Duration... boundaries) {
            List<Duration> list = new ArrayList<>();
            Duration previous = Duration.ZERO;
            for (Duration d : boundaries) {
                Objects.requireNonNull(d, "boundary");
                if (d.compareTo(previous) <= 0) {
                    throw new IllegalArgumentException(
                            "latency boundaries must be positive and increasing, got " + d + " after " + previous);
                }
                list.add(d);
                previous = d;
            }
            if (list.isEmpty()) {
                throw new IllegalArgumentException("at least one latency boundary is needed");
            }
            this.latencyBoundaries = List.copyOf(list);
            return this;
        }

        /**
         * The histogram boundaries of the batch size; {@link #DEFAULT_BATCH_SIZE_BOUNDARIES} when not set.
         *
         * @param boundaries positive, in increasing order
         */
        public Builder batchSizeBoundaries(double... boundaries) {
            List<Double> list = new ArrayList<>();
            double previous = 0;
            for (double d : boundaries) {
                if (!(d > previous)) {
                    throw new IllegalArgumentException(
                            "batch size boundaries must be positive and increasing, got " + d + " after " + previous);
                }
                list.add(d);
                previous = d;
            }
            if (list.isEmpty()) {
                throw new IllegalArgumentException("at least one batch size boundary is needed");
            }
            this.batchSizeBoundaries = List.copyOf(list);
            return this;
        }

        /** The metrics. */
        public FederationMetrics build() {
            return new FederationMetrics(this);
        }
    }
}
