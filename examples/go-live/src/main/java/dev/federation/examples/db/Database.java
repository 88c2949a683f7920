package dev.federation.examples.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * One in-memory H2 database behind a HikariCP pool, with every statement executed through
 * {@link #dataSource()} counted in {@link #sql()}.
 *
 * <p>Each instance gets a database name of its own ({@code name} plus a sequence number), so two
 * instances in one JVM (two tests, two subgraphs) never share data. The database lives until
 * {@link #close()}.
 *
 * <pre>{@code
 * try (Database db = Database.inMemory("users", sql -> sql.execute("CREATE TABLE ..."))) {
 *     List<User> users = db.query("SELECT id, name FROM users WHERE id = ?", ps -> ps.setLong(1, 7), User::of);
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class Database implements AutoCloseable {

    /** Default number of pooled connections. */
    public static final int DEFAULT_POOL_SIZE = 8;

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final String name;
    private final HikariDataSource pool;
    private final SqlStatistics sql = new SqlStatistics();
    private final DataSource counted;

    private final Duration roundTrip;

    private Database(String name, HikariDataSource pool, Duration roundTrip) {
        this.name = name;
        this.pool = pool;
        this.roundTrip = roundTrip;
        this.counted = CountingProxy.dataSource(pool, sql, roundTrip.toNanos());
    }

    /**
     * A new, empty in-memory database named after {@code name}, on which {@code schema} runs first (creating
     * and seeding tables); the statements {@code schema} runs are not counted.
     *
     * @throws IllegalStateException when the schema or seed fails
     */
    public static Database inMemory(String name, Seed schema) {
        return inMemory(name, schema, Duration.ZERO);
    }

    /**
     * As {@link #inMemory(String, Seed)}, with every statement executed through {@link #dataSource()} delayed
     * by {@code roundTrip}, to stand for the network round trip to a database on another machine (an
     * in-memory database has none, which hides most of what one-by-one queries cost in production).
     *
     * @param roundTrip zero for none
     * @throws IllegalArgumentException when {@code roundTrip} is negative
     */
    public static Database inMemory(String name, Seed schema, Duration roundTrip) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(roundTrip, "roundTrip");
        if (roundTrip.isNegative()) {
            throw new IllegalArgumentException("roundTrip must not be negative, was " + roundTrip);
        }
        Objects.requireNonNull(schema, "schema");
        String dbName = name.replaceAll("[^A-Za-z0-9_]", "_") + "_" + SEQUENCE.incrementAndGet();
        HikariConfig config = new HikariConfig();
        config.setPoolName("db-" + dbName);
        config.setJdbcUrl("jdbc:h2:mem:" + dbName + ";DB_CLOSE_DELAY=-1");
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(DEFAULT_POOL_SIZE);
        config.setMinimumIdle(2);
        HikariDataSource pool = new HikariDataSource(config);
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            schema.run(st);
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw new IllegalStateException("could not create database " + dbName + ": " + e.getMessage(), e);
        }
        return new Database(dbName, pool, roundTrip);
    }

    /** The H2 database name, unique in this JVM. */
    public String name() {
        return name;
    }

    /** The simulated network round trip of each statement ({@link Duration#ZERO} for none). */
    public Duration roundTrip() {
        return roundTrip;
    }

    /** The pooled data source whose statements are counted. */
    public DataSource dataSource() {
        return counted;
    }

    /** The statements executed through {@link #dataSource()}. */
    public SqlStatistics sql() {
        return sql;
    }

    /**
     * Runs one prepared query and maps every row.
     *
     * @throws IllegalStateException wrapping any {@link SQLException}
     */
    public <T> List<T> query(String sqlText, Binder binder, RowMapper<T> mapper) {
        try (Connection c = counted.getConnection(); PreparedStatement ps = c.prepareStatement(sqlText)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + e.getMessage(), e);
        }
    }

    /**
     * Whether the database answers: a pooled connection that the driver says is valid within a second. Runs
     * no counted statement.
     */
    public boolean isReachable() {
        try (Connection c = pool.getConnection()) {
            return c.isValid(1);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /** Closes the pool and drops the in-memory database. */
    @Override
    public void close() {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("SHUTDOWN");
        } catch (SQLException e) {
            // the database is gone either way
        } finally {
            pool.close();
        }
    }

    @Override
    public String toString() {
        return "Database[" + name + "]";
    }

    /** Creates and seeds the tables of a new database. */
    @FunctionalInterface
    public interface Seed {
        /** Runs the DDL and seed statements on {@code statement}. */
        void run(Statement statement) throws SQLException;
    }

    /** Sets the parameters of a prepared statement. */
    @FunctionalInterface
    public interface Binder {
        /** Binds the parameters. */
        void bind(PreparedStatement statement) throws SQLException;
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface RowMapper<T> {
        /** The value of the current row. */
        T map(ResultSet row) throws SQLException;
    }
}
