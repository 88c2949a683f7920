package dev.federation.tracing;

import static dev.federation.tracing.Subgraph.rep;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.federation.core.EntityBatchLoader;
import dev.federation.core.EntityCacheOptions;
import dev.federation.core.EntityType;
import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import dev.federation.core.observer.FederationObserver;
import graphql.ExecutionResult;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.api.common.AttributeKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.dataloader.DataLoaderFactory;
import org.dataloader.Try;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SpansTest {

    private final Otel otel = new Otel();
    private final ExecutorService backendPool = Executors.newFixedThreadPool(2);

    @AfterEach
    void close() {
        backendPool.shutdownNow();
        otel.close();
    }

    private FederatedEntities.Builder entities(FederationTelemetry telemetry) {
        return FederatedEntities.builder()
                .modeSwitch(FederationModeSwitch.of(FederationMode.BATCHED))
                .observer(telemetry.observer());
    }

    private Subgraph subgraph(EntityBatchLoader<String, ?> users, EntityBatchLoader<String, ?> reviews) {
        FederationTelemetry telemetry = FederationTelemetry.create(otel.sdk);
        return new Subgraph(entities(telemetry)
                .entity(EntityType.named("User").javaClass(Subgraph.User.class)
                        .key("id", rep -> rep.getString("id"), users).build())
                .entity(EntityType.named("Review").javaClass(Subgraph.Review.class)
                        .key("id", rep -> rep.getString("id"), reviews).build())
                .build());
    }

    private Subgraph subgraph() {
        return subgraph(EntityBatchLoader.mapped(Subgraph::users), EntityBatchLoader.mapped(Subgraph::reviews));
    }

    @Test
    void hundredRepresentationsOfTwoTypesGiveOneEntitiesSpanAndTwoLinkedBatchSpans() {
        Subgraph subgraph = subgraph();

        ExecutionResult result = otel.inRequest("POST /graphql",
                () -> subgraph.entities(Subgraph.usersAndReviews(50), Subgraph.USER_AND_REVIEW));

        assertThat(result.getErrors()).isEmpty();
        assertThat(Subgraph.entityList(result)).hasSize(100);
        assertThat(otel.names()).containsExactlyInAnyOrder("POST /graphql", "GraphQL _entities",
                "GraphQL DataLoader Batch User(id)", "GraphQL DataLoader Batch Review(id)");
        SpanData request = otel.span("POST /graphql");
        SpanData entities = otel.span(FederationSpans.ENTITIES_SPAN_NAME);
        assertThat(entities)
                .hasParent(request)
                .hasKind(SpanKind.INTERNAL)
                .hasAttribute(FederationSpans.REPRESENTATION_COUNT, 100L)
                .hasAttribute(FederationSpans.ENTITY_COUNT, 100L)
                .hasAttribute(FederationSpans.ERROR_COUNT, 0L)
                .hasAttribute(FederationSpans.OUTCOME, "success")
                .hasAttribute(FederationSpans.MODE, "batched")
                .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.unset());
        for (String type : List.of("User", "Review")) {
            SpanData batch = otel.span(FederationSpans.batchSpanName(type + "(id)"));
            assertThat(batch)
                    .hasParent(entities)
                    .hasKind(SpanKind.INTERNAL)
                    .hasAttribute(FederationSpans.DATALOADER_NAME, type + "(id)")
                    .hasAttribute(FederationSpans.DATALOADER_BATCH_SIZE, 50L)
                    .hasAttribute(FederationSpans.DATALOADER_CACHE_HIT_COUNT, 0L)
                    .hasAttribute(FederationSpans.TYPENAME, type)
                    .hasAttribute(FederationSpans.MODE, "batched")
                    .hasAttribute(FederationSpans.KEY_SHAPE, "id")
                    .hasAttribute(FederationSpans.BATCH_ENTITY_COUNT, 50L)
                    .hasAttribute(FederationSpans.BATCH_MISSING_COUNT, 0L)
                    .hasAttribute(FederationSpans.BATCH_KEY_ERROR_COUNT, 0L)
                    .hasLinks(LinkData.create(request.getSpanContext()));
            assertThat(batch.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        }
    }

    @Test
    void missingAndFailedKeysAreCountedOnTheBatchSpan() {
        Subgraph subgraph = subgraph(EntityBatchLoader.mapped(ids -> {
            Map<String, Object> out = new LinkedHashMap<>();
            for (String id : ids) {
                if (id.startsWith("bad")) {
                    out.put(id, Try.failed(new IllegalArgumentException("no such shard")));
                } else if (!id.startsWith("missing")) {
                    out.put(id, new Subgraph.User(id, "User " + id));
                }
            }
            return out;
        }), EntityBatchLoader.mapped(Subgraph::reviews));

        ExecutionResult result = otel.inRequest("POST /graphql", () -> subgraph.entities(
                List.of(rep("User", "u1"), rep("User", "missing1"), rep("User", "bad1"), rep("User", "bad2")),
                Subgraph.USER_AND_REVIEW));

        assertThat(result.getErrors()).hasSize(2);
        assertThat(otel.span("GraphQL DataLoader Batch User(id)"))
                .hasAttribute(FederationSpans.DATALOADER_BATCH_SIZE, 4L)
                .hasAttribute(FederationSpans.BATCH_ENTITY_COUNT, 1L)
                .hasAttribute(FederationSpans.BATCH_MISSING_COUNT, 1L)
                .hasAttribute(FederationSpans.BATCH_KEY_ERROR_COUNT, 2L)
                .hasStatusSatisfying(s -> s.hasCode(StatusCode.UNSET));
        assertThat(otel.span(FederationSpans.ENTITIES_SPAN_NAME))
                .hasAttribute(FederationSpans.ENTITY_COUNT, 1L)
                .hasAttribute(FederationSpans.MISSING_COUNT, 1L)
                .hasAttribute(FederationSpans.ERROR_COUNT, 2L)
                .hasAttribute(FederationSpans.OUTCOME, "partial")
                .hasStatusSatisfying(s -> s.hasCode(StatusCode.ERROR));
    }

    @Test
    void spanMadeInsideTheBatchFunctionIsAChildOfTheBatchSpan() {
        Subgraph subgraph = subgraph(EntityBatchLoader.mapped(ids -> {
            Span query = otel.service.spanBuilder("SELECT users").startSpan();
            query.end();
            return Subgraph.users(ids);
        }), EntityBatchLoader.mapped(Subgraph::reviews));

        otel.inRequest("POST /graphql", () -> subgraph.entities(Subgraph.usersAndReviews(3),
                Subgraph.USER_AND_REVIEW));

        assertThat(otel.span("SELECT users")).hasParent(otel.span("GraphQL DataLoader Batch User(id)"));
    }

    @Test
    void spanMadeOnAnotherThreadThroughAWrappedExecutorIsAChildOfTheBatchSpan() {
        List<String> threads = new ArrayList<>();
        Subgraph subgraph = subgraph(EntityBatchLoader.mappedAsync(ids -> CompletableFuture.supplyAsync(() -> {
            threads.add(Thread.currentThread().getName());
            Span query = otel.service.spanBuilder("SELECT users").startSpan();
            query.end();
            return Subgraph.users(ids);
        }, Context.current().wrap(backendPool))), EntityBatchLoader.mapped(Subgraph::reviews));

        ExecutionResult result = otel.inRequest("POST /graphql",
                () -> subgraph.entities(Subgraph.usersAndReviews(5), Subgraph.USER_AND_REVIEW));

        assertThat(result.getErrors()).isEmpty();
        assertThat(threads).singleElement().isNotEqualTo(Thread.currentThread().getName());
        SpanData batch = otel.span("GraphQL DataLoader Batch User(id)");
        assertThat(otel.span("SELECT users")).hasParent(batch);
        assertThat(batch).hasParent(otel.span(FederationSpans.ENTITIES_SPAN_NAME))
                .hasAttribute(FederationSpans.BATCH_ENTITY_COUNT, 5L);
    }

    @Test
    void failedBatchGivesAnErrorSpanAndOtherTypesSpansAreFine() {
        IllegalStateException boom = new IllegalStateException("review store down");
        Subgraph subgraph = subgraph(EntityBatchLoader.mapped(Subgraph::users), EntityBatchLoader.mapped(ids -> {
            throw boom;
        }));

        ExecutionResult result = otel.inRequest("POST /graphql",
                () -> subgraph.entities(Subgraph.usersAndReviews(10), Subgraph.USER_AND_REVIEW));

        assertThat(result.getErrors()).hasSize(10);
        assertThat(Subgraph.entityList(result).get(0)).isEqualTo(Map.of("id", "u0", "name", "User u0"));
        assertThat(otel.span("GraphQL DataLoader Batch Review(id)"))
                .hasStatusSatisfying(s -> s.hasCode(StatusCode.ERROR)
                        .hasDescription(IllegalStateException.class.getName()))
                .hasAttribute(FederationSpans.ERROR_TYPE, IllegalStateException.class.getName())
                .hasException(boom)
                .hasEventsSatisfyingExactly(e -> e.hasName("exception").hasAttributesSatisfying(a -> assertThat(
                        a.get(AttributeKey.stringKey("exception.type"))).isEqualTo(IllegalStateException.class.getName())));
        assertThat(otel.span("GraphQL DataLoader Batch User(id)"))
                .hasStatusSatisfying(s -> s.hasCode(StatusCode.UNSET))
                .hasTotalRecordedEvents(0)
                .hasAttribute(FederationSpans.BATCH_ENTITY_COUNT, 10L);
        assertThat(otel.span(FederationSpans.ENTITIES_SPAN_NAME))
                .hasAttribute(FederationSpans.ERROR_COUNT, 10L)
                .hasAttribute(FederationSpans.OUTCOME, "partial");
    }

    @Test
    void directModeGivesOneBatchSpanPerRepresentationUnderTheEntitiesSpan() {
        FederationTelemetry telemetry = FederationTelemetry.create(otel.sdk);
        Subgraph subgraph = new Subgraph(FederatedEntities.builder()
                .modeSwitch(FederationModeSwitch.of(FederationMode.DIRECT))
                .observer(telemetry.observer())
                .entity(EntityType.named("User").javaClass(Subgraph.User.class)
                        // completes later on a pool thread that does not carry the request's context
                        .key("id", rep -> rep.getString("id"), EntityBatchLoader.mappedAsync(
                                ids -> CompletableFuture.supplyAsync(() -> Subgraph.users(ids),
                                        CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS, backendPool))))
                        .build())
                .build());

        otel.inRequest("POST /graphql", () -> subgraph.entities(Subgraph.reps("User", "u", 3), "...on User{id}"));

        SpanData entities = otel.span(FederationSpans.ENTITIES_SPAN_NAME);
        assertThat(entities).hasAttribute(FederationSpans.MODE, "direct");
        List<SpanData> batches = otel.named("GraphQL DataLoader Batch User(id)");
        assertThat(batches).hasSize(3).allSatisfy(b -> assertThat(b)
                .hasParent(entities)
                .hasAttribute(FederationSpans.MODE, "direct")
                .hasAttribute(FederationSpans.DATALOADER_BATCH_SIZE, 1L)
                .hasLinks(LinkData.create(otel.span("POST /graphql").getSpanContext())));
    }

    @Test
    void keysServedByTheCrossRequestCacheAreCacheHits() {
        FederationTelemetry telemetry = FederationTelemetry.create(otel.sdk);
        Subgraph subgraph = new Subgraph(entities(telemetry)
                .entity(EntityType.named("User").javaClass(Subgraph.User.class)
                        .key("id", rep -> rep.getString("id"), EntityBatchLoader.mapped(Subgraph::users))
                        .cache(EntityCacheOptions.of(100, Duration.ofMinutes(1)))
                        .build())
                .build());

        subgraph.entities(Subgraph.reps("User", "u", 5), "...on User{id}");
        otel.exporter.reset();
        subgraph.entities(Subgraph.reps("User", "u", 8), "...on User{id}");

        assertThat(otel.span("GraphQL DataLoader Batch User(id)"))
                .hasAttribute(FederationSpans.DATALOADER_BATCH_SIZE, 3L)
                .hasAttribute(FederationSpans.DATALOADER_CACHE_HIT_COUNT, 5L);
    }

    @Test
    void batchOfTheServicesOwnDataLoaderGetsASpanInTheRequestsTrace() {
        FederationTelemetry telemetry = FederationTelemetry.create(otel.sdk);
        Subgraph subgraph = new Subgraph(entities(telemetry)
                .entity(EntityType.named("User").javaClass(Subgraph.User.class)
                        .key("id", rep -> rep.getString("id"), EntityBatchLoader.mapped(Subgraph::users)).build())
                .dataLoader("bestFriends", () -> DataLoaderFactory.newDataLoader(
                        (List<String> ids) -> CompletableFuture.completedFuture(
                                ids.stream().map(id -> "friend of " + id).toList())))
                .build());

        ExecutionResult result = otel.inRequest("POST /graphql",
                () -> subgraph.entities(Subgraph.reps("User", "u", 4), "...on User{id bestFriend}"));

        assertThat(result.getErrors()).isEmpty();
        assertThat(Subgraph.entityList(result).get(2)).isEqualTo(Map.of("id", "u2", "bestFriend", "friend of u2"));
        SpanData request = otel.span("POST /graphql");
        assertThat(otel.span("GraphQL DataLoader Batch bestFriends"))
                .hasParent(request)
                .hasLinks(LinkData.create(request.getSpanContext()))
                .hasAttribute(FederationSpans.DATALOADER_NAME, "bestFriends")
                .hasAttribute(FederationSpans.TYPENAME, "bestFriends")
                .hasAttribute(FederationSpans.DATALOADER_BATCH_SIZE, 4L)
                .hasAttribute(FederationSpans.BATCH_ENTITY_COUNT, 4L)
                .hasEnded();
    }

    @Test
    void maxLinksPerBatchOfZeroLinksNothing() {
        FederationTelemetry telemetry = FederationTelemetry.builder(otel.sdk).maxLinksPerBatch(0).build();
        Subgraph subgraph = new Subgraph(entities(telemetry)
                .entity(EntityType.named("User").javaClass(Subgraph.User.class)
                        .key("id", rep -> rep.getString("id"), EntityBatchLoader.mapped(Subgraph::users)).build())
                .build());

        otel.inRequest("POST /graphql", () -> subgraph.entities(Subgraph.reps("User", "u", 2), "...on User{id}"));

        assertThat(otel.span("GraphQL DataLoader Batch User(id)")).hasTotalRecordedLinks(0);
    }

    @Test
    void noopOpenTelemetryMakesNoSpanWorkAndWithoutLoggingNoObserverAtAll() {
        FederationTelemetry quiet = FederationTelemetry.builder(OpenTelemetry.noop()).logging(false).build();
        FederationTelemetry logging = FederationTelemetry.create(OpenTelemetry.noop());

        assertThat(quiet.tracingEnabled()).isFalse();
        assertThat(quiet.observer()).isSameAs(FederationObserver.noop());
        assertThat(logging.tracingEnabled()).isFalse();
        assertThat(logging.loggingEnabled()).isTrue();
        assertThat(logging.observer().entitiesStarted(
                new dev.federation.core.observer.EntitiesCall(1, FederationMode.BATCHED, null))).isNull();
        assertThat(FederationTelemetry.create(otel.sdk).tracingEnabled()).isTrue();
    }

    @Test
    void builderRejectsBadValuesNamingThem() {
        FederationTelemetry.Builder b = FederationTelemetry.builder(otel.sdk);
        assertThatThrownBy(() -> b.slowBatchThreshold(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-0.001S");
        assertThatThrownBy(() -> b.maxLinksPerBatch(-2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-2");
        FederationTelemetry defaults = FederationTelemetry.create(otel.sdk);
        assertThat(defaults.slowBatchThreshold()).isEqualTo(Duration.ofMillis(100));
        assertThat(defaults.maxLinksPerBatch()).isEqualTo(128);
        assertThat(defaults.requestIdExtractor()).isSameAs(RequestIdExtractor.defaults());
    }
}
