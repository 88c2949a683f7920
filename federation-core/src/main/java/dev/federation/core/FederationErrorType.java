package dev.federation.core;

import graphql.ErrorClassification;

/**
 * The {@code extensions.classification} of the errors this library puts at {@code ["_entities", i]} (each also
 * has an {@code extensions.code}: a {@link FederationErrorCode}, or the name of the
 * {@link dev.federation.core.observer.RejectionReason}). A service may use it for its own client errors too
 * (a query too deep, an argument out of range).
 *
 * <ul>
 *   <li>{@link #BAD_REQUEST}: the caller's fault: a representation that is not valid for this subgraph, or too
 *       many of them. Retrying the same request cannot succeed.</li>
 *   <li>Failures of the service (a batch function that failed, timed out or broke its contract) keep
 *       graphql-java's {@code DataFetchingException}.</li>
 * </ul>
 *
 * <p>Public API.
 */
public enum FederationErrorType implements ErrorClassification {
    /** The request itself is wrong: bad input, or over a limit. */
    BAD_REQUEST
}
