/** OpenTelemetry tracing for federation-core (to be filled). */
package dev.federation.tracing;
