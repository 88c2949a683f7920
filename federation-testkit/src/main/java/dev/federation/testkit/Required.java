package dev.federation.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine (a binary of a Debian package, a folder of data next to the
 * repository). When it is missing, the test fails under CI ({@code CI=true}), where {@code .ci/run} installs
 * it, and is skipped elsewhere, with a message that says what is missing.
 *
 * <pre>{@code
 * Path promtool = Required.prometheus("promtool");
 * }</pre>
 */
public final class Required {

    private Required() {
    }

    /**
     * The executable {@code name} on the {@code PATH}.
     *
     * @param install how to install it, for the message
     */
    public static Path binary(String name, String install) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        throw missing(name + " is not installed: " + install);
    }

    /** A binary of Debian's {@code prometheus} package ({@code prometheus}, {@code promtool}). */
    public static Path prometheus(String name) {
        return binary(name, "apt-get install -y prometheus (Debian package)");
    }

    /** Fails the test under CI and aborts (skips) it elsewhere; never returns normally. */
    public static RuntimeException missing(String message) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message + "; CI=true, so this test fails instead of skipping");
        }
        System.err.println(message + "; skipped outside CI");
        Assumptions.abort(message + "; skipped outside CI");
        throw new AssertionError("unreachable");
    }
}
