package dev.federation.benchmarks;

import dev.federation.examples.demo.SmallRequests;
import dev.federation.examples.subgraphs.DataSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Many small concurrent requests over HTTP to the examples' users subgraph, as {@code serve} runs it, with and
 * without cross-request batching, in one run ({@link SmallRequests}): 48 and then 256 clients, each sending
 * {@code _entities} requests of 1 to 5 distinct users (uniform over 10,000 rows), every SQL statement costing a
 * simulated round trip of 1 ms ({@code --db-round-trip-ms 1}). It prints SQL statements per request, users
 * per statement, p50 and p99 latency, throughput, and how many answers were 5xx or otherwise failed.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.federation.benchmarks.SmallRequestsHttpRun
 * </pre>
 *
 * <p>Every server binds {@code 127.0.0.1} on a free port and is stopped at the end of its configuration.
 */
public final class SmallRequestsHttpRun {

    private SmallRequestsHttpRun() {
    }

    /** Runs the four configurations and prints the table. */
    public static void main(String[] args) throws Exception {
        DataSettings data = DataSettings.sizes(10_000, 1_000, 100).withDbRoundTrip(Duration.ofMillis(1));
        List<SmallRequests.Result> results = new ArrayList<>();
        for (int clients : new int[] {48, 256}) {
            int each = clients == 48 ? 60 : 12;
            for (Duration window : new Duration[] {null, Duration.ofMillis(2)}) {
                SmallRequests.Result r = SmallRequests.run(data, clients, each, window);
                System.out.printf("%s, %d clients: %d requests, %d SQL statements, %d 5xx%n", r.batching(),
                        clients, r.requests(), r.statements(), r.serverErrors());
                results.add(r);
            }
        }
        System.out.println();
        System.out.print(SmallRequests.table(results));
    }
}
