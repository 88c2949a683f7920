package dev.federation.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns the startup failure of an app with the starter and no web server (Spring for GraphQL's controller support
 * needs {@code org.springframework.web}: {@code NoClassDefFoundError: org/springframework/web/method/ControllerAdviceBean}
 * behind a 60-line stack trace) into Boot's short "Description / Action" report that names the starter to add.
 */
public class MissingWebServerFailureAnalyzer extends AbstractFailureAnalyzer<NoClassDefFoundError> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, NoClassDefFoundError cause) {
        String missing = String.valueOf(cause.getMessage());
        if (!missing.startsWith("org/springframework/web/")) {
            return null;
        }
        return new FailureAnalysis("Spring for GraphQL serves the subgraph over HTTP, and this app has no web server: "
                + missing.replace('/', '.') + " is missing.",
                "Add org.springframework.boot:spring-boot-starter-webmvc (Tomcat; or spring-boot-starter-webflux for a "
                        + "reactive app) next to federation-spring-boot-starter.", cause);
    }
}
