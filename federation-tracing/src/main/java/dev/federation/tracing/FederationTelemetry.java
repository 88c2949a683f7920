package dev.federation.tracing;

import dev.federation.core.observer.FederationObserver;
import dev.federation.tracing.internal.TracingObserver;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * OpenTelemetry spans and structured batch logs for federation-core: the entry point that hands out the
 * {@link FederationObserver} to register on {@code FederatedEntities}.
 *
 * <pre>{@code
 * FederationTelemetry telemetry = FederationTelemetry.builder(openTelemetry)
 *     .slowBatchThreshold(Duration.ofMillis(50))
 *     .build();
 * FederatedEntities entities = FederatedEntities.builder()
 *     .entity(users)
 *     .observer(telemetry.observer())
 *     .build();
 * }</pre>
 *
 * <p>What it makes, per request (names in {@link FederationSpans} and {@link BatchLogFields}):
 * <ul>
 *   <li>one {@value FederationSpans#ENTITIES_SPAN_NAME} span per {@code _entities} field, a child of the span
 *       current when the field starts (the request's span);</li>
 *   <li>one {@code GraphQL DataLoader Batch {loader}} span per batch function call, a child of the
 *       {@code _entities} span, linked to the request span that contributed its keys, and current while the
 *       batch function runs, so the spans the function makes (also on other threads through
 *       {@code Context.current().wrap(executor)}) nest under it;</li>
 *   <li>one log event per batch call at DEBUG, or at WARN when it failed or took longer than
 *       {@link #slowBatchThreshold()}; and the MDC entry {@value BatchLogFields#REQUEST_ID} while the batch
 *       function runs.</li>
 * </ul>
 *
 * <p>With {@code OpenTelemetry.noop()} (or a noop tracer provider) no span is made; with logging off as
 * well, {@link #observer()} is {@link FederationObserver#noop()} and costs nothing.
 *
 * <p>Thread-safe and immutable. Public API.
 */
public final class FederationTelemetry {

    /** Default duration above which a batch call is logged at WARN: 100 ms. */
    public static final Duration DEFAULT_SLOW_BATCH_THRESHOLD = Duration.ofMillis(100);
    /** Default largest number of links on one batch span. */
    public static final int DEFAULT_MAX_LINKS_PER_BATCH = 128;
    /** Default of {@link Builder#logging(boolean)}: on. */
    public static final boolean DEFAULT_LOGGING = true;
    /** The instrumentation scope name of the spans. */
    public static final String INSTRUMENTATION_NAME = "dev.federation.tracing";

    private final boolean tracing;
    private final boolean logging;
    private final Duration slowBatchThreshold;
    private final int maxLinksPerBatch;
    private final RequestIdExtractor requestIdExtractor;
    private final FederationObserver observer;

    private FederationTelemetry(Builder b) {
        Tracer tracer = tracerOf(b.openTelemetry);
        this.tracing = tracer != null;
        this.logging = b.logging;
        this.slowBatchThreshold = b.slowBatchThreshold;
        this.maxLinksPerBatch = b.maxLinksPerBatch;
        this.requestIdExtractor = b.requestIdExtractor;
        this.observer = tracer == null && !logging
                ? FederationObserver.noop()
                : new TracingObserver(tracer, logging, slowBatchThreshold.toNanos(), maxLinksPerBatch,
                        requestIdExtractor);
    }

    private static @Nullable Tracer tracerOf(OpenTelemetry openTelemetry) {
        TracerProvider provider = openTelemetry.getTracerProvider();
        if (provider == TracerProvider.noop()) {
            return null;
        }
        Tracer tracer = provider.tracerBuilder(INSTRUMENTATION_NAME).build();
        return tracer == TracerProvider.noop().get(INSTRUMENTATION_NAME) ? null : tracer;
    }

    /** Telemetry with the defaults over {@code openTelemetry}. */
    public static FederationTelemetry create(OpenTelemetry openTelemetry) {
        return builder(openTelemetry).build();
    }

    /** A builder over {@code openTelemetry}, starting from the defaults. */
    public static Builder builder(OpenTelemetry openTelemetry) {
        return new Builder(openTelemetry);
    }

    /**
     * The observer to register with {@code FederatedEntities.Builder.observer(...)}. It is
     * {@link FederationObserver#noop()} when there is nothing to do (noop tracer and logging off).
     */
    public FederationObserver observer() {
        return observer;
    }

    /** {@code true} when spans are made ({@code false} with a noop tracer provider). */
    public boolean tracingEnabled() {
        return tracing;
    }

    /** {@code true} when batch log events and the MDC request id are on. */
    public boolean loggingEnabled() {
        return logging;
    }

    /** The duration above which a batch call is logged at WARN. */
    public Duration slowBatchThreshold() {
        return slowBatchThreshold;
    }

    /** The largest number of links on one batch span. */
    public int maxLinksPerBatch() {
        return maxLinksPerBatch;
    }

    /** How the request id is found. */
    public RequestIdExtractor requestIdExtractor() {
        return requestIdExtractor;
    }

    @Override
    public String toString() {
        return "FederationTelemetry[tracing=" + tracing + ", logging=" + logging + ", slowBatchThreshold="
                + slowBatchThreshold + ", maxLinksPerBatch=" + maxLinksPerBatch + "]";
    }

    /** Builder of {@link FederationTelemetry}; each setter rejects a bad value at once. */
    public static final class Builder {
        private final OpenTelemetry openTelemetry;
        private Duration slowBatchThreshold = DEFAULT_SLOW_BATCH_THRESHOLD;
        private int maxLinksPerBatch = DEFAULT_MAX_LINKS_PER_BATCH;
        private RequestIdExtractor requestIdExtractor = RequestIdExtractor.defaults();
        private boolean logging = DEFAULT_LOGGING;

        private Builder(OpenTelemetry openTelemetry) {
            this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
        }

        /**
         * Batch calls that take longer than this are logged at WARN; {@link FederationTelemetry#DEFAULT_SLOW_BATCH_THRESHOLD}
         * when not set.
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder slowBatchThreshold(Duration threshold) {
            Objects.requireNonNull(threshold, "threshold");
            if (threshold.isNegative()) {
                throw new IllegalArgumentException("slowBatchThreshold must not be negative, was " + threshold);
            }
            this.slowBatchThreshold = threshold;
            return this;
        }

        /**
         * The largest number of links on one batch span (0: none), to bound span size;
         * {@link FederationTelemetry#DEFAULT_MAX_LINKS_PER_BATCH} when not set.
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder maxLinksPerBatch(int maxLinks) {
            if (maxLinks < 0) {
                throw new IllegalArgumentException("maxLinksPerBatch must not be negative, was " + maxLinks);
            }
            this.maxLinksPerBatch = maxLinks;
            return this;
        }

        /** How the request id is found; {@link RequestIdExtractor#defaults()} when not set. */
        public Builder requestIdExtractor(RequestIdExtractor extractor) {
            this.requestIdExtractor = Objects.requireNonNull(extractor, "extractor");
            return this;
        }

        /**
         * Turns the batch log events and the MDC request id on or off; on by default. Spans do not depend on
         * it.
         */
        public Builder logging(boolean enabled) {
            this.logging = enabled;
            return this;
        }

        /** The telemetry. */
        public FederationTelemetry build() {
            return new FederationTelemetry(this);
        }
    }
}
