package dev.federation.core;

import graphql.GraphQLContext;
import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.schema.DataFetchingEnvironment;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The number of representations of a whole request: the sizes of the {@code representations} arguments of
 * every {@code _entities} field of the operation (aliases, inline fragments and fragment spreads included),
 * read from the document and the variables before any of those fields runs, so that a request over
 * {@link FederationOptions#maxRepresentations()} is refused before any backend call. A field under
 * {@code @skip} or {@code @include} counts as if it ran (the count errs on the safe side). Computed once per
 * request and kept on its {@link GraphQLContext}.
 */
final class RequestBudget {

    /** The count of one operation; the operation is kept to tell two executions sharing a context apart. */
    private record Count(OperationDefinition operation, int representations, int fields) {
    }

    private static final Object KEY = new Object() {
        @Override
        public String toString() {
            return "dev.federation.core.requestRepresentations";
        }
    };

    private RequestBudget() {
    }

    /**
     * The representations of every {@code _entities} field of {@code env}'s operation, and how many fields
     * there are, as {@code {representations, fields}}; {@code {thisField, 1}} when the operation is unknown.
     */
    static int[] of(DataFetchingEnvironment env, int thisField) {
        OperationDefinition operation = env.getOperationDefinition();
        GraphQLContext context = env.getGraphQlContext();
        if (operation == null) {
            return new int[] {thisField, 1};
        }
        if (context != null) {
            Count known = context.get(KEY);
            if (known != null && known.operation == operation) {
                return new int[] {known.representations, known.fields};
            }
        }
        int[] sum = new int[2];
        add(operation.getSelectionSet(), env.getFragmentsByName(), env.getVariables(), sum, new HashSet<>(), 0);
        if (sum[1] == 0) { // not found in the document (a field of another name?): count this one
            sum[0] = thisField;
            sum[1] = 1;
        }
        if (context != null) {
            context.put(KEY, new Count(operation, sum[0], sum[1]));
        }
        return sum;
    }

    private static void add(@Nullable SelectionSet set, Map<String, FragmentDefinition> fragments,
            Map<String, Object> variables, int[] sum, Set<String> visited, int depth) {
        if (set == null || depth > 32) {
            return;
        }
        for (Selection<?> s : set.getSelections()) {
            if (s instanceof Field) {
                Field f = (Field) s;
                if ("_entities".equals(f.getName())) {
                    sum[0] = saturated(sum[0], size(f, variables));
                    sum[1]++;
                }
            } else if (s instanceof InlineFragment) {
                add(((InlineFragment) s).getSelectionSet(), fragments, variables, sum, visited, depth + 1);
            } else if (s instanceof FragmentSpread) {
                String name = ((FragmentSpread) s).getName();
                FragmentDefinition d = fragments.get(name);
                if (d != null && visited.add(name)) {
                    add(d.getSelectionSet(), fragments, variables, sum, visited, depth + 1);
                }
            }
        }
    }

    private static int size(Field f, Map<String, Object> variables) {
        for (Argument a : f.getArguments()) {
            if ("representations".equals(a.getName())) {
                Value<?> v = a.getValue();
                if (v instanceof ArrayValue) {
                    return ((ArrayValue) v).getValues().size();
                }
                if (v instanceof VariableReference) {
                    Object value = variables.get(((VariableReference) v).getName());
                    return value instanceof List ? ((List<?>) value).size() : 1;
                }
                return 1;
            }
        }
        return 0;
    }

    private static int saturated(int a, int b) {
        long r = (long) a + b;
        return r > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) r;
    }
}
