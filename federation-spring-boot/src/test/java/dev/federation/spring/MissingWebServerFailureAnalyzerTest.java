package dev.federation.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * The analysis of the failure an app with no web starter really has (the cause chain Boot 4.0.7 showed:
 * BeanCreationException ... NoClassDefFoundError org/springframework/web/method/ControllerAdviceBean).
 * {@code .ci/readme-spring-boot.sh} also starts the README's app without the web starter and checks Boot prints it.
 */
class MissingWebServerFailureAnalyzerTest {

    private final MissingWebServerFailureAnalyzer analyzer = new MissingWebServerFailureAnalyzer();

    @Test
    void aMissingWebClassNamesTheStarterToAdd() {
        NoClassDefFoundError missing = new NoClassDefFoundError("org/springframework/web/method/ControllerAdviceBean");
        missing.initCause(new ClassNotFoundException("org.springframework.web.method.ControllerAdviceBean"));
        BeanCreationException failure = new BeanCreationException("graphQlSource",
                "Failed to instantiate [org.springframework.graphql.execution.GraphQlSource]",
                new BeanCreationException("annotatedControllerConfigurer", "org/springframework/web/method/"
                        + "ControllerAdviceBean", missing));

        FailureAnalysis analysis = analyzer.analyze(failure);

        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains("no web server")
                .contains("org.springframework.web.method.ControllerAdviceBean");
        assertThat(analysis.getAction()).contains("spring-boot-starter-webmvc");
    }

    @Test
    void otherMissingClassesAreLeftToBoot() {
        assertThat(analyzer.analyze(new BeanCreationException("x", "y",
                new NoClassDefFoundError("com/example/Missing")))).isNull();
    }
}
