package dev.federation.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.federation.core.BatchEnvironment;
import dev.federation.core.CrossRequestBatching;
import dev.federation.core.EntityBatchLoader;
import dev.federation.core.EntityType;
import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import dev.federation.core.FederationOptions;
import graphql.ExecutionResult;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A merged call of cross-request batching, traced: its batch span says how many requests it served, hangs
 * under the first one's {@code _entities} span and links to every one's. Calls are held open by the test, so
 * that the merge is a fact, not a timing.
 */
class MergedBatchSpansTest {

    private final Otel otel = new Otel();
    private final ExecutorService callers = Executors.newFixedThreadPool(3);
    private final BlockingQueue<CompletableFuture<Map<String, Object>>> calls = new LinkedBlockingQueue<>();
    private final BlockingQueue<List<String>> keys = new LinkedBlockingQueue<>();

    @AfterEach
    void close() {
        callers.shutdownNow();
        otel.close();
    }

    private static CompletableFuture<Map<String, Object>> answer(CompletableFuture<Map<String, Object>> call,
            List<String> ids) {
        Map<String, Object> out = new LinkedHashMap<>();
        ids.forEach(id -> out.put(id, new Subgraph.User(id, "User " + id)));
        call.complete(out);
        return call;
    }

    private Subgraph subgraph(CrossRequestBatching crossRequest) {
        return new Subgraph(FederatedEntities.builder()
                .modeSwitch(FederationModeSwitch.of(FederationMode.BATCHED))
                .options(FederationOptions.custom().crossRequest(crossRequest).batchTimeout(Duration.ofMinutes(5))
                        .build())
                .observer(FederationTelemetry.create(otel.sdk).observer())
                .entity(EntityType.named("User").javaClass(Subgraph.User.class)
                        .key("id", rep -> rep.getString("id"), EntityBatchLoader.mappedAsync(
                                (List<String> ids, BatchEnvironment env) -> {
                                    CompletableFuture<Map<String, Object>> call = new CompletableFuture<>();
                                    keys.add(List.copyOf(ids));
                                    calls.add(call);
                                    return call;
                                }))
                        .build())
                .build());
    }

    @Test
    void aDirectCallsBatchSpanHangsUnderItsOwnRequestsEntitiesSpan() throws Exception {
        // every completed call counts as fast: after the first, each request calls the backend directly
        Subgraph subgraph = subgraph(CrossRequestBatching.custom().window(Duration.ofSeconds(60))
                .directBelow(Duration.ofDays(1)).build());
        Future<ExecutionResult> first = callers.submit(() -> otel.inRequest("POST /graphql a",
                () -> subgraph.entities(List.of(Subgraph.rep("User", "u1")), "...on User{id}")));
        answer(calls.poll(30, TimeUnit.SECONDS), keys.poll(30, TimeUnit.SECONDS));
        assertThat(first.get(30, TimeUnit.SECONDS).getErrors()).isEmpty();
        Future<ExecutionResult> direct = callers.submit(() -> otel.inRequest("POST /graphql b",
                () -> subgraph.entities(List.of(Subgraph.rep("User", "u2")), "...on User{id}")));
        List<String> directKeys = keys.poll(30, TimeUnit.SECONDS);
        assertThat(directKeys).containsExactly("u2");
        answer(calls.poll(30, TimeUnit.SECONDS), directKeys);
        assertThat(direct.get(30, TimeUnit.SECONDS).getErrors()).isEmpty();

        SpanData b = otel.named("POST /graphql b").get(0);
        SpanData entities = otel.named("GraphQL _entities").stream()
                .filter(s -> s.getTraceId().equals(b.getTraceId())).findFirst().orElseThrow();
        SpanData batch = otel.named("GraphQL DataLoader Batch User(id)").stream()
                .filter(s -> s.getTraceId().equals(b.getTraceId())).findFirst().orElseThrow();
        assertThat(batch.getParentSpanId()).isEqualTo(entities.getSpanId());
        assertThat(batch.getAttributes().get(FederationSpans.BATCH_REQUESTS)).isEqualTo(1L);
    }

    @Test
    void aMergedBatchSpanLinksToEveryRequestItServes() throws Exception {
        Subgraph subgraph = subgraph(CrossRequestBatching.custom().window(Duration.ofSeconds(60)).build());
        Future<ExecutionResult> first = callers.submit(() -> otel.inRequest("POST /graphql a",
                () -> subgraph.entities(List.of(Subgraph.rep("User", "u1")), "...on User{id}")));
        List<String> firstKeys = keys.poll(30, TimeUnit.SECONDS);
        CompletableFuture<Map<String, Object>> firstCall = calls.poll(30, TimeUnit.SECONDS);
        assertThat(firstKeys).containsExactly("u1");
        Future<ExecutionResult> b = callers.submit(() -> otel.inRequest("POST /graphql b",
                () -> subgraph.entities(List.of(Subgraph.rep("User", "u2")), "...on User{id}")));
        Future<ExecutionResult> c = callers.submit(() -> otel.inRequest("POST /graphql c",
                () -> subgraph.entities(List.of(Subgraph.rep("User", "u3")), "...on User{id}")));
        // both wait behind the first call, which is held open until they have joined
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (dev.federation.core.CrossRequestTestAccess.waitingKeys(subgraph.entities) < 2) {
            assertThat(System.nanoTime() - deadline).as("two requests joined").isNegative();
            Thread.onSpinWait();
        }
        answer(firstCall, firstKeys);
        List<String> mergedKeys = keys.poll(30, TimeUnit.SECONDS);
        assertThat(mergedKeys).containsExactlyInAnyOrder("u2", "u3");
        answer(calls.poll(30, TimeUnit.SECONDS), mergedKeys);
        for (Future<ExecutionResult> f : List.of(first, b, c)) {
            assertThat(f.get(30, TimeUnit.SECONDS).getErrors()).isEmpty();
        }

        List<SpanData> entities = otel.named("GraphQL _entities");
        assertThat(entities).hasSize(3);
        List<SpanData> batches = otel.named("GraphQL DataLoader Batch User(id)");
        SpanData merged = batches.stream()
                .filter(s -> s.getAttributes().get(FederationSpans.BATCH_REQUESTS) == 2L).findFirst().orElseThrow();
        List<String> linked = merged.getLinks().stream().map(LinkData::getSpanContext)
                .map(io.opentelemetry.api.trace.SpanContext::getSpanId).toList();
        List<String> servedEntities = entities.stream()
                .filter(s -> !s.getTraceId().equals(batches.stream().filter(x -> x != merged).findFirst()
                        .orElseThrow().getTraceId()))
                .map(SpanData::getSpanId).toList();
        assertThat(linked).containsExactlyInAnyOrderElementsOf(servedEntities);
        assertThat(servedEntities).contains(merged.getParentSpanId());
    }
}
