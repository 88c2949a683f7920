/**
 * The runnable examples: {@link dev.federation.examples.Main} ({@code demo} and {@code serve}) and
 * {@link dev.federation.examples.SubgraphCluster}, which starts the users, posts and products subgraphs with
 * their HTTP servers.
 */
@NullMarked
package dev.federation.examples;

import org.jspecify.annotations.NullMarked;
