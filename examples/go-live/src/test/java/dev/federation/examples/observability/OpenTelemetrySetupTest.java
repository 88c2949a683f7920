package dev.federation.examples.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tracing is off unless an OTEL_* variable asks for it, and then comes from the SDK's autoconfigure module. */
class OpenTelemetrySetupTest {

    @Test
    void tracingIsOffWithoutOtelVariables() {
        try (OpenTelemetrySetup setup = OpenTelemetrySetup.fromEnvironment(Map.of("PATH", "/usr/bin"))) {
            assertThat(setup.enabled()).isFalse();
            assertThat(setup.openTelemetry()).isSameAs(OpenTelemetry.noop());
        }
    }

    @Test
    void tracesExporterNoneKeepsTracingOff() {
        try (OpenTelemetrySetup setup = OpenTelemetrySetup.fromEnvironment(Map.of("OTEL_TRACES_EXPORTER", "none"))) {
            assertThat(setup.enabled()).isFalse();
        }
    }

    @Test
    void anOtelVariableTurnsTheAutoconfiguredSdkOn() {
        try (OpenTelemetrySetup setup = OpenTelemetrySetup.fromEnvironment(
                Map.of("OTEL_SERVICE_NAME", "users", "OTEL_TRACES_EXPORTER", "console"))) {
            assertThat(setup.enabled()).isTrue();
            assertThat(exportOneSpan(setup)).isTrue();
        }
    }

    /** Ends one span and flushes; {@code true} when the span was valid (recorded by a real SDK). */
    private static boolean exportOneSpan(OpenTelemetrySetup setup) {
        Span span = setup.openTelemetry().getTracer("test").spanBuilder("probe").startSpan();
        boolean valid = span.getSpanContext().isValid();
        span.end();
        assertThat(((OpenTelemetrySdk) setup.openTelemetry()).getSdkTracerProvider().forceFlush()
                .join(30, TimeUnit.SECONDS).isSuccess()).as("the span processor flushed").isTrue();
        return valid;
    }

    @ParameterizedTest
    @CsvSource({
        "console, LoggingSpanExporter",
        "logging, LoggingSpanExporter",
        "logging-otlp, OtlpJsonLogSpanExporter",
        "'console,logging-otlp', OtlpJsonLogSpanExporter",
    })
    void everyLoggingTracesExporterValueIsServed(String value, String exporter) {
        try (OpenTelemetrySetup setup = OpenTelemetrySetup.fromEnvironment(Map.of("OTEL_TRACES_EXPORTER", value))) {
            assertThat(setup.enabled()).isTrue();
            assertThat(setup.openTelemetry().toString()).contains(exporter);
            assertThat(exportOneSpan(setup)).isTrue();
        }
    }

    @Test
    void loggingOtlpWritesTheSpanAsOtlpJson() throws Exception {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                OtlpJsonLogSpanExporterProvider.LOGGER);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        ch.qos.logback.classic.Level level = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        logger.addAppender(appender);
        try (OpenTelemetrySetup setup = OpenTelemetrySetup.fromEnvironment(Map.of("OTEL_TRACES_EXPORTER", "logging-otlp",
                "OTEL_SERVICE_NAME", "users"))) {
            exportOneSpan(setup);
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(level);
        }
        assertThat(appender.list).hasSize(1);
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(appender.list.get(0).getFormattedMessage());
        assertThat(json.at("/resourceSpans/0/scopeSpans/0/spans/0/name").asText()).isEqualTo("probe");
        assertThat(json.at("/resourceSpans/0/resource/attributes").toString()).contains("\"service.name\"", "users");
    }

    @Test
    void otlpOverHttpProtobufSendsTheSpanToTheCollector() throws Exception {
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        collector.createContext("/v1/traces", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type")
                    + " " + body.length);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        try (OpenTelemetrySetup setup = OpenTelemetrySetup.fromEnvironment(Map.of(
                "OTEL_TRACES_EXPORTER", "otlp",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + collector.getAddress().getPort()))) {
            assertThat(setup.openTelemetry().toString()).contains("OtlpHttpSpanExporter");
            exportOneSpan(setup);
            String request = received.poll(30, TimeUnit.SECONDS);
            assertThat(request).isNotNull().startsWith("POST application/x-protobuf ");
            assertThat(Integer.parseInt(request.substring(request.lastIndexOf(' ') + 1))).isPositive();
        } finally {
            collector.stop(0);
        }
    }

    @ParameterizedTest
    @CsvSource({"OTEL_EXPORTER_OTLP_PROTOCOL, grpc", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, grpc"})
    void otlpOverGrpcHasItsExporter(String variable, String value) {
        // nothing listens on port 1: the export fails (and is logged by the SDK), the service does not
        try (OpenTelemetrySetup setup = OpenTelemetrySetup.fromEnvironment(Map.of(
                "OTEL_TRACES_EXPORTER", "otlp", variable, value,
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1", "OTEL_EXPORTER_OTLP_TIMEOUT", "1000"))) {
            assertThat(setup.openTelemetry().toString()).contains("OtlpGrpcSpanExporter");
            assertThat(exportOneSpan(setup)).isTrue();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "OTEL_TRACES_EXPORTER, zipkin, 'OTEL_TRACES_EXPORTER=zipkin: ''zipkin'' is not served here (use otlp, console, logging, logging-otlp, none)'",
        "OTEL_TRACES_EXPORTER, 'otlp,jaeger', 'OTEL_TRACES_EXPORTER=otlp,jaeger: ''jaeger'' is not served here (use otlp, console, logging, logging-otlp, none)'",
        "OTEL_EXPORTER_OTLP_PROTOCOL, http/json, 'OTEL_EXPORTER_OTLP_PROTOCOL=http/json is not served here (use grpc or http/protobuf)'",
    })
    void aValueThatCannotBeServedIsOneClearLine(String variable, String value, String message) {
        assertThatThrownBy(() -> OpenTelemetrySetup.fromEnvironment(Map.of(variable, value)))
                .isInstanceOf(OpenTelemetrySetup.UnsupportedSettingException.class)
                .hasMessage(message);
    }
}
