package dev.federation.examples.subgraphs;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerParameters;
import graphql.execution.DataFetcherExceptionHandlerResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a field's exception becomes in the answer: an exception that is a {@link GraphQLError} (made to be
 * shown, such as a {@code GraphqlErrorException} for a bad argument) keeps its message and extensions; any
 * other exception becomes "Internal error" with {@code extensions.code} {@value #INTERNAL}, its class and
 * message going to the log only. graphql-java's default would answer
 * {@code "Exception while fetching data (/posts) : For input string: \"abc\""}.
 */
public final class SafeErrors implements DataFetcherExceptionHandler {

    /** The code of an error that is the service's fault. */
    public static final String INTERNAL = "INTERNAL_SERVER_ERROR";

    private static final Logger LOG = LoggerFactory.getLogger(SafeErrors.class);

    @Override
    public CompletableFuture<DataFetcherExceptionHandlerResult> handleException(
            DataFetcherExceptionHandlerParameters parameters) {
        Throwable e = parameters.getException();
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        GraphqlErrorBuilder<?> b = GraphqlErrorBuilder.newError()
                .path(parameters.getPath())
                .location(parameters.getSourceLocation());
        if (e instanceof GraphQLError shown && e.getMessage() != null) {
            Map<String, Object> extensions = new LinkedHashMap<>();
            if (shown.getExtensions() != null) {
                extensions.putAll(shown.getExtensions());
            }
            b.message("%s", e.getMessage()).extensions(extensions);
            if (shown.getErrorType() != null) {
                b.errorType(shown.getErrorType());
            }
        } else {
            LOG.atWarn().setCause(e).addKeyValue("path", parameters.getPath().toString())
                    .log("field {} failed", parameters.getPath());
            b.message("Internal error while fetching %s", parameters.getPath()).extensions(Map.of("code", INTERNAL));
        }
        return CompletableFuture.completedFuture(DataFetcherExceptionHandlerResult.newResult(b.build()).build());
    }
}
