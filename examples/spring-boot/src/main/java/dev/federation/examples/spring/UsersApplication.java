package dev.federation.examples.spring;

import dev.federation.core.EntityBatchLoader;
import dev.federation.core.EntityType;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A users subgraph on Spring Boot 4: the app declares its entity type as a bean and writes no schema factory and
 * no {@code _entities} fetcher; the federation starter installs them into the schema Spring for GraphQL builds
 * from {@code graphql/schema.graphqls}.
 *
 * <pre>
 * java -jar examples/spring-boot/target/federation-spring-boot-example.jar --server.port=4005
 * </pre>
 */
@SpringBootApplication
public class UsersApplication {

    /** Runs the subgraph. */
    public static void main(String[] args) {
        SpringApplication.run(UsersApplication.class, args);
    }

    // tag::entity[]
    /** {@code User @key(fields: "id")}: one SQL statement per batch, one per user in DIRECT mode. */
    @Bean
    EntityType userEntity(UserRepository users) {
        return EntityType.named("User")
                .javaClass(User.class)
                .key("id", rep -> rep.getLong("id"),
                        EntityBatchLoader.<Long, User>mapped(users::findByIds).withDirect(users::findById))
                .build();
    }
    // end::entity[]
}
