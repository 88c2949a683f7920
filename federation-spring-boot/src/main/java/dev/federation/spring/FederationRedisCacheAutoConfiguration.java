package dev.federation.spring;

import dev.federation.cache.redis.RedisEntityCaches;
import dev.federation.core.EntityCacheOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The shared entity cache on Redis (federation-cache-redis), when it is on the class path and a Redis is named
 * ({@link FederationRedisCacheProperties}): a {@link RedisEntityCaches} bean (closed with the context) made the
 * cache provider of {@code FederatedEntities}, so every {@code EntityType} bean built with
 * {@code .cache(...)} gets a local level in front of Redis. Define a {@code RedisEntityCaches} bean of your own
 * to set what the properties do not (codecs, scope names, an executor).
 */
@AutoConfiguration(before = FederationAutoConfiguration.class)
@ConditionalOnClass({RedisEntityCaches.class, RedisClient.class})
@Conditional(FederationRedisCacheAutoConfiguration.RedisNamed.class)
@EnableConfigurationProperties(FederationRedisCacheProperties.class)
public class FederationRedisCacheAutoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(FederationRedisCacheAutoConfiguration.class);

    /** The provider, from {@code federation.cache.redis.*}. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public RedisEntityCaches federationRedisEntityCaches(FederationRedisCacheProperties properties,
            Environment environment) {
        RedisURI uri = uri(properties, environment);
        String prefix = prefix(properties, environment);
        RedisEntityCaches.Builder b = RedisEntityCaches.builder(uri)
                .prefix(prefix)
                .commandTimeout(properties.getCommandTimeout())
                .connectTimeout(properties.getConnectTimeout())
                .failureThreshold(properties.getFailureThreshold())
                .retryAfter(properties.getRetryAfter());
        for (Map.Entry<String, FederationRedisCacheProperties.Type> e : properties.getTypes().entrySet()) {
            FederationRedisCacheProperties.Type t = e.getValue();
            b.options(e.getKey(), declared -> {
                EntityCacheOptions.Builder o = EntityCacheOptions.custom()
                        .maximumSize(t.getMaximumSize() != null ? t.getMaximumSize() : declared.maximumSize())
                        .timeToLive(t.getTimeToLive() != null ? t.getTimeToLive() : declared.timeToLive())
                        .gracePeriod(t.getGracePeriod() != null ? t.getGracePeriod() : declared.gracePeriod());
                return o.build();
            });
        }
        LOG.info("federation: cached entity types get a shared level on Redis at {}:{} (prefix {})", uri.getHost(),
                uri.getPort(), prefix);
        return b.build();
    }

    /** Hands the provider to {@code FederatedEntities}. */
    @Bean
    public FederatedEntitiesCustomizer federationRedisCacheProvider(RedisEntityCaches caches) {
        return builder -> builder.cacheProvider(caches);
    }

    /** The key prefix: the property, else the application's name (one per subgraph), else "federation". */
    static String prefix(FederationRedisCacheProperties properties, Environment environment) {
        String prefix = properties.getPrefix();
        if (prefix != null && !prefix.isBlank()) {
            return prefix;
        }
        String name = environment.getProperty("spring.application.name");
        return name == null || name.isBlank() ? "federation" : name.trim().replaceAll("[\\s*?\\[\\]\\\\]", "-");
    }

    static RedisURI uri(FederationRedisCacheProperties properties, Environment environment) {
        String url = properties.getUrl();
        if (url == null || url.isBlank()) {
            url = environment.getProperty("spring.data.redis.url");
        }
        if (url != null && !url.isBlank()) {
            return RedisURI.create(url);
        }
        RedisURI.Builder b = RedisURI.builder()
                .withHost(environment.getProperty("spring.data.redis.host", "localhost"))
                .withPort(environment.getProperty("spring.data.redis.port", Integer.class, 6379))
                .withDatabase(environment.getProperty("spring.data.redis.database", Integer.class, 0));
        if (environment.getProperty("spring.data.redis.ssl.enabled", Boolean.class, false)) {
            b.withSsl(true);
        }
        String password = environment.getProperty("spring.data.redis.password");
        if (password != null && !password.isEmpty()) {
            String user = environment.getProperty("spring.data.redis.username");
            if (user != null && !user.isEmpty()) {
                b.withAuthentication(user, password.toCharArray());
            } else {
                b.withPassword(password.toCharArray());
            }
        }
        return b.build();
    }

    /** On when a Redis is named and {@code federation.cache.redis.enabled} is not false. */
    static final class RedisNamed extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Environment env = context.getEnvironment();
            if (!env.getProperty("federation.cache.redis.enabled", Boolean.class, true)) {
                return ConditionOutcome.noMatch("federation.cache.redis.enabled is false");
            }
            for (String p : new String[] {"federation.cache.redis.url", "spring.data.redis.url",
                    "spring.data.redis.host"}) {
                String v = env.getProperty(p);
                if (v != null && !v.isBlank()) {
                    return ConditionOutcome.match(p + " names a Redis");
                }
            }
            return ConditionOutcome.noMatch("no Redis named (federation.cache.redis.url, spring.data.redis.url or "
                    + "spring.data.redis.host)");
        }
    }
}
