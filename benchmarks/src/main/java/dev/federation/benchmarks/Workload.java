package dev.federation.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * One {@code _entities} call as a gateway sends it: the query document and its {@code representations}
 * variable, built once and reused by every execution.
 *
 * <ul>
 *   <li>{@link #of}: representation {@code i} is of type {@code TYPENAMES[i % types]} with id index {@code i},
 *       so the keys are distinct and the types interleaved, as a query plan step over a list of mixed entities
 *       gives them;</li>
 *   <li>{@link #posts}: the call the examples' {@code posts { author { name } product { name } }} query makes
 *       for a page of posts, whose authors (and products, reviews) repeat with a skewed, Zipf-like popularity,
 *       as real data does;</li>
 *   <li>{@link #small}: a request of a few representations of skewed keys, as many small queries make.</li>
 * </ul>
 */
final class Workload {

    /** The largest number of representations a workload may have (the backend's rows per table). */
    static final int MAX_REPRESENTATIONS = Backend.ROWS;

    /** The authors (products, reviews) a page of 100 posts draws from in {@link #posts}. */
    static final int POOL_PER_100_POSTS = 40;

    final String label;
    final int representations;
    final int types;
    final String query;
    final Map<String, Object> variables;
    private final List<String> typenames;
    private final List<String> ids;
    /** {@link #expectedEntities()}. */
    private final List<Map<String, Object>> expected;

    private Workload(String label, int types, List<String> typenames, List<String> ids) {
        this.label = label;
        this.representations = ids.size();
        this.types = types;
        this.typenames = List.copyOf(typenames);
        this.ids = List.copyOf(ids);
        StringBuilder selection = new StringBuilder();
        for (int t = 0; t < types; t++) {
            selection.append("...on ").append(Backend.TYPENAMES.get(t)).append("{id name}");
        }
        this.query = "query($representations:[_Any!]!){_entities(representations:$representations){"
                + selection + "}}";
        List<Map<String, Object>> reps = new ArrayList<>(representations);
        for (int i = 0; i < representations; i++) {
            Map<String, Object> rep = new LinkedHashMap<>(4);
            rep.put("__typename", typenames.get(i));
            rep.put("id", ids.get(i));
            reps.add(Collections.unmodifiableMap(rep));
        }
        Map<String, Object> vars = new LinkedHashMap<>(2);
        vars.put("representations", Collections.unmodifiableList(reps));
        this.variables = Collections.unmodifiableMap(vars);
        this.expected = makeExpected();
    }

    /**
     * Distinct keys, types interleaved.
     *
     * @throws IllegalArgumentException when {@code representations} is not in {@code 1..MAX_REPRESENTATIONS}
     *     or {@code types} not in {@code 1..3}
     */
    static Workload of(int representations, int types) {
        requireRange("representations", representations, MAX_REPRESENTATIONS);
        requireTypes(types);
        List<String> typenames = new ArrayList<>(representations);
        List<String> ids = new ArrayList<>(representations);
        for (int i = 0; i < representations; i++) {
            String typename = Backend.TYPENAMES.get(i % types);
            typenames.add(typename);
            ids.add(Backend.id(typename, i));
        }
        return new Workload(representations + " distinct", types, typenames, ids);
    }

    /**
     * The {@code _entities} call for a page of {@code posts} posts: per post, its author (a {@code User}) and,
     * with 2 or 3 types, its product and its top review, each drawn from {@code posts * 40 / 100} rows by a
     * Zipf distribution (exponent 1) with a fixed seed, in post order. So 100 posts draw on 40 authors, of
     * whom 28 appear, the most popular in about a fifth of the posts ({@link #distinctKeys()} tells).
     *
     * @throws IllegalArgumentException when {@code posts} is not in {@code 1..MAX_REPRESENTATIONS} or
     *     {@code types} not in {@code 1..3}
     */
    static Workload posts(int posts, int types) {
        requireRange("posts", posts, MAX_REPRESENTATIONS);
        requireTypes(types);
        int rows = Math.max(1, posts * POOL_PER_100_POSTS / 100);
        Zipf zipf = new Zipf(rows, new Random(20261202L + posts * 31L + types));
        List<String> typenames = new ArrayList<>(posts * types);
        List<String> ids = new ArrayList<>(posts * types);
        for (int p = 0; p < posts; p++) {
            for (int t = 0; t < types; t++) {
                String typename = Backend.TYPENAMES.get(t);
                typenames.add(typename);
                ids.add(Backend.id(typename, zipf.next()));
            }
        }
        return new Workload(posts + " posts", types, typenames, ids);
    }

    /**
     * A small request: {@code size} {@code User} representations of skewed keys over 40 rows; {@code seed}
     * picks which.
     *
     * @throws IllegalArgumentException when {@code size} is not in {@code 1..MAX_REPRESENTATIONS}
     */
    static Workload small(int size, long seed) {
        requireRange("size", size, MAX_REPRESENTATIONS);
        Zipf zipf = new Zipf(POOL_PER_100_POSTS, new Random(seed));
        List<String> typenames = new ArrayList<>(size);
        List<String> ids = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            typenames.add("User");
            ids.add(Backend.id("User", zipf.next()));
        }
        return new Workload(size + " small", 1, typenames, ids);
    }

    /**
     * A small request of {@code size} {@code User} representations drawn uniformly from every row, so that
     * concurrent requests share few keys and merged calls can grow past the few dozen rows of a skewed pool.
     */
    static Workload smallUniform(int size, long seed) {
        requireRange("size", size, MAX_REPRESENTATIONS);
        Random random = new Random(seed);
        List<String> typenames = new ArrayList<>(size);
        List<String> ids = new ArrayList<>(size);
        while (ids.size() < size) {
            String id = Backend.id("User", random.nextInt(Backend.ROWS));
            if (!ids.contains(id)) {
                typenames.add("User");
                ids.add(id);
            }
        }
        return new Workload(size + " uniform", 1, typenames, ids);
    }

    private static void requireRange(String name, int value, int max) {
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(name + " must be in 1.." + max + ", was " + value);
        }
    }

    private static void requireTypes(int types) {
        if (types < 1 || types > Backend.TYPENAMES.size()) {
            throw new IllegalArgumentException("types must be in 1.." + Backend.TYPENAMES.size() + ", was " + types);
        }
    }

    /** The typename of representation {@code i}. */
    String typename(int i) {
        return typenames.get(i);
    }

    /** The number of distinct (typename, id) keys: the fewest keys any batching can load. */
    int distinctKeys() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < representations; i++) {
            seen.add(typenames.get(i) + ":" + ids.get(i));
        }
        return seen.size();
    }

    /** The number of entity types the representations are of. */
    int typeCount() {
        return new HashSet<>(typenames).size();
    }

    /**
     * The {@code _entities} list every implementation must answer: {@code {id, name}} per representation (made
     * once, unmodifiable: benchmarks check every answer against it).
     */
    List<Map<String, Object>> expectedEntities() {
        return expected;
    }

    private List<Map<String, Object>> makeExpected() {
        List<Map<String, Object>> out = new ArrayList<>(representations);
        for (int i = 0; i < representations; i++) {
            Map<String, Object> e = new LinkedHashMap<>(4);
            e.put("id", ids.get(i));
            e.put("name", Backend.name(typenames.get(i), ids.get(i)));
            out.add(e);
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return "Workload[" + label + ", " + representations + " representations, " + types + " types]";
    }

    /** Zipf-distributed row indexes {@code 0..rows-1}, exponent 1: row {@code k} has weight {@code 1/(k+1)}. */
    private static final class Zipf {
        private final double[] cumulative;
        private final Random random;

        Zipf(int rows, Random random) {
            this.random = random;
            this.cumulative = new double[rows];
            double sum = 0;
            for (int k = 0; k < rows; k++) {
                sum += 1.0 / (k + 1);
                cumulative[k] = sum;
            }
            for (int k = 0; k < rows; k++) {
                cumulative[k] /= sum;
            }
        }

        int next() {
            double u = random.nextDouble();
            int lo = 0;
            int hi = cumulative.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cumulative[mid] < u) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }
}
