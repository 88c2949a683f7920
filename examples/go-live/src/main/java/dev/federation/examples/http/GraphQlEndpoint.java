package dev.federation.examples.http;

import graphql.ExecutionResult;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Something that executes one GraphQL request, as {@link SubgraphServer} hands it over from
 * {@code POST /graphql}.
 *
 * <p>Implementations build a fresh {@code ExecutionInput} per call (with a fresh DataLoader registry,
 * e.g. {@code entities.withRegistry(input)}) and must be thread-safe: the server calls them from several
 * threads at once. A request-level failure is best returned as an {@code ExecutionResult} with errors; an
 * exception thrown here becomes an HTTP 500 without a stack trace in the body.
 */
@FunctionalInterface
public interface GraphQlEndpoint {

    /**
     * Executes one request.
     *
     * @param query the GraphQL document
     * @param variables the variables (empty when none were sent)
     * @param operationName the operation to run, or {@code null}
     * @param lowercaseHeaders the request headers, names lower-cased, first value of each; always holds
     *     {@code x-request-id} (the caller's, or one made by the server)
     * @return the result, serialized with {@code toSpecification()}
     */
    ExecutionResult execute(String query, Map<String, Object> variables, @Nullable String operationName,
            Map<String, String> lowercaseHeaders);
}
