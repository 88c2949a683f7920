package dev.federation.examples.spring;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.stereotype.Component;

/**
 * Counts the SQL statements the database receives, at the JDBC layer: the app's {@link DataSource} is wrapped so
 * that each {@code execute*} of a statement is counted by its SQL text ({@code IN} lists of any length folded into
 * {@code IN (?...)}). {@code GET /actuator/sql} shows the counts, so that tests and users can see the batching.
 */
@Component
@Endpoint(id = "sql")
public class SqlStatements implements BeanPostProcessor {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

    /** {@code {"total": n, "statements": {sql: n}}}. */
    @ReadOperation
    public Map<String, Object> sql() {
        Map<String, Long> statements = new TreeMap<>();
        counts.forEach((k, v) -> statements.put(k, v.sum()));
        return Map.of("total", total.sum(), "statements", statements);
    }

    /** Statements executed so far. */
    public long total() {
        return total.sum();
    }

    /** Executions of one statement (normalized as {@link #normalize}). */
    public long count(String sql) {
        LongAdder n = counts.get(normalize(sql));
        return n == null ? 0 : n.sum();
    }

    static String normalize(String sql) {
        return sql.replaceAll("\\s+", " ").trim().replaceAll("(?i)\\bIN \\(\\s*\\?(\\s*,\\s*\\?)*\\s*\\)", "IN (?...)");
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource ds && !(Proxy.isProxyClass(bean.getClass()))) {
            return proxy(DataSource.class, ds, (target, method, args) -> {
                Object result = invoke(method, target, args);
                return result instanceof Connection c ? connection(c) : result;
            });
        }
        return bean;
    }

    private Connection connection(Connection c) {
        return proxy(Connection.class, c, (target, method, args) -> {
            Object result = invoke(method, target, args);
            if (result instanceof PreparedStatement ps && args != null && args.length > 0 && args[0] instanceof String sql) {
                return statement(PreparedStatement.class, ps, sql);
            }
            if (result instanceof Statement st && !(result instanceof PreparedStatement)) {
                return statement(Statement.class, st, null);
            }
            return result;
        });
    }

    private <T extends Statement> T statement(Class<T> type, T st, String preparedSql) {
        return proxy(type, st, (target, method, args) -> {
            if (method.getName().startsWith("execute")) {
                String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : preparedSql;
                if (sql != null) {
                    counts.computeIfAbsent(normalize(sql), k -> new LongAdder()).increment();
                    total.increment();
                }
            }
            return invoke(method, target, args);
        });
    }

    @FunctionalInterface
    private interface Handler<T> {
        Object handle(T target, java.lang.reflect.Method method, Object[] args) throws Throwable;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T target, Handler<T> handler) {
        InvocationHandler h = (p, method, args) -> handler.handle(target, method, args);
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h);
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
