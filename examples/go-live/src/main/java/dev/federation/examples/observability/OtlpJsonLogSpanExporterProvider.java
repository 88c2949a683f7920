package dev.federation.examples.observability;

import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the standard {@code OTEL_TRACES_EXPORTER=logging-otlp}: each batch of spans is one log record whose
 * message is the OTLP JSON of an {@code ExportTraceServiceRequest}, on the logger
 * {@value #LOGGER} (as upstream's {@code opentelemetry-exporter-logging-otlp} writes it).
 *
 * <p>Upstream's module is not published at the SDK version this project uses, and the versions that resolve
 * fail on it ({@code NoSuchMethodError}, which kills the span processor's thread), so this module brings its
 * own, on the SDK's own OTLP marshaler ({@code opentelemetry-exporter-otlp-common} at the BOM's version).
 */
public final class OtlpJsonLogSpanExporterProvider implements ConfigurableSpanExporterProvider {

    /** The logger the spans are written to. */
    public static final String LOGGER = "io.opentelemetry.exporter.logging.otlp.OtlpJsonLoggingSpanExporter";

    @Override
    public SpanExporter createExporter(ConfigProperties config) {
        return new Exporter();
    }

    @Override
    public String getName() {
        return "logging-otlp";
    }

    /** Writes each batch as one OTLP JSON line. */
    static final class Exporter implements SpanExporter {
        private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
        private volatile boolean shutdown;

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            if (shutdown) {
                return CompletableResultCode.ofFailure();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                TraceRequestMarshaler.create(spans).writeJsonTo(out);
            } catch (IOException | RuntimeException e) {
                LOG.warn("could not write {} spans as OTLP JSON", spans.size(), e);
                return CompletableResultCode.ofFailure();
            }
            LOG.info("{}", out.toString(StandardCharsets.UTF_8));
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            shutdown = true;
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public String toString() {
            return "OtlpJsonLogSpanExporter{}";
        }
    }
}
