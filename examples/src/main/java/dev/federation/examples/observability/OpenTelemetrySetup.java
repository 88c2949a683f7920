package dev.federation.examples.observability;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's OpenTelemetry, from the SDK's autoconfigure module and the standard environment variables
 * ({@code OTEL_SERVICE_NAME}, {@code OTEL_TRACES_EXPORTER=otlp|logging|console},
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT}, ...).
 *
 * <p>Tracing is off ({@link OpenTelemetry#noop()}) unless one of {@link #TRIGGER_VARIABLES} is set. When on,
 * metrics and logs exporters default to {@code none} (metrics go to Prometheus, logs to stdout as JSON) unless
 * their own {@code OTEL_*_EXPORTER} variables say otherwise, and the service name defaults to
 * {@value #DEFAULT_SERVICE_NAME}.
 */
public final class OpenTelemetrySetup implements AutoCloseable {

    /** Variables whose presence turns tracing on. */
    public static final List<String> TRIGGER_VARIABLES = List.of("OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_SERVICE_NAME");
    /** The service name when {@code OTEL_SERVICE_NAME} is not set. */
    public static final String DEFAULT_SERVICE_NAME = "federation-examples";

    private static final Logger LOG = LoggerFactory.getLogger(OpenTelemetrySetup.class);

    private final OpenTelemetry openTelemetry;
    private final @Nullable OpenTelemetrySdk sdk;

    private OpenTelemetrySetup(OpenTelemetry openTelemetry, @Nullable OpenTelemetrySdk sdk) {
        this.openTelemetry = openTelemetry;
        this.sdk = sdk;
    }

    /** From the process environment. */
    public static OpenTelemetrySetup fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * From {@code environment}: off when none of {@link #TRIGGER_VARIABLES} is set, otherwise the autoconfigured
     * SDK (which itself reads the real process environment and system properties).
     */
    public static OpenTelemetrySetup fromEnvironment(Map<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        boolean on = false;
        for (String v : TRIGGER_VARIABLES) {
            String value = environment.get(v);
            if (value != null && !value.isBlank() && !(v.equals("OTEL_TRACES_EXPORTER") && value.equals("none"))) {
                on = true;
            }
        }
        if (!on) {
            return off();
        }
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> Map.of(
                        "otel.metrics.exporter", "none",
                        "otel.logs.exporter", "none",
                        "otel.service.name", DEFAULT_SERVICE_NAME))
                .build()
                .getOpenTelemetrySdk();
        LOG.atInfo().addKeyValue("operation", "otel_setup")
                .addKeyValue("traces_exporter", environment.getOrDefault("OTEL_TRACES_EXPORTER", "otlp"))
                .log("OpenTelemetry tracing on");
        return new OpenTelemetrySetup(sdk, sdk);
    }

    /** Tracing off. */
    public static OpenTelemetrySetup off() {
        return new OpenTelemetrySetup(OpenTelemetry.noop(), null);
    }

    /** The OpenTelemetry to hand to the tracing module. */
    public OpenTelemetry openTelemetry() {
        return openTelemetry;
    }

    /** {@code true} when an SDK was configured. */
    public boolean enabled() {
        return sdk != null;
    }

    /** Flushes and shuts the SDK down, if any. */
    @Override
    public void close() {
        if (sdk != null) {
            sdk.close();
        }
    }

    @Override
    public String toString() {
        return "OpenTelemetrySetup[" + (enabled() ? "on" : "off") + "]";
    }
}
