package dev.federation.core.observer;

import dev.federation.core.FederationMode;
import graphql.GraphQLContext;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A batch function call that starts.
 *
 * @param loaderName the DataLoader name: {@code "User(id)"} for an entity key, the registered name for a
 *     user's own DataLoader
 * @param typename the entity type; for a user's own DataLoader, its name
 * @param keyShape the key shape ({@code "sku variation { id }"}), or {@code null} for a user's own DataLoader
 * @param mode {@code BATCHED}, or {@code DIRECT} for a one-by-one call
 * @param size how many keys go to the backend in this call
 * @param cachedCount how many keys of the same group were served by the cross-request cache instead (counted
 *     on the first call of a group that is split in several)
 * @param context the request's GraphQL context, or {@code null} (always for a call of cross-request batching,
 *     merged or direct, which never hands a request's context on)
 * @param requests how many requests the call serves: 1, or more for a merged call of cross-request batching
 * @param waitNanos how long its keys waited for it, from the first key's arrival to the call (about 0 when
 *     dispatched at once)
 * @param contributors for a call of cross-request batching, the GraphQL contexts of the requests it serves
 *     (one for a direct call or a lone request), for observers only (a tracer links the batch to each request's
 *     span; the batch function never sees them); empty for a call of per-request batching, whose context is
 *     {@code context}
 */
public record BatchCall(String loaderName, String typename, @Nullable String keyShape, FederationMode mode,
        int size, int cachedCount, @Nullable GraphQLContext context, int requests, long waitNanos,
        List<GraphQLContext> contributors) {

    /** Copies the contributors. */
    public BatchCall {
        contributors = List.copyOf(contributors);
    }

    /** A call of one request, dispatched at once. */
    public BatchCall(String loaderName, String typename, @Nullable String keyShape, FederationMode mode, int size,
            int cachedCount, @Nullable GraphQLContext context) {
        this(loaderName, typename, keyShape, mode, size, cachedCount, context, 1, 0, List.of());
    }
}
