package dev.federation.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.federation.examples.http.SubgraphServer;
import dev.federation.examples.observability.OpenTelemetrySetup;
import dev.federation.examples.subgraphs.DataSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The compat products subgraph as {@code serve} runs it: over HTTP, with its meters and statistics. */
class CompatServeTest {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static HttpResponse<String> post(int port, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
                .timeout(Duration.ofSeconds(10))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void serveRunsTheCompatSubgraphWithJsonResponsesFtv1AndItsMeters() throws Exception {
        List<AutoCloseable> extra = ServeCommand.extraSubgraphs(ClusterConfig.custom().data(DataSettings.sizes(10, 10, 10)).build(),
                Map.of("compat-port", "0"), OpenTelemetrySetup.off());
        try {
            int port = ((SubgraphServer) extra.get(0)).port();

            HttpResponse<String> entities = post(port, "{\"query\":\"query($r:[_Any!]!){_entities(representations:$r)"
                    + "{...on Product{id sku}}}\",\"variables\":{\"r\":[{\"__typename\":\"Product\",\"id\":\"apollo-federation\"},"
                    + "{\"__typename\":\"Product\",\"sku\":\"studio\",\"package\":\"\"}]}}");
            HttpResponse<String> traced = post(port, "{\"query\":\"{ __typename }\"}",
                    "apollo-federation-include-trace", "ftv1");

            assertThat(entities.statusCode()).isEqualTo(200);
            assertThat(entities.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(entities.body()).isEqualTo("{\"data\":{\"_entities\":[{\"id\":\"apollo-federation\",\"sku\":"
                    + "\"federation\"},{\"id\":\"apollo-studio\",\"sku\":\"studio\"}]}}");
            assertThat(traced.body()).matches("\\{\"data\":\\{\"__typename\":\"Query\"},\"extensions\":"
                    + "\\{\"ftv1\":\"[A-Za-z0-9+/=]+\"}}");
            assertThat(get(port, "/metrics").body())
                    .contains("federation_entity_loads_total{outcome=\"batched\",service=\"compat\",typename=\"Product\"} 2.0");
            assertThat(get(port, "/debug/federation").body()).contains("\"Product\"");
            assertThat(get(port, "/health").body()).contains("\"status\" : \"HEALTHY\"");
        } finally {
            for (AutoCloseable c : extra) {
                c.close();
            }
        }
    }
}
