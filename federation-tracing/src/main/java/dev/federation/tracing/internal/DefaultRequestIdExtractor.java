package dev.federation.tracing.internal;

import dev.federation.tracing.BatchLogFields;
import dev.federation.tracing.RequestIdExtractor;
import graphql.GraphQLContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/** {@link RequestIdExtractor#defaults()}: context {@code request_id}, {@code requestId}, then MDC. */
public final class DefaultRequestIdExtractor implements RequestIdExtractor {

    /** The instance. */
    public static final DefaultRequestIdExtractor INSTANCE = new DefaultRequestIdExtractor();

    private DefaultRequestIdExtractor() {
    }

    @Override
    public @Nullable String requestId(@Nullable GraphQLContext context) {
        if (context != null) {
            Object v = context.get(BatchLogFields.REQUEST_ID);
            if (v == null) {
                v = context.get("requestId");
            }
            if (v != null) {
                return v.toString();
            }
        }
        return MDC.get(BatchLogFields.REQUEST_ID);
    }

    @Override
    public String toString() {
        return "RequestIdExtractor.defaults()";
    }
}
