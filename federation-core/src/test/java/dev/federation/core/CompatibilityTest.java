package dev.federation.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

/**
 * The clash graphql-java 26 + federation-jvm 6 is said in one sentence. The class path here is graphql-java 25 with
 * federation-jvm 6 (no clash); the decision is checked for the clash with the error federation-jvm 6 really throws.
 */
class CompatibilityTest {

    @Test
    void theVersionsOfThisBuildWorkTogether() {
        assertThatCode(Compatibility::check).doesNotThrowAnyException();
    }

    @Test
    void graphqlJava26WithFederationJvm6IsNamedWithWhatToDo() {
        NoSuchMethodError real = new NoSuchMethodError("'graphql.schema.GraphQLSchema$Builder "
                + "graphql.schema.GraphQLSchema$Builder.additionalType(graphql.schema.GraphQLType)'");

        String problem = Compatibility.problem(false, () -> real, "26.0.0");

        assertThat(problem).startsWith("graphql-java 26.0.0 does not work with the federation-jvm on the class path")
                .contains("additionalType").contains("Pin com.graphql-java:graphql-java to 25.x");
    }

    @Test
    void nothingIsSaidWhenTheMethodIsThereOrFederationJvmBuildsAnyway() {
        assertThat(Compatibility.problem(true, () -> new NoSuchMethodError("x"), "25.0")).isNull();
        assertThat(Compatibility.problem(false, () -> null, "26.0")).isNull(); // a federation-jvm 7
    }
}
