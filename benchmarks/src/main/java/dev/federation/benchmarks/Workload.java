package dev.federation.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code _entities} call as a gateway sends it: the query document and its {@code representations}
 * variable, built once and reused by every execution.
 *
 * <p>Representation {@code i} is of type {@code TYPENAMES[i % types]} with id index {@code i}, so the keys
 * are distinct and the types interleaved, as a query plan step over a list of mixed entities gives them.
 */
final class Workload {

    /** The largest number of representations a workload may have (the backend's rows per table). */
    static final int MAX_REPRESENTATIONS = Backend.ROWS;

    final int representations;
    final int types;
    final String query;
    final Map<String, Object> variables;

    private Workload(int representations, int types) {
        this.representations = representations;
        this.types = types;
        StringBuilder selection = new StringBuilder();
        for (int t = 0; t < types; t++) {
            selection.append("...on ").append(Backend.TYPENAMES.get(t)).append("{id name}");
        }
        this.query = "query($representations:[_Any!]!){_entities(representations:$representations){"
                + selection + "}}";
        List<Map<String, Object>> reps = new ArrayList<>(representations);
        for (int i = 0; i < representations; i++) {
            String typename = typename(i);
            Map<String, Object> rep = new LinkedHashMap<>(4);
            rep.put("__typename", typename);
            rep.put("id", Backend.id(typename, i));
            reps.add(Collections.unmodifiableMap(rep));
        }
        Map<String, Object> vars = new LinkedHashMap<>(2);
        vars.put("representations", Collections.unmodifiableList(reps));
        this.variables = Collections.unmodifiableMap(vars);
    }

    /**
     * A workload.
     *
     * @throws IllegalArgumentException when {@code representations} is not in {@code 1..MAX_REPRESENTATIONS}
     *     or {@code types} not in {@code 1..3}
     */
    static Workload of(int representations, int types) {
        if (representations < 1 || representations > MAX_REPRESENTATIONS) {
            throw new IllegalArgumentException("representations must be in 1.." + MAX_REPRESENTATIONS + ", was "
                    + representations);
        }
        if (types < 1 || types > Backend.TYPENAMES.size()) {
            throw new IllegalArgumentException("types must be in 1.." + Backend.TYPENAMES.size() + ", was " + types);
        }
        return new Workload(representations, types);
    }

    /** The typename of representation {@code i}. */
    String typename(int i) {
        return Backend.TYPENAMES.get(i % types);
    }

    /** The {@code _entities} list every implementation must answer: {@code {id, name}} per representation. */
    List<Map<String, Object>> expectedEntities() {
        List<Map<String, Object>> out = new ArrayList<>(representations);
        for (int i = 0; i < representations; i++) {
            String typename = typename(i);
            String id = Backend.id(typename, i);
            Map<String, Object> e = new LinkedHashMap<>(4);
            e.put("id", id);
            e.put("name", Backend.name(typename, id));
            out.add(e);
        }
        return out;
    }

    @Override
    public String toString() {
        return "Workload[" + representations + " representations, " + types + " types]";
    }
}
