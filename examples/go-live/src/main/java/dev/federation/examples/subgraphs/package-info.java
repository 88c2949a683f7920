/**
 * The three example subgraphs of the go-live plan (users, posts, products), each on its own embedded H2
 * database, with their entities resolved in batches by {@link dev.federation.core.FederatedEntities}.
 *
 * <p>{@link dev.federation.examples.subgraphs.UsersSubgraph}, {@link
 * dev.federation.examples.subgraphs.PostsSubgraph} and {@link dev.federation.examples.subgraphs.ProductsSubgraph}
 * each build a {@link dev.federation.examples.subgraphs.Subgraph} from a {@link
 * dev.federation.examples.subgraphs.SubgraphConfig}.
 */
@NullMarked
package dev.federation.examples.subgraphs;

import org.jspecify.annotations.NullMarked;
