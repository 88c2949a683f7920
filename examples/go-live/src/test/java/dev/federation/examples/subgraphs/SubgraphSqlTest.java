package dev.federation.examples.subgraphs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.federation.core.FederationMode;
import graphql.ExecutionResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The subgraphs' SQL, counted at the JDBC layer, for the requests a gateway sends. */
class SubgraphSqlTest {

    private static final String ENTITIES =
            "query($representations:[_Any!]!){_entities(representations:$representations){%s}}";

    private static Subgraph users;
    private static Subgraph products;
    private static Subgraph posts;

    @BeforeAll
    static void start() {
        SubgraphConfig config = SubgraphConfig.custom().data(DataSettings.sizes(500, 5_000, 200))
                .mode(FederationMode.BATCHED).build();
        users = UsersSubgraph.create(config);
        products = ProductsSubgraph.create(config.toBuilder().mode(FederationMode.BATCHED).build());
        posts = PostsSubgraph.create(config.toBuilder().mode(FederationMode.BATCHED).build());
    }

    @AfterAll
    static void stop() {
        users.close();
        products.close();
        posts.close();
    }

    @Test
    void hundredUserRepresentationsAreOneSqlQueryWhenBatched() {
        users.entities().modeSwitch().set(FederationMode.BATCHED, "test");
        long before = users.sql().count(UsersSubgraph.SELECT_BATCH);
        long totalBefore = users.sql().total();

        List<Map<String, Object>> entities = hundredUsers(users, "...on User{id name email}");

        assertThat(entities.get(6)).containsEntry("id", "7").containsEntry("name", UsersSubgraph.nameOf(7))
                .containsEntry("email", "user7@example.com");
        assertThat(users.sql().total() - totalBefore).isEqualTo(1);
        assertThat(users.sql().count(UsersSubgraph.SELECT_BATCH) - before).isEqualTo(1);
    }

    @Test
    void hundredUserRepresentationsAreHundredSqlQueriesInDirectMode() {
        users.entities().modeSwitch().set(FederationMode.DIRECT, "test");
        try {
            long before = users.sql().count(UsersSubgraph.SELECT_ONE);
            long totalBefore = users.sql().total();

            ExecutionResult result = users.execute(String.format(ENTITIES, "...on User{id name}"),
                    Map.of("representations", reps("User", 101, 100)));

            assertThat(result.getErrors()).isEmpty();
            assertThat(entities(result)).hasSize(100).allSatisfy(e -> assertThat(e.get("name")).isNotNull());
            assertThat(users.sql().total() - totalBefore).isEqualTo(100);
            assertThat(users.sql().count(UsersSubgraph.SELECT_ONE) - before).isEqualTo(100);
        } finally {
            users.entities().modeSwitch().set(FederationMode.BATCHED, "test");
        }
    }

    @Test
    void unknownIdsResolveToNullWithoutFailingTheOthers() {
        ExecutionResult result = products.execute(String.format(ENTITIES, "...on Product{id name price}"),
                Map.of("representations", List.of(rep("Product", "3"), rep("Product", "999999"))));

        assertThat(result.getErrors()).isEmpty();
        List<Map<String, Object>> entities = entities(result);
        assertThat(entities.get(0)).containsEntry("name", "Product 3")
                .containsEntry("price", ProductsSubgraph.priceOf(3));
        assertThat(entities.get(1)).isNull();
    }

    @Test
    void postsPageIsOneQueryAndReferencesItsAuthorAndProduct() {
        long before = posts.sql().total();

        ExecutionResult result = posts.execute("{ posts(limit: 10, offset: 0) { id title author { id } product { id } } }",
                Map.of());

        assertThat(result.getErrors()).isEmpty();
        Map<String, Object> data = result.getData();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> page = (List<Map<String, Object>>) data.get("posts");
        assertThat(page).hasSize(10);
        assertThat(page.get(0)).containsEntry("id", "1").containsEntry("title", "Post 1")
                .containsEntry("author", Map.of("id", String.valueOf(PostsSubgraph.authorOf(1, 500))))
                .containsEntry("product", Map.of("id", String.valueOf(PostsSubgraph.productOf(1, 200))));
        assertThat(page.get(9)).containsEntry("product", null);
        assertThat(posts.sql().total() - before).isEqualTo(1);
        assertThat(posts.sql().count(PostsSubgraph.SELECT_PAGE)).isPositive();
    }

    @Test
    void userPostsOfHundredUsersAreOneInQueryPerDispatch() {
        long before = posts.sql().count(PostsSubgraph.SELECT_BY_AUTHORS);
        long totalBefore = posts.sql().total();

        List<Map<String, Object>> entities = hundredUsers(posts, "...on User{id posts{id title}}");

        // 5,000 posts over 500 users: 10 posts each
        assertThat(entities).allSatisfy(u -> assertThat((List<?>) u.get("posts")).hasSize(10));
        assertThat(posts.sql().total() - totalBefore).isEqualTo(1);
        assertThat(posts.sql().count(PostsSubgraph.SELECT_BY_AUTHORS) - before).isEqualTo(1);
        assertThat(posts.statistics().snapshot().types().get(PostsSubgraph.POSTS_BY_AUTHOR).maxBatchSize())
                .isEqualTo(100);
    }

    @Test
    void userPostsAreOneQueryPerUserInDirectMode() {
        posts.entities().modeSwitch().set(FederationMode.DIRECT, "test");
        try {
            long totalBefore = posts.sql().total();

            ExecutionResult result = posts.execute(String.format(ENTITIES, "...on User{id posts{id}}"),
                    Map.of("representations", reps("User", 201, 100)));

            assertThat(result.getErrors()).isEmpty();
            assertThat(entities(result)).hasSize(100);
            assertThat(posts.sql().total() - totalBefore).isEqualTo(100);
        } finally {
            posts.entities().modeSwitch().set(FederationMode.BATCHED, "test");
        }
    }

    @Test
    void badRepresentationGetsItsOwnErrorAndNoSql() {
        long before = users.sql().total();

        ExecutionResult result = users.execute(String.format(ENTITIES, "...on User{id}"),
                Map.of("representations", List.of(rep("User", "not-a-number"))));

        assertThat(result.getErrors()).hasSize(1);
        assertThat(result.getErrors().get(0).getPath()).containsExactly("_entities", 0);
        assertThat(users.sql().total()).isEqualTo(before);
    }

    static List<Map<String, Object>> reps(String typename, int from, int count) {
        List<Map<String, Object>> out = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            out.add(rep(typename, String.valueOf(i)));
        }
        return out;
    }

    static Map<String, Object> rep(String typename, String id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("__typename", typename);
        m.put("id", id);
        return m;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> entities(ExecutionResult result) {
        Map<String, Object> data = result.getData();
        return (List<Map<String, Object>>) data.get("_entities");
    }

    /** Users 1 to 100 of {@code subgraph} with {@code selection}, answered without errors. */
    private static List<Map<String, Object>> hundredUsers(Subgraph subgraph, String selection) {
        ExecutionResult result = subgraph.execute(String.format(ENTITIES, selection),
                Map.of("representations", reps("User", 1, 100)));
        assertThat(result.getErrors()).isEmpty();
        List<Map<String, Object>> entities = entities(result);
        assertThat(entities).hasSize(100);
        return entities;
    }
}
