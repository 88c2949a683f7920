package dev.federation.examples.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.federation.core.FederationMode;
import dev.federation.examples.SubgraphCluster;
import dev.federation.examples.http.SubgraphServer;
import dev.federation.examples.subgraphs.DataSettings;
import dev.federation.examples.subgraphs.Subgraph;
import dev.federation.examples.subgraphs.SubgraphConfig;
import dev.federation.examples.subgraphs.UsersSubgraph;
import dev.federation.tracing.FederationSpans;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A request that carries a W3C traceparent gets its subgraph spans in the caller's trace. */
class TraceContextTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_SPAN_ID = "00f067aa0ba902b7";

    @Test
    void entitiesAndBatchSpansNestUnderTheServerSpanOfTheCallersTrace() throws Exception {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        SubgraphConfig base = SubgraphConfig.custom().data(DataSettings.sizes(100, 100, 100))
                .mode(FederationMode.BATCHED).build();
        SubgraphObservability obs = SubgraphObservability.create("users", base.modeSwitch(), otel);
        SubgraphConfig.Builder b = base.toBuilder();
        obs.observers().forEach(b::observer);
        List<SpanData> spans;
        try (Subgraph users = UsersSubgraph.create(b.build());
                SubgraphServer server = SubgraphCluster.serverFor(users, obs, "127.0.0.1", 0, null, false).start()) {
            obs.bind(users);
            String body = "{\"query\":\"query($r:[_Any!]!){_entities(representations:$r){...on User{id name}}}\","
                    + "\"variables\":{\"r\":[{\"__typename\":\"User\",\"id\":\"1\"},{\"__typename\":\"User\",\"id\":\"2\"}]}}";

            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.graphqlUri())
                    .header("Content-Type", "application/json")
                    .header("traceparent", "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"name\":\"" + UsersSubgraph.nameOf(2) + "\"");
            spans = List.copyOf(exporter.getFinishedSpanItems()); // before the SDK's shutdown clears them
        } finally {
            obs.close();
            otel.close();
        }

        assertThat(spans).hasSizeGreaterThanOrEqualTo(3).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(TRACE_ID));
        SpanData serverSpan = spans.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
        assertThat(serverSpan.getName()).isEqualTo("POST /graphql");
        assertThat(serverSpan.getParentSpanId()).isEqualTo(PARENT_SPAN_ID);
        SpanData entities = spans.stream().filter(s -> s.getName().equals(FederationSpans.ENTITIES_SPAN_NAME))
                .findFirst().orElseThrow();
        assertThat(entities.getParentSpanId()).isEqualTo(serverSpan.getSpanId());
        SpanData batch = spans.stream().filter(s -> s.getName().startsWith("GraphQL DataLoader Batch"))
                .findFirst().orElseThrow();
        assertThat(batch.getParentSpanId()).isEqualTo(entities.getSpanId());
        assertThat(batch.getName()).isEqualTo("GraphQL DataLoader Batch User(id)");
    }
}
