package dev.federation.examples.subgraphs;

import dev.federation.core.FederationErrorType;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.analysis.FieldComplexityCalculator;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.AbortExecutionException;
import graphql.execution.DataFetcherResult;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationCreateStateParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The limits every example subgraph puts on a query, with graphql-java's own instrumentations, so that a
 * small hostile document cannot make a large amount of work:
 * <ul>
 *   <li>depth ({@link MaxQueryDepthInstrumentation}): at most {@value #DEFAULT_MAX_DEPTH} levels;</li>
 *   <li>complexity ({@link MaxQueryComplexityInstrumentation}): each field costs 1 plus its children, times the
 *       size of a list: its {@code limit} argument, the number of {@code representations} for
 *       {@code _entities}, or {@value #DEFAULT_LIST_SIZE} for a list without either (for example
 *       {@code User.posts}); at most {@value #DEFAULT_MAX_COMPLEXITY}. Aliases count as the fields they
 *       repeat, so 1,000 aliased {@code posts(limit: 100)} fields are refused too;</li>
 *   <li>time: a field with a data fetcher of its own that would start after the request's deadline
 *       ({@link #DEFAULT_REQUEST_TIMEOUT}) is not fetched and gets a {@code REQUEST_TIMEOUT} error (properties of
 *       objects already fetched are still read);</li>
 *   <li>the parser's own limits (graphql-java's default of 15,000 tokens) refuse huge documents before this.</li>
 * </ul>
 * The gateway's real queries pass well inside: {@code posts(limit: 100)} with authors and products costs
 * about 800, an {@code _entities} call of 10,000 users about 20,000. A refused query gets one error with
 * {@code extensions.code} {@value #TOO_DEEP} or {@value #TOO_COMPLEX} and classification {@code BAD_REQUEST},
 * before any field runs.
 */
public final class QueryLimits {

    /** Deepest query accepted. */
    public static final int DEFAULT_MAX_DEPTH = 10;
    /** Most complex query accepted. */
    public static final int DEFAULT_MAX_COMPLEXITY = 50_000;
    /** Assumed size of a list field without a {@code limit} argument. */
    public static final int DEFAULT_LIST_SIZE = 10;
    /** Time after which a request's remaining fields are not fetched. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** The code of a query deeper than the limit. */
    public static final String TOO_DEEP = "QUERY_TOO_DEEP";
    /** The code of a query more complex than the limit. */
    public static final String TOO_COMPLEX = "QUERY_TOO_COMPLEX";
    /** The code of a field not fetched because the request ran out of time. */
    public static final String REQUEST_TIMEOUT = "REQUEST_TIMEOUT";

    private QueryLimits() {
    }

    /** The instrumentation with the default limits. */
    public static Instrumentation instrumentation() {
        return instrumentation(DEFAULT_MAX_DEPTH, DEFAULT_MAX_COMPLEXITY, DEFAULT_REQUEST_TIMEOUT);
    }

    /** The instrumentation with the given limits. */
    public static Instrumentation instrumentation(int maxDepth, int maxComplexity, Duration requestTimeout) {
        return new ChainedInstrumentation(List.of(
                new MaxQueryDepthInstrumentation(maxDepth) {
                    @Override
                    protected AbortExecutionException mkAbortException(int depth, int max) {
                        return refused(TOO_DEEP, "The query is " + depth + " levels deep; the limit is " + max);
                    }
                },
                new MaxQueryComplexityInstrumentation(maxComplexity, complexity()) {
                    @Override
                    protected AbortExecutionException mkAbortException(int complexity, int max) {
                        return refused(TOO_COMPLEX, "The query's complexity is " + complexity + "; the limit is "
                                + max + " (each field costs 1, times the size of the lists it is in)");
                    }
                },
                new Deadline(requestTimeout.toNanos())));
    }

    private static AbortExecutionException refused(String code, String message) {
        GraphQLError error = GraphqlErrorBuilder.newError()
                .message("%s", message)
                .errorType(FederationErrorType.BAD_REQUEST)
                .extensions(Map.of("code", code))
                .build();
        return new AbortExecutionException(List.of(error));
    }

    private static FieldComplexityCalculator complexity() {
        return (env, children) -> {
            int self = 1 + children;
            if (!isList(env.getFieldDefinition().getType())) {
                return self;
            }
            Map<String, Object> args = env.getArguments();
            Object limit = args.get("limit");
            Object reps = args.get("representations");
            long size = limit instanceof Number ? ((Number) limit).longValue()
                    : reps instanceof List ? ((List<?>) reps).size() : DEFAULT_LIST_SIZE;
            long cost = Math.max(1, size) * children + 1;
            return cost > Integer.MAX_VALUE / 2 ? Integer.MAX_VALUE / 2 : (int) cost;
        };
    }

    private static boolean isList(GraphQLType type) {
        GraphQLType t = type instanceof GraphQLNonNull ? ((GraphQLNonNull) type).getWrappedType() : type;
        return t instanceof GraphQLList;
    }

    /** Fields that would start after the request's deadline are not fetched. */
    private static final class Deadline extends SimplePerformantInstrumentation {
        private final long timeoutNanos;

        Deadline(long timeoutNanos) {
            this.timeoutNanos = timeoutNanos;
        }

        private record Started(long deadline) implements InstrumentationState {
        }

        @Override
        public @Nullable InstrumentationState createState(InstrumentationCreateStateParameters parameters) {
            return new Started(System.nanoTime() + timeoutNanos);
        }

        @Override
        public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> fetcher, InstrumentationFieldFetchParameters p,
                @Nullable InstrumentationState state) {
            if (!(state instanceof Started) || p.isTrivialDataFetcher()) {
                return fetcher; // reading a property of a fetched object costs nothing: never cut
            }
            long deadline = ((Started) state).deadline;
            return env -> {
                if (System.nanoTime() - deadline < 0) {
                    return fetcher.get(env);
                }
                return DataFetcherResult.newResult()
                        .error(GraphqlErrorBuilder.newError(env)
                                .message("%s", "The request ran out of time before this field was fetched")
                                .extensions(Map.of("code", REQUEST_TIMEOUT))
                                .build())
                        .build();
            };
        }

        @Override
        public String toString() {
            return "Deadline[" + Duration.ofNanos(timeoutNanos) + "]";
        }
    }
}
