package dev.federation.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's Spring Boot section shows this example's entity bean and schema file verbatim. */
class ReadmeSnippetTest {

    private static final Path README = Path.of("../../README.md");

    @Test
    void readmeShowsTheEntityBeanAsCompiledHere() throws IOException {
        String source = Files.readString(Path.of("src/main/java/dev/federation/examples/spring/UsersApplication.java"),
                StandardCharsets.UTF_8);
        String region = source.substring(source.indexOf("// tag::entity[]") + "// tag::entity[]".length(),
                source.indexOf("    // end::entity[]"));
        String snippet = region.strip().lines().map(l -> l.startsWith("    ") ? l.substring(4) : l)
                .reduce((a, b) -> a + "\n" + b).orElseThrow();

        assertThat(Files.readString(README, StandardCharsets.UTF_8)).contains(snippet);
    }

    @Test
    void readmeShowsTheSchemaFile() throws IOException {
        String schema = Files.readString(Path.of("src/main/resources/graphql/schema.graphqls"), StandardCharsets.UTF_8);
        String keyLine = schema.lines().filter(l -> l.startsWith("type User")).findFirst().orElseThrow();

        assertThat(Files.readString(README, StandardCharsets.UTF_8))
                .contains(schema.lines().findFirst().orElseThrow()).contains(keyLine);
    }
}
