package dev.federation.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A real {@code redis-server} for tests and load runs: started on 127.0.0.1 on an ephemeral port, with no
 * persistence ({@code --save '' --appendonly no}) in a temporary directory, stopped by {@link #close()} and, if
 * the JVM ends first, by a shutdown hook. {@link #stop()} and {@link #restart()} take it down and bring it back
 * on the same port, to test what a client does while it is gone.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *     RedisClient.create(redis.uri());
 * }
 * }</pre>
 *
 * The binary is {@code redis-server} on the PATH, or {@code $REDIS_SERVER}; {@code .ci/run} installs it.
 */
public final class RedisServer implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final Thread hook;
    private volatile @Nullable Process process;

    private RedisServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
        this.hook = new Thread(this::destroy, "redis-server-stop");
    }

    /**
     * Starts one and waits until it accepts connections.
     *
     * @throws IllegalStateException when {@code redis-server} is missing or does not start within 20 s
     */
    public static RedisServer start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("redis-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            RedisServer server = new RedisServer(dir, freePort());
            try {
                server.launch();
                Runtime.getRuntime().addShutdownHook(server.hook);
                return server;
            } catch (IllegalStateException e) { // the port was taken meanwhile: another one
                last = e;
                server.destroy();
            }
        }
        deleteQuietly(dir);
        throw last;
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }

    /** Kills it (SIGKILL: no goodbye to the clients) and waits until it is gone. */
    public void stop() {
        destroy();
    }

    /** Starts it again on the same port (after {@link #stop()}), empty. */
    public void restart() {
        destroy();
        launch();
    }

    /** {@code true} while it runs. */
    public boolean running() {
        Process p = process;
        return p != null && p.isAlive();
    }

    private void launch() {
        String binary = System.getenv().getOrDefault("REDIS_SERVER", "redis-server");
        List<String> command = new ArrayList<>(List.of(binary, "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                "--daemonize", "no", "--protected-mode", "yes"));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("redis-server is not installed (apt-get install redis-server, or set "
                    + "REDIS_SERVER): " + e.getMessage(), e);
        }
        process = p;
        CountDownLatch ready = new CountDownLatch(1);
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) { // drained to the end, so the server never blocks on it
                    if (ready.getCount() > 0) {
                        synchronized (output) {
                            output.append(line).append('\n');
                        }
                    }
                    if (line.contains("Ready to accept connections")) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            ready.countDown();
        }, "redis-server-" + port + "-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!ready.await(20, TimeUnit.SECONDS) || !p.isAlive()) {
                p.destroyForcibly();
                synchronized (output) {
                    throw new IllegalStateException("redis-server did not start on port " + port + ":\n" + output);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted while redis-server started", e);
        }
    }

    private void destroy() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        try {
            p.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        destroy();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
        deleteQuietly(dir);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }

    @Override
    public String toString() {
        return "RedisServer[" + uri() + (running() ? "" : ", stopped") + "]";
    }
}
