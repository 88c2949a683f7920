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
    private final @Nullable Object scope;
    private final int requests;

    BatchEnvironment(String typename, KeyShape keyShape, FederationMode mode, @Nullable GraphQLContext context,
            @Nullable Object scope, int requests) {
        this.typename = typename;
        this.keyShape = keyShape;
        this.mode = mode;
        this.context = context;
        this.scope = scope;
        this.requests = requests;
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

    /**
     * The GraphQL context of the request, or {@code null} when the loader was used outside a request, and
     * always {@code null} for a merged call of cross-request batching: its keys come from several requests,
     * and handing it one of them would let that request's context (its user, its tenant) reach the others'.
     * A merged call's batch function reads {@link #scope()} instead.
     */
    public @Nullable GraphQLContext context() {
        return context;
    }

    /**
     * The batch scope ({@link CacheScope}) of the call's requests, the same for all of them; {@code null} when
     * the request has none.
     */
    public @Nullable Object scope() {
        return scope;
    }

    /** How many requests the call serves: 1, or more for a merged call of cross-request batching. */
    public int requests() {
        return requests;
    }
}
