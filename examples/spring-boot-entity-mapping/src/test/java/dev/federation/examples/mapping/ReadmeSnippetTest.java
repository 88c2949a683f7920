package dev.federation.examples.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The project README's "Already on @EntityMapping?" section and this example's README show this code verbatim. */
class ReadmeSnippetTest {

    static String region(String file, String tag) throws IOException {
        String source = Files.readString(Path.of("src/main/java/dev/federation/examples/mapping/" + file),
                StandardCharsets.UTF_8);
        String start = "// tag::" + tag + "[]";
        String region = source.substring(source.indexOf(start) + start.length(),
                source.indexOf("    // end::" + tag + "[]"));
        return region.strip().lines().map(l -> l.startsWith("    ") ? l.substring(4) : l)
                .reduce((a, b) -> a + "\n" + b).orElseThrow();
    }

    @Test
    void bothReadmesShowTheWiringAndTheMethodsAsCompiledHere() throws IOException {
        for (String readme : new String[] {"../../README.md", "README.md"}) {
            assertThat(Files.readString(Path.of(readme), StandardCharsets.UTF_8)).as(readme)
                    .contains(region("BooksApplication.java", "spring-federation"))
                    .contains(region("BookEntities.java", "entity-mapping"));
        }
    }
}
