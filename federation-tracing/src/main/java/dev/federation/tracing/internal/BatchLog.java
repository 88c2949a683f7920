package dev.federation.tracing.internal;

import dev.federation.core.observer.BatchCall;
import dev.federation.core.observer.BatchResult;
import dev.federation.tracing.BatchLogFields;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/** Writes the structured log event of one batch call; builds nothing when its level is off. */
final class BatchLog {

    private static final Logger LOG = LoggerFactory.getLogger(BatchLogFields.LOGGER_NAME);

    private final long slowNanos;

    BatchLog(long slowNanos) {
        this.slowNanos = slowNanos;
    }

    void log(BatchCall call, BatchResult result, @Nullable String requestId, @Nullable Span span) {
        Throwable failure = result.failure();
        boolean slow = result.durationNanos() > slowNanos;
        LoggingEventBuilder event;
        if (failure != null || slow) {
            if (!LOG.isWarnEnabled()) {
                return;
            }
            event = LOG.atWarn();
        } else {
            if (!LOG.isDebugEnabled()) {
                return;
            }
            event = LOG.atDebug();
        }
        double millis = Math.round(result.durationNanos() / 1_000.0) / 1_000.0;
        if (failure != null) {
            event.setMessage("federation batch {} of {} keys failed after {} ms: {}")
                    .addArgument(call.loaderName())
                    .addArgument(call.size())
                    .addArgument(millis)
                    .addArgument(failure.getClass().getName())
                    .setCause(failure);
        } else if (slow) {
            event.setMessage("slow federation batch {}: {} keys took {} ms (threshold {} ms)")
                    .addArgument(call.loaderName())
                    .addArgument(call.size())
                    .addArgument(millis)
                    .addArgument(slowNanos / 1_000_000.0);
        } else {
            event.setMessage("federation batch {}: {} keys in {} ms")
                    .addArgument(call.loaderName())
                    .addArgument(call.size())
                    .addArgument(millis);
        }
        event.addKeyValue(BatchLogFields.OPERATION, BatchLogFields.OPERATION_BATCH_LOAD);
        if (requestId != null) {
            event.addKeyValue(BatchLogFields.REQUEST_ID, requestId);
        }
        event.addKeyValue(BatchLogFields.TYPENAME, call.typename())
                .addKeyValue(BatchLogFields.LOADER, call.loaderName())
                .addKeyValue(BatchLogFields.MODE, TracingObserver.modeValue(call.mode()))
                .addKeyValue(BatchLogFields.BATCH_SIZE, call.size())
                .addKeyValue(BatchLogFields.REQUESTS, call.requests())
                .addKeyValue(BatchLogFields.WAIT_MS, Math.round(call.waitNanos() / 1_000.0) / 1_000.0)
                .addKeyValue(BatchLogFields.ENTITY_COUNT, result.entityCount())
                .addKeyValue(BatchLogFields.CACHED_COUNT, call.cachedCount())
                .addKeyValue(BatchLogFields.MISSING_COUNT, result.missingCount())
                .addKeyValue(BatchLogFields.KEY_ERROR_COUNT, result.keyErrorCount())
                .addKeyValue(BatchLogFields.DURATION_MS, millis);
        if (failure != null) {
            event.addKeyValue(BatchLogFields.ERROR, failure.getClass().getName());
        }
        if (span != null) {
            SpanContext sc = span.getSpanContext();
            if (sc.isValid()) {
                event.addKeyValue(BatchLogFields.TRACE_ID, sc.getTraceId())
                        .addKeyValue(BatchLogFields.SPAN_ID, sc.getSpanId());
            }
        }
        event.log();
    }
}
