package dev.federation.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Flagger and Argo Rollouts documents of {@code ops/} validate against the real CRDs of
 * {@code ../shared/crds} (their {@code openAPIV3Schema}), with unknown fields refused: a typo such as
 * {@code thresholdRang} fails, as it would silently pass plain validation.
 */
class CanaryDocumentsTest {

    private static final List<String> DOCUMENTS = List.of("flagger/metric-templates.yaml", "flagger/canary.yaml",
            "argo-rollouts/analysis-templates.yaml", "argo-rollouts/rollout.yaml");

    /** The openAPIV3Schema of {@code apiVersion}/{@code kind} in the CRD files. */
    static JsonNode schemaOf(JsonNode document) throws Exception {
        String[] apiVersion = document.get("apiVersion").asText().split("/");
        String kind = document.get("kind").asText();
        Path crds = Shared.folder("crds");
        for (String file : List.of("flagger-v1.44.0-crd.yaml", "argo-rollouts-v1.9.1-analysis-template-crd.yaml",
                "argo-rollouts-v1.9.1-rollout-crd.yaml")) {
            for (JsonNode crd : Shared.yamlDocuments(crds.resolve(file))) {
                JsonNode spec = crd.path("spec");
                if (spec.path("group").asText().equals(apiVersion[0])
                        && spec.path("names").path("kind").asText().equals(kind)) {
                    for (JsonNode v : spec.path("versions")) {
                        if (v.path("name").asText().equals(apiVersion[1])) {
                            return v.path("schema").path("openAPIV3Schema");
                        }
                    }
                }
            }
        }
        throw new AssertionError("no CRD of " + document.get("apiVersion").asText() + " " + kind);
    }

    static List<JsonNode> documents() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String d : DOCUMENTS) {
            out.addAll(Shared.yamlDocuments(Path.of(d)));
        }
        return out;
    }

    @Test
    void everyDocumentValidatesAgainstItsCrdWithUnknownFieldsRefused() throws Exception {
        List<JsonNode> docs = documents();
        assertThat(docs).extracting(d -> d.get("kind").asText()).containsExactly("MetricTemplate", "MetricTemplate",
                "MetricTemplate", "Canary", "AnalysisTemplate", "AnalysisTemplate", "AnalysisTemplate", "Rollout");
        for (JsonNode doc : docs) {
            JsonNode schema = Shared.strict(schemaOf(doc));
            assertThat(Shared.validate(schema, doc)).as("%s %s", doc.get("kind").asText(),
                    doc.at("/metadata/name").asText()).isEmpty();
        }
    }

    @Test
    void aTypoIsRefusedByTheStrictSchemaThatThePlainOneLetsThrough() throws Exception {
        JsonNode canary = Shared.yamlDocuments(Path.of("flagger/canary.yaml")).get(0);
        ObjectNode typo = canary.deepCopy();
        ObjectNode metric = (ObjectNode) typo.at("/spec/analysis/metrics/0");
        metric.set("thresholdRang", metric.remove("thresholdRange"));
        JsonNode schema = schemaOf(canary);

        assertThat(Shared.validate(schema, typo)).as("the CRD as published accepts unknown fields").isEmpty();
        assertThat(Shared.validate(Shared.strict(schema), typo)).isNotEmpty()
                .anySatisfy(m -> assertThat(m.getMessage()).contains("thresholdRang"));

        strictSchemaNamesTheTypo("argo-rollouts/analysis-templates.yaml", "/spec/metrics/0", "successCondition",
                "successCondtion");
        strictSchemaNamesTheTypo("argo-rollouts/rollout.yaml", "/spec/strategy/canary/steps/0", "setWeight",
                "setWieght");
    }

    /** The first document of {@code file} with {@code field} at {@code pointer} misspelt: the strict schema says so. */
    private static void strictSchemaNamesTheTypo(String file, String pointer, String field, String typo)
            throws Exception {
        JsonNode document = Shared.yamlDocuments(Path.of(file)).get(0);
        ObjectNode misspelt = document.deepCopy();
        ObjectNode at = (ObjectNode) misspelt.at(pointer);
        at.set(typo, at.remove(field));
        assertThat(Shared.validate(Shared.strict(schemaOf(document)), misspelt))
                .anySatisfy(m -> assertThat(m.getMessage()).contains(typo));
    }

    @Test
    void theCanariesRunThePlansPhasesOnThePlansNumbers() throws Exception {
        JsonNode canary = Shared.yamlDocuments(Path.of("flagger/canary.yaml")).get(0);
        assertThat(canary.at("/spec/analysis/stepWeights").toString()).isEqualTo("[5,25,50]");
        assertThat(canary.at("/spec/analysis/metrics/0/thresholdRange/max").asDouble()).isEqualTo(0.01);
        assertThat(canary.at("/spec/analysis/metrics/1/thresholdRange/max").asDouble()).isEqualTo(0.1);
        assertThat(canary.at("/spec/analysis/metrics/2/thresholdRange/min").asDouble()).isEqualTo(0.8);

        JsonNode rollout = Shared.yamlDocuments(Path.of("argo-rollouts/rollout.yaml")).get(0);
        List<String> steps = new ArrayList<>();
        for (JsonNode s : rollout.at("/spec/strategy/canary/steps")) {
            steps.add(s.has("setWeight") ? "weight " + s.get("setWeight").asInt()
                    : s.has("pause") ? "pause " + s.at("/pause/duration").asText() : "analysis");
        }
        assertThat(steps).containsExactly("weight 5", "pause 15m", "analysis", "weight 25", "pause 30m", "analysis",
                "weight 50", "pause 30m", "analysis", "weight 100");
    }
}
