package dev.federation.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The fields of one {@code @key} of an entity type, as written in its {@code fields} argument:
 * {@code "id"}, {@code "sku package"}, {@code "sku variation { id }"}.
 *
 * <p>Immutable; equal when the fields and their nesting are equal (order and white space of the source
 * do not matter to {@link #toString()}, which gives the canonical form {@code "sku variation { id }"}).
 *
 * <p>Public API.
 */
public final class KeyShape {

    private final List<Field> fields;
    /** The same fields, for the per-representation checks to walk without an iterator. */
    private final Field[] array;
    private final String canonical;

    private KeyShape(List<Field> fields) {
        this.fields = Collections.unmodifiableList(fields);
        this.array = fields.toArray(new Field[0]);
        StringBuilder sb = new StringBuilder();
        for (Field f : fields) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(f.name);
            if (f.nested != null) {
                sb.append(" { ").append(f.nested.canonical).append(" }");
            }
        }
        this.canonical = sb.toString();
    }

    /**
     * Parses a {@code @key(fields: ...)} selection.
     *
     * @throws IllegalArgumentException when the selection is empty, unbalanced, names a field twice or holds
     *     anything but field names and braces
     */
    public static KeyShape parse(String fields) {
        Objects.requireNonNull(fields, "fields");
        Parser p = new Parser(fields);
        KeyShape shape = p.selection(0);
        p.skipBlanks();
        if (p.pos != fields.length()) {
            throw p.error("unexpected '" + fields.charAt(p.pos) + "'");
        }
        return shape;
    }

    /** The top-level fields, in declaration order. */
    public List<Field> fields() {
        return fields;
    }

    /** The top-level fields as an array the caller must not change. */
    Field[] fieldArray() {
        return array;
    }

    /** Number of leaf fields, counting nested ones. */
    public int leafCount() {
        int n = 0;
        for (Field f : fields) {
            n += f.nested == null ? 1 : f.nested.leafCount();
        }
        return n;
    }

    /**
     * The first key field that {@code representation} lacks or holds as {@code null}, as a dotted path
     * ({@code "variation.id"}), or {@code null} when every key field is present.
     */
    public @Nullable String firstMissingField(Map<?, ?> representation) {
        for (Field f : array) {
            Object value = representation.get(f.name);
            if (value == null) {
                return f.name;
            }
            if (f.nested != null && value instanceof Map) {
                String inner = f.nested.firstMissingField((Map<?, ?>) value);
                if (inner != null) {
                    return f.name + "." + inner;
                }
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyShape && ((KeyShape) o).canonical.equals(canonical);
    }

    @Override
    public int hashCode() {
        return canonical.hashCode();
    }

    /** The canonical selection, e.g. {@code "sku variation { id }"}. */
    @Override
    public String toString() {
        return canonical;
    }

    /** One field of a key: a leaf ({@link #nested()} is {@code null}) or an object with its own selection. */
    public static final class Field {
        private final String name;
        private final @Nullable KeyShape nested;

        Field(String name, @Nullable KeyShape nested) {
            this.name = name;
            this.nested = nested;
        }

        /** The field name. */
        public String name() {
            return name;
        }

        /** The selection inside this field, or {@code null} for a leaf. */
        public @Nullable KeyShape nested() {
            return nested;
        }

        @Override
        public String toString() {
            return nested == null ? name : name + " { " + nested + " }";
        }
    }

    private static final class Parser {
        private final String src;
        private int pos;

        Parser(String src) {
            this.src = src;
        }

        KeyShape selection(int depth) {
            List<Field> fields = new ArrayList<>();
            while (true) {
                skipBlanks();
                if (pos >= src.length() || src.charAt(pos) == '}') {
                    break;
                }
                String name = name();
                for (Field f : fields) {
                    if (f.name.equals(name)) {
                        throw error("field '" + name + "' named twice");
                    }
                }
                skipBlanks();
                KeyShape nested = null;
                if (pos < src.length() && src.charAt(pos) == '{') {
                    pos++;
                    nested = selection(depth + 1);
                    skipBlanks();
                    if (pos >= src.length() || src.charAt(pos) != '}') {
                        throw error("missing '}'");
                    }
                    pos++;
                }
                fields.add(new Field(name, nested));
            }
            if (fields.isEmpty()) {
                throw error("empty selection");
            }
            if (depth == 0 && pos < src.length() && src.charAt(pos) == '}') {
                throw error("unexpected '}'");
            }
            return new KeyShape(fields);
        }

        String name() {
            int start = pos;
            while (pos < src.length()) {
                char c = src.charAt(pos);
                boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                        || (pos > start && c >= '0' && c <= '9');
                if (!ok) {
                    break;
                }
                pos++;
            }
            if (start == pos) {
                throw error(pos < src.length() ? "unexpected '" + src.charAt(pos) + "'" : "expected a field name");
            }
            return src.substring(start, pos);
        }

        void skipBlanks() {
            while (pos < src.length() && (Character.isWhitespace(src.charAt(pos)) || src.charAt(pos) == ',')) {
                pos++;
            }
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("invalid @key fields \"" + src + "\" at " + pos + ": " + what);
        }
    }
}
