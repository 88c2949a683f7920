package dev.federation.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.federation.examples.ops.StatusCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line: flags, and the demo's table and exit status. */
class MainTest {

    @Test
    void flagsTakeValuesEqualsFormsAndSwitches() {
        assertThat(Flags.parse(List.of("--rounds", "5", "--users=2000", "--quiet", "--posts", "3000"), DemoCommand.FLAGS))
                .containsExactly(Map.entry("rounds", "5"), Map.entry("users", "2000"), Map.entry("quiet", "true"),
                        Map.entry("posts", "3000"));
    }

    @Test
    void strayArgumentIsRefused() {
        assertThatThrownBy(() -> Main.parse(List.of("demo", "rounds"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unexpected argument: rounds");
    }

    @Test
    void unknownFlagsCommandsAndValuesAreUsageErrors() {
        assertThatThrownBy(() -> Main.parse(List.of("serve", "--users-prot", "5501")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown flag: --users-prot");
        assertThatThrownBy(() -> Main.parse(List.of("serve", "--rounds", "3")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown flag: --rounds");
        assertThatThrownBy(() -> Main.parse(List.of("srve"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown command: srve");
        assertThatThrownBy(() -> Main.parse(List.of("serve", "--users-port")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--users-port needs a value");
        assertThatThrownBy(() -> Main.parse(List.of("serve", "--mode", "FAST")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--mode must be BATCHED or DIRECT, was FAST");
        assertThatThrownBy(() -> Main.parse(List.of("--quiet=yes"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--quiet takes no value");
    }

    @Test
    void statusNeedsAPrometheusUrlAndTakesOnlyItsOwnFlags() {
        assertThatThrownBy(() -> Main.parse(List.of("status"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("status needs --prometheus URL");
        assertThatThrownBy(() -> Main.parse(List.of("status", "--prometheus", "http://x:9090", "--rounds", "3")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown flag: --rounds");
        assertThat(Main.parse(List.of("status", "--prometheus", "http://127.0.0.1:9090", "--job", "users")).flags())
                .containsExactly(Map.entry("prometheus", "http://127.0.0.1:9090"), Map.entry("job", "users"));
        assertThatThrownBy(() -> StatusCommand.fromFlags(Map.of("prometheus", "not a url")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--prometheus must be a URL");
        assertThatThrownBy(() -> StatusCommand.fromFlags(Map.of("prometheus", "http://127.0.0.1:9", "window",
                "5 minutes")).run(System.out, System.err)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--window must be a PromQL duration");
    }

    @Test
    void crossRequestWindowIsADurationWithAUnit() {
        assertThat(Main.parse(List.of("serve", "--cross-request-window", "2ms")).flags())
                .containsEntry("cross-request-window", "2ms");
        assertThat(Flags.duration("--w", "2ms")).isEqualTo(java.time.Duration.ofMillis(2));
        assertThat(Flags.duration("--w", "500us")).isEqualTo(java.time.Duration.ofNanos(500_000));
        assertThat(Flags.duration("--w", "1s")).isEqualTo(java.time.Duration.ofSeconds(1));
        for (String bad : List.of("2", "0ms", "-1ms", "2 minutes", "1e3ms", "ms")) {
            assertThatThrownBy(() -> Main.parse(List.of("serve", "--cross-request-window", bad)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("--cross-request-window must be a positive number with a unit");
        }
    }

    @Test
    void helpAtAnyPositionAsksForTheUsage() {
        for (List<String> args : List.of(List.of("--help"), List.of("-h"), List.of("help"),
                List.of("serve", "--help"), List.of("demo", "--rounds", "3", "-h"), List.of("serve", "--bogus", "help"))) {
            assertThat(Main.parse(args).name()).as("%s", args).isEqualTo("help");
        }
        assertThat(Main.parse(List.of()).name()).isEqualTo("demo");
        assertThat(Main.parse(List.of("serve", "--product-cache", "--mode", "direct")).flags())
                .containsExactly(Map.entry("product-cache", "true"), Map.entry("mode", "direct"));
    }

    @Test
    void smallDemoPrintsTheTableAndItsExitStatusFollowsTheVerdict() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = DemoCommand.run(Map.of("users", "500", "posts", "2000", "products", "200", "rounds", "3",
                "warmup", "2", "quiet", "true"), new PrintStream(out, true, StandardCharsets.UTF_8));

        // 3 rounds are too few to judge the response-time rows (GoLiveDemoTest judges every target on 15):
        // here the command's wiring is checked, whatever the timing verdict.
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed)
                .contains("Go-live success metrics (measured)", "| Metric", "SQL queries per request",
                        "12 requests per mode (3 rounds)")
                .containsPattern("\\| SQL queries per request +\\| -80 % or better +\\| 75\\.3 +\\| 1\\.0 +\\| PASS")
                .containsPattern("\\| Batch effectiveness +\\| > 80 % +\\| 0\\.0 % +\\| 99\\.0 % +\\| PASS");
        assertThat(status).isEqualTo(printed.contains("8 of 8 go-live targets met") ? 0 : 1);
    }
}
