package dev.federation.tracing.internal;

import dev.federation.core.observer.BatchCall;
import dev.federation.core.observer.BatchObservation;
import dev.federation.core.observer.BatchResult;
import dev.federation.tracing.BatchLogFields;
import dev.federation.tracing.FederationSpans;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * One batch call: its span (current while the batch function runs), the MDC request id around the function,
 * and its log event at the end.
 */
final class BatchSpan implements BatchObservation {

    private final BatchCall call;
    private final @Nullable Span span;
    private final @Nullable Context context;
    private final boolean logging;
    private final @Nullable String requestId;
    private final BatchLog log;

    BatchSpan(BatchCall call, @Nullable Span span, @Nullable Context context, boolean logging,
            @Nullable String requestId, BatchLog log) {
        this.call = call;
        this.span = span;
        this.context = context;
        this.logging = logging;
        this.requestId = requestId;
        this.log = log;
    }

    @Override
    public <T> T around(Supplier<T> work) {
        Scope scope = context == null ? null : context.makeCurrent();
        String id = requestId;
        String previous = null;
        boolean mdc = false;
        if (id != null) {
            previous = MDC.get(BatchLogFields.REQUEST_ID);
            mdc = !id.equals(previous);
            if (mdc) {
                MDC.put(BatchLogFields.REQUEST_ID, id);
            }
        }
        try {
            return work.get();
        } finally {
            if (mdc) {
                if (previous == null) {
                    MDC.remove(BatchLogFields.REQUEST_ID);
                } else {
                    MDC.put(BatchLogFields.REQUEST_ID, previous);
                }
            }
            if (scope != null) {
                scope.close();
            }
        }
    }

    @Override
    public void completed(BatchResult result) {
        Span s = span;
        if (s != null) {
            if (s.isRecording()) {
                s.setAttribute(FederationSpans.BATCH_ENTITY_COUNT, (long) result.entityCount());
                s.setAttribute(FederationSpans.BATCH_MISSING_COUNT, (long) result.missingCount());
                s.setAttribute(FederationSpans.BATCH_KEY_ERROR_COUNT, (long) result.keyErrorCount());
                Throwable failure = result.failure();
                if (failure != null) {
                    String type = failure.getClass().getName();
                    s.setAttribute(FederationSpans.ERROR_TYPE, type);
                    s.setStatus(StatusCode.ERROR, type);
                    s.recordException(failure);
                }
            }
            s.end();
        }
        if (logging) {
            log.log(call, result, requestId, s);
        }
    }

    @Override
    public String toString() {
        return "BatchSpan[" + Objects.toString(call.loaderName()) + "]";
    }
}
