package dev.federation.examples.observability;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's OpenTelemetry, from the SDK's autoconfigure module and the standard environment variables
 * ({@code OTEL_SERVICE_NAME}, {@code OTEL_TRACES_EXPORTER=otlp|console|logging|logging-otlp|none},
 * {@code OTEL_EXPORTER_OTLP_PROTOCOL=grpc|http/protobuf}, {@code OTEL_EXPORTER_OTLP_ENDPOINT}, ...).
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

    /** The values of {@code OTEL_TRACES_EXPORTER} this setup serves (comma-separated lists of them too). */
    public static final List<String> TRACES_EXPORTERS = List.of("otlp", "console", "logging", "logging-otlp", "none");
    /** The values of {@code OTEL_EXPORTER_OTLP_PROTOCOL} (and its {@code _TRACES_} form) served. */
    public static final List<String> OTLP_PROTOCOLS = List.of("grpc", "http/protobuf");

    /** A setting that this setup cannot serve; its message is one line that names the variable and the value. */
    public static final class UnsupportedSettingException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UnsupportedSettingException(String message) {
            super(message);
        }
    }

    /** From the process environment. */
    public static OpenTelemetrySetup fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * From {@code environment}: off when none of {@link #TRIGGER_VARIABLES} is set (or
     * {@code OTEL_TRACES_EXPORTER=none}), otherwise the autoconfigured SDK with every {@code OTEL_*} variable of
     * {@code environment} as its configuration (they win over system properties and the process environment).
     *
     * @throws UnsupportedSettingException for an {@code OTEL_TRACES_EXPORTER} or OTLP protocol value that is
     *     not served here, or a configuration the SDK refuses
     */
    public static OpenTelemetrySetup fromEnvironment(Map<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        String exporters = environment.get("OTEL_TRACES_EXPORTER");
        if (exporters != null) {
            for (String e : exporters.split(",")) {
                if (!TRACES_EXPORTERS.contains(e.trim())) {
                    throw new UnsupportedSettingException("OTEL_TRACES_EXPORTER=" + exporters + ": '" + e.trim()
                            + "' is not served here (use " + String.join(", ", TRACES_EXPORTERS) + ")");
                }
            }
        }
        for (String v : List.of("OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")) {
            String protocol = environment.get(v);
            if (protocol != null && !OTLP_PROTOCOLS.contains(protocol.trim())) {
                throw new UnsupportedSettingException(v + "=" + protocol + " is not served here (use "
                        + String.join(" or ", OTLP_PROTOCOLS) + ")");
            }
        }
        boolean on = false;
        for (String v : TRIGGER_VARIABLES) {
            String value = environment.get(v);
            if (value != null && !value.isBlank() && !(v.equals("OTEL_TRACES_EXPORTER") && value.trim().equals("none"))) {
                on = true;
            }
        }
        if (!on) {
            return off();
        }
        Map<String, String> properties = new LinkedHashMap<>();
        environment.forEach((k, v) -> {
            if (k.startsWith("OTEL_")) {
                properties.put(k.toLowerCase(Locale.ROOT).replace('_', '.'), v);
            }
        });
        OpenTelemetrySdk sdk;
        try {
            sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    .addPropertiesSupplier(() -> Map.of(
                            "otel.metrics.exporter", "none",
                            "otel.logs.exporter", "none",
                            "otel.service.name", DEFAULT_SERVICE_NAME))
                    .addPropertiesCustomizer(config -> properties)
                    .build()
                    .getOpenTelemetrySdk();
        } catch (RuntimeException e) {
            throw new UnsupportedSettingException("OpenTelemetry configuration refused: " + oneLine(e.getMessage()));
        }
        LOG.atInfo().addKeyValue("operation", "otel_setup")
                .addKeyValue("traces_exporter", environment.getOrDefault("OTEL_TRACES_EXPORTER", "otlp"))
                .log("OpenTelemetry tracing on");
        return new OpenTelemetrySetup(sdk, sdk);
    }

    private static String oneLine(@Nullable String s) {
        return s == null ? "(no message)" : s.replaceAll("\\s+", " ");
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
