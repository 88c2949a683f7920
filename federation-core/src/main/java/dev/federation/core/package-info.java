/**
 * Batched {@code _entities} resolution for graphql-java federation subgraphs.
 *
 * <p>Start at {@link dev.federation.core.FederatedEntities}: declare each entity type with
 * {@link dev.federation.core.EntityType}, hand {@code fetcher()} and {@code typeResolver()} to
 * federation-jvm's {@code Federation.transform(...)}, and put {@code newRegistry()} on each
 * {@code ExecutionInput}.
 */
@NullMarked
package dev.federation.core;

import org.jspecify.annotations.NullMarked;
