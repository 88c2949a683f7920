package dev.federation.core;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The typenames of one {@code _entities} call's entities whose type has no Java class, handed to the entity
 * type resolver as the field's local context (graphql-java gives it to every element of the list). Nothing
 * is kept in the request's GraphQL context, and nothing outlives the call's result.
 *
 * <p>When all such entities are of one type, that typename is all it holds. Otherwise it maps their classes to
 * typenames, and only when one class answers for two types (say {@code Map} values of two types) does it map
 * each of those entities by identity.
 */
final class EntityTypenames {

    private final @Nullable String only;
    private final @Nullable Map<Class<?>, String> byClass;
    private final @Nullable Map<Object, String> byIdentity;

    private EntityTypenames(@Nullable String only, @Nullable Map<Class<?>, String> byClass,
            @Nullable Map<Object, String> byIdentity) {
        this.only = only;
        this.byClass = byClass;
        this.byIdentity = byIdentity;
    }

    /** Every entity without a Java class in the call is of type {@code typename}. */
    static EntityTypenames of(String typename) {
        return new EntityTypenames(typename, null, null);
    }

    /**
     * The typenames of the entities among {@code values} whose key resolver ({@code ordinals[i]} into
     * {@code resolvers}) is of a type without a Java class.
     */
    static EntityTypenames ofValues(@Nullable Object[] values, int[] ordinals, KeyResolver<?>[] resolvers) {
        Map<Class<?>, String> byClass = new HashMap<>(8);
        Class<?> lastClass = null;
        String lastTypename = null;
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v == null || ordinals[i] < 0 || resolvers[ordinals[i]].typed) {
                continue;
            }
            String typename = resolvers[ordinals[i]].typename;
            Class<?> c = v.getClass();
            if (c == lastClass && typename.equals(lastTypename)) {
                continue;
            }
            String previous = byClass.putIfAbsent(c, typename);
            if (previous != null && !previous.equals(typename)) {
                return byIdentity(values, ordinals, resolvers);
            }
            lastClass = c;
            lastTypename = typename;
        }
        return new EntityTypenames(null, byClass, null);
    }

    private static EntityTypenames byIdentity(@Nullable Object[] values, int[] ordinals, KeyResolver<?>[] resolvers) {
        Map<Object, String> byIdentity = new IdentityHashMap<>();
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v != null && ordinals[i] >= 0 && !resolvers[ordinals[i]].typed) {
                byIdentity.put(v, resolvers[ordinals[i]].typename);
            }
        }
        return new EntityTypenames(null, null, byIdentity);
    }

    /** The typename of {@code value}, or {@code null} when it is not an entity of this call without a class. */
    @Nullable String typenameOf(Object value) {
        if (only != null) {
            return only;
        }
        if (byClass != null) {
            return byClass.get(value.getClass());
        }
        return byIdentity == null ? null : byIdentity.get(value);
    }

    @Override
    public String toString() {
        return "EntityTypenames[" + (only != null ? only : byClass != null ? byClass : byIdentity) + "]";
    }
}
