package dev.federation.core.observer;

import org.jspecify.annotations.Nullable;

/**
 * A representation refused as bad input.
 *
 * @param index its index in {@code representations}, or -1 when the whole call was refused
 * @param typename its {@code __typename} as sent, or {@code null}; never use it as a metric tag unless
 *     {@code knownType}: a caller can invent any number of them
 * @param knownType {@code true} when {@code typename} is an entity type of this subgraph
 * @param reason why
 * @param message the message of the GraphQL error
 */
public record Rejection(int index, @Nullable String typename, boolean knownType, RejectionReason reason,
        String message) {
}
