package dev.federation.examples.subgraphs;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.ErrorType;
import graphql.ExecutionInput;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Parses and validates each distinct query once, as a production service does (a gateway sends few distinct
 * documents, its query plan's fetches, with different variables), in a cache bounded by the size of the query
 * texts it holds ({@value #DEFAULT_MAX_CHARS} characters by default), never by their number alone: 51 rejected
 * queries of 7 MB must not pin 448 MB. A document that failed to parse or validate is not kept, so garbage
 * cannot fill the cache.
 */
public final class ParsedDocuments implements PreparsedDocumentProvider {

    /** The code of a document that does not parse (or has more tokens than the parser allows). */
    public static final String PARSE_FAILED = "GRAPHQL_PARSE_FAILED";
    /** The code of a document that does not validate against the schema. */
    public static final String VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED";
    /** Default total length of the query texts kept: 4 million characters. */
    public static final long DEFAULT_MAX_CHARS = 4_000_000;

    private final Cache<String, PreparsedDocumentEntry> documents;

    /** A cache of {@value #DEFAULT_MAX_CHARS} characters of query text. */
    public ParsedDocuments() {
        this(DEFAULT_MAX_CHARS);
    }

    /** A cache of at most {@code maxChars} characters of query text (an entry weighs its text's length). */
    public ParsedDocuments(long maxChars) {
        this.documents = Caffeine.newBuilder()
                .maximumWeight(maxChars)
                .weigher((String query, PreparsedDocumentEntry entry) -> Math.max(1, query.length()))
                .build();
    }

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
            Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        String query = input.getQuery();
        PreparsedDocumentEntry entry = documents.getIfPresent(query);
        if (entry == null) {
            entry = parseAndValidate.apply(input);
            if (entry.hasErrors()) {
                entry = new PreparsedDocumentEntry(coded(entry.getErrors()));
            } else {
                documents.put(query, entry);
            }
        }
        return CompletableFuture.completedFuture(entry);
    }

    /**
     * The parse and validation errors with the {@code extensions.code} Apollo gives them:
     * {@value #PARSE_FAILED} (including a document over the parser's token limit) and
     * {@value #VALIDATION_FAILED}.
     */
    private static List<GraphQLError> coded(List<? extends GraphQLError> errors) {
        List<GraphQLError> out = new ArrayList<>(errors.size());
        for (GraphQLError e : errors) {
            if (e.getExtensions() != null && e.getExtensions().containsKey("code")) {
                out.add(e);
                continue;
            }
            String code = e.getErrorType() == ErrorType.InvalidSyntax ? PARSE_FAILED : VALIDATION_FAILED;
            Map<String, Object> extensions = new LinkedHashMap<>();
            if (e.getExtensions() != null) {
                extensions.putAll(e.getExtensions());
            }
            extensions.put("code", code);
            out.add(GraphqlErrorBuilder.newError()
                    .message("%s", e.getMessage())
                    .locations(e.getLocations())
                    .errorType(e.getErrorType())
                    .extensions(extensions)
                    .build());
        }
        return out;
    }

    /** The documents kept now. */
    public long size() {
        documents.cleanUp();
        return documents.estimatedSize();
    }

    /** The total length of the query texts kept now. */
    public long weight() {
        documents.cleanUp();
        return documents.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }
}
