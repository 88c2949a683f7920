package dev.federation.examples.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MDC;

/** The examples' logback.xml writes one JSON object per line, with SLF4J key-values as top-level fields. */
class JsonLogsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @SuppressWarnings("unchecked")
    void batchLogRecordIsOneJsonLineWithItsKeyValuesAsFields() throws Exception {
        URL config = getClass().getClassLoader().getResource("logback.xml");
        assertThat(config).as("examples' logback.xml on the class path").isNotNull();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        try {
            context.setMDCAdapter(MDC.getMDCAdapter());
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(config);
            // the configured console appender's encoder, writing to a buffer instead of stdout
            ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) root.getAppender("JSON");
            assertThat(console).as("appender JSON of logback.xml").isNotNull();
            Encoder<ILoggingEvent> encoder = console.getEncoder();
            root.detachAppender(console);
            assertThat(encoder.isStarted()).isTrue();
            OutputStreamAppender<ILoggingEvent> buffer = new OutputStreamAppender<>();
            buffer.setContext(context);
            buffer.setEncoder(encoder);
            buffer.setOutputStream(captured);
            buffer.start();
            root.addAppender(buffer);
            Logger log = context.getLogger("dev.federation.tracing.batch");
            MDC.put("trace_hint", "t1");
            log.atWarn()
                    .addKeyValue("operation", "federation_batch_load")
                    .addKeyValue("request_id", "req-7")
                    .addKeyValue("typename", "User")
                    .addKeyValue("batch_size", 100)
                    .addKeyValue("duration_ms", 123.4)
                    .log("slow federation batch");
            log.atInfo().log("second line");
            new ch.qos.logback.core.util.StatusPrinter2().printInCaseOfErrorsOrWarnings(context);
        } finally {
            MDC.remove("trace_hint");
            context.stop();
        }

        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.get("message").asText()).isEqualTo("slow federation batch");
        assertThat(first.get("level").asText()).isEqualTo("WARN");
        assertThat(first.get("operation").asText()).isEqualTo("federation_batch_load");
        assertThat(first.get("request_id").asText()).isEqualTo("req-7");
        assertThat(first.get("typename").asText()).isEqualTo("User");
        assertThat(first.get("batch_size").asInt()).isEqualTo(100);
        assertThat(first.get("duration_ms").asDouble()).isEqualTo(123.4);
        assertThat(first.get("trace_hint").asText()).isEqualTo("t1");
        assertThat(first.has("timestamp")).isTrue();
        assertThat(JSON.readTree(lines.get(1)).get("message").asText()).isEqualTo("second line");
    }
}
