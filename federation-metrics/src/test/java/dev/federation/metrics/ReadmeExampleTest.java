package dev.federation.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.apollographql.federation.graphqljava.Federation;
import dev.federation.core.EntityBatchLoader;
import dev.federation.core.EntityType;
import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationModeSwitch;
import dev.federation.health.FederationHealthMonitor;
import dev.federation.health.HealthListener;
import dev.federation.health.HealthMonitorConfig;
import dev.federation.health.RollbackEvent;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.schema.idl.RuntimeWiring;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The usage snippet of README.md, compiled and run here; the test fails when the README drifts from it. */
class ReadmeExampleTest {

    record User(String id, String name) {
    }

    static final class UserRepository {
        Map<String, User> findByIds(List<String> ids) {
            Map<String, User> out = new LinkedHashMap<>();
            for (String id : ids) {
                out.put(id, new User(id, "User " + id));
            }
            return out;
        }
    }

    @Test
    void readmeSnippetWiresMetricsAndTheHealthMonitor() throws IOException {
        UserRepository users = new UserRepository();
        MeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // README:usage begin
        FederationModeSwitch modeSwitch = FederationModeSwitch.fromEnvironment(); // FEDERATION_ENABLED=false: DIRECT
        FederationMetrics metrics = FederationMetrics.builder()
                .modeSwitch(modeSwitch)
                .build();
        FederatedEntities entities = FederatedEntities.builder()
                .modeSwitch(modeSwitch)
                .observer(metrics)
                .entity(EntityType.named("User").javaClass(User.class)
                        .key("id", rep -> rep.getString("id"), EntityBatchLoader.mapped(users::findByIds))
                        .build())
                .build();
        metrics.bindTo(registry);                          // the meters, e.g. on a PrometheusMeterRegistry
        FederationCacheMetrics.of(entities).bindTo(registry); // cross-request caches, if any

        FederationHealthMonitor monitor = FederationHealthMonitor.builder(metrics.healthWindow(), modeSwitch)
                .entities(entities)                           // its caches' bound is allowed for in heap growth
                .config(HealthMonitorConfig.custom()
                        .heapAllowanceBytes(64_000_000)       // what the service's own bounded caches may hold
                        .coolDown(Duration.ofMinutes(30))     // default: recovery by hand
                        .build())
                .listener(new HealthListener() {
                    @Override
                    public void rolledBack(RollbackEvent event) {
                        System.err.println("federation batching rolled back: " + event.reason());
                    }
                })
                .build();
        HealthMonitorMetrics.of(monitor).bindTo(registry); // federation.health, federation.health.rollbacks
        monitor.start();                                   // a check every 30 s
        // ... and when the service stops:
        monitor.close();
        // README:usage end

        GraphQL graphQL = GraphQL.newGraphQL(Federation.transform(TestSubgraph.SDL,
                        RuntimeWiring.newRuntimeWiring().build())
                .fetchEntities(entities.fetcher())
                .resolveEntityType(entities.typeResolver())
                .build()).build();
        ExecutionResult result = graphQL.execute(entities.withRegistry(ExecutionInput.newExecutionInput(
                        "query($representations:[_Any!]!){_entities(representations:$representations)"
                                + "{...on User{id name}}}")
                .variables(Map.of("representations", TestSubgraph.users(0, 10, "u")))
                .build()));
        assertThat(result.getErrors()).isEmpty();
        assertThat(((PrometheusMeterRegistry) registry).scrape())
                .contains("federation_entity_loads_total{outcome=\"batched\",typename=\"User\"} 10.0");

        String source = Files.readString(Path.of("src/test/java/dev/federation/metrics/ReadmeExampleTest.java"));
        String snippet = source.substring(source.indexOf("// README:usage begin\n") + 22,
                source.indexOf("        // README:usage end"));
        String shown = snippet.lines().map(l -> l.length() >= 8 ? l.substring(8) : l)
                .collect(Collectors.joining("\n"));
        assertThat(Files.readString(Path.of("README.md"))).contains(shown);
        assertThat(Files.readString(Path.of("../README.md"))).contains(shown);
    }
}
