/**
 * JMH benchmarks of {@code _entities} resolution, side by side with what users would write instead
 * (one-by-one resolution, hand-written java-dataloader batching, Spring for GraphQL's batched
 * {@code @EntityMapping}), plus the {@link dev.federation.benchmarks.Summary} of a JMH JSON result and the
 * HTTP {@link dev.federation.benchmarks.LoadRunner load and soak runner}.
 *
 * <p>Not deployed; nothing here is API.
 */
@NullMarked
package dev.federation.benchmarks;

import org.jspecify.annotations.NullMarked;
