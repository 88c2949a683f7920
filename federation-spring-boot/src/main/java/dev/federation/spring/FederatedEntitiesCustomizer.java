package dev.federation.spring;

import dev.federation.core.FederatedEntities;

/**
 * Adds to the {@link FederatedEntities} that the auto-configuration builds, after the {@code EntityType} beans
 * and the observers: a cache scope, extra observers, the service's own DataLoaders. Beans of this type are
 * applied in their {@code @Order}.
 *
 * <pre>{@code
 * @Bean
 * FederatedEntitiesCustomizer tenantScope() {
 *     return builder -> builder.cacheScope(context -> context.get("tenant"));
 * }
 * }</pre>
 *
 * <p>Public SPI.
 */
@FunctionalInterface
public interface FederatedEntitiesCustomizer {

    /** Customizes the builder before it is built. */
    void customize(FederatedEntities.Builder builder);
}
