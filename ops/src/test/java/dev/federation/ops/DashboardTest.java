package dev.federation.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ops/grafana/federation-go-live.json} validates against Grafana's published dashboard JSON Schema
 * ({@code ../shared/grafana}), each panel's options against its panel type's schema and each query against the
 * Prometheus query schema; and it has a panel for each go-live number with the plan's thresholds.
 */
class DashboardTest {

    static final Path DASHBOARD = Path.of("grafana/federation-go-live.json");

    static JsonNode dashboard() throws Exception {
        return Shared.JSON.readTree(DASHBOARD.toFile());
    }

    private static JsonNode schemaFile(String name) throws Exception {
        return Shared.JSON.readTree(Shared.folder("grafana").resolve(name).toFile());
    }

    @Test
    void theDashboardValidatesAgainstGrafanasSchemas() throws Exception {
        JsonNode d = dashboard();
        assertThat(Shared.validate(schemaFile("dashboard.jsonschema.json"), d)).isEmpty();
        JsonNode prometheus = schemaFile("prometheus.jsonschema.json");
        for (JsonNode panel : d.get("panels")) {
            String type = panel.get("type").asText();
            JsonNode typeSchema = schemaFile(type + ".jsonschema.json");
            assertThat(Shared.validate(Shared.definition(typeSchema, "Options"), panel.get("options")))
                    .as("options of %s", panel.get("title").asText()).isEmpty();
            if (panel.at("/fieldConfig/defaults/custom").isObject()) {
                assertThat(Shared.validate(Shared.definition(typeSchema, "FieldConfig"),
                        panel.at("/fieldConfig/defaults/custom"))).as("custom of %s", panel.get("title").asText())
                        .isEmpty();
            }
            for (JsonNode target : panel.get("targets")) {
                assertThat(Shared.validate(prometheus, target)).as("query of %s", panel.get("title").asText())
                        .isEmpty();
            }
        }
    }

    @Test
    void aMisspelledFieldFailsTheSchema() throws Exception {
        ObjectNode d = (ObjectNode) dashboard();
        ObjectNode panel = (ObjectNode) d.get("panels").get(0);
        panel.set("titel", panel.remove("title"));

        assertThat(Shared.validate(schemaFile("dashboard.jsonschema.json"), d)).isNotEmpty();
    }

    @Test
    void everyGoLiveNumberHasAPanelWithThePlansThresholds() throws Exception {
        JsonNode d = dashboard();
        assertThat(d.get("schemaVersion").asInt()).isEqualTo(42);
        List<String> variables = new ArrayList<>();
        d.at("/templating/list").forEach(v -> variables.add(v.get("type").asText() + " " + v.get("name").asText()));
        assertThat(variables).containsExactly("datasource datasource", "query job", "query instance");
        List<String> titles = new ArrayList<>();
        d.get("panels").forEach(p -> titles.add(p.get("title").asText()));
        assertThat(titles).contains("Error rate", "Batch effectiveness", "Average batch size",
                "p99 entity resolution (one backend call)", "Heap after GC", "Heap growth per hour",
                "Backend queries saved", "Mode", "Health", "Automatic rollbacks");
        assertThat(thresholds(d, "Error rate")).contains(0.01, 0.05);
        assertThat(thresholds(d, "Batch effectiveness")).contains(0.6, 0.8);
        assertThat(thresholds(d, "Average batch size")).contains(50.0);
        assertThat(thresholds(d, "p99 entity resolution (one backend call)")).contains(0.1, 2.0);
        assertThat(thresholds(d, "Heap growth per hour")).contains(1.0e8);
        assertThat(thresholds(d, "Heap after GC")).contains(1.0e9);
        for (JsonNode p : d.get("panels")) {
            assertThat(p.at("/datasource/uid").asText()).isEqualTo("${datasource}");
            p.get("targets").forEach(t -> assertThat(t.get("expr").asText()).contains("job=~\"$job\""));
        }
    }

    private static List<Double> thresholds(JsonNode d, String title) {
        for (JsonNode p : d.get("panels")) {
            if (p.get("title").asText().equals(title)) {
                List<Double> out = new ArrayList<>();
                p.at("/fieldConfig/defaults/thresholds/steps").forEach(s -> {
                    if (!s.get("value").isNull()) {
                        out.add(s.get("value").asDouble());
                    }
                });
                return out;
            }
        }
        throw new AssertionError("no panel " + title);
    }
}
