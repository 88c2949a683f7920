package dev.federation.benchmarks;

import dev.federation.core.observer.FederationObserver;
import dev.federation.metrics.FederationMetrics;
import dev.federation.tracing.FederationTelemetry;
import graphql.ExecutionResult;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * This library with the observers a production service registers, each set up as a service would:
 *
 * <ul>
 *   <li>{@value #LIBRARY_METRICS}: {@link FederationMetrics} bound to a {@link PrometheusMeterRegistry}
 *       (histograms included);</li>
 *   <li>{@value #LIBRARY_TRACING}: {@link FederationTelemetry} over an OpenTelemetry SDK whose
 *       {@link BatchSpanProcessor} exports to a no-op exporter, every span sampled, batch logging on (DEBUG
 *       is off in {@code logback.xml}, so each batch pays the level check and the MDC request id);</li>
 *   <li>{@value #LIBRARY_ALL}: both.</li>
 * </ul>
 */
final class ObservedSubgraphs {

    static final String LIBRARY_METRICS = "library_metrics";
    static final String LIBRARY_TRACING = "library_tracing";
    static final String LIBRARY_ALL = "library_all";

    /** The observed variants' names. */
    static final List<String> ALL = List.of(LIBRARY_METRICS, LIBRARY_TRACING, LIBRARY_ALL);

    private ObservedSubgraphs() {
    }

    /**
     * The observed variant named {@code impl} over {@code backend}.
     *
     * @throws IllegalArgumentException for a name not in {@link #ALL}
     */
    static Observed create(String impl, Backend backend) {
        boolean metrics = impl.equals(LIBRARY_METRICS) || impl.equals(LIBRARY_ALL);
        boolean tracing = impl.equals(LIBRARY_TRACING) || impl.equals(LIBRARY_ALL);
        if (!metrics && !tracing) {
            throw new IllegalArgumentException("unknown observed implementation '" + impl + "'");
        }
        return new Observed(backend, metrics, tracing);
    }

    /** The library with metrics, tracing or both; exposes the registry and exporter so tests can look. */
    static final class Observed implements Subgraph {
        final @Nullable PrometheusMeterRegistry registry;
        final @Nullable Tracing tracing;
        private final Subgraph library;

        Observed(Backend backend, boolean metrics, boolean tracing) {
            List<FederationObserver> observers = new ArrayList<>(2);
            if (metrics) {
                registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                FederationMetrics federationMetrics = FederationMetrics.create();
                federationMetrics.bindTo(registry);
                observers.add(federationMetrics);
            } else {
                registry = null;
            }
            if (tracing) {
                this.tracing = new Tracing();
                observers.add(FederationTelemetry.create(this.tracing.sdk).observer());
            } else {
                this.tracing = null;
            }
            this.library = Subgraphs.library(backend, false, false, observers, () -> {
            });
        }

        @Override
        public ExecutionResult execute(String query, Map<String, Object> variables) {
            return library.execute(query, variables);
        }

        /** Flushes and shuts the tracing SDK down (exporting what is pending) and closes the registry. */
        @Override
        public void close() {
            if (tracing != null) {
                tracing.close();
            }
            if (registry != null) {
                registry.close();
            }
        }
    }

    /** An OpenTelemetry SDK that records every span and exports it nowhere. */
    static final class Tracing implements AutoCloseable {
        final NoopExporter exporter = new NoopExporter();
        final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                        .build())
                .build();

        @Override
        public void close() {
            sdk.getSdkTracerProvider().shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    /** Counts the spans it is handed and drops them. */
    static final class NoopExporter implements SpanExporter {
        final LongAdder spans = new LongAdder();

        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            spans.add(batch.size());
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
