/**
 * Observability of the example subgraphs, wired the way a real service wires it: Micrometer with a
 * Prometheus registry per subgraph ({@code /metrics}), the health monitor ({@code /health}), OpenTelemetry
 * from the SDK's autoconfigure module (standard {@code OTEL_*} variables; off when none is set) and JSON logs.
 */
@NullMarked
package dev.federation.examples.observability;

import org.jspecify.annotations.NullMarked;
