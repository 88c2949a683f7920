/**
 * The go-live demo: the three subgraphs in-process, the workload a gateway sends, first in {@code DIRECT}
 * then in {@code BATCHED} mode, and the go-live plan's success-metrics table with measured values.
 */
@NullMarked
package dev.federation.examples.demo;

import org.jspecify.annotations.NullMarked;
