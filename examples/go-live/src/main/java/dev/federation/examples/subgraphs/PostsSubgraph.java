package dev.federation.examples.subgraphs;

import dev.federation.core.EntityBatchLoader;
import dev.federation.core.EntityType;
import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationErrorType;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import dev.federation.core.FederationStatistics;
import dev.federation.examples.db.Database;
import graphql.GraphqlErrorException;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.dataloader.DataLoader;
import org.dataloader.DataLoaderFactory;
import org.dataloader.DataLoaderOptions;
import org.jspecify.annotations.Nullable;

/**
 * The posts subgraph: {@code Query.posts(limit, offset)}, {@code type Post @key(fields: "id")} whose
 * {@code author} and {@code product} are references ({@code {__typename: "User", id}}) that the gateway
 * resolves from the users and products subgraphs, and the users subgraph's {@code User} extended with
 * {@code posts: [Post!]!}.
 *
 * <p>Post representations are batched like the other subgraphs' entities. {@code User.posts} goes through
 * the service's own DataLoader {@value #POSTS_BY_AUTHOR}, registered with
 * {@link FederatedEntities.Builder#dataLoader}: one {@code author_id IN (...)} query per dispatch, or one
 * {@code author_id = ?} query per user in {@code DIRECT} mode.
 */
public final class PostsSubgraph {

    /** The subgraph name. */
    public static final String NAME = "posts";
    /** The name of the DataLoader of {@code User.posts}. */
    public static final String POSTS_BY_AUTHOR = "postsByAuthor";
    /** The code of an argument out of range. */
    public static final String BAD_USER_INPUT = "BAD_USER_INPUT";
    /** Largest {@code limit} of {@code Query.posts}. */
    public static final int MAX_LIMIT = 1_000;
    /** The batch query of Post entities. */
    public static final String SELECT_BATCH = "SELECT id, title, author_id, product_id FROM posts WHERE id = ANY(?)";
    /** The one-by-one query of Post entities in {@code DIRECT} mode. */
    public static final String SELECT_ONE = "SELECT id, title, author_id, product_id FROM posts WHERE id = ?";
    /** The query of {@code Query.posts}. */
    public static final String SELECT_PAGE =
            "SELECT id, title, author_id, product_id FROM posts ORDER BY id LIMIT ? OFFSET ?";
    /** The query of one dispatch of {@value #POSTS_BY_AUTHOR} (normalized form of its IN list). */
    public static final String SELECT_BY_AUTHORS =
            "SELECT id, title, author_id, product_id FROM posts WHERE author_id IN (?...) ORDER BY id";
    /** The one-by-one query of {@value #POSTS_BY_AUTHOR} in {@code DIRECT} mode. */
    public static final String SELECT_BY_AUTHOR =
            "SELECT id, title, author_id, product_id FROM posts WHERE author_id = ? ORDER BY id";

    private static final long AUTHOR_STRIDE = 7_919;
    private static final long PRODUCT_STRIDE = 31;

    /** A post row; {@code productId} is {@code null} for a post about no product. */
    public record Post(long id, String title, long authorId, @Nullable Long productId) {
    }

    private PostsSubgraph() {
    }

    /** The author of post {@code id} as seeded for {@code users} users: deterministic, ids 1 to users. */
    public static long authorOf(long id, int users) {
        return (id - 1) * AUTHOR_STRIDE % users + 1;
    }

    /** The product of post {@code id} as seeded for {@code products} products, or {@code null} (every 10th). */
    public static @Nullable Long productOf(long id, int products) {
        return id % 10 == 0 ? null : (id - 1) * PRODUCT_STRIDE % products + 1;
    }

    /** The title of post {@code id}, as seeded. */
    public static String titleOf(long id) {
        return "Post " + id;
    }

    /** Creates, seeds and wires the posts subgraph. */
    public static Subgraph create(SubgraphConfig config) {
        Database db = Database.inMemory(NAME, st -> {
            st.execute("CREATE TABLE posts (id BIGINT PRIMARY KEY, title VARCHAR(200) NOT NULL,"
                    + " author_id BIGINT NOT NULL, product_id BIGINT)");
            st.execute("INSERT INTO posts SELECT x, 'Post ' || x, MOD((x - 1) * " + AUTHOR_STRIDE + ", "
                    + config.data().users() + ") + 1, CASE WHEN MOD(x, 10) = 0 THEN NULL ELSE MOD((x - 1) * "
                    + PRODUCT_STRIDE + ", " + config.data().products() + ") + 1 END FROM SYSTEM_RANGE(1, "
                    + config.data().posts() + ")");
            st.execute("CREATE INDEX posts_author ON posts(author_id)");
        }, config.data().dbRoundTrip());
        try {
            FederationStatistics stats = new FederationStatistics();
            EntitiesCallStatistics calls = new EntitiesCallStatistics();
            FederationModeSwitch modeSwitch = config.modeSwitch();
            DataLoaderOptions loaderOptions = DataLoaderOptions.newOptions()
                    .setMaxBatchSize(config.options().maxBatchSize())
                    .build();
            FederatedEntities entities = Subgraph.entitiesBuilder(config, stats, calls)
                    .entity(EntityType.named("Post")
                            .javaClass(Post.class)
                            .key("id", rep -> rep.getLong("id"),
                                    EntityBatchLoader.<Long, Post>mapped(ids -> byIds(db, ids))
                                            .withDirect(id -> byId(db, id)))
                            .build())
                    .entity(EntityType.named("User")
                            .key("id", rep -> rep.getLong("id"),
                                    EntityBatchLoader.<Long, Map<String, Object>>mapped(PostsSubgraph::userRefs)
                                            .withDirect(id -> reference("User", id)))
                            .build())
                    .dataLoader(POSTS_BY_AUTHOR, () -> postsByAuthor(db, modeSwitch, loaderOptions))
                    .build();
            RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
                    .type("Query", t -> t.dataFetcher("posts", env -> page(db, env)))
                    .type("Post", t -> t
                            .dataFetcher("author", env -> reference("User", ((Post) env.getSource()).authorId()))
                            .dataFetcher("product", env -> {
                                Long productId = ((Post) env.getSource()).productId();
                                return productId == null ? null : reference("Product", productId);
                            }))
                    .type("User", t -> t.dataFetcher("posts", PostsSubgraph::postsOfUser))
                    .build();
            return new Subgraph(NAME, Subgraph.schema("/schemas/posts.graphql"), db, entities, stats, calls,
                    Set.of(POSTS_BY_AUTHOR), wiring);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** An entity reference, as the gateway expects it: {@code {"__typename": typename, "id": "<id>"}}. */
    static Map<String, Object> reference(String typename, long id) {
        Map<String, Object> ref = new LinkedHashMap<>(4);
        ref.put("__typename", typename);
        ref.put("id", String.valueOf(id));
        return ref;
    }

    private static Map<Long, Map<String, Object>> userRefs(List<Long> ids) {
        Map<Long, Map<String, Object>> out = new LinkedHashMap<>(ids.size() * 2);
        for (Long id : ids) {
            out.put(id, reference("User", id));
        }
        return out;
    }

    private static Object postsOfUser(DataFetchingEnvironment env) {
        Map<?, ?> user = env.getSource();
        long id = Long.parseLong(String.valueOf(user.get("id")));
        DataLoader<Long, List<Post>> loader = env.getDataLoader(POSTS_BY_AUTHOR);
        if (loader == null) {
            throw new IllegalStateException("DataLoader " + POSTS_BY_AUTHOR + " is not in the request's registry");
        }
        return loader.load(id);
    }

    private static DataLoader<Long, List<Post>> postsByAuthor(Database db, FederationModeSwitch modeSwitch,
            DataLoaderOptions options) {
        return DataLoaderFactory.newDataLoader(POSTS_BY_AUTHOR, (List<Long> authorIds) -> {
            if (modeSwitch.mode() == FederationMode.DIRECT) {
                List<List<Post>> out = new ArrayList<>(authorIds.size());
                for (Long a : authorIds) {
                    out.add(db.query(SELECT_BY_AUTHOR, ps -> ps.setLong(1, a), PostsSubgraph::row));
                }
                return CompletableFuture.completedFuture(out);
            }
            StringBuilder sql = new StringBuilder("SELECT id, title, author_id, product_id FROM posts WHERE author_id IN (");
            for (int i = 0; i < authorIds.size(); i++) {
                sql.append(i == 0 ? "?" : ", ?");
            }
            sql.append(") ORDER BY id");
            List<Post> rows = db.query(sql.toString(), ps -> {
                for (int i = 0; i < authorIds.size(); i++) {
                    ps.setLong(i + 1, authorIds.get(i));
                }
            }, PostsSubgraph::row);
            Map<Long, List<Post>> byAuthor = new HashMap<>();
            for (Post p : rows) {
                byAuthor.computeIfAbsent(p.authorId(), k -> new ArrayList<>()).add(p);
            }
            List<List<Post>> out = new ArrayList<>(authorIds.size());
            for (Long a : authorIds) {
                out.add(byAuthor.getOrDefault(a, Collections.emptyList()));
            }
            return CompletableFuture.completedFuture(out);
        }, options);
    }

    private static List<Post> page(Database db, DataFetchingEnvironment env) {
        Integer limit = env.getArgument("limit");
        Integer offset = env.getArgument("offset");
        int l = limit == null ? 100 : limit;
        int o = offset == null ? 0 : offset;
        if (l < 0 || l > MAX_LIMIT) {
            throw badArgument("limit must be 0 to " + MAX_LIMIT + ", was " + l);
        }
        if (o < 0) {
            throw badArgument("offset must not be negative, was " + o);
        }
        return db.query(SELECT_PAGE, ps -> {
            ps.setInt(1, l);
            ps.setInt(2, o);
        }, PostsSubgraph::row);
    }

    /** An argument out of range: the caller's fault, said with Apollo's {@code BAD_USER_INPUT} code. */
    static GraphqlErrorException badArgument(String message) {
        return GraphqlErrorException.newErrorException()
                .message(message)
                .errorClassification(FederationErrorType.BAD_REQUEST)
                .extensions(Map.of("code", BAD_USER_INPUT))
                .build();
    }

    /**
     * The {@code ID} argument {@code name} of a root field as a row id: an id that is not a whole number in the
     * range of a row id is the caller's fault ({@code BAD_USER_INPUT}), not an internal error.
     */
    static long idArgument(graphql.schema.DataFetchingEnvironment env, String name) {
        Object raw = env.getArgument(name);
        String text = String.valueOf(raw);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
            throw badArgument(name + " must be a whole number, was \"" + shown.replaceAll("[^\\x20-\\x7E]", "?")
                    + "\"");
        }
    }

    static Map<Long, Post> byIds(Database db, List<Long> ids) {
        Long[] array = ids.toArray(new Long[0]);
        List<Post> rows = db.query(SELECT_BATCH, ps -> ps.setObject(1, array), PostsSubgraph::row);
        Map<Long, Post> out = new LinkedHashMap<>(rows.size() * 2);
        for (Post p : rows) {
            out.put(p.id(), p);
        }
        return out;
    }

    static @Nullable Post byId(Database db, long id) {
        List<Post> rows = db.query(SELECT_ONE, ps -> ps.setLong(1, id), PostsSubgraph::row);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static Post row(ResultSet rs) throws SQLException {
        long productId = rs.getLong(4);
        Long product = rs.wasNull() ? null : productId;
        return new Post(rs.getLong(1), rs.getString(2), rs.getLong(3), product);
    }
}
