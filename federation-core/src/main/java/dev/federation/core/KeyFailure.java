package dev.federation.core;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import graphql.GraphQLError;
import org.jspecify.annotations.Nullable;

/** The failure of one key: a code, a message safe to show a caller, and the cause for the logs. */
final class KeyFailure {
    final String code;
    final String message;
    final @Nullable Throwable cause;
    /** The caller's fault (bad input, over a limit), not the service's. */
    final boolean clientError;

    KeyFailure(String code, String message, @Nullable Throwable cause) {
        this(code, message, cause, false);
    }

    private KeyFailure(String code, String message, @Nullable Throwable cause, boolean clientError) {
        this.code = code;
        this.message = message;
        this.cause = cause;
        this.clientError = clientError;
    }

    /** A failure that is the caller's fault. */
    static KeyFailure clientError(String code, String message) {
        return new KeyFailure(code, message, null, true);
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static final int MAX_ECHO = 64;

    /**
     * What of a failure may be shown to a caller: the message of an exception that is a {@link GraphQLError}
     * (made to be shown), as {@code ": message"}, and nothing for any other exception, whose class and
     * message (a driver's SQL, a parser's "For input string") stay in the logs.
     */
    static String safeDetail(@Nullable Throwable t) {
        if (t instanceof GraphQLError && t.getMessage() != null) {
            return ": " + t.getMessage();
        }
        return "";
    }

    /** A caller's text as it may be echoed: at most 64 characters, printable ASCII only. */
    static String echo(String text) {
        String s = text.length() > MAX_ECHO ? text.substring(0, MAX_ECHO) + "..." : text;
        return s.replaceAll("[^\\x20-\\x7E]", "?");
    }

    /** {@code IllegalStateException: boom}, without a stack trace: for the logs, never for an answer. */
    static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + m;
    }

    RuntimeException toException() {
        return new EntityResolutionException(code, message, cause);
    }

    /** The exception a DataLoader future fails with; its message is the GraphQL error's. */
    static final class EntityResolutionException extends RuntimeException {
        final String code;

        EntityResolutionException(String code, String message, @Nullable Throwable cause) {
            super(message, cause);
            this.code = code;
        }
    }
}
