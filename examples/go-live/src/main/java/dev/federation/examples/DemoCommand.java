package dev.federation.examples;

import dev.federation.examples.demo.DemoConfig;
import dev.federation.examples.demo.DemoReport;
import dev.federation.examples.demo.GoLiveDemo;
import java.io.PrintStream;
import java.util.Map;

/** {@code demo}: the go-live demo, its table on stdout. */
final class DemoCommand {

    /** Its flags, and whether each takes a value. */
    static final Map<String, Boolean> FLAGS = Map.of("rounds", true, "warmup", true, "users", true,
            "posts", true, "products", true, "quiet", false, "db-round-trip-ms", true);

    private DemoCommand() {
    }

    /**
     * Runs the demo with {@code flags} (without the leading {@code --}), prints the table on {@code out}.
     *
     * @return 0 when every go-live target holds, {@link Main#TARGET_MISSED} otherwise
     */
    static int run(Map<String, String> flags, PrintStream out) {
        DemoConfig.Builder b = DemoConfig.custom()
                .data(Flags.dataFlags(flags))
                .rounds(Flags.intFlag(flags, "rounds", DemoConfig.DEFAULT_ROUNDS))
                .warmupRounds(Flags.intFlag(flags, "warmup", DemoConfig.DEFAULT_WARMUP_ROUNDS));
        if (flags.containsKey("quiet")) {
            b.progress(null);
        }
        DemoReport report = GoLiveDemo.run(b.build()); // the subgraphs are stopped: no thread logs from here on
        System.err.flush();
        // one write, so that nothing written to stderr can land inside the table when both go to one file
        out.print(System.lineSeparator() + "Go-live success metrics (measured)" + System.lineSeparator()
                + System.lineSeparator() + report.table());
        out.flush();
        if (!report.targetsMet()) {
            for (DemoReport.Row r : report.misses()) {
                System.err.println("go-live target missed: " + r.metric() + " " + r.target() + ", measured "
                        + r.after());
            }
            return Main.TARGET_MISSED;
        }
        return 0;
    }
}
