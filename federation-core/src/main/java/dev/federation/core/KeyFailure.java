package dev.federation.core;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/** The failure of one key: a code, a message safe to show a caller, and the cause for the logs. */
final class KeyFailure {
    final String code;
    final String message;
    final @Nullable Throwable cause;

    KeyFailure(String code, String message, @Nullable Throwable cause) {
        this.code = code;
        this.message = message;
        this.cause = cause;
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** {@code IllegalStateException: boom}, without a stack trace. */
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
