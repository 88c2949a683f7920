package dev.federation.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.federation.core.CrossRequestBatching;
import dev.federation.core.EntityBatchLoader;
import dev.federation.core.EntityType;
import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import dev.federation.core.FederationOptions;
import graphql.ExecutionResult;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class BatchLogTest {

    private static final org.slf4j.Logger BACKEND_LOG = LoggerFactory.getLogger("test.backend");

    private final Otel otel = new Otel();
    private final LogCapture logs = new LogCapture(BatchLogFields.LOGGER_NAME, "test.backend");

    @AfterEach
    void close() {
        logs.close();
        otel.close();
        MDC.clear();
    }

    private Subgraph subgraph(FederationTelemetry telemetry, EntityBatchLoader<String, ?> users) {
        return new Subgraph(FederatedEntities.builder()
                .modeSwitch(FederationModeSwitch.of(FederationMode.BATCHED))
                .observer(telemetry.observer())
                .entity(EntityType.named("User").javaClass(Subgraph.User.class)
                        .key("id", rep -> rep.getString("id"), users).build())
                .entity(EntityType.named("Review").javaClass(Subgraph.Review.class)
                        .key("id", rep -> rep.getString("id"), EntityBatchLoader.mapped(Subgraph::reviews)).build())
                .build());
    }

    private List<ILoggingEvent> batchEvents() {
        return logs.events(BatchLogFields.LOGGER_NAME);
    }

    @Test
    void batchLogEventHoldsEveryFieldWithTheRightValues() {
        // a threshold no in-memory batch reaches, even on a loaded machine: this test is about the fields
        Subgraph subgraph = subgraph(FederationTelemetry.builder(otel.sdk).slowBatchThreshold(Duration.ofSeconds(10))
                .build(), EntityBatchLoader.mapped(Subgraph::users));

        otel.inRequest("POST /graphql", () -> subgraph.entities(
                List.of(Subgraph.rep("User", "u1"), Subgraph.rep("User", "missing1"), Subgraph.rep("User", "u2"),
                        Subgraph.rep("User", "u1")),
                "...on User{id}", c -> c.of(BatchLogFields.REQUEST_ID, "req-42")));

        SpanData batch = otel.span("GraphQL DataLoader Batch User(id)");
        assertThat(batchEvents()).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.DEBUG);
            Map<String, Object> fields = LogCapture.fields(e);
            assertThat(fields).containsOnlyKeys("operation", "request_id", "typename", "loader", "mode",
                    "batch_size", "requests", "wait_ms", "entity_count", "cached_count", "missing_count",
                    "key_error_count", "duration_ms", "trace_id", "span_id");
            assertThat(fields)
                    .containsEntry("operation", "federation_batch_load")
                    .containsEntry("request_id", "req-42")
                    .containsEntry("typename", "User")
                    .containsEntry("loader", "User(id)")
                    .containsEntry("mode", "batched")
                    .containsEntry("batch_size", 3)
                    .containsEntry("requests", 1)
                    .containsEntry("wait_ms", 0.0)
                    .containsEntry("entity_count", 2)
                    .containsEntry("cached_count", 0)
                    .containsEntry("missing_count", 1)
                    .containsEntry("key_error_count", 0)
                    .containsEntry("trace_id", batch.getTraceId())
                    .containsEntry("span_id", batch.getSpanId());
            assertThat((Double) fields.get("duration_ms")).isGreaterThanOrEqualTo(0.0);
            assertThat(e.getFormattedMessage()).startsWith("federation batch User(id): 3 keys in ");
        });
    }

    @Test
    void requestIdComesFromTheCallersMdcWhenTheContextHasNone() {
        Subgraph subgraph = subgraph(FederationTelemetry.create(otel.sdk), EntityBatchLoader.mapped(Subgraph::users));
        MDC.put("request_id", "from-mdc");

        subgraph.entities(Subgraph.reps("User", "u", 2), "...on User{id}");

        assertThat(batchEvents()).singleElement()
                .satisfies(e -> assertThat(LogCapture.fields(e)).containsEntry("request_id", "from-mdc"));
    }

    @Test
    void aCrossRequestCallThatServesOneRequestLogsThatRequestsId() {
        // cross-request batching never hands a request's context to the call: the id comes from its one contributor
        Subgraph subgraph = new Subgraph(FederatedEntities.builder()
                .modeSwitch(FederationModeSwitch.of(FederationMode.BATCHED))
                .options(FederationOptions.custom().crossRequest(CrossRequestBatching.ofDefaults()).build())
                .observer(FederationTelemetry.create(otel.sdk).observer())
                .entity(EntityType.named("User").javaClass(Subgraph.User.class)
                        .key("id", rep -> rep.getString("id"), EntityBatchLoader.<String, Subgraph.User>mappedAsync(
                                ids -> CompletableFuture.completedFuture(Subgraph.users(ids)))).build())
                .build());

        subgraph.entities(Subgraph.reps("User", "u", 2), "...on User{id}", c -> c.of(BatchLogFields.REQUEST_ID, "r-7"));

        assertThat(batchEvents()).singleElement().satisfies(e -> assertThat(LogCapture.fields(e))
                .containsEntry("request_id", "r-7").containsEntry("requests", 1));
    }

    @Test
    void requestIdContextKeyCamelCaseIsReadAndAnExtractorCanBeSet() {
        Subgraph defaults = subgraph(FederationTelemetry.create(otel.sdk), EntityBatchLoader.mapped(Subgraph::users));
        Subgraph custom = subgraph(FederationTelemetry.builder(otel.sdk)
                        .requestIdExtractor(RequestIdExtractor.fromContext("x-request-id"))
                        .build(),
                EntityBatchLoader.mapped(Subgraph::users));

        defaults.entities(Subgraph.reps("User", "u", 1), "...on User{id}", c -> c.of("requestId", "camel"));
        custom.entities(Subgraph.reps("User", "u", 1), "...on User{id}", c -> c.of("x-request-id", "header"));

        assertThat(batchEvents()).extracting(e -> LogCapture.fields(e).get("request_id"))
                .containsExactly("camel", "header");
    }

    @Test
    void mdcCarriesTheRequestIdWhileTheBatchFunctionRunsAndIsRestoredAfter() {
        Subgraph subgraph = subgraph(FederationTelemetry.create(otel.sdk), EntityBatchLoader.mapped(ids -> {
            BACKEND_LOG.info("querying {} users", ids.size());
            return Subgraph.users(ids);
        }));
        MDC.put("request_id", "outer");

        subgraph.entities(Subgraph.reps("User", "u", 2), "...on User{id}", c -> c.of("request_id", "req-7"));

        assertThat(logs.events("test.backend")).singleElement()
                .satisfies(e -> assertThat(e.getMDCPropertyMap()).containsEntry("request_id", "req-7"));
        assertThat(MDC.get("request_id")).isEqualTo("outer");
    }

    @Test
    void slowBatchLogsAtWarn() {
        FederationTelemetry telemetry = FederationTelemetry.builder(otel.sdk)
                .slowBatchThreshold(Duration.ofMillis(300))
                .build();
        Subgraph subgraph = subgraph(telemetry, EntityBatchLoader.mappedAsync(ids -> CompletableFuture.supplyAsync(
                () -> Subgraph.users(ids), CompletableFuture.delayedExecutor(400, TimeUnit.MILLISECONDS))));

        subgraph.entities(Subgraph.usersAndReviews(3), Subgraph.USER_AND_REVIEW, c -> c.of("request_id", "slow-1"));

        Map<String, ILoggingEvent> byType = byTypename(batchEvents());
        assertThat(byType.get("User").getLevel()).isEqualTo(Level.WARN);
        assertThat(byType.get("User").getFormattedMessage()).startsWith("slow federation batch User(id): 3 keys took ");
        assertThat((Double) LogCapture.fields(byType.get("User")).get("duration_ms")).isGreaterThan(300.0);
        assertThat(LogCapture.fields(byType.get("User"))).containsEntry("request_id", "slow-1")
                .doesNotContainKey("error");
        assertThat(byType.get("Review").getLevel()).isEqualTo(Level.DEBUG);
    }

    @Test
    void failedBatchLogsAtWarnWithItsErrorType() {
        Subgraph subgraph = subgraph(FederationTelemetry.builder(otel.sdk).slowBatchThreshold(Duration.ofSeconds(10))
                .build(), EntityBatchLoader.mapped(ids -> {
                    throw new IllegalStateException("user store down");
                }));

        subgraph.entities(Subgraph.usersAndReviews(2), Subgraph.USER_AND_REVIEW);

        Map<String, ILoggingEvent> byType = byTypename(batchEvents());
        ILoggingEvent failed = byType.get("User");
        assertThat(failed.getLevel()).isEqualTo(Level.WARN);
        assertThat(LogCapture.fields(failed))
                .containsEntry("error", "java.lang.IllegalStateException")
                .containsEntry("entity_count", 0)
                .containsEntry("batch_size", 2);
        assertThat(failed.getThrowableProxy().getMessage()).isEqualTo("user store down");
        assertThat(byType.get("Review").getLevel()).isEqualTo(Level.DEBUG);
        assertThat(LogCapture.fields(byType.get("Review"))).doesNotContainKey("error");
    }

    @Test
    void withoutTracingTheEventHasNoTraceIds() {
        Subgraph subgraph = subgraph(FederationTelemetry.create(OpenTelemetry.noop()),
                EntityBatchLoader.mapped(Subgraph::users));

        subgraph.entities(Subgraph.reps("User", "u", 2), "...on User{id}", c -> c.of("request_id", "r-1"));

        assertThat(batchEvents()).singleElement().satisfies(e -> assertThat(LogCapture.fields(e))
                .containsEntry("request_id", "r-1")
                .containsEntry("entity_count", 2)
                .doesNotContainKeys("trace_id", "span_id"));
    }

    @Test
    void nothingIsLoggedBelowTheLoggersLevelButSlowAndFailedBatchesStillAre() {
        Logger batchLogger = (Logger) LoggerFactory.getLogger(BatchLogFields.LOGGER_NAME);
        Level before = batchLogger.getLevel();
        batchLogger.setLevel(Level.INFO);
        try {
            Subgraph subgraph = subgraph(FederationTelemetry.create(otel.sdk), EntityBatchLoader.mapped(ids -> {
                throw new IllegalStateException("user store down");
            }));

            subgraph.entities(Subgraph.usersAndReviews(2), Subgraph.USER_AND_REVIEW);

            assertThat(batchEvents()).singleElement().satisfies(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(LogCapture.fields(e)).containsEntry("typename", "User");
            });
        } finally {
            batchLogger.setLevel(before);
        }
    }

    @Test
    void loggingOffWritesNoEventAndLeavesTheMdcAlone() {
        Subgraph subgraph = subgraph(FederationTelemetry.builder(otel.sdk).logging(false).build(),
                EntityBatchLoader.mapped(ids -> {
                    BACKEND_LOG.info("querying");
                    return Subgraph.users(ids);
                }));

        subgraph.entities(Subgraph.reps("User", "u", 2), "...on User{id}", c -> c.of("request_id", "r-1"));

        assertThat(batchEvents()).isEmpty();
        assertThat(logs.events("test.backend")).singleElement()
                .satisfies(e -> assertThat(e.getMDCPropertyMap()).doesNotContainKey("request_id"));
        assertThat(otel.named("GraphQL DataLoader Batch User(id)")).hasSize(1);
    }

    private static Map<String, ILoggingEvent> byTypename(List<ILoggingEvent> events) {
        assertThat(events).hasSize(2);
        return Map.of((String) LogCapture.fields(events.get(0)).get("typename"), events.get(0),
                (String) LogCapture.fields(events.get(1)).get("typename"), events.get(1));
    }
}
