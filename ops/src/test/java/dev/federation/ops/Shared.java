package dev.federation.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.federation.testkit.Required;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The data of {@code ../shared} (CRDs, Grafana schemas), YAML documents, and strict JSON Schema validation. */
final class Shared {

    static final ObjectMapper JSON = new ObjectMapper();
    static final YAMLMapper YAML = new YAMLMapper();

    private Shared() {
    }

    /** {@code ../shared/<folder>} of the repository; fails under CI and skips elsewhere when it is absent. */
    static Path folder(String folder) {
        Path p = Path.of("..", "..", "shared", folder).toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) {
            throw Required.missing(p + " is absent: the validation against it was NOT run");
        }
        return p;
    }

    /** Every document of a multi-document YAML file. */
    static List<JsonNode> yamlDocuments(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(file.toFile())) {
            Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isEmpty()) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /**
     * A copy of {@code schema} that refuses properties it does not declare: {@code additionalProperties: false} on
     * every object schema with {@code properties} and no {@code additionalProperties} of its own, except where
     * Kubernetes says {@code x-kubernetes-preserve-unknown-fields: true}.
     */
    static JsonNode strict(JsonNode schema) {
        JsonNode copy = schema.deepCopy();
        tighten(copy);
        return copy;
    }

    private static void tighten(JsonNode node) {
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            if (o.has("properties") && !o.has("additionalProperties")
                    && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                o.put("additionalProperties", false);
            }
            o.elements().forEachRemaining(Shared::tighten);
        } else if (node.isArray()) {
            node.elements().forEachRemaining(Shared::tighten);
        }
    }

    /** Validates {@code document} against {@code schema} (draft-07); the messages, empty when valid. */
    static Set<ValidationMessage> validate(JsonNode schema, JsonNode document) {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().strict("format", false).build();
        JsonSchema s = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schema, config);
        return s.validate(document);
    }

    /** A schema of one definition of a Grafana JSON Schema file: its definitions, {@code $ref} to it. */
    static JsonNode definition(JsonNode schemaFile, String name) {
        ObjectNode s = JSON.createObjectNode();
        s.put("$schema", "http://json-schema.org/draft-07/schema#");
        s.put("$ref", "#/definitions/" + name);
        s.set("definitions", schemaFile.get("definitions"));
        return s;
    }

    /** The template variables a test substitutes into a query before sending it to Prometheus. */
    static String substitute(String query, Map<String, String> values) {
        String out = query;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace(e.getKey(), e.getValue());
        }
        return out;
    }
}
