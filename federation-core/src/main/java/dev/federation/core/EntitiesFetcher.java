package dev.federation.core;

import dev.federation.core.observer.EntitiesCall;
import dev.federation.core.observer.EntitiesObservation;
import dev.federation.core.observer.EntitiesResult;
import dev.federation.core.observer.FederationObserver;
import dev.federation.core.observer.LoadOutcome;
import dev.federation.core.observer.Rejection;
import dev.federation.core.observer.RejectionReason;
import graphql.ErrorType;
import graphql.GraphQLContext;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherResult;
import graphql.execution.ResultPath;
import graphql.language.SourceLocation;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code _entities} data fetcher: validates the representations, groups them by type and key shape,
 * calls each group's batch function directly (no DataLoader dispatch is needed, since every representation
 * of the call is known at once) and returns one future of the whole list, with an error per failed index.
 */
final class EntitiesFetcher implements DataFetcher<CompletableFuture<DataFetcherResult<List<Object>>>> {

    private static final Logger LOG = LoggerFactory.getLogger(EntitiesFetcher.class);

    private final FederatedEntities entities;

    EntitiesFetcher(FederatedEntities entities) {
        this.entities = entities;
    }

    @Override
    public CompletableFuture<DataFetcherResult<List<Object>>> get(DataFetchingEnvironment env) {
        Object arg = env.getArgument("representations");
        List<?> reps = arg instanceof List ? (List<?>) arg : List.of();
        GraphQLContext context = env.getGraphQlContext();
        Call call = new Call(reps, entities.modeSwitch().mode(), context, env.getExecutionStepInfo().getPath(),
                env.getField() == null ? null : env.getField().getSourceLocation(), RequestBudget.of(env, reps.size()));
        FederationObserver observer = entities.observer();
        EntitiesObservation observation = observer.entitiesStarted(
                new EntitiesCall(reps.size(), call.mode, context));
        long start = System.nanoTime();
        CompletableFuture<Void> done;
        try {
            done = observation == null ? call.start() : observation.around(call::start);
        } catch (RuntimeException e) {
            // the library's own failure: never let it escape to the HTTP layer as a stack trace
            LOG.error("_entities resolution failed", e);
            done = CompletableFuture.failedFuture(e);
        }
        return done.handle((v, e) -> {
            if (e != null) {
                LOG.error("_entities resolution failed", e);
                call.failAll("INTERNAL_ERROR", "Entity resolution failed (an internal error of the subgraph)");
            }
            DataFetcherResult<List<Object>> result = call.result();
            if (observation != null) {
                observation.completed(new EntitiesResult(reps.size(), call.entityCount, call.missingCount,
                        call.errorCount, System.nanoTime() - start));
            }
            return result;
        });
    }

    /** One {@code _entities} call. */
    private final class Call {
        final List<?> reps;
        final FederationMode mode;
        final GraphQLContext context;
        final ResultPath path;
        final @Nullable SourceLocation location;
        final int[] request;
        final int n;
        final Object[] values;
        final KeyResolver<?>[] resolvers;
        final Object[] keys;
        final LoadOutcome[] outcomes;
        @Nullable KeyFailure callFailure;
        long deadline = Long.MAX_VALUE;
        int entityCount;
        int missingCount;
        int errorCount;

        Call(List<?> reps, FederationMode mode, GraphQLContext context, ResultPath path,
                @Nullable SourceLocation location, int[] request) {
            this.reps = reps;
            this.request = request;
            this.mode = mode;
            this.context = context;
            this.path = path;
            this.location = location;
            this.n = reps.size();
            this.values = new Object[n];
            this.resolvers = new KeyResolver<?>[n];
            this.keys = new Object[n];
            this.outcomes = new LoadOutcome[n];
        }

        CompletableFuture<Void> start() {
            int limit = entities.options().maxRepresentations();
            int total = Math.max(n, request[0]);
            if (total > limit) {
                String message = request[1] > 1
                        ? "Too many representations: " + total + " in the " + request[1]
                                + " _entities fields of this request, the limit is " + limit
                        : "Too many representations: " + total + " in one _entities call, the limit is " + limit;
                entities.observer().representationRejected(new Rejection(-1, null, false,
                        RejectionReason.TOO_MANY_REPRESENTATIONS, message));
                callFailure = KeyFailure.clientError(RejectionReason.TOO_MANY_REPRESENTATIONS.name(), message);
                return CompletableFuture.completedFuture(null);
            }
            FederatedEntities.Rejector rejector = this::reject;
            for (int i = 0; i < n; i++) {
                entities.validate(i, reps.get(i), rejector, resolvers, keys);
            }
            if (mode == FederationMode.DIRECT) {
                long timeout = entities.options().batchTimeout().toNanos();
                long now = System.nanoTime();
                deadline = now + timeout < now ? Long.MAX_VALUE : now + timeout;
                return direct(0);
            }
            return batched();
        }

        void reject(int index, @Nullable String typename, boolean known, RejectionReason reason, String message) {
            values[index] = KeyFailure.clientError(reason.name(), message);
            entities.observer().representationRejected(new Rejection(index, typename, known, reason, message));
        }

        /** One group per key resolver; each distinct key loaded once. */
        CompletableFuture<Void> batched() {
            Map<KeyResolver<?>, Group> groups = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                KeyResolver<?> r = resolvers[i];
                if (r != null) {
                    Group g = groups.get(r);
                    if (g == null) {
                        g = new Group();
                        groups.put(r, g);
                    }
                    g.add(keys[i], i);
                }
            }
            if (groups.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            Object scope = entities.scopeOf(context);
            CompletableFuture<?>[] parts = new CompletableFuture<?>[groups.size()];
            int p = 0;
            for (Map.Entry<KeyResolver<?>, Group> e : groups.entrySet()) {
                Group g = e.getValue();
                parts[p++] = load(e.getKey(), g, scope).thenAccept(results -> g.fill(results));
            }
            return p == 1 ? parts[0].thenApply(x -> null) : CompletableFuture.allOf(parts);
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private CompletableFuture<Map<Object, Object>> load(KeyResolver r, Group g, @Nullable Object scope) {
            return r.loadBatched(g.distinct, context, scope);
        }

        /**
         * One backend call per representation, one after the other, as the one-by-one path did; once the
         * field's deadline has passed, the rest fail without a call.
         */
        @SuppressWarnings({"unchecked", "rawtypes"})
        CompletableFuture<Void> direct(int from) {
            for (int i = from; i < n; i++) {
                KeyResolver r = resolvers[i];
                if (r == null) {
                    continue;
                }
                if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0) {
                    set(i, r.directDeadlinePassed(), LoadOutcome.DIRECT);
                    continue;
                }
                final int index = i;
                CompletableFuture<Object> f = r.loadDirect(keys[i], context, deadline);
                if (f.isDone()) {
                    set(index, f.join(), LoadOutcome.DIRECT);
                } else {
                    return f.thenCompose(v -> {
                        set(index, v, LoadOutcome.DIRECT);
                        return direct(index + 1);
                    });
                }
            }
            return CompletableFuture.completedFuture(null);
        }

        void set(int i, @Nullable Object v, LoadOutcome served) {
            if (v instanceof KeyResolver.Cached) {
                values[i] = ((KeyResolver.Cached) v).value;
                outcomes[i] = LoadOutcome.CACHED;
            } else if (v instanceof KeyFailure) {
                values[i] = v;
                outcomes[i] = LoadOutcome.ERROR;
            } else if (v == null) {
                outcomes[i] = LoadOutcome.MISSING;
            } else {
                values[i] = v;
                outcomes[i] = served;
            }
        }

        void failAll(String code, String message) {
            KeyFailure f = new KeyFailure(code, message, null);
            for (int i = 0; i < n; i++) {
                if (!(values[i] instanceof KeyFailure)) {
                    values[i] = f;
                    if (resolvers[i] != null) {
                        outcomes[i] = LoadOutcome.ERROR;
                    }
                }
            }
        }

        DataFetcherResult<List<Object>> result() {
            if (callFailure != null) {
                errorCount = n;
                return DataFetcherResult.<List<Object>>newResult()
                        .data(null)
                        .error(error(callFailure, path))
                        .build();
            }
            List<GraphQLError> errors = null;
            Map<String, int[]> loads = new HashMap<>(8);
            Map<Object, String> typenames = null;
            for (int i = 0; i < n; i++) {
                Object v = values[i];
                KeyResolver<?> r = resolvers[i];
                if (r != null && outcomes[i] != null) {
                    loads.computeIfAbsent(r.typename, t -> new int[LoadOutcome.values().length])[outcomes[i].ordinal()]++;
                }
                if (v instanceof KeyFailure) {
                    if (errors == null) {
                        errors = new ArrayList<>();
                    }
                    errors.add(error((KeyFailure) v, path.segment(i)));
                    values[i] = null;
                    errorCount++;
                } else if (v == null) {
                    missingCount++;
                } else {
                    entityCount++;
                    if (r != null && !entities.hasJavaClass(r.typename)) {
                        if (typenames == null) {
                            typenames = entities.typenamesOf(context);
                        }
                        typenames.put(v, r.typename);
                    }
                }
            }
            FederationObserver observer = entities.observer();
            for (Map.Entry<String, int[]> e : loads.entrySet()) {
                int[] counts = e.getValue();
                for (LoadOutcome o : LoadOutcome.values()) {
                    if (counts[o.ordinal()] > 0) {
                        observer.loadsCompleted(e.getKey(), o, counts[o.ordinal()]);
                    }
                }
            }
            return DataFetcherResult.<List<Object>>newResult()
                    .data(Arrays.asList(values))
                    .errors(errors == null ? List.of() : errors)
                    .build();
        }

        private GraphQLError error(KeyFailure f, ResultPath at) {
            GraphqlErrorBuilder<?> b = GraphqlErrorBuilder.newError()
                    .message("%s", f.message)
                    .path(at)
                    .errorType(f.clientError ? FederationErrorType.BAD_REQUEST : ErrorType.DataFetchingException)
                    .extensions(Map.of("code", f.code));
            if (location != null) {
                b.location(location);
            }
            return b.build();
        }

        /** The representations of one key resolver, de-duplicated by key. */
        private final class Group {
            final List<Object> distinct = new ArrayList<>();
            final Map<Object, Integer> first = new HashMap<>();
            int[] indexes = new int[8];
            int size;

            void add(Object key, int index) {
                if (size == indexes.length) {
                    indexes = Arrays.copyOf(indexes, size * 2);
                }
                indexes[size++] = index;
                if (first.putIfAbsent(key, index) == null) {
                    distinct.add(key);
                }
            }

            void fill(Map<Object, Object> results) {
                for (int j = 0; j < size; j++) {
                    int i = indexes[j];
                    Object key = keys[i];
                    Object v = results.get(key);
                    boolean duplicate = first.get(key) != i;
                    set(i, v, duplicate ? LoadOutcome.CACHED : LoadOutcome.BATCHED);
                }
            }
        }
    }
}
