package dev.federation.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Calls one implementation's {@code _entities} in a loop on the main thread and prints the time and the
 * bytes allocated per call: a target for a profiler (for example JDK Flight Recorder) when the JMH figures
 * need explaining.
 *
 * <pre>
 * java -XX:StartFlightRecording=settings=profile,filename=library.jfr \
 *     -cp benchmarks/target/benchmarks.jar dev.federation.benchmarks.CallLoop library 1000 3 20000
 * jfr print --events jdk.ExecutionSample library.jfr
 * </pre>
 *
 * <p>Arguments: implementation, representations, types, calls (the same number of calls warms up first).
 */
public final class CallLoop {

    private CallLoop() {
    }

    /**
     * Runs the loop as the arguments say.
     *
     * @param args implementation, representations, types, calls
     */
    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: CallLoop <impl> <representations> <types> <calls>");
            System.exit(2);
        }
        String impl = args[0];
        Workload workload = Workload.of(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        int calls = Integer.parseInt(args[3]);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Backend backend = Backend.inMemory(); Subgraph subgraph = Subgraphs.create(impl, backend)) {
            Verification.check(impl, subgraph, workload);
            for (int i = 0; i < calls; i++) {
                subgraph.execute(workload);
            }
            long bytes = threads.getCurrentThreadAllocatedBytes();
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                subgraph.execute(workload);
            }
            long nanos = System.nanoTime() - start;
            bytes = threads.getCurrentThreadAllocatedBytes() - bytes;
            System.out.printf(Locale.ROOT, "%s, %s: %.1f us/call, %,d B/call, %,d B/entity%n", impl, workload,
                    nanos / 1e3 / calls, bytes / calls, bytes / calls / workload.representations);
        }
    }
}
