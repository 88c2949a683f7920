package dev.federation.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.federation.testkit.Required;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process a test starts (the Node gateway, a Spring Boot jar) and waits for: its stdout is read on a thread of
 * its own (never the JDK's common pool, which has one thread on a 2-core machine) until the process ends, so the
 * pipe never fills and the ready line cannot be missed; nothing else closes that stream. stderr goes to a log file
 * shown when the process does not start.
 */
final class ChildProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final CompletableFuture<Matcher> ready = new CompletableFuture<>();

    private ChildProcess(Process process, Path log, Pattern readyLine) {
        this.process = process;
        this.log = log;
        Thread reader = new Thread(() -> {
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    Matcher m = readyLine.matcher(line);
                    if (!ready.isDone() && m.find()) {
                        ready.complete(m);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            } finally {
                ready.complete(null); // no effect once the ready line was seen
            }
        }, "child-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code builder} (stderr to a temporary log) and waits for a stdout line matching {@code readyLine}. */
    static ChildProcess start(ProcessBuilder builder, Pattern readyLine, Duration timeout) throws Exception {
        Path log = Files.createTempFile("child", ".log");
        ChildProcess child = new ChildProcess(builder.redirectError(log.toFile()).start(), log, readyLine);
        child.awaitReady(timeout);
        return child;
    }

    private void awaitReady(Duration timeout) throws Exception {
        Matcher m;
        try {
            m = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            m = null;
        }
        if (m == null) {
            boolean alive = process.isAlive();
            close();
            fail("the process did not start within " + timeout.toSeconds() + " s (alive: " + alive + "); stderr:\n"
                    + Files.readString(log));
        }
    }

    /**
     * Starts the real gateway ({@code examples/gateway/gateway.mjs}) on a free port in front of {@code subgraphs}
     * (name to GraphQL URL); it stops when its stdin closes ({@link #close()}) or after 300 s.
     */
    static ChildProcess startGateway(java.util.Map<String, java.net.URI> subgraphs) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("node", "gateway.mjs", "--port",
                "0", "--exit-on-stdin-close", "--max-seconds", "300"));
        subgraphs.forEach((name, uri) -> command.add(name + "=" + uri));
        return start(new ProcessBuilder(command).directory(gatewayDir().toFile()),
                Pattern.compile("Gateway ready at (http://\\S+)"), Duration.ofSeconds(90));
    }

    /** The ready line's match (its groups: the URL or port the process printed). */
    Matcher readyLine() {
        return ready.join();
    }

    /** Its standard input (closing it stops the gateway script). */
    Process process() {
        return process;
    }

    /** Closes stdin, then asks the process to stop, then forces it; deletes the log. */
    @Override
    public void close() throws Exception {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The gateway's folder ({@code -Dgateway.dir}, else {@code gateway} in the working directory). */
    static Path gatewayDir() {
        String configured = System.getProperty("gateway.dir");
        return (configured != null ? Path.of(configured) : Path.of("../gateway")).toAbsolutePath().normalize();
    }

    /** Fails (CI) or skips (elsewhere) unless node and the gateway's packages are there. */
    static void requireGateway() {
        Path dir = gatewayDir();
        requireOrSkip(Files.isRegularFile(dir.resolve("gateway.mjs")), "gateway script missing in " + dir);
        requireOrSkip(Files.isDirectory(dir.resolve("node_modules/@apollo/gateway")),
                "examples/gateway/node_modules is missing: run `npm ci --prefix examples/gateway`");
        requireOrSkip(nodeAvailable(), "`node` is not on the PATH (Node.js 20 or later is needed)");
    }

    private static boolean nodeAvailable() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** In CI a missing prerequisite is a failure; elsewhere the test is skipped with the reason. */
    static void requireOrSkip(boolean ok, String message) {
        if (!ok) {
            throw Required.missing("end-to-end test cannot run: " + message);
        }
    }

    /** Closes each of {@code resources} that is not {@code null}, in order, all of them even when one fails. */
    static void closeAll(AutoCloseable... resources) throws Exception {
        Exception first = null;
        for (AutoCloseable r : resources) {
            try {
                if (r != null) {
                    r.close();
                }
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * The {@code data} of {@code query} sent to the gateway at {@code gateway}, after checking the answer is 200
     * with no GraphQL error.
     */
    static JsonNode queryGateway(URI gateway, String query) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(gateway)
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", query))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.has("errors")).as("gateway errors: %s", body.get("errors")).isFalse();
        return body.get("data");
    }
}
