package dev.federation.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.ExecutionResult;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImplementationsTest {

    static Stream<Arguments> inMemoryCases() {
        return Subgraphs.ALL.stream().flatMap(impl -> Stream.of(
                Arguments.of(impl, 10, 1), Arguments.of(impl, 100, 3), Arguments.of(impl, 1000, 3)));
    }

    static Stream<String> implementations() {
        return Subgraphs.ALL.stream();
    }

    @ParameterizedTest(name = "{0}, {1} representations of {2} types")
    @MethodSource("inMemoryCases")
    void everyImplementationAnswersTheSameEntitiesFromMemory(String impl, int reps, int types) {
        Workload workload = Workload.of(reps, types);
        try (Backend backend = Backend.inMemory(); Subgraph subgraph = Subgraphs.create(impl, backend)) {
            assertAnswers(subgraph, workload);
            assertThat(backend.calls()).isEqualTo(2L * (impl.equals(Subgraphs.NAIVE) ? reps : types));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void everyImplementationAnswersTheSameEntitiesThroughABackendWithLatency(String impl) {
        Workload workload = Workload.of(30, 3);
        try (Backend backend = Backend.withLatency(Duration.ofMillis(1));
                Subgraph subgraph = Subgraphs.create(impl, backend)) {
            assertAnswers(subgraph, workload);
            assertThat(backend.calls()).isEqualTo(2L * (impl.equals(Subgraphs.NAIVE) ? 30 : 3));
        }
    }

    static Stream<Arguments> gatewayCases() {
        return Stream.of("naive", "dataloader", "springgraphql", "library", "library_class").flatMap(impl -> Stream.of(
                Arguments.of(impl, 100, 1), Arguments.of(impl, 100, 3), Arguments.of(impl, 1000, 3)));
    }

    @ParameterizedTest(name = "{0}, {1} posts, {2} types")
    @MethodSource("gatewayCases")
    void onTheGatewayWorkloadTheCountersOfTheBenchmarkThreadSeeEveryBackendCall(String impl, int posts, int types) {
        Workload workload = Workload.posts(posts, types);
        try (Trial trial = Trial.start(impl, Backend.inMemoryCountingByThread(), workload)) {
            Backend backend = trial.backend();
            BatchCounters counters = new BatchCounters();
            counters.reset();
            long callsBefore = backend.calls();
            long keysBefore = backend.keys();

            assertThat(counters.execute(trial, workload).getErrors()).isEmpty();

            // every call is seen on this thread, so the per-thread counters are exact
            assertThat(counters.backendCalls).isEqualTo(backend.calls() - callsBefore);
            assertThat(counters.backendKeys).isEqualTo(backend.keys() - keysBefore);
            assertThat(counters.requests).isEqualTo(1);
            assertThat(counters.entityLoads).isEqualTo(workload.representations);
            if (impl.equals(Subgraphs.NAIVE)) {
                assertThat(counters.backendCalls).isEqualTo(workload.representations);
            } else if (impl.equals(Subgraphs.SPRING)) {
                // one call per type, but Spring's batched @EntityMapping hands every id over, repeats included
                assertThat(counters.backendCalls).isEqualTo(types);
                assertThat(counters.backendKeys).isEqualTo(workload.representations);
            } else {
                // one call per type, each with the distinct keys of its type
                assertThat(counters.backendCalls).isEqualTo(types);
                assertThat(counters.backendKeys).isEqualTo(workload.distinctKeys());
            }
        }
    }

    @Test
    void thePostsPageRepeatsKeysWithASkewAndIsTheSameOnEveryRun() {
        Workload page = Workload.posts(100, 1);

        assertThat(page.representations).isEqualTo(100);
        assertThat(page.distinctKeys()).isEqualTo(28).isEqualTo(Workload.posts(100, 1).distinctKeys());
        assertThat(page.expectedEntities()).isEqualTo(Workload.posts(100, 1).expectedEntities());
        Workload three = Workload.posts(100, 3);
        assertThat(three.representations).isEqualTo(300);
        assertThat(three.typeCount()).isEqualTo(3);
        assertThat(three.typename(0)).isEqualTo("User");
        assertThat(three.typename(1)).isEqualTo("Product");
        assertThat(three.typename(2)).isEqualTo("Review");
    }

    @Test
    void smallRequestsHoldOneToFiveRepresentationsAndEveryImplementationAnswersThem() {
        Workload[] requests = SmallRequestsBenchmark.requests();
        assertThat(requests).extracting(w -> w.representations).containsOnly(1, 2, 3, 4, 5);
        try (Backend backend = Backend.inMemoryCountingByThread();
                Subgraph subgraph = Subgraphs.create(Subgraphs.LIBRARY, backend)) {
            for (Workload w : requests) {
                assertAnswers(subgraph, w);
            }
        }
    }

    @Test
    void observedVariantsRecordMetersAndExportSpans() {
        Workload workload = Workload.of(30, 3);
        try (Backend backend = Backend.inMemory()) {
            ObservedSubgraphs.Observed all = ObservedSubgraphs.create(ObservedSubgraphs.LIBRARY_ALL, backend);
            assertAnswers(all, workload);
            all.close();

            double loads = all.registry.find("federation.entity.loads").counters().stream()
                    .mapToDouble(c -> c.count()).sum();
            assertThat(loads).isEqualTo(60.0);
            // per call: one _entities span and one batch span per type
            assertThat(all.tracing.exporter.spans.sum()).isEqualTo(2L * (1 + 3));
        }
    }

    @Test
    void eachDocumentIsParsedOnce() {
        DocumentCache cache = new DocumentCache();
        graphql.GraphQL graphQL = graphql.GraphQL.newGraphQL(graphql.schema.idl.UnExecutableSchemaGenerator
                .makeUnExecutableSchema(new graphql.schema.idl.SchemaParser().parse("type Query { a: String }")))
                .preparsedDocumentProvider(cache)
                .build();
        graphQL.execute("{a}");
        graphQL.execute("{a}");
        graphQL.execute("{ a }");
        assertThat(cache.size()).isEqualTo(2);
    }

    private static void assertAnswers(Subgraph subgraph, Workload workload) {
        for (int run = 0; run < 2; run++) {
            ExecutionResult result = subgraph.execute(workload);
            assertThat(result.getErrors()).isEmpty();
            Map<String, Object> data = result.getData();
            assertThat(data.get("_entities")).isEqualTo(workload.expectedEntities());
        }
    }
}
