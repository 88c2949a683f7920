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
     * An integer field, from a JSON integer or a string in canonical decimal form (IDs are strings): ASCII digits,
     * an optional leading {@code -}, no {@code +}, no leading zero, no space, within {@code long}. Only the canonical
     * form is taken, so that the entity answered carries the key the gateway asked for: {@code "007"},
     * {@code "+5"}, {@code "-0"} or full-width {@code "１"} would name user 7, 5, 0 or 1 under another id.
     *
     * @throws InvalidKeyException when the field is absent or not an integer in that form
     */
    public long getLong(String field) {
        Object v = fields.get(field);
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof java.math.BigInteger && ((java.math.BigInteger) v).bitLength() < 64) {
            return ((java.math.BigInteger) v).longValue(); // an inline integer literal, as federation-jvm parses it
        }
        if (v instanceof String) {
            Long parsed = canonicalLong((String) v);
            if (parsed != null) {
                return parsed;
            }
            throw mistyped(field, "an integer in canonical decimal form", v);
        }
        throw mistyped(field, "an integer", v);
    }

    /** {@code s} as a long when it is the canonical decimal form of one, else {@code null}. */
    static @Nullable Long canonicalLong(String s) {
        int n = s.length();
        int i = n > 0 && s.charAt(0) == '-' ? 1 : 0;
        if (n == i || n - i > 19) {
            return null;
        }
        if (s.charAt(i) == '0' && (n - i > 1 || i == 1)) {
            return null; // a leading zero, or "-0"
        }
        for (int j = i; j < n; j++) {
            char c = s.charAt(j);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null; // out of range
        }
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
