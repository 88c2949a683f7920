package dev.federation.core;

import com.apollographql.federation.graphqljava.Federation;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.idl.RuntimeWiring;
import org.jspecify.annotations.Nullable;

/**
 * Says in one sentence when graphql-java and federation-jvm on the class path do not work together, instead of a
 * bare {@code NoSuchMethodError} at the first schema build: graphql-java 26 removed
 * {@code GraphQLSchema.Builder.additionalType(GraphQLType)}, which federation-jvm 6 calls. Checked once, when the
 * first {@link FederatedEntities} is built: by reflection, and only when the method is missing by building one
 * tiny federated schema with an entity type.
 */
final class Compatibility {

    private static volatile boolean checked;

    private Compatibility() {
    }

    /** @throws IllegalStateException naming the clash and what to do */
    static void check() {
        if (checked) {
            return;
        }
        String problem = problem(hasAdditionalType(), Compatibility::federationBuilds, graphqlJavaVersion());
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
        checked = true;
    }

    /** The sentence that says what clashes, or {@code null} when nothing does. */
    static @Nullable String problem(boolean hasAdditionalType, java.util.function.Supplier<@Nullable Throwable> probe,
            String graphqlJavaVersion) {
        if (hasAdditionalType) {
            return null; // graphql-java 25 or older: what federation-jvm 6 was built for
        }
        Throwable t = probe.get();
        if (!(t instanceof NoSuchMethodError)) {
            return null; // a federation-jvm built for this graphql-java (7 and later)
        }
        return "graphql-java " + graphqlJavaVersion + " does not work with the federation-jvm on the class path ("
                + t.getMessage() + "): federation-jvm 6 needs graphql-java 25.x, and federation-jvm 7 (for "
                + "graphql-java 26) is not on Maven Central yet. Pin com.graphql-java:graphql-java to 25.x (Spring "
                + "Boot 4.0 and 4.1 manage 25.x).";
    }

    private static boolean hasAdditionalType() {
        try {
            GraphQLSchema.Builder.class.getMethod("additionalType", GraphQLType.class);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** Builds one tiny federated schema; what it threw, or {@code null}. */
    private static @Nullable Throwable federationBuilds() {
        try {
            // an entity type: federation-jvm adds _Entity and _Any to the schema (where it calls additionalType)
            Federation.transform("extend schema @link(url: \"https://specs.apollo.dev/federation/v2.3\", "
                            + "import: [\"@key\"]) type Probe @key(fields: \"id\") { id: ID! } "
                            + "type Query { probe: Probe }", RuntimeWiring.newRuntimeWiring().build())
                    .fetchEntities(env -> null)
                    .resolveEntityType(env -> null)
                    .build();
            return null;
        } catch (LinkageError | RuntimeException e) {
            return e;
        }
    }

    /** graphql-java's version, from its jar's manifest ({@code Bundle-Version}). */
    private static String graphqlJavaVersion() {
        try {
            java.security.CodeSource source = GraphQLSchema.class.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation().getPath().endsWith(".jar")) {
                try (java.util.jar.JarFile jar = new java.util.jar.JarFile(
                        new java.io.File(source.getLocation().toURI()))) {
                    java.util.jar.Manifest m = jar.getManifest();
                    String v = m == null ? null : m.getMainAttributes().getValue("Bundle-Version");
                    if (v != null) {
                        return v;
                    }
                }
            }
        } catch (java.io.IOException | java.net.URISyntaxException | SecurityException
                | IllegalArgumentException e) {
            // unknown
        }
        return "26 or later"; // additionalType is gone, and its jar names no version
    }
}
