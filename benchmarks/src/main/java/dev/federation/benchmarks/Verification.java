package dev.federation.benchmarks;

import graphql.ExecutionResult;
import java.util.Map;

/** The check every benchmark trial makes before it measures: the implementation answers what it should. */
final class Verification {

    private Verification() {
    }

    /**
     * Executes {@code workload} twice and compares the {@code _entities} answered with
     * {@link Workload#expectedEntities()}.
     *
     * @throws IllegalStateException when there is an error or the data differs
     */
    static void check(String impl, Subgraph subgraph, Workload workload) {
        for (int run = 0; run < 2; run++) {
            ExecutionResult result = subgraph.execute(workload);
            if (!result.getErrors().isEmpty()) {
                throw new IllegalStateException(impl + " answered errors for " + workload + ": " + result.getErrors());
            }
            Map<String, Object> data = result.getData();
            Object entities = data == null ? null : data.get("_entities");
            if (!workload.expectedEntities().equals(entities)) {
                throw new IllegalStateException(impl + " answered other entities than expected for " + workload);
            }
        }
    }
}
