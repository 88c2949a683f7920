package dev.federation.core;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One validated representation of an {@code _entities} call, as a {@link KeyMapper} sees it: its
 * {@code __typename}, the {@code @key} it matched, and every field the gateway sent (the key fields, and
 * any {@code @requires} fields).
 *
 * <p>Only the matched key's fields are checked (present, non-null, scalars or objects as the key says);
 * other fields are as the gateway sent them.
 *
 * <p>An instance is valid only while the key mapper runs: the library hands the same instance, refilled, to
 * the mapper for the next representation of the call. Keep what you read from it (or its {@link #key()}),
 * never the instance. Not thread-safe.
 *
 * <p>Public API.
 */
public final class Representation {

    private final String typename;
    private final KeyShape keyShape;
    private Map<String, Object> fields;
    private @Nullable EntityKey key;

    Representation(String typename, KeyShape keyShape, Map<String, Object> fields) {
        this.typename = typename;
        this.keyShape = keyShape;
        this.fields = fields;
    }

    /** This instance refilled with the next representation of the same type and key: see the class comment. */
    Representation refill(Map<String, Object> next) {
        this.fields = next;
        this.key = null;
        return this;
    }

    /** The {@code __typename}. */
    public String typename() {
        return typename;
    }

    /** The {@code @key} this representation matched. */
    public KeyShape keyShape() {
        return keyShape;
    }

    /** The values of the matched key's fields (built on first use). */
    public EntityKey key() {
        EntityKey k = key;
        if (k == null) {
            k = keyOf(keyShape, fields);
            key = k;
        }
        return k;
    }

    /** A field as sent, or {@code null} when absent. */
    public @Nullable Object get(String field) {
        return fields.get(field);
    }

    /**
     * A string field.
     *
     * @throws InvalidKeyException when the field is absent or not a JSON string
     */
    public String getString(String field) {
        Object v = fields.get(field);
        if (v instanceof String) {
            return (String) v;
        }
        throw mistyped(field, "a string", v);
    }

    /**
     * An integer field, from a JSON number without fraction or a string of digits (IDs are strings).
     *
     * @throws InvalidKeyException when the field is absent or not an integer
     */
    public long getLong(String field) {
        Object v = fields.get(field);
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof String) {
            try {
                return Long.parseLong((String) v);
            } catch (NumberFormatException e) {
                throw mistyped(field, "an integer", v);
            }
        }
        throw mistyped(field, "an integer", v);
    }

    /** Every field as sent, {@code __typename} included (unmodifiable view). */
    public Map<String, Object> asMap() {
        return java.util.Collections.unmodifiableMap(fields);
    }

    @Override
    public String toString() {
        return typename + fields;
    }

    private InvalidKeyException mistyped(String field, String expected, @Nullable Object v) {
        return new InvalidKeyException("field '" + field + "' of " + typename + " must be " + expected
                + ", was " + describe(v));
    }

    static String describe(@Nullable Object v) {
        if (v == null) {
            return "absent";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof Number) {
            return "a number";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof Iterable) {
            return "a list";
        }
        return "a " + v.getClass().getSimpleName();
    }

    @SuppressWarnings("unchecked")
    private static EntityKey keyOf(KeyShape shape, Map<String, Object> from) {
        KeyShape.Field[] fields = shape.fieldArray();
        Map<String, Object> values = new LinkedHashMap<>(fields.length * 2);
        for (KeyShape.Field f : fields) {
            Object v = from.get(f.name());
            KeyShape nested = f.nested();
            values.put(f.name(), nested == null ? v : keyOf(nested, (Map<String, Object>) v));
        }
        return EntityKey.trusted(values);
    }
}
