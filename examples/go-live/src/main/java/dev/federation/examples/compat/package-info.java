/**
 * The {@code products} subgraph of Apollo's federation subgraph compatibility suite, resolved through this
 * library: {@link dev.federation.examples.compat.CompatSubgraph} serves the suite's schema and data set with
 * every entity key batched by {@link dev.federation.core.FederatedEntities}, and ftv1 traces on request. The
 * HTTP server of the examples serves it on port 4004.
 */
@NullMarked
package dev.federation.examples.compat;

import org.jspecify.annotations.NullMarked;
