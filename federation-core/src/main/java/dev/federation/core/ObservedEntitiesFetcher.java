package dev.federation.core;

import dev.federation.core.observer.EntitiesCall;
import dev.federation.core.observer.EntitiesObservation;
import dev.federation.core.observer.EntitiesResult;
import dev.federation.core.observer.FederationObserver;
import dev.federation.core.observer.LoadOutcome;
import dev.federation.core.observer.Rejection;
import dev.federation.core.observer.RejectionReason;
import graphql.GraphQLError;
import graphql.execution.DataFetcherResult;
import graphql.execution.ResultPath;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLNamedOutputType;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Another resolver's {@code _entities} fetcher (Spring for GraphQL's {@code @EntityMapping} methods, a hand-written
 * one) with this library's request-wide representation limit and its observers around it: the call's events, and
 * per typename the loads it answered (batched or direct, as the typename's mode says), missed, or failed.
 *
 * <p>The answer is read back from what the fetcher returns: an entity at index {@code i}, an error whose path is
 * {@code _entities/i} (missing when the caller's {@code notFound} says the error means "no such entity"), or
 * {@code null}. Only typenames of the schema are counted under their own name, so a caller
 * cannot add meters by inventing typenames: the others are rejections, as in the library's own fetcher.
 */
final class ObservedEntitiesFetcher implements DataFetcher<Object> {

    private static final Logger LOG = LoggerFactory.getLogger(ObservedEntitiesFetcher.class);

    private final FederatedEntities entities;
    private final DataFetcher<?> delegate;
    /** Read at each answer: a live map may grow (beans made lazily register their typenames late). */
    private final Map<String, FederationMode> modes;
    private final Predicate<GraphQLError> notFound;
    /** Object types of the schema that implement an interface of {@link #modes}, with that interface's mode. */
    private final Map<String, FederationMode> implementations = new ConcurrentHashMap<>();

    ObservedEntitiesFetcher(FederatedEntities entities, DataFetcher<?> delegate, Map<String, FederationMode> modes,
            Predicate<GraphQLError> notFound) {
        this.entities = entities;
        this.delegate = delegate;
        this.modes = modes;
        this.notFound = notFound;
    }

    @Override
    public Object get(DataFetchingEnvironment env) throws Exception {
        Object arg = env.getArgument("representations");
        List<?> reps = arg instanceof List ? (List<?>) arg : List.of();
        int n = reps.size();
        KeyFailure over = EntitiesFetcher.overLimit(entities, n, RequestBudget.of(env, n));
        boolean observed = entities.observed();
        EntitiesObservation observation = observed ? entities.observer().entitiesStarted(
                new EntitiesCall(n, entities.modeSwitch().mode(), env.getGraphQlContext())) : null;
        long start = System.nanoTime();
        if (over != null) {
            if (observation != null) {
                observation.completed(new EntitiesResult(n, 0, 0, n, System.nanoTime() - start));
            }
            return DataFetcherResult.<List<Object>>newResult().data(null)
                    .error(EntitiesFetcher.error(over, env.getExecutionStepInfo().getPath(),
                            env.getField() == null ? null : env.getField().getSourceLocation()))
                    .build();
        }
        if (!observed) {
            return delegate.get(env);
        }
        Object value;
        try {
            value = observation == null ? delegate.get(env) : observation.around(() -> call(env));
        } catch (Checked e) {
            finish(env, reps, null, e.getCause(), observation, start);
            throw (Exception) e.getCause();
        } catch (Exception | Error e) {
            finish(env, reps, null, e, observation, start);
            throw e;
        }
        if (value instanceof CompletionStage) {
            return ((CompletionStage<?>) value).whenComplete((v, e) -> finish(env, reps, v, e, observation, start));
        }
        finish(env, reps, value, null, observation, start);
        return value;
    }

    private Object call(DataFetchingEnvironment env) {
        try {
            return delegate.get(env);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new Checked(e);
        }
    }

    /** A checked exception of the delegate, carried through {@code around} and thrown again as it was. */
    private static final class Checked extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Checked(Exception cause) {
            super(cause);
        }
    }

    /** Reads the answer back: per index an entity, an error or nothing, counted per typename and outcome. */
    private void finish(DataFetchingEnvironment env, List<?> reps, @Nullable Object value, @Nullable Throwable failure,
            @Nullable EntitiesObservation observation, long start) {
        try {
            count(env, reps, value, failure, observation, start);
        } catch (RuntimeException e) {
            LOG.warn("could not observe an _entities answer", e);
        }
    }

    private void count(DataFetchingEnvironment env, List<?> reps, @Nullable Object value, @Nullable Throwable failure,
            @Nullable EntitiesObservation observation, long start) {
        int n = reps.size();
        List<?> data = null;
        List<GraphQLError> errors = List.of();
        if (failure == null) {
            Object d = value;
            if (value instanceof DataFetcherResult) {
                DataFetcherResult<?> r = (DataFetcherResult<?>) value;
                d = r.getData();
                errors = r.getErrors();
            }
            data = d instanceof List ? (List<?>) d : null;
        }
        boolean[] failed = new boolean[n];
        boolean[] absent = new boolean[n];
        boolean wholeCall = data == null;
        int depth = env.getExecutionStepInfo().getPath().getLevel();
        for (GraphQLError e : errors) {
            List<Object> path = e.getPath();
            if (path != null && path.size() > depth && path.get(depth) instanceof Integer
                    && (Integer) path.get(depth) >= 0 && (Integer) path.get(depth) < n) {
                int i = (Integer) path.get(depth);
                if (notFound.test(e)) {
                    absent[i] = true;
                } else {
                    failed[i] = true;
                }
            } else {
                wholeCall = true;
            }
        }
        FederationObserver observer = entities.observer();
        GraphQLSchema schema = env.getGraphQLSchema();
        Map<String, EnumMap<LoadOutcome, Integer>> loads = new LinkedHashMap<>();
        int entityCount = 0;
        int missingCount = 0;
        int errorCount = 0;
        for (int i = 0; i < n; i++) {
            Object entity = data != null && i < data.size() ? data.get(i) : null;
            if (entity instanceof Map && ((Map<?, ?>) entity).isEmpty()) {
                entity = null; // no field at all, not even __typename: what Spring leaves for a short batch answer
            }
            boolean error = failed[i] || (entity == null && wholeCall && !absent[i]);
            if (error) {
                errorCount++;
            } else if (entity == null) {
                missingCount++;
            } else {
                entityCount++;
            }
            Object rep = reps.get(i);
            Object typename = rep instanceof Map ? ((Map<?, ?>) rep).get("__typename") : null;
            FederationMode mode = typename instanceof String ? modeOf((String) typename, schema) : null;
            if (mode == null) {
                if (error) {
                    observer.representationRejected(rejection(i, rep, typename));
                } else if (entity != null) {
                    LOG.debug("_entities answered representation {} of a type it was not told of", i);
                }
                continue;
            }
            LoadOutcome outcome = error ? LoadOutcome.ERROR : entity == null ? LoadOutcome.MISSING
                    : mode == FederationMode.BATCHED ? LoadOutcome.BATCHED : LoadOutcome.DIRECT;
            loads.computeIfAbsent((String) typename, t -> new EnumMap<>(LoadOutcome.class))
                    .merge(outcome, 1, Integer::sum);
        }
        for (Map.Entry<String, EnumMap<LoadOutcome, Integer>> t : loads.entrySet()) {
            for (Map.Entry<LoadOutcome, Integer> o : t.getValue().entrySet()) {
                observer.loadsCompleted(t.getKey(), o.getKey(), o.getValue());
            }
        }
        if (observation != null) {
            observation.completed(new EntitiesResult(n, entityCount, missingCount, errorCount,
                    System.nanoTime() - start));
        }
    }

    /** The mode of {@code typename}: its own, or that of the interface it implements; null when not an entity. */
    private @Nullable FederationMode modeOf(String typename, GraphQLSchema schema) {
        FederationMode mode = modes.get(typename);
        if (mode != null) {
            return mode;
        }
        mode = implementations.get(typename);
        if (mode != null) {
            return mode;
        }
        GraphQLType type = schema.getType(typename);
        if (type instanceof GraphQLObjectType) {
            for (GraphQLNamedOutputType i : ((GraphQLObjectType) type).getInterfaces()) {
                FederationMode m = modes.get(i.getName());
                if (m != null) {
                    implementations.put(typename, m);
                    return m;
                }
            }
        }
        return null;
    }

    private static Rejection rejection(int i, @Nullable Object rep, @Nullable Object typename) {
        if (rep == null) {
            return new Rejection(i, null, false, RejectionReason.NULL_REPRESENTATION,
                    "Representation " + i + " is null");
        }
        if (!(rep instanceof Map)) {
            return new Rejection(i, null, false, RejectionReason.NOT_AN_OBJECT,
                    "Representation " + i + " must be an object, was " + Representation.describe(rep));
        }
        if (!(typename instanceof String)) {
            return new Rejection(i, null, false, RejectionReason.MISSING_TYPENAME,
                    "Representation " + i + " has no __typename");
        }
        return new Rejection(i, (String) typename, false, RejectionReason.UNKNOWN_TYPENAME,
                "Representation " + i + " has __typename '" + KeyFailure.echo((String) typename)
                        + "', which is not an entity type of this subgraph");
    }

    @Override
    public String toString() {
        return "observed(" + delegate + ")";
    }
}
