package dev.federation.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.federation.testkit.Required;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code ops/prometheus}: the rules pass {@code promtool check rules}, and the unit tests of
 * {@code tests/alerts.test.yml} pass {@code promtool test rules} (Debian's prometheus 2.42). Every alert of
 * {@code alert-rules.yml} has a firing case and every recording rule a value check there.
 */
class PrometheusRulesTest {

    private static final Path DIR = Path.of("prometheus").toAbsolutePath();

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        String out = promtool(DIR, "check", "rules", "recording-rules.yml", "alert-rules.yml");

        String records = Files.readString(DIR.resolve("recording-rules.yml"), StandardCharsets.UTF_8);
        String alerts = Files.readString(DIR.resolve("alert-rules.yml"), StandardCharsets.UTF_8);
        assertThat(out).contains("SUCCESS: " + count(records, "- record: ") + " rules found",
                "SUCCESS: " + count(alerts, "- alert: ") + " rules found");
    }

    @Test
    void promtoolUnitTestsOfEveryAlertPass() throws Exception {
        String out = promtool(DIR.resolve("tests"), "test", "rules", "alerts.test.yml");

        assertThat(out).contains("SUCCESS");
    }

    @Test
    void everyAlertAndRecordingRuleIsCoveredByTheUnitTests() throws IOException {
        String alerts = Files.readString(DIR.resolve("alert-rules.yml"), StandardCharsets.UTF_8);
        String records = Files.readString(DIR.resolve("recording-rules.yml"), StandardCharsets.UTF_8);
        String tests = Files.readString(DIR.resolve("tests/alerts.test.yml"), StandardCharsets.UTF_8);

        List<String> alertNames = names(alerts, "- alert: (\\S+)");
        assertThat(alertNames).contains("FederationHighErrorRate", "FederationHighLatency", "FederationMemoryLeak",
                "FederationBatchingIneffective", "FederationRolledBack", "FederationBatchSizeLow",
                "FederationHealthCritical", "FederationTargetDown");
        for (String alert : alertNames) {
            // a firing case: an alert_rule_test with exp_alerts that are not empty
            assertThat(Pattern.compile("alertname: " + alert + "\\n\\s+exp_alerts:\\n\\s+- exp_labels").matcher(tests)
                    .find()).as("a firing test of %s", alert).isTrue();
            assertThat(tests).as("a silent case of %s", alert)
                    .contains("alertname: " + alert + ", exp_alerts: []");
        }
        for (String record : names(records, "- record: (\\S+)")) {
            assertThat(tests).as("a value check of %s", record).contains("- expr: " + record + "\n");
        }
        // each alert rule has a severity label and both annotations
        long rules = count(alerts, "- alert: ");
        assertThat(count(alerts, "severity: warning") + count(alerts, "severity: critical")).isEqualTo(rules);
        assertThat(count(alerts, "summary: ")).isEqualTo(rules);
        assertThat(count(alerts, "runbook: \"ops/RUNBOOK.md#")).isEqualTo(rules);
    }

    private static long count(String text, String literal) {
        return Pattern.compile(Pattern.quote(literal)).matcher(text).results().count();
    }

    private static List<String> names(String yaml, String regex) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(yaml);
        while (m.find()) {
            if (!out.contains(m.group(1))) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    private static String promtool(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Required.prometheus("promtool").toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile("promtool", ".log");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("promtool finished").isTrue();
            String text = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("promtool %s said:%n%s", String.join(" ", args), text).isZero();
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
