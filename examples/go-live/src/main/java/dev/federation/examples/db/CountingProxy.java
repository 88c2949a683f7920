package dev.federation.examples.db;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * JDK dynamic proxies over a {@link DataSource}, its connections and statements that report each executed
 * statement to a {@link SqlStatistics}. Package-private: {@link Database} hands out the proxied data source.
 */
final class CountingProxy {

    private CountingProxy() {
    }

    static DataSource dataSource(DataSource target, SqlStatistics stats, long roundTripNanos) {
        return proxy(DataSource.class, target, (method, result, args) -> {
            if (result instanceof Connection && method.getName().equals("getConnection")) {
                return connection((Connection) result, stats, roundTripNanos);
            }
            return result;
        });
    }

    private static Connection connection(Connection target, SqlStatistics stats, long roundTripNanos) {
        return proxy(Connection.class, target, (method, result, args) -> {
            String name = method.getName();
            if (result instanceof PreparedStatement && name.startsWith("prepare") && args != null) {
                return statement(PreparedStatement.class, (PreparedStatement) result, stats, (String) args[0],
                        roundTripNanos);
            }
            if (result instanceof Statement && name.equals("createStatement")) {
                return statement(Statement.class, (Statement) result, stats, null, roundTripNanos);
            }
            return result;
        });
    }

    private static <S extends Statement> S statement(Class<S> type, S target, SqlStatistics stats,
            @Nullable String preparedSql, long roundTripNanos) {
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (name.startsWith("execute")) {
                String sql = args != null && args.length > 0 && args[0] instanceof String ? (String) args[0]
                        : preparedSql;
                if (sql != null) {
                    stats.executed(sql);
                }
                if (roundTripNanos > 0) {
                    LockSupport.parkNanos(roundTripNanos); // a network round trip to a remote database
                }
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(CountingProxy.class.getClassLoader(), new Class<?>[] {type},
                handler));
    }

    @FunctionalInterface
    private interface Wrap {
        @Nullable Object wrap(Method method, @Nullable Object result, @Nullable Object[] args);
    }

    private static <T> T proxy(Class<T> type, T target, Wrap wrap) {
        InvocationHandler handler = (proxy, method, args) -> {
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            return wrap.wrap(method, result, args);
        };
        return type.cast(Proxy.newProxyInstance(CountingProxy.class.getClassLoader(), new Class<?>[] {type},
                handler));
    }
}
