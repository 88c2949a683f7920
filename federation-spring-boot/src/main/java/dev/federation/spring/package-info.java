/**
 * Spring Boot auto-configuration of the federation library: {@link dev.federation.spring.FederationAutoConfiguration},
 * {@link dev.federation.spring.FederationObservabilityAutoConfiguration}, the {@code federation.*} properties, the
 * health contributor and the actuator endpoint.
 */
@NullMarked
package dev.federation.spring;

import org.jspecify.annotations.NullMarked;
