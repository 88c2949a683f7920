package dev.federation.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** An OpenTelemetry SDK exporting to memory, synchronously, and the spans it exported. */
final class Otel implements AutoCloseable {

    final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                    .build())
            .build();
    /** The tracer of the "service" itself: its request spans and its backend spans. */
    final Tracer service = sdk.getTracer("test.service");

    /** Runs {@code work} inside a new SERVER span, as an HTTP server instrumentation would. */
    <T> T inRequest(String name, Supplier<T> work) {
        Span request = service.spanBuilder(name).setSpanKind(SpanKind.SERVER).startSpan();
        Scope scope = request.makeCurrent();
        try {
            return work.get();
        } finally {
            scope.close();
            request.end();
        }
    }

    List<SpanData> spans() {
        return exporter.getFinishedSpanItems();
    }

    SpanData span(String name) {
        List<SpanData> named = named(name);
        if (named.size() != 1) {
            throw new AssertionError("expected one span named " + name + ", got " + names());
        }
        return named.get(0);
    }

    List<SpanData> named(String name) {
        return spans().stream().filter(s -> s.getName().equals(name)).collect(Collectors.toList());
    }

    List<String> names() {
        return spans().stream().map(SpanData::getName).collect(Collectors.toList());
    }

    @Override
    public void close() {
        sdk.close();
    }
}
