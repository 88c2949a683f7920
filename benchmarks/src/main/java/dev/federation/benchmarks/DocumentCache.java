package dev.federation.benchmarks;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Parses and validates each query document once, so that a benchmark measures resolution rather than
 * parsing; a gateway sends the same few documents again and again, and production subgraphs cache them the
 * same way.
 */
final class DocumentCache implements PreparsedDocumentProvider {

    private final Map<String, CompletableFuture<PreparsedDocumentEntry>> entries = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
            Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        CompletableFuture<PreparsedDocumentEntry> cached = entries.get(input.getQuery());
        if (cached != null) {
            return cached;
        }
        return entries.computeIfAbsent(input.getQuery(),
                q -> CompletableFuture.completedFuture(parseAndValidate.apply(input)));
    }

    /** The number of documents cached. */
    int size() {
        return entries.size();
    }
}
