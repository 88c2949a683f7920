package dev.federation.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.federation.cache.redis.RedisEntityCaches;
import dev.federation.core.EntityCacheOptions;
import dev.federation.core.EntityType;
import dev.federation.core.FederatedEntities;
import dev.federation.testkit.RedisServer;
import graphql.ExecutionResult;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.graphql.autoconfigure.GraphQlAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.GraphQlSource;

/** The shared cache's auto-configuration, two application contexts (two replicas) on one real redis-server. */
class FederationRedisCacheAutoConfigurationTest {

    static RedisServer redis;

    @Configuration(proxyBeanMethods = false)
    static class App {
        final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());

        @Bean
        EntityType userEntity() {
            return FederationAutoConfigurationTest.users(calls)
                    .cache(EntityCacheOptions.of(1_000, Duration.ofMinutes(5)))
                    .build();
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GraphQlAutoConfiguration.class, FederationAutoConfiguration.class,
                    FederationRedisCacheAutoConfiguration.class))
            .withUserConfiguration(App.class);

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void twoReplicasShareTheirEntitiesThroughRedis() {
        ApplicationContextRunner replica = runner.withPropertyValues("federation.cache.redis.url=" + redis.uri(),
                "federation.cache.redis.prefix=spring-test",
                "federation.cache.redis.types.User.time-to-live=1h");
        replica.run(first -> {
            assertThat(first).hasNotFailed().hasSingleBean(RedisEntityCaches.class);
            assertThat(FederationAutoConfigurationTest.entities(first.getBean(GraphQlSource.class).graphQl(), 10).getErrors()).isEmpty();
            assertThat(first.getBean(App.class).calls).hasSize(1);
            long pttl = awaitWritten("spring-test:User:id:s:u9");
            assertThat(pttl).isGreaterThan(TimeUnit.MINUTES.toMillis(59)); // the property's 1 h, not the bean's 5 min

            replica.run(second -> {
                ExecutionResult result = FederationAutoConfigurationTest.entities(second.getBean(GraphQlSource.class).graphQl(), 10);
                assertThat(result.getErrors()).isEmpty();
                assertThat(second.getBean(App.class).calls).isEmpty(); // all ten from Redis
                assertThat(second.getBean(FederatedEntities.class).caches().get("User").stats().level("redis")
                        .hits()).isEqualTo(10);
            });
        });
    }

    @Test
    void springDataRedisPropertiesNameTheRedisToo() {
        runner.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port())
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(RedisEntityCaches.class));
    }

    @Test
    void withNoRedisNamedOrTurnedOffOrMissingTheCacheStaysLocal() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(RedisEntityCaches.class);
            assertThat(context.getBean(FederatedEntities.class).caches().get("User").stats().remote()).isNull();
        });
        runner.withPropertyValues("federation.cache.redis.url=" + redis.uri(), "federation.cache.redis.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RedisEntityCaches.class));
        runner.withPropertyValues("federation.cache.redis.url=" + redis.uri())
                .withClassLoader(new FilteredClassLoader(RedisEntityCaches.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RedisEntityCaches.class)
                        .hasSingleBean(FederatedEntities.class));
    }

    private static long awaitWritten(String key) {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (c.sync().exists(key) == 0) { // the write is asynchronous: wait for it, not for a time
                assertThat(System.nanoTime() - deadline).as("written within 20 s").isNegative();
                Thread.onSpinWait();
            }
            return c.sync().pttl(key);
        } finally {
            client.shutdown();
        }
    }
}
