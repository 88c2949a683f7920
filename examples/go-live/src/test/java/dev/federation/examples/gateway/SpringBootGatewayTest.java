package dev.federation.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.federation.core.FederationMode;
import dev.federation.examples.ClusterConfig;
import dev.federation.examples.SubgraphCluster;
import dev.federation.examples.subgraphs.DataSettings;
import dev.federation.examples.subgraphs.PostsSubgraph;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real {@code @apollo/gateway} composes the Spring Boot example (the executable jar, run as a user runs it, as
 * the users subgraph) with the posts and products subgraphs of this module, and answers
 * {@code posts(limit: 100) { id author { id name } }}: the Spring subgraph runs one SQL statement for the 100
 * authors, counted at its JDBC layer and read from its {@code /actuator/sql}.
 */
class SpringBootGatewayTest {

    private static final int USERS = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static SubgraphCluster cluster;
    private static ChildProcess spring;
    private static ChildProcess gateway;
    private static URI springUri;
    private static URI gatewayUri;

    @BeforeAll
    static void start() throws Exception {
        ChildProcess.requireGateway();
        Path jar = Path.of(System.getProperty("spring.example.jar", "../spring-boot/target/federation-spring-boot-example.jar"))
                .toAbsolutePath();
        ChildProcess.requireOrSkip(Files.isRegularFile(jar), "the Spring Boot example is not built: " + jar);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        spring = ChildProcess.start(new ProcessBuilder(java, "-jar", jar.toString(), "--server.port=0",
                        "--server.address=127.0.0.1", "--logging.level.root=WARN",
                        "--logging.level.org.springframework.boot.tomcat=INFO",
                        "--federation.health.interval=1h"),
                Pattern.compile("Tomcat started on port (\\d+)"), Duration.ofSeconds(120));
        springUri = URI.create("http://127.0.0.1:" + spring.readyLine().group(1));

        cluster = SubgraphCluster.start(ClusterConfig.custom().data(DataSettings.sizes(USERS, 10_000, 200))
                .mode(FederationMode.BATCHED).build());
        Map<String, URI> subgraphs = new java.util.LinkedHashMap<>();
        subgraphs.put("users", springUri.resolve("/graphql"));
        subgraphs.put("posts", cluster.node("posts").server().graphqlUri());
        subgraphs.put("products", cluster.node("products").server().graphqlUri());
        gateway = ChildProcess.startGateway(subgraphs);
        gatewayUri = URI.create(gateway.readyLine().group(1));
    }

    @AfterAll
    static void stop() throws Exception {
        ChildProcess.closeAll(gateway, spring, cluster);
    }

    @Test
    void gatewayAnswersPostsWithAuthorsFromTheSpringSubgraphInOneSqlStatement() throws Exception {
        long before = springSql();

        JsonNode posts = ChildProcess.queryGateway(gatewayUri, "{ posts(limit: 100) { id author { id name } } }")
                .get("posts");
        assertThat(posts).hasSize(100);
        for (int i = 0; i < 100; i++) {
            long author = PostsSubgraph.authorOf(i + 1, USERS);
            assertThat(posts.get(i).at("/author/id").asText()).isEqualTo(String.valueOf(author));
            assertThat(posts.get(i).at("/author/name").asText()).isEqualTo("User " + author); // the example's data.sql
        }
        assertThat(springSql() - before).as("SQL statements run by the Spring subgraph").isEqualTo(1);
        JsonNode sql = JSON.readTree(get(springUri.resolve("/actuator/sql")).body());
        assertThat(sql.at("/statements").toString()).contains("SELECT id, name, email FROM users WHERE id IN (:ids)"); // as the repository sends it
    }

    private static long springSql() throws Exception {
        return JSON.readTree(get(springUri.resolve("/actuator/sql")).body()).at("/total").asLong();
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r;
    }
}
