package dev.federation.core.observer;

import dev.federation.core.FederationMode;
import graphql.GraphQLContext;
import org.jspecify.annotations.Nullable;

/**
 * An {@code _entities} call that starts.
 *
 * @param representationCount how many representations the call holds
 * @param mode the mode this call runs in (read once, when it starts)
 * @param context the request's GraphQL context, or {@code null}
 */
public record EntitiesCall(int representationCount, FederationMode mode, @Nullable GraphQLContext context) {
}
