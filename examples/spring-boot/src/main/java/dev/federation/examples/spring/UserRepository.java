package dev.federation.examples.spring;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The users and reviews tables through Spring JDBC: each method is one SQL statement, counted as it is sent. */
@Repository
public class UserRepository {

    /** The batch query of User entities. */
    public static final String SELECT_BATCH = "SELECT id, name, email FROM users WHERE id IN (:ids)";
    /** The one-by-one query of DIRECT mode. */
    public static final String SELECT_ONE = "SELECT id, name, email FROM users WHERE id = :id";
    /** The query of one dispatch of the {@code reviewsByUser} DataLoader. */
    public static final String SELECT_REVIEWS = "SELECT id, user_id, body, stars FROM reviews WHERE user_id IN (:ids) ORDER BY id";

    private final JdbcClient jdbc;
    private final SqlStatements statements;

    public UserRepository(JdbcClient jdbc, SqlStatements statements) {
        this.jdbc = jdbc;
        this.statements = statements;
    }

    private JdbcClient.StatementSpec sql(String statement) {
        statements.sent(statement);
        return jdbc.sql(statement);
    }

    /** The users of {@code ids}, by id (absent when there is none). */
    public Map<Long, User> findByIds(List<Long> ids) {
        Map<Long, User> out = new LinkedHashMap<>(ids.size() * 2);
        sql(SELECT_BATCH).param("ids", ids)
                .query((rs, n) -> new User(rs.getLong(1), rs.getString(2), rs.getString(3)))
                .list()
                .forEach(u -> out.put(u.id(), u));
        return out;
    }

    /** One user, or {@code null}. */
    public @Nullable User findById(Long id) {
        return sql(SELECT_ONE).param("id", id)
                .query((rs, n) -> new User(rs.getLong(1), rs.getString(2), rs.getString(3)))
                .optional().orElse(null);
    }

    /** The reviews of each of {@code userIds}, in one statement. */
    public Map<Long, List<Review>> reviewsByUsers(Collection<Long> userIds) {
        Map<Long, List<Review>> out = new LinkedHashMap<>();
        userIds.forEach(id -> out.put(id, new ArrayList<>()));
        sql(SELECT_REVIEWS).param("ids", userIds)
                .query((rs, n) -> new Review(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4)))
                .list()
                .forEach(r -> out.get(r.userId()).add(r));
        return out;
    }
}
