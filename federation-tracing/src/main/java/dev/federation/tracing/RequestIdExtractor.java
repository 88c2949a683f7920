package dev.federation.tracing;

import dev.federation.tracing.internal.DefaultRequestIdExtractor;
import graphql.GraphQLContext;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Finds the id of the request a batch serves, for the {@value BatchLogFields#REQUEST_ID} log field and MDC
 * entry. Called on the thread that starts the batch (the one executing the request), once per batch.
 *
 * <p>The {@linkplain #defaults() default} reads the GraphQL context keys {@code request_id} and
 * {@code requestId}, then the caller's MDC entry {@code request_id}.
 *
 * <pre>{@code
 * RequestIdExtractor byHeader = RequestIdExtractor.fromContext("x-request-id").orElse(RequestIdExtractor.defaults());
 * }</pre>
 *
 * <p>Public SPI. An implementation must be thread-safe and fast; one that throws is treated as returning
 * {@code null}.
 */
@FunctionalInterface
public interface RequestIdExtractor {

    /** The request id, or {@code null} when unknown. */
    @Nullable String requestId(@Nullable GraphQLContext context);

    /** This extractor, then {@code other} when this one finds nothing. */
    default RequestIdExtractor orElse(RequestIdExtractor other) {
        Objects.requireNonNull(other, "other");
        return context -> {
            String id = requestId(context);
            return id != null ? id : other.requestId(context);
        };
    }

    /** The value under {@code key} in the GraphQL context, as a string. */
    static RequestIdExtractor fromContext(Object key) {
        Objects.requireNonNull(key, "key");
        return context -> {
            if (context == null) {
                return null;
            }
            Object v = context.get(key);
            return v == null ? null : v.toString();
        };
    }

    /** The caller's MDC entry {@code key}. */
    static RequestIdExtractor fromMdc(String key) {
        Objects.requireNonNull(key, "key");
        return context -> MDC.get(key);
    }

    /** GraphQL context key {@code request_id}, then {@code requestId}, then the caller's MDC {@code request_id}. */
    static RequestIdExtractor defaults() {
        return DefaultRequestIdExtractor.INSTANCE;
    }

    /** The extractor that never finds an id. */
    static RequestIdExtractor none() {
        return context -> null;
    }
}
