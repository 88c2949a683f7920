package dev.federation.core.observer;

/** Why a representation was refused; also the {@code code} extension of its GraphQL error. */
public enum RejectionReason {
    /** The element is {@code null}. */
    NULL_REPRESENTATION,
    /** The element is not a JSON object. */
    NOT_AN_OBJECT,
    /** {@code __typename} is absent, {@code null} or not a string. */
    MISSING_TYPENAME,
    /** {@code __typename} is not an entity type of this subgraph. */
    UNKNOWN_TYPENAME,
    /** A key field of the type's only {@code @key} is absent or {@code null}. */
    MISSING_KEY_FIELD,
    /** A key field has the wrong JSON type, or the key mapper refused it. */
    INVALID_KEY_FIELD,
    /** The fields match none of the keys the type declares. */
    UNDECLARED_KEY,
    /** The call holds more representations than the configured limit; the whole call is refused. */
    TOO_MANY_REPRESENTATIONS
}
