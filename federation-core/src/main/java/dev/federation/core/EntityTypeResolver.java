package dev.federation.core;

import graphql.TypeResolutionEnvironment;
import graphql.schema.GraphQLObjectType;
import graphql.schema.TypeResolver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves the GraphQL type of an entity value: by its registered Java class (or a superclass or interface
 * of it), else by the representation it answered in this {@code _entities} call (the {@link EntityTypenames}
 * the fetcher hands down as the field's local context), else by a {@code __typename} entry of a {@code Map}
 * value.
 */
final class EntityTypeResolver implements TypeResolver {

    private static final String NONE = "";

    private final FederatedEntities entities;
    private final Map<Class<?>, String> byClass = new ConcurrentHashMap<>();

    EntityTypeResolver(FederatedEntities entities) {
        this.entities = entities;
    }

    @Override
    public GraphQLObjectType getType(TypeResolutionEnvironment env) {
        Object value = env.getObject();
        String typename = null;
        if (!entities.classes().isEmpty()) {
            String byJava = byClass.get(value.getClass());
            if (byJava == null) {
                byJava = byClass.computeIfAbsent(value.getClass(), this::lookup);
            }
            if (byJava != NONE) {
                typename = byJava;
            }
        }
        if (typename == null) {
            Object local = env.getLocalContext();
            if (local instanceof EntityTypenames) {
                typename = ((EntityTypenames) local).typenameOf(value);
            }
        }
        if (typename == null && value instanceof Map) {
            Object t = ((Map<?, ?>) value).get("__typename");
            if (t instanceof String) {
                typename = (String) t;
            }
        }
        if (typename == null) {
            throw new IllegalStateException("cannot tell the entity type of a " + value.getClass().getName()
                    + ": register it with EntityType.Builder.javaClass(...)");
        }
        GraphQLObjectType type = env.getSchema().getObjectType(typename);
        if (type == null) {
            throw new IllegalStateException("entity type " + typename + " is not an object type of the schema");
        }
        return type;
    }

    private String lookup(Class<?> c) {
        String exact = entities.classes().get(c);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<Class<?>, String> e : entities.classes().entrySet()) {
            if (e.getKey().isAssignableFrom(c)) {
                return e.getValue();
            }
        }
        return NONE;
    }
}
