package dev.federation.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.federation.core.EntityBatchLoader;
import dev.federation.core.EntityType;
import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import graphql.ExecutionResult;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class ConcurrentRequestsTest {

    private static final org.slf4j.Logger BACKEND_LOG = LoggerFactory.getLogger("test.backend");
    private static final int ROUNDS = 5;

    private final Otel otel = new Otel();
    private final LogCapture logs = new LogCapture(BatchLogFields.LOGGER_NAME, "test.backend");
    private final ExecutorService callers = Executors.newFixedThreadPool(2);

    @AfterEach
    void close() {
        callers.shutdownNow();
        logs.close();
        otel.close();
    }

    /** What the batch function saw while it ran: the request id in the MDC and the trace it was in. */
    record Seen(String requestId, String traceId) {
    }

    @Test
    void twoConcurrentRequestsNeverMixTheirSpansOrRequestIds() throws Exception {
        CyclicBarrier bothInside = new CyclicBarrier(2);
        Map<String, Seen> seenByKeyPrefix = new ConcurrentHashMap<>();
        Subgraph subgraph = new Subgraph(FederatedEntities.builder()
                .modeSwitch(FederationModeSwitch.of(FederationMode.BATCHED))
                .observer(FederationTelemetry.create(otel.sdk).observer())
                .entity(EntityType.named("User").javaClass(Subgraph.User.class)
                        .key("id", rep -> rep.getString("id"), EntityBatchLoader.mapped(ids -> {
                            String prefix = ids.get(0).substring(0, 1);
                            await(bothInside); // both requests' batch functions run at the same time
                            seenByKeyPrefix.put(prefix, new Seen(MDC.get("request_id"),
                                    Span.current().getSpanContext().getTraceId()));
                            BACKEND_LOG.info("querying {} users for {}", ids.size(), prefix);
                            return Subgraph.users(ids);
                        }))
                        .build())
                .build());

        for (int round = 0; round < ROUNDS; round++) {
            otel.exporter.reset();
            seenByKeyPrefix.clear();
            int before = logs.events().size();

            Future<ExecutionResult> a = callers.submit(() -> otel.inRequest("request a", () -> subgraph.entities(
                    Subgraph.reps("User", "a", 50), "...on User{id name}", c -> c.of("request_id", "req-a"))));
            Future<ExecutionResult> b = callers.submit(() -> otel.inRequest("request b", () -> subgraph.entities(
                    Subgraph.reps("User", "b", 50), "...on User{id name}", c -> c.of("request_id", "req-b"))));
            assertThat(a.get(10, TimeUnit.SECONDS).getErrors()).isEmpty();
            assertThat(b.get(10, TimeUnit.SECONDS).getErrors()).isEmpty();

            List<ILoggingEvent> events = logs.events().subList(before, logs.events().size());
            for (String x : List.of("a", "b")) {
                SpanData request = otel.span("request " + x);
                String trace = request.getTraceId();
                List<SpanData> inTrace = otel.spans().stream().filter(s -> s.getTraceId().equals(trace)).toList();
                assertThat(inTrace).extracting(SpanData::getName).containsExactlyInAnyOrder("request " + x,
                        FederationSpans.ENTITIES_SPAN_NAME, "GraphQL DataLoader Batch User(id)");
                SpanData entities = byName(inTrace, FederationSpans.ENTITIES_SPAN_NAME);
                assertThat(entities.getParentSpanId()).isEqualTo(request.getSpanId());
                SpanData batch = byName(inTrace, "GraphQL DataLoader Batch User(id)");
                assertThat(batch.getParentSpanId()).isEqualTo(entities.getSpanId());
                assertThat(batch.getLinks()).containsExactly(LinkData.create(request.getSpanContext()));

                assertThat(seenByKeyPrefix.get(x)).isEqualTo(new Seen("req-" + x, trace));
                assertThat(events).filteredOn(e -> e.getLoggerName().equals(BatchLogFields.LOGGER_NAME)
                                && trace.equals(LogCapture.fields(e).get("trace_id")))
                        .singleElement()
                        .satisfies(e -> assertThat(LogCapture.fields(e))
                                .containsEntry("request_id", "req-" + x)
                                .containsEntry("span_id", batch.getSpanId()));
                assertThat(events).filteredOn(e -> e.getLoggerName().equals("test.backend")
                                && e.getFormattedMessage().endsWith(" for " + x))
                        .singleElement()
                        .satisfies(e -> assertThat(e.getMDCPropertyMap()).containsEntry("request_id", "req-" + x));
            }
            assertThat(otel.spans()).hasSize(6);
        }
    }

    private static SpanData byName(List<SpanData> spans, String name) {
        return spans.stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the other request's batch never started", e);
        }
    }
}
