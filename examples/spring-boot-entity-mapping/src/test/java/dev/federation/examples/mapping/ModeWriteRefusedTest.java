package dev.federation.examples.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * With the mode write enabled, it is refused as a client error: Spring's methods resolve {@code _entities} here, so
 * there is no mode to switch (a pager's rollback must not look as if it had worked).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "management.endpoint.federation.access=unrestricted")
class ModeWriteRefusedTest {

    @LocalServerPort
    int port;

    @Test
    void theModeWriteAnswers400WithWhy() throws Exception {
        HttpResponse<String> write = BooksApplicationTest.HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/federation"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"mode\":\"DIRECT\",\"reason\":\"rollback drill\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(write.statusCode()).as(write.body()).isEqualTo(400);

        // and the subgraph still answers
        HttpResponse<String> r = BooksApplicationTest.HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/graphql"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BooksApplicationTest.JSON.writeValueAsString(Map.of(
                        "query", BooksApplicationTest.QUERY,
                        "variables", Map.of("representations", BooksApplicationTest.reps("Book", 1, 3))))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("Book 3");
    }
}
