package dev.federation.examples.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
        // the SDK reads the real configuration: export to the console logger, whatever the environment says
        System.setProperty("otel.traces.exporter", "console");
        try (OpenTelemetrySetup setup = OpenTelemetrySetup.fromEnvironment(Map.of("OTEL_SERVICE_NAME", "users"))) {
            assertThat(setup.enabled()).isTrue();
            Span span = setup.openTelemetry().getTracer("test").spanBuilder("probe").startSpan();
            try {
                assertThat(span.getSpanContext().isValid()).isTrue();
            } finally {
                span.end();
            }
        } finally {
            System.clearProperty("otel.traces.exporter");
        }
    }
}
