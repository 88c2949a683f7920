package dev.federation.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** With {@code management.endpoint.federation.access=unrestricted} the mode write works, and DIRECT then applies. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "management.endpoint.federation.access=unrestricted")
class ModeWriteEnabledTest {

    @LocalServerPort
    int port;

    @Autowired
    SqlStatements sql;

    @Autowired
    FederationModeSwitch modeSwitch;

    HttpResponse<String> writeMode(String body) throws Exception {
        return UsersApplicationTest.HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/federation"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aModeThatIsNotOneIsAClientError() throws Exception {
        HttpResponse<String> write = writeMode("{\"mode\":\"SIDEWAYS\"}");

        assertThat(write.statusCode()).as(write.body()).isEqualTo(400);
        assertThat(modeSwitch.mode()).isEqualTo(FederationMode.BATCHED);
    }

    @Test
    void theModeWriteSwitchesToDirectAndTheNextRequestRunsOneStatementPerRepresentation() throws Exception {
        HttpResponse<String> write = writeMode("{\"mode\":\"DIRECT\",\"reason\":\"rollback drill\"}");
        try {
            assertThat(write.statusCode()).as(write.body()).isEqualTo(200);
            JsonNode answer = UsersApplicationTest.JSON.readTree(write.body());
            assertThat(answer.at("/previous").asText()).isEqualTo("BATCHED");
            assertThat(answer.at("/reason").asText()).isEqualTo("actuator: rollback drill");
            assertThat(modeSwitch.mode()).isEqualTo(FederationMode.DIRECT);

            long before = sql.total();
            HttpResponse<String> r = UsersApplicationTest.HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/graphql"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(UsersApplicationTest.JSON.writeValueAsString(Map.of(
                            "query", UsersApplicationTest.QUERY,
                            "variables", Map.of("representations", UsersApplicationTest.users(1, 100))))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(sql.total() - before).isEqualTo(100);
        } finally {
            modeSwitch.set(FederationMode.BATCHED, "test");
        }
    }
}
