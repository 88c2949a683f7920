/**
 * The project's own test harness, shared by the modules' tests and the benchmarks: {@link
 * dev.federation.testkit.EntitiesSubgraph} (a real federation-jvm schema and graphql-java, executed the way a
 * gateway calls {@code _entities}) and {@link dev.federation.testkit.Json}. Not published.
 */
@NullMarked
package dev.federation.testkit;

import org.jspecify.annotations.NullMarked;
