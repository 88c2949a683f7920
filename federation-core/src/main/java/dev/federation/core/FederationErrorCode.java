package dev.federation.core;

/**
 * The {@code code} extension of the GraphQL errors that entity resolution produces, besides the
 * {@link dev.federation.core.observer.RejectionReason}s of bad input.
 *
 * <p>Public API.
 */
public enum FederationErrorCode {
    /** The batch function threw, or its stage failed; every key of that call fails. */
    ENTITY_BATCH_FAILED,
    /** The batch function returned a failed {@code Try} for this key. */
    ENTITY_KEY_FAILED,
    /** The batch function's stage did not complete within {@link FederationOptions#batchTimeout()}. */
    ENTITY_BATCH_TIMEOUT,
    /** The batch function broke its contract (wrong list length, a key that was not asked for, null result). */
    ENTITY_BATCH_CONTRACT
}
