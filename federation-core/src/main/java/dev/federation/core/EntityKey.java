package dev.federation.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The immutable value of an entity's key fields, taken from a representation: {@code {id=u7}},
 * {@code {sku=federation, package=@apollo/federation}}, {@code {sku=federation, variation={id=OSS}}}.
 *
 * <p>Leaf values are the JSON scalars of the representation ({@link String}, {@link Number},
 * {@link Boolean}); a nested key field is itself an {@code EntityKey}. Two keys are equal when their fields
 * and values are equal, so an {@code EntityKey} can be a map key, a DataLoader key and a cache key.
 *
 * <p>Public API.
 */
public final class EntityKey {

    private final Map<String, Object> values;
    private final int hash;

    private EntityKey(Map<String, Object> values) {
        this.values = values;
        this.hash = values.hashCode();
    }

    /**
     * A key of the given field values (leaves: {@code String}, {@code Number}, {@code Boolean}; nested:
     * {@code EntityKey} or a {@code Map} of the same kind, converted).
     *
     * @throws IllegalArgumentException for a {@code null} or non-scalar value, or an empty map
     */
    public static EntityKey of(Map<String, ?> values) {
        Objects.requireNonNull(values, "values");
        if (values.isEmpty()) {
            throw new IllegalArgumentException("an entity key has at least one field");
        }
        Map<String, Object> copy = new LinkedHashMap<>(values.size() * 2);
        for (Map.Entry<String, ?> e : values.entrySet()) {
            copy.put(Objects.requireNonNull(e.getKey(), "field name"), normalise(e.getKey(), e.getValue()));
        }
        return new EntityKey(Collections.unmodifiableMap(copy));
    }

    /** A key of one field. */
    public static EntityKey of(String field, Object value) {
        return of(Map.of(field, value));
    }

    static EntityKey trusted(Map<String, Object> values) {
        return new EntityKey(Collections.unmodifiableMap(values));
    }

    @SuppressWarnings("unchecked")
    private static Object normalise(String field, @Nullable Object value) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof EntityKey) {
            return value;
        }
        if (value instanceof Map) {
            return of((Map<String, ?>) value);
        }
        throw new IllegalArgumentException("key field '" + field + "' must be a scalar or an object, was "
                + (value == null ? "null" : Representation.describe(value)));
    }

    /** The field names, in key order. */
    public Set<String> fields() {
        return values.keySet();
    }

    /** The value of a field: a {@code String}, {@code Number}, {@code Boolean} or nested {@code EntityKey}. */
    public @Nullable Object get(String field) {
        return values.get(field);
    }

    /**
     * The value of a leaf field as a string ({@code String} values as they are, numbers and booleans by
     * {@code toString()}).
     *
     * @throws IllegalArgumentException when the field is absent or nested
     */
    public String getString(String field) {
        Object v = values.get(field);
        if (v == null) {
            throw new IllegalArgumentException("key has no field '" + field + "'");
        }
        if (v instanceof EntityKey) {
            throw new IllegalArgumentException("key field '" + field + "' is an object, not a scalar");
        }
        return v.toString();
    }

    /**
     * The nested key of an object field, e.g. {@code key.getKey("variation").getString("id")}.
     *
     * @throws IllegalArgumentException when the field is absent or a scalar
     */
    public EntityKey getKey(String field) {
        Object v = values.get(field);
        if (!(v instanceof EntityKey)) {
            throw new IllegalArgumentException("key field '" + field + "' is not an object");
        }
        return (EntityKey) v;
    }

    /** The fields as an unmodifiable map (nested keys stay {@code EntityKey}s). */
    public Map<String, Object> asMap() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof EntityKey && ((EntityKey) o).hash == hash
                && ((EntityKey) o).values.equals(values));
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
