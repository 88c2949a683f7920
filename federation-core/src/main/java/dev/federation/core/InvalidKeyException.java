package dev.federation.core;

/**
 * A {@link KeyMapper} refuses a representation: its message is shown to the caller in the
 * {@code INVALID_KEY_FIELD} error, so it must say what is wrong with the input and nothing about the
 * service. {@link Representation}'s getters throw it. Any other exception a mapper throws is shown only as
 * "the key mapper refused it", its message kept for the logs (a parser's "For input string" is no answer).
 *
 * <pre>{@code
 * .key("id", rep -> {
 *     String id = rep.getString("id");
 *     if (!id.startsWith("u")) {
 *         throw new InvalidKeyException("User ids start with 'u'");
 *     }
 *     return id;
 * }, users)
 * }</pre>
 *
 * <p>Public API.
 */
public final class InvalidKeyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong with the representation, safe to show to the caller */
    public InvalidKeyException(String message) {
        super(message, null);
    }
}
