package dev.federation.tracing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/** Captures the events of some loggers, key-value pairs and MDC included, while open. */
final class LogCapture implements AutoCloseable {

    private final List<Logger> loggers = new ArrayList<>();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing(); // takes the MDC of the logging thread now, not when read
            super.append(event);
        }
    };

    LogCapture(String... names) {
        appender.start();
        for (String name : names) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            logger.addAppender(appender);
            loggers.add(logger);
        }
    }

    /** The batch log events. */
    static LogCapture batchLog() {
        return new LogCapture(BatchLogFields.LOGGER_NAME);
    }

    List<ILoggingEvent> events() {
        synchronized (appender) {
            return List.copyOf(appender.list);
        }
    }

    List<ILoggingEvent> events(String logger) {
        return events().stream().filter(e -> e.getLoggerName().equals(logger)).collect(Collectors.toList());
    }

    /** The key-value pairs of an event, in order. */
    static Map<String, Object> fields(ILoggingEvent event) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair p : pairs) {
                out.put(p.key, p.value);
            }
        }
        return out;
    }

    @Override
    public void close() {
        for (Logger logger : loggers) {
            logger.detachAppender(appender);
        }
        appender.stop();
    }
}
