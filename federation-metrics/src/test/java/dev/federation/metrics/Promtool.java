package dev.federation.metrics;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the binaries of Debian's {@code prometheus} package. When one is missing, a test fails under CI
 * ({@code CI=true}) and is skipped, with a message that says how to install it, elsewhere.
 */
final class Promtool {

    private Promtool() {
    }

    static Path require(String binary) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Path.of(dir, binary);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        String message = binary + " is not installed: apt-get install -y prometheus (Debian package)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + "; CI=true, so this test fails instead of skipping");
        }
        Assumptions.abort(message + "; skipped outside CI");
        throw new AssertionError("unreachable");
    }
}
