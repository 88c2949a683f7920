/**
 * OpenTelemetry spans and structured batch logs for federation-core.
 *
 * <p>{@link dev.federation.tracing.FederationTelemetry} is the entry point: it hands out the
 * {@link dev.federation.core.observer.FederationObserver} to register on {@code FederatedEntities}. Span
 * names and attribute keys are in {@link dev.federation.tracing.FederationSpans}, log field names in
 * {@link dev.federation.tracing.BatchLogFields}.
 *
 * <p>Only {@code opentelemetry-api} and {@code slf4j-api} are needed at run time; without an OpenTelemetry SDK
 * (or with {@code OpenTelemetry.noop()}) no span work is done.
 */
@NullMarked
package dev.federation.tracing;

import org.jspecify.annotations.NullMarked;
