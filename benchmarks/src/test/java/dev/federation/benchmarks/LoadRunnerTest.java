package dev.federation.benchmarks;


import dev.federation.testkit.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadRunnerTest {

    @Test
    void localSubgraphAnswersEntitiesOverHttpAndRejectsBadBodies() throws Exception {
        Workload workload = Workload.of(6, 3);
        LoadTarget target = LoadTarget.local(Subgraphs.LIBRARY, 6, 3, 2);
        try {
            HttpClient http = HttpClient.newHttpClient();
            String body = Json.write(Map.of("query", workload.query, "variables", workload.variables));
            HttpResponse<String> ok = http.send(post(target.uri(), body), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> bad = http.send(post(target.uri(), "{not json"), HttpResponse.BodyHandlers.ofString());

            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(Json.parse(ok.body())).isEqualTo(Map.of("data", Map.of("_entities", workload.expectedEntities())));
            assertThat(bad.statusCode()).isEqualTo(400);
        } finally {
            target.stop().close();
        }
    }

    @Test
    void runAgainstTheLocalSubgraphSendsEveryRequestWithoutErrors() throws Exception {
        LoadRunner.Options options = LoadRunner.Options.parse(new String[] {"--target", "local",
            "--clients", "2", "--requests", "40", "--warmup", "10", "--representations", "20", "--types", "2"});
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        LoadRunner.Report report = LoadRunner.run(options, new PrintStream(log, true, StandardCharsets.UTF_8));

        assertThat(report.errors()).isZero();
        assertThat(report.requests()).isEqualTo(40);
        assertThat(report.entityLoads()).isEqualTo(800);
        assertThat(report.p50Nanos()).isPositive().isLessThanOrEqualTo(report.p99Nanos());
        assertThat(report.p99Nanos()).isLessThanOrEqualTo(report.maxNanos());
        assertThat(report.heapStart()).isPositive();
        assertThat(log.toString(StandardCharsets.UTF_8))
                .contains("in-module library subgraph (in-memory backend) in this JVM at http://127.0.0.1:");
    }

    @Test
    void runAgainstTheExampleUsersSubgraphChecksTheUsersItAnswers() throws Exception {
        LoadRunner.Options options = LoadRunner.Options.parse(new String[] {
            "--clients", "2", "--requests", "300", "--warmup", "0", "--representations", "50"});
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        LoadRunner.Report report = LoadRunner.run(options, new PrintStream(log, true, StandardCharsets.UTF_8));

        assertThat(report.errors()).isZero();
        assertThat(report.entityLoads()).isEqualTo(15_000);
        assertThat(report.target()).startsWith("examples users subgraph (H2) in this JVM at http://127.0.0.1:");
    }

    @Test
    void usersTargetBodiesAskForDistinctExistingIds() {
        LoadTarget target = LoadTarget.externalUsers(URI.create("http://127.0.0.1:1/graphql"), 100, 1_000);

        assertThat(target.bodies()).hasSize(LoadTarget.USERS_BODIES);
        assertThat(target.expected().get(0)).hasSize(100);
        assertThat(target.expected().get(0).get(0)).containsEntry("id", "1");
        assertThat(target.expected().get(10).get(0)).containsEntry("id", "1");
        assertThat(target.bodies().get(1)).contains("{\"__typename\":\"User\",\"id\":\"101\"}");
    }

    @Test
    void failedRequestsAreCountedAsErrors() throws Exception {
        LoadRunner.Options options = LoadRunner.Options.parse(new String[] {
            "--clients", "1", "--requests", "3", "--warmup", "0", "--url", "http://127.0.0.1:1/graphql"});

        LoadRunner.Report report = LoadRunner.run(options, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));

        assertThat(report.errors()).isEqualTo(3);
    }

    @Test
    void unknownOptionsAreRejected() {
        assertThatThrownBy(() -> LoadRunner.Options.parse(new String[] {"--client", "2"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("client");
    }

    private static HttpRequest post(URI uri, String body) {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
