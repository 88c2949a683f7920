package dev.federation.tracing.internal;

import dev.federation.core.FederationMode;
import dev.federation.core.observer.BatchCall;
import dev.federation.core.observer.BatchObservation;
import dev.federation.core.observer.EntitiesCall;
import dev.federation.core.observer.EntitiesObservation;
import dev.federation.core.observer.FederationObserver;
import dev.federation.tracing.FederationSpans;
import dev.federation.tracing.RequestIdExtractor;
import graphql.GraphQLContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The observer of {@code FederationTelemetry}: spans for {@code _entities} fields and batch calls, batch log
 * events and the MDC request id. Thread-safe; every call makes its own observation.
 */
public final class TracingObserver implements FederationObserver {

    /** Carries the running {@code _entities} call in the contexts made current under it. */
    static final ContextKey<EntitiesMarker> ENTITIES = ContextKey.named("dev.federation.tracing.entities");

    /**
     * Holds the running {@code _entities} call in the request's GraphQL context too, for the batch calls that
     * start where no context was propagated (the one-by-one calls of DIRECT mode after an asynchronous one
     * completed on an unwrapped thread).
     */
    static final Object GRAPHQL_CONTEXT_KEY = new Object() {
        @Override
        public String toString() {
            return "dev.federation.tracing.entities";
        }
    };

    private static final Logger LOG = LoggerFactory.getLogger(TracingObserver.class);

    private final @Nullable Tracer tracer;
    private final boolean logging;
    private final int maxLinks;
    private final RequestIdExtractor requestIds;
    private final BatchLog batchLog;

    /**
     * @param tracer the tracer, or {@code null} for no spans
     * @param logging whether batch log events and the MDC request id are on
     * @param slowNanos above this a batch call is logged at WARN
     * @param maxLinks largest number of links on a batch span
     * @param requestIds how the request id is found
     */
    public TracingObserver(@Nullable Tracer tracer, boolean logging, long slowNanos, int maxLinks,
            RequestIdExtractor requestIds) {
        this.tracer = tracer;
        this.logging = logging;
        this.maxLinks = maxLinks;
        this.requestIds = requestIds;
        this.batchLog = new BatchLog(slowNanos);
    }

    @Override
    public @Nullable EntitiesObservation entitiesStarted(EntitiesCall call) {
        Tracer t = tracer;
        if (t == null) {
            return null;
        }
        Context parent = Context.current();
        Span span = t.spanBuilder(FederationSpans.ENTITIES_SPAN_NAME)
                .setParent(parent)
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute(FederationSpans.REPRESENTATION_COUNT, (long) call.representationCount())
                .setAttribute(FederationSpans.MODE, modeValue(call.mode()))
                .startSpan();
        Context withSpan = parent.with(span);
        EntitiesMarker marker = new EntitiesMarker(withSpan, Span.fromContext(parent).getSpanContext());
        GraphQLContext graphQLContext = call.context();
        if (graphQLContext != null) {
            graphQLContext.put(GRAPHQL_CONTEXT_KEY, marker);
        }
        return new EntitiesSpan(span, withSpan.with(ENTITIES, marker), marker, graphQLContext);
    }

    @Override
    public @Nullable BatchObservation batchStarted(BatchCall call) {
        Span span = null;
        Context context = null;
        Tracer t = tracer;
        if (t != null) {
            Context current = Context.current();
            EntitiesMarker marker = current.get(ENTITIES);
            GraphQLContext graphQLContext = call.context();
            SpanContext[] merged = call.contributors().isEmpty() ? null : mergedContributors(call);
            if (merged != null) {
                // a merged call serves several requests: it hangs under the first one's _entities span, whatever
                // thread it runs on, and links to every one's
                marker = call.contributors().get(0).get(GRAPHQL_CONTEXT_KEY);
            } else if (marker == null && call.keyShape() != null && graphQLContext != null) {
                marker = graphQLContext.get(GRAPHQL_CONTEXT_KEY);
            }
            Context parent = marker != null ? marker.context : merged != null ? Context.root() : current;
            SpanContext contributor = marker != null ? marker.request : Span.fromContext(current).getSpanContext();
            SpanBuilder b = t.spanBuilder(FederationSpans.batchSpanName(call.loaderName()))
                    .setParent(parent)
                    .setSpanKind(SpanKind.INTERNAL)
                    .setAttribute(FederationSpans.DATALOADER_NAME, call.loaderName())
                    .setAttribute(FederationSpans.DATALOADER_BATCH_SIZE, (long) call.size())
                    .setAttribute(FederationSpans.DATALOADER_CACHE_HIT_COUNT, (long) call.cachedCount())
                    .setAttribute(FederationSpans.TYPENAME, call.typename())
                    .setAttribute(FederationSpans.MODE, modeValue(call.mode()))
                    .setAttribute(FederationSpans.BATCH_REQUESTS, (long) call.requests())
                    .setAttribute(FederationSpans.BATCH_WAIT_NANOS, call.waitNanos());
            if (call.keyShape() != null) {
                b.setAttribute(FederationSpans.KEY_SHAPE, call.keyShape());
            }
            if (merged != null) {
                Links.add(b, maxLinks, merged);
            } else {
                Links.add(b, maxLinks, contributor);
            }
            span = b.startSpan();
            context = parent.with(span);
            if (marker != null) {
                context = context.with(ENTITIES, marker);
            }
        }
        if (span == null && !logging) {
            return null; // neither a span nor a log event: nothing to do around or after the call
        }
        String requestId = logging ? requestIdOf(call) : null;
        return new BatchSpan(call, span, context, logging, requestId, batchLog);
    }

    /** The {@code _entities} span of each request a merged call serves (invalid where a request has none). */
    private static SpanContext[] mergedContributors(BatchCall call) {
        List<GraphQLContext> contexts = call.contributors();
        SpanContext[] out = new SpanContext[contexts.size()];
        for (int i = 0; i < out.length; i++) {
            EntitiesMarker m = contexts.get(i).get(GRAPHQL_CONTEXT_KEY);
            out[i] = m == null ? SpanContext.getInvalid() : Span.fromContext(m.context).getSpanContext();
        }
        return out;
    }

    private @Nullable String requestIdOf(BatchCall call) {
        graphql.GraphQLContext context = call.context();
        if (context == null && call.contributors().size() == 1) {
            context = call.contributors().get(0); // a cross-request call that serves one request: that request's id
        }
        try {
            return requestIds.requestId(context);
        } catch (RuntimeException e) {
            LOG.debug("request id extractor {} failed", requestIds, e);
            return null;
        }
    }

    static String modeValue(FederationMode mode) {
        return mode == FederationMode.DIRECT ? "direct" : "batched";
    }

    @Override
    public String toString() {
        return "FederationTelemetry.observer[tracing=" + (tracer != null) + ", logging=" + logging + "]";
    }

    /** What the contexts under an {@code _entities} span know of it. */
    static final class EntitiesMarker {
        /** The request's context with the {@code _entities} span: the parent of its batch spans. */
        final Context context;
        /** The span current when {@code _entities} started: the one that contributed the keys. */
        final SpanContext request;

        EntitiesMarker(Context context, SpanContext request) {
            this.context = context;
            this.request = request;
        }
    }
}
