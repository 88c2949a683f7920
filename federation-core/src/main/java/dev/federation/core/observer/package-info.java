/**
 * The observer SPI of entity resolution: {@link dev.federation.core.observer.FederationObserver} and the
 * events it is told of. Metrics (federation-metrics) and tracing (federation-tracing) implement it; so can
 * a service.
 */
@NullMarked
package dev.federation.core.observer;

import org.jspecify.annotations.NullMarked;
