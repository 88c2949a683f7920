package dev.federation.spring;

import graphql.schema.FieldCoordinates;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.execution.SchemaReport;

/**
 * Spring for GraphQL's schema inspection report without the two fields this library serves itself,
 * {@code Query._entities} and {@code Query._service}: Spring's inspector looks for controllers or data fetchers
 * in the wiring and does not see those federation-jvm installs, so it listed them as unmapped.
 */
final class SchemaInspection {

    /** The report is logged where Boot logs it. */
    static final Logger LOG = LoggerFactory.getLogger("org.springframework.boot.graphql.autoconfigure.GraphQlAutoConfiguration");

    private SchemaInspection() {
    }

    /** The report's text with the federation fields left out, or {@code null} when nothing else is in it. */
    static @Nullable String withoutFederationFields(SchemaReport report) {
        String query = report.schema().getQueryType() == null ? "Query" : report.schema().getQueryType().getName();
        Map<String, List<String>> unmapped = new LinkedHashMap<>();
        for (FieldCoordinates c : report.unmappedFields()) {
            if (c.getTypeName().equals(query) && (c.getFieldName().equals("_entities")
                    || c.getFieldName().equals("_service"))) {
                continue;
            }
            unmapped.computeIfAbsent(c.getTypeName(), t -> new ArrayList<>()).add(c.getFieldName());
        }
        if (unmapped.isEmpty() && report.unmappedRegistrations().isEmpty() && report.unmappedArguments().isEmpty()
                && report.skippedTypes().isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder("GraphQL schema inspection:");
        sb.append("\n\tUnmapped fields: ").append(unmapped);
        sb.append("\n\tUnmapped registrations: ").append(report.unmappedRegistrations());
        sb.append("\n\tUnmapped arguments: ").append(report.unmappedArguments());
        sb.append("\n\tSkipped types: ").append(report.skippedTypes());
        return sb.toString();
    }
}
