package dev.federation.core;

import graphql.GraphQLContext;
import org.jspecify.annotations.Nullable;

/**
 * Takes the cross-request cache scope from a request, so that callers who must not see each other's
 * entities (two tenants, two locales, two authorisation scopes) never share cache entries.
 *
 * <pre>{@code
 * CacheScope byTenant = context -> context.get("tenant");
 * }</pre>
 *
 * <p>The scope is part of every cache key; it must have a proper {@code equals} and {@code hashCode}.
 * Returning {@code null} turns the cache off for that request (its entities are neither read from nor
 * written to the cache), which is the safe answer when the scope cannot be told.
 *
 * <p>Public SPI.
 */
@FunctionalInterface
public interface CacheScope {

    /** One scope shared by every request: right only when entities look the same to every caller. */
    CacheScope GLOBAL = context -> "global";

    /**
     * The scope of the request whose GraphQL context is given.
     *
     * @return the scope, or {@code null} to bypass the cache for this request
     */
    @Nullable Object scopeOf(GraphQLContext context);
}
