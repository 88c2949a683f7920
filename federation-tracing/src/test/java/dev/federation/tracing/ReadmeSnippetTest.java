package dev.federation.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.federation.core.EntityBatchLoader;
import dev.federation.core.EntityType;
import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import graphql.ExecutionResult;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The usage snippet of federation-tracing/README.md, compiled and run so that it cannot rot. */
class ReadmeSnippetTest {

    private final Otel otel = new Otel();
    private final ExecutorService dbPool = Executors.newFixedThreadPool(2);

    @AfterEach
    void close() {
        dbPool.shutdownNow();
        otel.close();
    }

    /** Stands for the service's own repository; its query span must nest under the batch span. */
    Map<String, Subgraph.User> findByIds(List<String> ids) {
        Span query = otel.service.spanBuilder("SELECT users").startSpan();
        query.end();
        return Subgraph.users(ids);
    }

    @Test
    void bothReadmesShowTheSnippetVerbatim() throws java.io.IOException {
        String source = java.nio.file.Files.readString(
                java.nio.file.Path.of("src/test/java/dev/federation/tracing/ReadmeSnippetTest.java"));
        int start = source.indexOf("// --- README snippet start\n") + 28;
        String region = source.substring(start, source.indexOf("        // --- README snippet end", start));
        String snippet = region.lines().map(l -> l.length() >= 8 ? l.substring(8) : l)
                .collect(java.util.stream.Collectors.joining("\n"));

        assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("README.md"))).contains(snippet);
        assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("../README.md"))).contains(snippet);
    }

    @Test
    void readmeUsageSnippetTracesABatchWithItsBackendSpanNested() {
        OpenTelemetry openTelemetry = otel.sdk;
        ReadmeSnippetTest userRepository = this;

        FederationModeSwitch modeSwitch = FederationModeSwitch.of(FederationMode.BATCHED);
        // --- README snippet start
        FederationTelemetry telemetry = FederationTelemetry.builder(openTelemetry)
                .slowBatchThreshold(Duration.ofMillis(100))
                .build();

        FederatedEntities entities = FederatedEntities.builder()
                .modeSwitch(modeSwitch)
                .entity(EntityType.named("User")
                        .key("id", rep -> rep.getString("id"),
                                EntityBatchLoader.mappedAsync(ids -> CompletableFuture.supplyAsync(
                                        () -> userRepository.findByIds(ids),
                                        Context.current().wrap(dbPool)))) // backend spans nest under the batch
                        .build())
                .observer(telemetry.observer())
                .build();
        // --- README snippet end
        Subgraph subgraph = new Subgraph(entities);

        ExecutionResult result = otel.inRequest("POST /graphql", () -> subgraph.entities(
                Subgraph.reps("User", "u", 3), "...on User{id name}", c -> c.of("request_id", "req-1")));

        assertThat(result.getErrors()).isEmpty();
        assertThat(otel.span("SELECT users")).satisfies(s -> assertThat(s.getParentSpanId())
                .isEqualTo(otel.span("GraphQL DataLoader Batch User(id)").getSpanId()));
    }
}
