package dev.federation.core;

import dev.federation.core.observer.Rejection;
import dev.federation.core.observer.RejectionReason;
import java.util.Map;

/**
 * The key resolvers of one entity type, and the first step of every {@code _entities} call: a representation
 * of this type to the key resolver whose {@code @key} it carries. Immutable; shared by all requests.
 */
final class EntityKeys {

    final String typename;
    private final KeyResolver<?>[] resolvers;

    EntityKeys(String typename, KeyResolver<?>[] resolvers) {
        this.typename = typename;
        this.resolvers = resolvers.clone();
    }

    /**
     * The key resolver of representation {@code index}: the first whose key fields it has, in the order the
     * keys were declared; else the {@link Rejection} that says which key fields it lacks.
     */
    Object resolverOf(int index, Map<String, Object> rep) {
        KeyResolver<?>[] rs = resolvers;
        String firstMissing = null;
        for (KeyResolver<?> r : rs) {
            String missing = r.shape.firstMissingField(rep);
            if (missing == null) {
                return r;
            }
            if (firstMissing == null) {
                firstMissing = missing;
            }
        }
        if (rs.length == 1) {
            return new Rejection(index, typename, true, RejectionReason.MISSING_KEY_FIELD, "Representation "
                    + index + " of " + typename + " is missing key field '" + firstMissing + "' (@key(fields: \""
                    + rs[0].shape + "\"))");
        }
        StringBuilder declared = new StringBuilder();
        for (KeyResolver<?> r : rs) {
            declared.append(declared.length() == 0 ? "" : " | ").append('"').append(r.shape).append('"');
        }
        return new Rejection(index, typename, true, RejectionReason.UNDECLARED_KEY, "Representation " + index
                + " of " + typename + " matches none of its @keys: " + declared);
    }

    /** The key resolvers, in the order the keys were declared. */
    KeyResolver<?>[] resolvers() {
        return resolvers;
    }
}
