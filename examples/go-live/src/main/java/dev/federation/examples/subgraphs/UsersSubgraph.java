package dev.federation.examples.subgraphs;

import dev.federation.core.EntityBatchLoader;
import dev.federation.core.EntityType;
import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationStatistics;
import dev.federation.examples.db.Database;
import graphql.schema.idl.RuntimeWiring;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The users subgraph: {@code type User @key(fields: "id") { id: ID! name: String! email: String! }} on a
 * table of {@link SubgraphConfig#users()} users.
 *
 * <p>A batch of User representations is one {@code SELECT ... WHERE id = ANY(?)}; in {@code DIRECT} mode
 * each representation is one {@code SELECT ... WHERE id = ?}.
 */
public final class UsersSubgraph {

    /** The subgraph name. */
    public static final String NAME = "users";
    /** The batch query: one per batch of users. */
    public static final String SELECT_BATCH = "SELECT id, name, email FROM users WHERE id = ANY(?)";
    /** The one-by-one query of {@code DIRECT} mode. */
    public static final String SELECT_ONE = "SELECT id, name, email FROM users WHERE id = ?";

    private static final String[] FIRST = {"Ada", "Alan", "Barbara", "Claude", "Donald", "Edsger", "Frances",
        "Grace", "Hedy", "John", "Katherine", "Linus", "Margaret", "Niklaus", "Radia", "Tim"};
    private static final String[] LAST = {"Lovelace", "Turing", "Liskov", "Shannon", "Knuth", "Dijkstra",
        "Allen", "Hopper", "Lamarr", "Backus", "Johnson", "Torvalds", "Hamilton", "Wirth", "Perlman", "Berners-Lee"};

    /** A user row. */
    public record User(long id, String name, String email) {
    }

    private UsersSubgraph() {
    }

    /** The name of user {@code id}, as seeded: deterministic. */
    public static String nameOf(long id) {
        return FIRST[(int) (id % FIRST.length)] + " " + LAST[(int) ((id / FIRST.length) % LAST.length)] + " " + id;
    }

    /** Creates, seeds and wires the users subgraph. */
    public static Subgraph create(SubgraphConfig config) {
        Database db = Database.inMemory(NAME, st -> {
            st.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL,"
                    + " email VARCHAR(200) NOT NULL)");
            st.execute("CREATE ALIAS USER_NAME FOR 'dev.federation.examples.subgraphs.UsersSubgraph.nameOf'");
            st.execute("INSERT INTO users SELECT x, USER_NAME(x), 'user' || x || '@example.com'"
                    + " FROM SYSTEM_RANGE(1, " + config.data().users() + ")");
            st.execute("DROP ALIAS USER_NAME");
        }, config.data().dbRoundTrip());
        try {
            FederationStatistics stats = new FederationStatistics();
            EntitiesCallStatistics calls = new EntitiesCallStatistics();
            FederatedEntities entities = Subgraph.entitiesBuilder(config, stats, calls)
                    .entity(EntityType.named("User")
                            .javaClass(User.class)
                            .key("id", rep -> rep.getLong("id"),
                                    EntityBatchLoader.<Long, User>mapped(ids -> byIds(db, ids))
                                            .withDirect(id -> byId(db, id)))
                            .build())
                    .build();
            RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
                    .type("Query", t -> t.dataFetcher("user", env -> byId(db, PostsSubgraph.idArgument(env, "id"))))
                    .build();
            return new Subgraph(NAME, Subgraph.schema("/schemas/users.graphql"), db, entities, stats, calls, Set.of(),
                    wiring);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    static Map<Long, User> byIds(Database db, List<Long> ids) {
        Long[] array = ids.toArray(new Long[0]);
        List<User> rows = db.query(SELECT_BATCH, ps -> ps.setObject(1, array), UsersSubgraph::row);
        Map<Long, User> out = new LinkedHashMap<>(rows.size() * 2);
        for (User u : rows) {
            out.put(u.id(), u);
        }
        return out;
    }

    static @Nullable User byId(Database db, long id) {
        List<User> rows = db.query(SELECT_ONE, ps -> ps.setLong(1, id), UsersSubgraph::row);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static User row(ResultSet rs) throws SQLException {
        return new User(rs.getLong(1), rs.getString(2), rs.getString(3));
    }
}
