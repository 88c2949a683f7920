package dev.federation.examples.mapping;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.graphql.data.federation.FederationSchemaFactory;

/**
 * A books subgraph that keeps Spring for GraphQL's own federation support, wired as Spring's reference
 * documentation shows: a {@link FederationSchemaFactory} and a customizer that makes the schema with it. The
 * {@code @EntityMapping} methods of {@link BookEntities} resolve {@code _entities}; the federation starter observes
 * them with no code here.
 *
 * <pre>
 * mvn spring-boot:run
 * </pre>
 */
@SpringBootApplication
public class BooksApplication {

    /** Runs the subgraph. */
    public static void main(String[] args) {
        SpringApplication.run(BooksApplication.class, args);
    }

    // tag::spring-federation[]
    @Bean
    FederationSchemaFactory federationSchemaFactory() {
        return new FederationSchemaFactory();
    }

    @Bean
    GraphQlSourceBuilderCustomizer federationSchema(FederationSchemaFactory factory) {
        return builder -> builder.schemaFactory(factory::createGraphQLSchema);
    }
    // end::spring-federation[]
}
