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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code _entities} data fetcher, and the owner of the whole call: it returns one future of the whole
 * list, with an error at each failed index. Every representation of the call is known at once, so no
 * DataLoader dispatch is needed. The call takes four steps, each with one owner:
 *
 * <ol>
 *   <li>each representation becomes a key resolver ordinal and a key ({@link EntityKeys#resolverOf},
 *       {@link KeyResolver#keyOf}), or a rejection at its index;</li>
 *   <li>the keys are grouped by ordinal and de-duplicated, with int arrays and one open-addressing table;</li>
 *   <li>each key resolver loads its distinct keys and answers them in key order
 *       ({@link KeyResolver#loadBatched});</li>
 *   <li>the answers are filled into the result list by index.</li>
 * </ol>
 */
final class EntitiesFetcher implements DataFetcher<Object> {

    private static final Logger LOG = LoggerFactory.getLogger(EntitiesFetcher.class);
    private static final LoadOutcome[] OUTCOMES = LoadOutcome.values();

    private final FederatedEntities entities;

    EntitiesFetcher(FederatedEntities entities) {
        this.entities = entities;
    }

    /**
     * The call's {@code DataFetcherResult} of the whole list: as it is when every batch function answered on
     * this thread (graphql-java then completes the entities without an asynchronous step), else as one future.
     */
    @Override
    public Object get(DataFetchingEnvironment env) {
        Object arg = env.getArgument("representations");
        List<?> reps = arg instanceof List ? (List<?>) arg : List.of();
        GraphQLContext context = env.getGraphQlContext();
        Call call = new Call(reps, entities.modeSwitch().mode(), context, env.getExecutionStepInfo().getPath(),
                env.getField() == null ? null : env.getField().getSourceLocation(), RequestBudget.of(env, reps.size()));
        EntitiesObservation observation = entities.observed()
                ? entities.observer().entitiesStarted(new EntitiesCall(reps.size(), call.mode, context)) : null;
        long start = observation == null ? 0 : System.nanoTime();
        CompletableFuture<Void> done;
        try {
            done = observation == null ? call.start() : observation.around(call::start);
        } catch (RuntimeException e) {
            // the library's own failure: never let it escape to the HTTP layer as a stack trace
            LOG.error("_entities resolution failed", e);
            done = CompletableFuture.failedFuture(e);
        }
        if (done.isDone()) {
            Throwable failure = null;
            try {
                done.join();
            } catch (RuntimeException e) {
                failure = e;
            }
            return finish(call, observation, start, failure);
        }
        return done.handle((v, e) -> finish(call, observation, start, e));
    }

    private DataFetcherResult<List<Object>> finish(Call call, @Nullable EntitiesObservation observation, long start,
            @Nullable Throwable failure) {
        if (failure != null) {
            LOG.error("_entities resolution failed", failure);
            call.failAll("INTERNAL_ERROR", "Entity resolution failed (an internal error of the subgraph)");
        }
        DataFetcherResult<List<Object>> result = call.result();
        if (observation != null) {
            observation.completed(new EntitiesResult(call.n, call.entityCount, call.missingCount, call.errorCount,
                    System.nanoTime() - start));
        }
        return result;
    }

    /** One {@code _entities} call. */
    private final class Call {
        final List<?> reps;
        final int n;
        final FederationMode mode;
        final GraphQLContext context;
        final ResultPath path;
        final @Nullable SourceLocation location;
        final int[] request;
        final KeyResolver<?>[] resolvers = entities.keyResolvers();
        /** The key resolver ordinal of each representation; -1 when it was rejected. */
        final int[] ordinals;
        /** Each representation's key after step 1; its answer (entity, null or KeyFailure) after step 4. */
        final Object[] values;
        /** The {@link LoadOutcome} ordinal + 1 of each answered representation; 0 until answered. */
        final byte[] outcomes;
        /** The {@link Representation} each key resolver hands its mapper, refilled per representation. */
        final @Nullable Representation[] scratch = new Representation[resolvers.length];
        @Nullable KeyFailure callFailure;
        int entityCount;
        int missingCount;
        int errorCount;

        Call(List<?> reps, FederationMode mode, GraphQLContext context, ResultPath path,
                @Nullable SourceLocation location, int[] request) {
            this.reps = reps;
            this.n = reps.size();
            this.mode = mode;
            this.context = context;
            this.path = path;
            this.location = location;
            this.request = request;
            this.ordinals = new int[n];
            this.values = new Object[n];
            this.outcomes = new byte[n];
        }

        CompletableFuture<Void> start() {
            callFailure = overLimit(entities, n, request);
            if (callFailure != null) {
                return CompletableFuture.completedFuture(null);
            }
            int keyed = 0;
            for (int i = 0; i < n; i++) {
                if (key(i, reps.get(i))) {
                    keyed++;
                }
            }
            if (keyed == 0) {
                return CompletableFuture.completedFuture(null);
            }
            if (mode == FederationMode.DIRECT) {
                // one backend call per representation, one after the other, as the one-by-one path did
                return DirectLoop.oneByOne(resolvers, ordinals, values, 0, context,
                        DirectLoop.deadlineAfter(entities.options().batchTimeout()),
                        (v, i) -> set(i, v, LoadOutcome.DIRECT));
            }
            return batched(keyed);
        }

        /** Step 1: representation {@code i} to its key resolver ordinal and key; {@code false} when rejected. */
        boolean key(int i, @Nullable Object rep) {
            if (rep == null) {
                return reject(new Rejection(i, null, false, RejectionReason.NULL_REPRESENTATION,
                        "Representation " + i + " is null"));
            }
            if (!(rep instanceof Map)) {
                return reject(new Rejection(i, null, false, RejectionReason.NOT_AN_OBJECT,
                        "Representation " + i + " must be an object, was " + Representation.describe(rep)));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) rep;
            Object typename = map.get("__typename");
            if (!(typename instanceof String)) {
                return reject(new Rejection(i, null, false, RejectionReason.MISSING_TYPENAME, typename == null
                        ? "Representation " + i + " has no __typename"
                        : "Representation " + i + " has a __typename that is " + Representation.describe(typename)
                                + ", not a string"));
            }
            EntityKeys type = entities.keysOf((String) typename);
            if (type == null) {
                return reject(new Rejection(i, (String) typename, false, RejectionReason.UNKNOWN_TYPENAME,
                        "Representation " + i + " has __typename '" + KeyFailure.echo((String) typename)
                                + "', which is not an entity type of this subgraph"));
            }
            Object chosen = type.resolverOf(i, map);
            if (chosen instanceof Rejection) {
                return reject((Rejection) chosen);
            }
            KeyResolver<?> r = (KeyResolver<?>) chosen;
            Object key = r.keyOf(i, map, scratch);
            if (key instanceof Rejection) {
                return reject((Rejection) key);
            }
            ordinals[i] = r.ordinal;
            values[i] = key;
            return true;
        }

        boolean reject(Rejection rejection) {
            int i = rejection.index();
            ordinals[i] = -1;
            values[i] = KeyFailure.clientError(rejection.reason().name(), rejection.message());
            if (entities.observed()) {
                entities.observer().representationRejected(rejection);
            }
            return false;
        }

        /**
         * Steps 2 to 4 in BATCHED mode. {@code slots[i]} is the place of representation {@code i}'s key among
         * the distinct keys of its resolver, or its one's complement when an earlier representation has the
         * same key (then it is answered from that load and counted as {@link LoadOutcome#CACHED}).
         */
        CompletableFuture<Void> batched(int keyed) {
            int[] sizes = new int[resolvers.length];
            int[] slots = new int[n];
            int[] table = new int[Integer.highestOneBit(Math.max(2, keyed) * 2 - 1) << 1];
            int mask = table.length - 1;
            for (int i = 0; i < n; i++) {
                int o = ordinals[i];
                if (o < 0) {
                    continue;
                }
                Object key = values[i];
                int h = (key.hashCode() * 31 + o) * 0x9E3779B9;
                int at = (h ^ (h >>> 16)) & mask;
                while (true) {
                    int j = table[at] - 1;
                    if (j < 0) {
                        table[at] = i + 1;
                        slots[i] = sizes[o]++;
                        break;
                    }
                    if (ordinals[j] == o && values[j].equals(key)) {
                        slots[i] = ~slots[j];
                        break;
                    }
                    at = (at + 1) & mask;
                }
            }
            Object[][] distinct = new Object[resolvers.length][];
            int groups = 0;
            for (int o = 0; o < sizes.length; o++) {
                if (sizes[o] > 0) {
                    distinct[o] = new Object[sizes[o]];
                    groups++;
                }
            }
            for (int i = 0; i < n; i++) {
                if (ordinals[i] >= 0 && slots[i] >= 0) {
                    distinct[ordinals[i]][slots[i]] = values[i];
                }
            }
            Object scope = entities.scopeOf(context);
            if (groups == 1) {
                int o = ordinals[firstKeyed()];
                CompletableFuture<Object[]> loaded = load(resolvers[o], distinct[o], scope);
                if (loaded.isDone()) { // answered on this thread (a load completes normally always)
                    distinct[o] = loaded.join();
                    fill(slots, distinct);
                    return BackendCall.DONE;
                }
                return loaded.thenAccept(answers -> {
                    distinct[o] = answers;
                    fill(slots, distinct);
                });
            }
            CompletableFuture<?>[] parts = new CompletableFuture<?>[groups];
            int p = 0;
            for (int o = 0; o < distinct.length; o++) {
                if (distinct[o] != null) {
                    int group = o;
                    parts[p++] = load(resolvers[o], distinct[o], scope).thenAccept(answers -> distinct[group] = answers);
                }
            }
            // each part wrote its own row; allOf orders those writes before the fill
            return CompletableFuture.allOf(parts).thenRun(() -> fill(slots, distinct));
        }

        private int firstKeyed() {
            int i = 0;
            while (ordinals[i] < 0) {
                i++;
            }
            return i;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private CompletableFuture<Object[]> load(KeyResolver r, Object[] keys, @Nullable Object scope) {
            return r.loadBatched(Arrays.asList(keys), context, scope);
        }

        /** Step 4: every keyed representation gets the answer of its key, by index. */
        void fill(int[] slots, Object[][] answers) {
            for (int i = 0; i < n; i++) {
                int o = ordinals[i];
                if (o >= 0) {
                    int s = slots[i];
                    if (s >= 0) {
                        set(i, answers[o][s], LoadOutcome.BATCHED);
                    } else {
                        set(i, answers[o][~s], LoadOutcome.CACHED);
                    }
                }
            }
        }

        void set(int i, @Nullable Object v, LoadOutcome served) {
            LoadOutcome outcome;
            if (v instanceof KeyResolver.Cached) {
                v = ((KeyResolver.Cached) v).value;
                outcome = LoadOutcome.CACHED;
            } else if (v instanceof KeyFailure) {
                outcome = LoadOutcome.ERROR;
            } else if (v == null) {
                outcome = LoadOutcome.MISSING;
            } else {
                outcome = served;
            }
            values[i] = v;
            outcomes[i] = (byte) (outcome.ordinal() + 1);
        }

        /** Fails every representation not answered yet (and not rejected). */
        void failAll(String code, String message) {
            KeyFailure f = new KeyFailure(code, message, null);
            for (int i = 0; i < n; i++) {
                if (ordinals[i] >= 0 && outcomes[i] == 0) {
                    values[i] = f;
                    outcomes[i] = (byte) (LoadOutcome.ERROR.ordinal() + 1);
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
            boolean observed = entities.observed();
            int[] loads = observed ? new int[entities.typeCount() * OUTCOMES.length] : null;
            List<GraphQLError> errors = null;
            String onlyUntyped = null;
            boolean mixed = false;
            boolean anyTyped = false;
            for (int i = 0; i < n; i++) {
                Object v = values[i];
                int o = ordinals[i];
                KeyResolver<?> r = o >= 0 ? resolvers[o] : null;
                if (loads != null && r != null && outcomes[i] != 0) {
                    loads[r.typeOrdinal * OUTCOMES.length + outcomes[i] - 1]++;
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
                    if (r != null) {
                        if (r.typed) {
                            anyTyped = true;
                        } else if (onlyUntyped == null) {
                            onlyUntyped = r.typename;
                        } else if (!mixed && !onlyUntyped.equals(r.typename)) {
                            mixed = true;
                        }
                    }
                }
            }
            if (loads != null) {
                FederationObserver observer = entities.observer();
                for (int t = 0; t < entities.typeCount(); t++) {
                    for (LoadOutcome outcome : OUTCOMES) {
                        int count = loads[t * OUTCOMES.length + outcome.ordinal()];
                        if (count > 0) {
                            observer.loadsCompleted(entities.typenameAt(t), outcome, count);
                        }
                    }
                }
            }
            EntityTypenames typenames = null;
            if (onlyUntyped != null) {
                typenames = mixed || anyTyped
                        ? EntityTypenames.ofValues(values, ordinals, resolvers)
                        : EntityTypenames.of(onlyUntyped);
            }
            return DataFetcherResult.<List<Object>>newResult()
                    .data(Arrays.asList(values))
                    .errors(errors == null ? List.of() : errors)
                    .localContext(typenames)
                    .build();
        }

        private GraphQLError error(KeyFailure f, ResultPath at) {
            return EntitiesFetcher.error(f, at, location);
        }
    }

    /**
     * The failure of a whole call when the request's representations ({@code n} in this field, {@code request}
     * as {@link RequestBudget#of} counts them) are over {@link FederationOptions#maxRepresentations()}, told to
     * the observers; {@code null} when within it.
     */
    static @Nullable KeyFailure overLimit(FederatedEntities entities, int n, int[] request) {
        int limit = entities.options().maxRepresentations();
        int total = Math.max(n, request[0]);
        if (total <= limit) {
            return null;
        }
        String message = request[1] > 1
                ? "Too many representations: " + total + " in the " + request[1]
                        + " _entities fields of this request, the limit is " + limit
                : "Too many representations: " + total + " in one _entities call, the limit is " + limit;
        if (entities.observed()) {
            entities.observer().representationRejected(new Rejection(-1, null, false,
                    RejectionReason.TOO_MANY_REPRESENTATIONS, message));
        }
        return KeyFailure.clientError(RejectionReason.TOO_MANY_REPRESENTATIONS.name(), message);
    }

    /** The GraphQL error of {@code f} at {@code at}: a client error is BAD_REQUEST, with its code. */
    static GraphQLError error(KeyFailure f, ResultPath at, @Nullable SourceLocation location) {
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
}
