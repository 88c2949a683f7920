package dev.federation.core;

import graphql.GraphQLContext;
import org.jspecify.annotations.Nullable;

/**
 * What a batch function may want to know about the call it serves.
 *
 * <p>Public API.
 */
public final class BatchEnvironment {

    private final String typename;
    private final KeyShape keyShape;
    private final FederationMode mode;
    private final @Nullable GraphQLContext context;

    BatchEnvironment(String typename, KeyShape keyShape, FederationMode mode, @Nullable GraphQLContext context) {
        this.typename = typename;
        this.keyShape = keyShape;
        this.mode = mode;
        this.context = context;
    }

    /** The entity type. */
    public String typename() {
        return typename;
    }

    /** The key shape the keys were taken by. */
    public KeyShape keyShape() {
        return keyShape;
    }

    /** {@code BATCHED}, or {@code DIRECT} when the call is one of the one-by-one fallback. */
    public FederationMode mode() {
        return mode;
    }

    /** The GraphQL context of the request, or {@code null} when the loader was used outside a request. */
    public @Nullable GraphQLContext context() {
        return context;
    }
}
