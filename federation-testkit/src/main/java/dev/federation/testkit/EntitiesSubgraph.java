package dev.federation.testkit;

import com.apollographql.federation.graphqljava.Federation;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLContext;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLSchema;
import graphql.schema.TypeResolver;
import graphql.schema.idl.RuntimeWiring;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A real federation-jvm subgraph over graphql-java, executed the way a gateway calls {@code _entities}:
 * {@code query($representations:[_Any!]!){_entities(representations:$representations){...}}} with the
 * representations as a variable. The modules' tests build their subgraphs with it, from their own schema,
 * wiring, entities fetcher and type resolver.
 */
public final class EntitiesSubgraph {

    private final GraphQL graphQL;
    private final UnaryOperator<ExecutionInput> perRequest;

    private EntitiesSubgraph(GraphQL graphQL, UnaryOperator<ExecutionInput> perRequest) {
        this.graphQL = graphQL;
        this.perRequest = perRequest;
    }

    /**
     * A subgraph of {@code sdl} with {@code wiring}, whose {@code _entities} is answered by {@code entities} and
     * typed by {@code entityTypes}; {@code perRequest} prepares each request's input (for example
     * {@code entities::withRegistry}).
     */
    public static EntitiesSubgraph of(String sdl, RuntimeWiring wiring, DataFetcher<?> entities,
            TypeResolver entityTypes, UnaryOperator<ExecutionInput> perRequest) {
        GraphQLSchema schema = Federation.transform(sdl, wiring)
                .fetchEntities(entities)
                .resolveEntityType(entityTypes)
                .build();
        return new EntitiesSubgraph(GraphQL.newGraphQL(schema).build(), perRequest);
    }

    /** The graphql-java instance. */
    public GraphQL graphQL() {
        return graphQL;
    }

    /** Executes {@code _entities} with the given representations and selection, as a gateway does. */
    public ExecutionResult entities(List<?> representations, String selection) {
        return entities(representations, selection, b -> {
        });
    }

    /** {@link #entities(List, String)} with entries of the request's GraphQL context. */
    public ExecutionResult entities(List<?> representations, String selection,
            Consumer<GraphQLContext.Builder> context) {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("representations", representations);
        return execute(entitiesQuery(selection), variables, context);
    }

    /** Executes any query with its variables, prepared as every request is. */
    public ExecutionResult execute(String query, Map<String, Object> variables) {
        return execute(query, variables, b -> {
        });
    }

    private ExecutionResult execute(String query, Map<String, Object> variables,
            Consumer<GraphQLContext.Builder> context) {
        ExecutionInput input = ExecutionInput.newExecutionInput(query)
                .variables(variables)
                .graphQLContext(context)
                .build();
        return graphQL.execute(perRequest.apply(input));
    }

    /** The gateway's {@code _entities} query for {@code selection}, e.g. {@code "...on User{id name}"}. */
    public static String entitiesQuery(String selection) {
        return "query($representations:[_Any!]!){_entities(representations:$representations){" + selection + "}}";
    }

    /** The {@code _entities} list of a result. */
    @SuppressWarnings("unchecked")
    public static List<Object> entityList(ExecutionResult result) {
        Map<String, Object> data = result.getData();
        return (List<Object>) data.get("_entities");
    }

    /** A representation: {@code __typename} and the given field, value pairs, in order. */
    public static Map<String, Object> rep(String typename, Object... fieldsAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("__typename", typename);
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            m.put((String) fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return m;
    }

    /** {@code count} representations of {@code typename} with ids {@code prefix + from ...}. */
    public static List<Map<String, Object>> reps(String typename, String prefix, int from, int count) {
        List<Map<String, Object>> reps = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            reps.add(rep(typename, "id", prefix + i));
        }
        return reps;
    }

    /** A class path resource of {@code anchor}'s module as text. */
    public static String resource(Class<?> anchor, String name) {
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
