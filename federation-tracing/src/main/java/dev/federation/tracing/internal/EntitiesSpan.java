package dev.federation.tracing.internal;

import dev.federation.core.observer.EntitiesObservation;
import dev.federation.core.observer.EntitiesResult;
import dev.federation.tracing.FederationSpans;
import graphql.GraphQLContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** The span of one {@code _entities} field: current while the call starts its batches, ended at its end. */
final class EntitiesSpan implements EntitiesObservation {

    private final Span span;
    private final Context context;
    private final TracingObserver.EntitiesMarker marker;
    private final @Nullable GraphQLContext graphQLContext;

    EntitiesSpan(Span span, Context context, TracingObserver.EntitiesMarker marker,
            @Nullable GraphQLContext graphQLContext) {
        this.span = span;
        this.context = context;
        this.marker = marker;
        this.graphQLContext = graphQLContext;
    }

    @Override
    public <T> T around(Supplier<T> work) {
        Scope scope = context.makeCurrent();
        try {
            return work.get();
        } finally {
            scope.close();
        }
    }

    @Override
    public void completed(EntitiesResult result) {
        if (span.isRecording()) {
            span.setAttribute(FederationSpans.ENTITY_COUNT, (long) result.entityCount());
            span.setAttribute(FederationSpans.MISSING_COUNT, (long) result.missingCount());
            span.setAttribute(FederationSpans.ERROR_COUNT, (long) result.errorCount());
            span.setAttribute(FederationSpans.OUTCOME, result.outcome().tagValue());
            if (result.errorCount() > 0) {
                span.setStatus(StatusCode.ERROR, result.errorCount() + " of " + result.representationCount()
                        + " representations failed");
            }
        }
        span.end();
        if (graphQLContext != null) {
            graphQLContext.compute(TracingObserver.GRAPHQL_CONTEXT_KEY, (k, v) -> v == marker ? null : v);
        }
    }
}
